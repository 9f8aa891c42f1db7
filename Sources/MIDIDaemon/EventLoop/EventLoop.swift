import CLinux
import Glibc
import POSIX
import Synchronization

/// The daemon's single-threaded event loop: `epoll` over registered descriptors, with a
/// nanosecond timeout taken from the earliest deadline any timer source reports.
///
/// Why epoll rather than `ppoll`: `ppoll` registers a wait-queue entry on every descriptor at
/// every wait and removes them all afterwards — per wake-up work proportional to the number of
/// descriptors (listener, signal pipe, config watcher, every client, two per ALSA bridge
/// client…), each entry taking and releasing a spinlock with interrupts saved, which is costly
/// in a VM. epoll keeps the registrations in the kernel: a wake-up costs the same with 5 or 200
/// descriptors (docs/performance.md).
///
/// Everything the daemon does runs on the thread that calls `run()`: no locks, no actor hops on
/// the message path. Other subsystems (the ALSA bridge, the udev monitor) plug in with
/// `registerDescriptor` and `addTimer`, and do their work in the handlers.
public final class EventLoop {
    /// What a descriptor handler is interested in / was woken for.
    public struct Events: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let readable = Events(rawValue: 1)
        public static let writable = Events(rawValue: 2)
        /// Reported (never requested): POLLHUP / POLLERR / POLLNVAL. The handler should read to
        /// find out (a read returns end of stream or the error) and unregister.
        public static let hangup = Events(rawValue: 4)
    }

    public typealias DescriptorHandler = (Events) -> Void

    /// Identifies one registration; unregister with it.
    public struct Token: Hashable, Sendable {
        let value: Int
    }

    private struct Registration {
        let token: Token
        let fileDescriptor: Int32
        /// What epoll knows it by: `fileDescriptor`, or a duplicate of it when that descriptor
        /// was already registered (epoll takes each open descriptor once); -1 when epoll
        /// refused it (e.g. a regular file): then it counts as always ready, as `poll` has it.
        let epollDescriptor: Int32
        var interest: Events
        let handler: DescriptorHandler
    }

    private struct Timer {
        let token: Token
        let nextDeadline: () -> UInt64?
        let fire: (UInt64) -> Void
        /// What `nextDeadline` said before this wake-up's wait.
        var deadline: UInt64?
    }

    private struct Hook {
        let token: Token
        let body: () -> Void
    }

    // Per wake-up work is kept small (docs/performance.md, "latency"): the poll set is not
    // rebuilt but kept in step with the registrations; registrations, timers and hooks live in
    // arrays in token order (tokens only grow and entries are appended), so a token is found by
    // binary search instead of hashing; each timer's deadline is asked once per wake-up, and the
    // clock is read only when some timer has one.

    // Exclusivity: every wake-up reads and writes the stored properties below, and each access
    // to a class's stored property is checked at run time in release builds
    // (`swift_beginAccess`: in a callgrind count of the daemon forwarding a paced stream the
    // checks were a quarter of its instructions — docs/performance.md). They are
    // `@exclusivity(unchecked)`: the loop runs on one thread, and no access to them is held
    // across a call out — a handler, timer or hook is copied out of its array and then called,
    // so it may register and unregister freely. A new access that calls out while holding one
    // of them must not be added without removing the attribute.

    /// In registration (token) order.
    @exclusivity(unchecked) private var registrations: [Registration] = []
    private let epollFD: Int32
    /// errno of `epoll_create1` when it failed (then `runOnce` throws it).
    private let epollCreationError: Int32
    /// Filled by `epoll_wait`; reused. A wake-up with more ready descriptors than this takes
    /// the rest at the next one (epoll rotates its ready list, so none starves).
    @exclusivity(unchecked) private var epollEvents: [epoll_event]
    /// Registrations epoll refused: reported ready for their interest on every wake-up.
    @exclusivity(unchecked) private var alwaysReady = 0
    @exclusivity(unchecked) private var timers: [Timer] = []
    @exclusivity(unchecked) private var hooks: [Hook] = []
    /// The ready descriptors of one wake-up, in token order, taken before any handler runs (a
    /// handler may unregister descriptors). Reused: no allocation.
    @exclusivity(unchecked) private var ready: [(token: Token, events: Events)] = []
    @exclusivity(unchecked) private var nextToken = 0
    /// Bumped whenever a timer or hook is added or removed: while it is unchanged after a call,
    /// the next timer (hook) is simply the next index; otherwise it is found again by token.
    @exclusivity(unchecked) private var timersAndHooksVersion = 0
    @exclusivity(unchecked) private var stopRequested = false

    public init() {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        epollCreationError = epollFD < 0 ? errno : 0
        epollEvents = Array(repeating: epoll_event(), count: 64)
    }

    deinit {
        for registration in registrations where registration.epollDescriptor != registration.fileDescriptor
            && registration.epollDescriptor >= 0 {
            Glibc.close(registration.epollDescriptor)
        }
        if epollFD >= 0 { Glibc.close(epollFD) }
    }

    // MARK: Registration

    /// Calls `handler` on this loop's thread whenever `fileDescriptor` is ready for `events`.
    /// The loop does not own the descriptor: unregister before closing it.
    @discardableResult
    public func registerDescriptor(_ fileDescriptor: Int32, events: Events = .readable,
                                   handler: @escaping DescriptorHandler) -> Token {
        let token = makeToken()
        let watched = addToEpoll(fileDescriptor, events, token)
        if watched < 0 { alwaysReady += 1 }
        registrations.append(Registration(token: token, fileDescriptor: fileDescriptor, epollDescriptor: watched,
                                          interest: events, handler: handler))
        return token
    }

    /// Adds `fd` to the epoll set; returns the descriptor epoll watches (a duplicate if `fd` is
    /// already there), or -1 if epoll cannot watch it.
    private func addToEpoll(_ fd: Int32, _ events: Events, _ token: Token) -> Int32 {
        var event = epoll_event()
        event.events = Self.epollMask(events)
        event.data.u64 = UInt64(token.value)
        if epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 { return fd }
        guard errno == EEXIST else { return -1 }
        let duplicate = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard duplicate >= 0 else { return -1 }
        if epoll_ctl(epollFD, EPOLL_CTL_ADD, duplicate, &event) == 0 { return duplicate }
        Glibc.close(duplicate)
        return -1
    }

    /// Changes what a registration waits for (e.g. add `.writable` while a queue is backed up).
    public func setInterest(_ token: Token, _ events: Events) {
        guard let index = Self.index(of: token, in: registrations, { $0.token }),
              registrations[index].interest != events else { return }
        registrations[index].interest = events
        let watched = registrations[index].epollDescriptor
        guard watched >= 0 else { return }
        var event = epoll_event()
        event.events = Self.epollMask(events)
        event.data.u64 = UInt64(token.value)
        _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, watched, &event)
    }

    public func interest(of token: Token) -> Events? {
        Self.index(of: token, in: registrations, { $0.token }).map { registrations[$0].interest }
    }

    /// Removes a descriptor, timer or iteration hook. Safe from inside any handler.
    public func unregister(_ token: Token) {
        if let index = Self.index(of: token, in: registrations, { $0.token }) {
            let removed = registrations.remove(at: index)
            if removed.epollDescriptor < 0 {
                alwaysReady -= 1
            } else {
                var unused = epoll_event()   // kernels before 2.6.9 wanted one even for DEL
                _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, removed.epollDescriptor, &unused)
                if removed.epollDescriptor != removed.fileDescriptor { Glibc.close(removed.epollDescriptor) }
            }
        }
        if let index = Self.index(of: token, in: timers, { $0.token }) {
            timers.remove(at: index)
            timersAndHooksVersion &+= 1
        }
        if let index = Self.index(of: token, in: hooks, { $0.token }) {
            hooks.remove(at: index)
            timersAndHooksVersion &+= 1
        }
    }

    /// A timer source: before each wait the loop asks `nextDeadline` (CLOCK_MONOTONIC ns, or
    /// nil for none); once that time has come, `fire(now)` runs. The scheduler uses this for its
    /// next due message; the config watcher for its settle delay. `nextDeadline` is asked once
    /// per wake-up before the wait (and again just before firing, so a deadline that moved later
    /// or went away meanwhile does not fire); a deadline that a handler moves earlier is seen at
    /// the next wake-up, which then does not wait.
    @discardableResult
    public func addTimer(nextDeadline: @escaping () -> UInt64?, fire: @escaping (UInt64) -> Void) -> Token {
        let token = makeToken()
        timers.append(Timer(token: token, nextDeadline: nextDeadline, fire: fire))
        timersAndHooksVersion &+= 1
        return token
    }

    /// Runs after every iteration's handlers (and timers): where per-client UMP batches are
    /// flushed, once per wake-up rather than once per message.
    @discardableResult
    public func addIterationHook(_ body: @escaping () -> Void) -> Token {
        let token = makeToken()
        hooks.append(Hook(token: token, body: body))
        timersAndHooksVersion &+= 1
        return token
    }

    private func makeToken() -> Token {
        nextToken += 1
        return Token(value: nextToken)
    }

    // MARK: Running

    /// Makes `run()` return after the current iteration.
    public func stop() { stopRequested = true }

    public var isStopping: Bool { stopRequested }

    /// Runs until `stop()`. Throws only if waiting itself fails with something other than EINTR.
    public func run() throws(SystemError) {
        stopRequested = false
        while !stopRequested {
            try runOnce(maximumWait: nil)
        }
    }

    /// One iteration: wait (at most `maximumWait` ns, nil = until an event or deadline), dispatch,
    /// fire due timers, run iteration hooks. Exposed for tests.
    public func runOnce(maximumWait: UInt64? = nil) throws(SystemError) {
        guard epollFD >= 0 else { throw SystemError(operation: "epoll_create1", errno: Errno(epollCreationError)) }
        var earliest: UInt64?
        var index = 0
        // Per wake-up: only the query closure is copied out (not the whole entry, which would
        // retain both closures), and the next entry is the next index unless a query added or
        // removed timers or hooks (then it is found again by token).
        while index < timers.count {   // re-checked each time: nothing stops a query from unregistering
            let token = timers[index].token
            let query = timers[index].nextDeadline
            let version = timersAndHooksVersion
            let deadline = query()
            if version == timersAndHooksVersion {
                timers[index].deadline = deadline
                index += 1
            } else {
                if let current = Self.index(of: token, in: timers, { $0.token }) { timers[current].deadline = deadline }
                index = Self.index(after: token, in: timers, { $0.token })
            }
            if let deadline { earliest = min(earliest ?? deadline, deadline) }
        }
        var wait = maximumWait
        var dueBeforeWait = false
        if let earliest {
            let now = MonotonicClock.now()
            let delta = earliest > now ? earliest - now : 0
            dueBeforeWait = delta == 0
            wait = min(wait ?? delta, delta)
        }

        if alwaysReady > 0 { wait = 0 }
        let count = try EpollWait.wait(epollFD, &epollEvents, timeoutNanoseconds: wait)
        if count > 0 || alwaysReady > 0 {
            ready.removeAll(keepingCapacity: true)
            var index = 0
            while index < count {
                let event = epollEvents[index]
                ready.append((Token(value: Int(truncatingIfNeeded: event.data.u64)), Self.events(event.events)))
                index += 1
            }
            if alwaysReady > 0 {
                for registration in registrations where registration.epollDescriptor < 0 && !registration.interest.isEmpty {
                    ready.append((registration.token, registration.interest))
                }
            }
            // Registration order, as callers may rely on (and as `poll` gave it): epoll lists
            // descriptors in the order they became ready. Few are ready at once: insertion sort.
            if ready.count > 1 {
                var i = 1
                while i < ready.count {
                    let item = ready[i]
                    var j = i - 1
                    while j >= 0 && ready[j].token.value > item.token.value {
                        ready[j + 1] = ready[j]
                        j -= 1
                    }
                    ready[j + 1] = item
                    i += 1
                }
            }
            // By index, not `for … in`: an unoptimised build allocates for the iterator.
            var position = 0
            while position < ready.count {
                let (token, events) = ready[position]
                position += 1
                // A handler earlier in this pass may have unregistered this one.
                guard let index = Self.index(of: token, in: registrations, { $0.token }) else { continue }
                registrations[index].handler(events)
            }
        }

        // Firing needs the time after the wait — but not a precise reading when the wait ended
        // because descriptors were ready and the earliest deadline is certainly still ahead by
        // the coarse clock (no system call): then nothing can be due, and this reading would sit
        // between a handler's work and the hooks that flush it, on every wake-up while any
        // deadline is pending (e.g. the ALSA bridge's 500 ms settle after a client appears;
        // docs/performance.md, issue 17). Should the coarse clock lag more than its margin, a
        // due timer fires at the next pass instead: the reading before that wait is precise,
        // finds it due (`dueBeforeWait`), makes the wait zero, and that pass fires it.
        if let earliest, count == 0 || dueBeforeWait || !MonotonicClock.certainlyBefore(earliest) {
            let after = MonotonicClock.now()
            if earliest <= after {
                // By token, not by index: a timer may add or remove timers when it fires.
                index = 0
                while index < timers.count {
                    let timer = timers[index]
                    if let deadline = timer.deadline, deadline <= after,
                       let current = timer.nextDeadline(), current <= after {
                        timer.fire(after)
                    }
                    index = Self.index(after: timer.token, in: timers, { $0.token })
                }
            }
        }
        index = 0
        while index < hooks.count {
            let token = hooks[index].token
            let body = hooks[index].body
            let version = timersAndHooksVersion
            body()
            index = version == timersAndHooksVersion ? index + 1 : Self.index(after: token, in: hooks, { $0.token })
        }
    }

    // MARK: Helpers

    /// Level-triggered, like `poll`: a descriptor still readable after its handler ran is
    /// reported again at the next wake-up. EPOLLHUP/EPOLLERR are always reported.
    private static func epollMask(_ interest: Events) -> UInt32 {
        var events: UInt32 = 0
        if interest.contains(.readable) { events |= EPOLLIN.rawValue }
        if interest.contains(.writable) { events |= EPOLLOUT.rawValue }
        return events
    }

    private static func events(_ reported: UInt32) -> Events {
        var events: Events = []
        if reported & EPOLLIN.rawValue != 0 { events.insert(.readable) }
        if reported & EPOLLOUT.rawValue != 0 { events.insert(.writable) }
        if reported & (EPOLLHUP.rawValue | EPOLLERR.rawValue | EPOLLRDHUP.rawValue) != 0 { events.insert(.hangup) }
        return events
    }

    /// The first index whose token is greater than `token` (`count` if none), in an array
    /// ordered by token.
    @inline(__always)
    private static func index<Element>(after token: Token, in array: [Element],
                                       _ key: (Element) -> Token) -> Int {
        var low = 0, high = array.count
        while low < high {
            let middle = (low + high) / 2
            if key(array[middle]).value <= token.value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The index of `token` in an array ordered by token, if it is there.
    @inline(__always)
    private static func index<Element>(of token: Token, in array: [Element],
                                       _ key: (Element) -> Token) -> Int? {
        let next = index(after: token, in: array, key)
        return next > 0 && key(array[next - 1]) == token ? next - 1 : nil
    }
}

/// `epoll_pwait2(2)` for a nanosecond timeout (plain `epoll_wait` takes milliseconds, too
/// coarse for a scheduler). glibc 2.35+ has it, kernels 5.11+ implement it; it is looked up by
/// name, and without it (or on ENOSYS) `epoll_wait` is used with the timeout rounded up, so a
/// deadline is never woken early.
enum EpollWait {
    typealias Function = @convention(c) (Int32, UnsafeMutablePointer<epoll_event>?, Int32, UnsafePointer<timespec>?,
                                         UnsafeRawPointer?) -> Int32

    static let pwait2: Function? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "epoll_pwait2") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()

    /// Cleared the first time the kernel answers ENOSYS (glibc newer than the kernel).
    static let pwait2Works = Atomic<Bool>(true)

    static func wait(_ epollFD: Int32, _ events: inout [epoll_event], timeoutNanoseconds: UInt64?) throws(SystemError) -> Int {
        let result: Int32 = events.withUnsafeMutableBufferPointer { buffer in
            let capacity = Int32(buffer.count)
            if let pwait2, pwait2Works.load(ordering: .relaxed) {
                let status: Int32
                if let ns = timeoutNanoseconds {
                    var timeout = timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
                    status = pwait2(epollFD, buffer.baseAddress, capacity, &timeout, nil)
                } else {
                    status = pwait2(epollFD, buffer.baseAddress, capacity, nil, nil)
                }
                if status >= 0 || errno != ENOSYS { return status }
                pwait2Works.store(false, ordering: .relaxed)
            }
            let ms = timeoutNanoseconds.map { Int32(clamping: ($0 + 999_999) / 1_000_000) } ?? -1
            return epoll_wait(epollFD, buffer.baseAddress, capacity, ms)
        }
        if result >= 0 { return Int(result) }
        let error = SystemError.current("epoll_wait")
        if error.errno == .interrupted { return 0 }   // a signal: its self-pipe is readable next pass
        throw error
    }
}
