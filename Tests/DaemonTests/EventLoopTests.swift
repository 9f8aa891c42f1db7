import Glibc
import MIDIDaemon
import Testing

/// The daemon's event loop: dispatch, interest changes, unregistering from inside handlers,
/// timers and hooks — the behaviour its per-wake-up bookkeeping must keep (docs/performance.md).
@Suite("Event loop: descriptors, timers, hooks")
struct EventLoopTests {
    /// A pipe whose ends close with it.
    final class Pipe {
        let read: Int32, write: Int32
        init() throws {
            var ends: [Int32] = [0, 0]
            guard pipe(&ends) == 0 else { throw PipeError(errno: errno) }
            read = ends[0]
            write = ends[1]
            for end in ends where fcntl(end, F_SETFL, O_NONBLOCK) != 0 { throw PipeError(errno: errno) }
        }
        deinit {
            Glibc.close(read)
            Glibc.close(write)
        }
        func post() { var byte: UInt8 = 1; _ = Glibc.write(write, &byte, 1) }
        func drain() { var buffer = [UInt8](repeating: 0, count: 64); while Glibc.read(read, &buffer, 64) > 0 {} }
    }
    struct PipeError: Error { let errno: Int32 }

    @Test("a readable descriptor calls its handler, a quiet one does not")
    func dispatch() throws {
        let loop = EventLoop()
        let one = try Pipe(), two = try Pipe()
        var calls: [String] = []
        loop.registerDescriptor(one.read) { events in calls.append("one \(events.contains(.readable))"); one.drain() }
        loop.registerDescriptor(two.read) { _ in calls.append("two"); two.drain() }
        one.post()
        try loop.runOnce(maximumWait: 0)
        #expect(calls == ["one true"])
        two.post()
        one.post()
        try loop.runOnce(maximumWait: 0)
        #expect(calls == ["one true", "one true", "two"])   // registration order
        try loop.runOnce(maximumWait: 0)
        #expect(calls.count == 3)
    }

    @Test("setInterest adds and removes writability; interest(of:) reports it")
    func interest() throws {
        let loop = EventLoop()
        let pipe = try Pipe()
        var writable = 0
        let token = loop.registerDescriptor(pipe.write, events: []) { events in
            if events.contains(.writable) { writable += 1 }
        }
        try loop.runOnce(maximumWait: 0)
        #expect(writable == 0)
        loop.setInterest(token, .writable)
        #expect(loop.interest(of: token) == .writable)
        try loop.runOnce(maximumWait: 0)
        #expect(writable == 1)
        loop.setInterest(token, [])
        try loop.runOnce(maximumWait: 0)
        #expect(writable == 1)
        loop.unregister(token)
        #expect(loop.interest(of: token) == nil)
    }

    @Test("a handler that unregisters a descriptor ready in the same pass stops its handler from running")
    func unregisterDuringDispatch() throws {
        let loop = EventLoop()
        let first = try Pipe(), second = try Pipe(), third = try Pipe()
        var calls: [String] = []
        var secondToken: EventLoop.Token?
        loop.registerDescriptor(first.read) { _ in
            calls.append("first")
            first.drain()
            if let secondToken { loop.unregister(secondToken) }
        }
        secondToken = loop.registerDescriptor(second.read) { _ in calls.append("second") }
        loop.registerDescriptor(third.read) { _ in calls.append("third"); third.drain() }
        first.post(); second.post(); third.post()
        try loop.runOnce(maximumWait: 0)
        #expect(calls == ["first", "third"])
        // The remaining registrations still work after the removal shifted them.
        third.post()
        try loop.runOnce(maximumWait: 0)
        #expect(calls == ["first", "third", "third"])
    }

    @Test("a descriptor registered by a handler is polled from the next wake-up on")
    func registerDuringDispatch() throws {
        let loop = EventLoop()
        let first = try Pipe(), later = try Pipe()
        var calls: [String] = []
        loop.registerDescriptor(first.read) { _ in
            calls.append("first")
            first.drain()
            loop.registerDescriptor(later.read) { _ in calls.append("later"); later.drain() }
        }
        first.post(); later.post()
        try loop.runOnce(maximumWait: 0)
        #expect(calls == ["first"])
        try loop.runOnce(maximumWait: 0)
        #expect(calls == ["first", "later"])
    }

    @Test("a timer fires once its deadline has come, not before, and not when the deadline went away")
    func timers() throws {
        let loop = EventLoop()
        var deadline: UInt64? = nil
        var fired: [UInt64] = []
        loop.addTimer(nextDeadline: { deadline }) { now in fired.append(now); deadline = nil }
        try loop.runOnce(maximumWait: 0)
        #expect(fired.isEmpty)
        deadline = MonotonicClock.now() + 3_600_000_000_000
        try loop.runOnce(maximumWait: 0)
        #expect(fired.isEmpty)
        let due = MonotonicClock.now() + 2_000_000   // 2 ms: runOnce waits for it
        deadline = due
        try loop.runOnce()
        #expect(fired.count == 1)
        #expect(fired.first.map { $0 >= due } == true)
        try loop.runOnce(maximumWait: 0)
        #expect(fired.count == 1)
    }

    @Test("a deadline withdrawn by a handler during the wait's wake-up does not fire")
    func withdrawnDeadline() throws {
        let loop = EventLoop()
        let pipe = try Pipe()
        var deadline: UInt64? = MonotonicClock.now()   // due already
        var fired = 0
        loop.addTimer(nextDeadline: { deadline }) { _ in fired += 1 }
        loop.registerDescriptor(pipe.read) { _ in pipe.drain(); deadline = nil }
        pipe.post()
        try loop.runOnce(maximumWait: 0)
        #expect(fired == 0)
    }

    @Test("a timer may remove another timer when it fires; hooks run every wake-up, in order, and may remove hooks")
    func timersAndHooksChangingThemselves() throws {
        let loop = EventLoop()
        var fired: [String] = []
        var second: EventLoop.Token?
        loop.addTimer(nextDeadline: { 0 }) { _ in
            fired.append("first")
            if let second { loop.unregister(second) }
        }
        second = loop.addTimer(nextDeadline: { 0 }) { _ in fired.append("second") }
        var hooks: [String] = []
        var hookB: EventLoop.Token?
        loop.addIterationHook {
            hooks.append("a")
            if hooks.count > 2, let hookB { loop.unregister(hookB) }
        }
        hookB = loop.addIterationHook { hooks.append("b") }
        try loop.runOnce(maximumWait: 0)
        #expect(fired == ["first"])
        #expect(hooks == ["a", "b"])
        try loop.runOnce(maximumWait: 0)
        #expect(fired == ["first", "first"])
        #expect(hooks == ["a", "b", "a"])   // b removed by a in this pass, before its turn
        try loop.runOnce(maximumWait: 0)
        #expect(hooks == ["a", "b", "a", "a"])
    }

    /// The loop walks timers and hooks by index while none is added or removed, and finds its
    /// place again by token when a call changed the lists: every remaining one is still asked
    /// or run exactly once per wake-up, in order, whatever a deadline query or hook changes.
    @Test("a deadline query or hook that removes or adds timers and hooks: the others are still asked and run once each, in order")
    func listsChangedByQueriesAndHooks() throws {
        let loop = EventLoop()
        var asked: [String] = []
        var timerB: EventLoop.Token?
        var timerD: EventLoop.Token?
        var changed = false
        let timerA = loop.addTimer(nextDeadline: {
            asked.append("A")
            if !changed {
                changed = true
                // In the first pass: remove the next timer, and add one (at the end: asked in this pass too).
                if let timerB { loop.unregister(timerB) }
                timerD = loop.addTimer(nextDeadline: { asked.append("D"); return nil }, fire: { _ in })
            }
            return nil
        }, fire: { _ in })
        timerB = loop.addTimer(nextDeadline: { asked.append("B"); return nil }, fire: { _ in })
        loop.addTimer(nextDeadline: {
            asked.append("C")
            return nil
        }, fire: { _ in })
        var ran: [String] = []
        var hookY: EventLoop.Token?
        loop.addIterationHook {
            ran.append("x")
            if let hookY, ran.count == 1 { loop.unregister(hookY) }   // removes the next one in the first pass
        }
        hookY = loop.addIterationHook { ran.append("y") }
        var addedW = false
        loop.addIterationHook {
            ran.append("z")
            if !addedW {
                addedW = true
                loop.addIterationHook { ran.append("w") }   // added at the end: runs in this pass too
            }
        }
        try loop.runOnce(maximumWait: 0)
        #expect(asked == ["A", "C", "D"])
        #expect(ran == ["x", "z", "w"])
        asked.removeAll()
        ran.removeAll()
        try loop.runOnce(maximumWait: 0)
        #expect(asked == ["A", "C", "D"])
        #expect(ran == ["x", "z", "w"])
        // A query that removes itself: the rest of the pass goes on.
        loop.unregister(timerA)
        if let timerD { loop.unregister(timerD) }
        var timerE: EventLoop.Token?
        timerE = loop.addTimer(nextDeadline: {
            asked.append("E")
            if let timerE { loop.unregister(timerE) }
            return nil
        }, fire: { _ in })
        loop.addTimer(nextDeadline: { asked.append("F"); return nil }, fire: { _ in })
        asked.removeAll()
        try loop.runOnce(maximumWait: 0)
        #expect(asked == ["C", "E", "F"])
        asked.removeAll()
        try loop.runOnce(maximumWait: 0)
        #expect(asked == ["C", "F"])
    }

    @Test("unregistering a token twice, or one that never existed, changes nothing")
    func unregisterUnknown() throws {
        let loop = EventLoop()
        let pipe = try Pipe()
        var calls = 0
        let token = loop.registerDescriptor(pipe.read) { _ in calls += 1; pipe.drain() }
        let hook = loop.addIterationHook {}
        loop.unregister(hook)
        loop.unregister(hook)
        pipe.post()
        try loop.runOnce(maximumWait: 0)
        #expect(calls == 1)
        loop.unregister(token)
        loop.unregister(token)
        pipe.post()
        try loop.runOnce(maximumWait: 0)
        #expect(calls == 1)
    }

    // MARK: epoll specifics

    @Test("many descriptors: only the ready ones are dispatched, in registration order")
    func manyDescriptors() throws {
        let loop = EventLoop()
        let pipes = try (0..<200).map { _ in try Pipe() }
        var calls: [Int] = []
        for (index, pipe) in pipes.enumerated() {
            loop.registerDescriptor(pipe.read) { _ in calls.append(index); pipe.drain() }
        }
        // Made ready in reverse order: dispatched in registration order all the same.
        for index in [150, 7, 199, 0] { pipes[index].post() }
        try loop.runOnce(maximumWait: 0)
        #expect(calls == [0, 7, 150, 199])
        try loop.runOnce(maximumWait: 0)
        #expect(calls.count == 4)
    }

    @Test("one descriptor registered twice calls both handlers; unregistering one keeps the other")
    func sameDescriptorTwice() throws {
        let loop = EventLoop()
        let pipe = try Pipe()
        var calls: [String] = []
        let first = loop.registerDescriptor(pipe.read) { _ in calls.append("first") }
        loop.registerDescriptor(pipe.read) { _ in calls.append("second"); pipe.drain() }
        pipe.post()
        try loop.runOnce(maximumWait: 0)
        #expect(calls == ["first", "second"])
        loop.unregister(first)
        pipe.post()
        try loop.runOnce(maximumWait: 0)
        #expect(calls == ["first", "second", "second"])
    }

    @Test("a descriptor epoll cannot watch (a regular file) is ready at every wake-up, as poll has it")
    func regularFileIsAlwaysReady() throws {
        let loop = EventLoop()
        let path = "/tmp/event-loop-test-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        defer { Glibc.close(fd); unlink(path) }
        var calls = 0
        let token = loop.registerDescriptor(fd) { events in if events.contains(.readable) { calls += 1 } }
        // No timeout given: a loop that waited for the file would hang here.
        try loop.runOnce()
        try loop.runOnce()
        #expect(calls == 2)
        loop.unregister(token)
        try loop.runOnce(maximumWait: 0)
        #expect(calls == 2)
    }

    @Test("a due timer fires in the pass that a ready descriptor woke; one certainly ahead does not")
    func timerDueWhileDescriptorsAreReady() throws {
        let loop = EventLoop()
        let pipe = try Pipe()
        var deadline: UInt64? = MonotonicClock.now() + 3_600_000_000_000   // an hour ahead
        var fired = 0
        var handled = 0
        loop.addTimer(nextDeadline: { deadline }) { _ in fired += 1; deadline = nil }
        loop.registerDescriptor(pipe.read) { _ in pipe.drain(); handled += 1 }
        pipe.post()
        try loop.runOnce(maximumWait: 0)
        #expect(handled == 1)
        #expect(fired == 0)
        // Due by the precise clock, inside the coarse clock's margin: the pass must read the
        // precise clock and fire, though the wait ended for a descriptor.
        deadline = MonotonicClock.now()
        pipe.post()
        try loop.runOnce(maximumWait: 0)
        #expect(handled == 2)
        #expect(fired == 1)
    }

    @Test("the coarse clock is never ahead: \"certainly before\" is never true for a deadline already passed")
    func coarseClock() {
        #expect(MonotonicClock.coarseResolution > 0)
        for _ in 0..<1000 {
            #expect(MonotonicClock.coarseNow() <= MonotonicClock.now())
            #expect(!MonotonicClock.certainlyBefore(MonotonicClock.now()))
        }
        #expect(MonotonicClock.certainlyBefore(MonotonicClock.now() + 3_600_000_000_000))
    }

    @Test("a timer deadline below a millisecond wakes the wait, never early")
    func timerPrecision() throws {
        let loop = EventLoop()
        let due = MonotonicClock.now() + 300_000   // 0.3 ms
        var firedAt: UInt64?
        loop.addTimer(nextDeadline: { firedAt == nil ? due : nil }) { now in firedAt = now }
        while firedAt == nil { try loop.runOnce() }
        #expect(firedAt! >= due)
    }
}
