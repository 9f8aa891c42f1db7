import Glibc
import IPC

/// The daemon's single-threaded event loop: `ppoll` over registered descriptors, with a
/// nanosecond timeout taken from the earliest deadline any timer source reports.
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

    /// In registration order; `pollSet[i]` is `registrations[i]`'s descriptor and interest.
    private var registrations: [Registration] = []
    private var pollSet: [pollfd] = []
    private var timers: [Timer] = []
    private var hooks: [Hook] = []
    /// The ready descriptors of one wake-up, taken out of `pollSet` before any handler runs (a
    /// handler may unregister descriptors, which shifts `pollSet`). Reused: no allocation.
    private var ready: [(token: Token, events: Events)] = []
    private var nextToken = 0
    private var stopRequested = false

    public init() {}

    // MARK: Registration

    /// Calls `handler` on this loop's thread whenever `fileDescriptor` is ready for `events`.
    /// The loop does not own the descriptor: unregister before closing it.
    @discardableResult
    public func registerDescriptor(_ fileDescriptor: Int32, events: Events = .readable,
                                   handler: @escaping DescriptorHandler) -> Token {
        let token = makeToken()
        registrations.append(Registration(token: token, fileDescriptor: fileDescriptor, interest: events, handler: handler))
        pollSet.append(pollfd(fd: fileDescriptor, events: Self.pollEvents(events), revents: 0))
        return token
    }

    /// Changes what a registration waits for (e.g. add `.writable` while a queue is backed up).
    public func setInterest(_ token: Token, _ events: Events) {
        guard let index = Self.index(of: token, in: registrations, { $0.token }),
              registrations[index].interest != events else { return }
        registrations[index].interest = events
        pollSet[index].events = Self.pollEvents(events)
    }

    public func interest(of token: Token) -> Events? {
        Self.index(of: token, in: registrations, { $0.token }).map { registrations[$0].interest }
    }

    /// Removes a descriptor, timer or iteration hook. Safe from inside any handler.
    public func unregister(_ token: Token) {
        if let index = Self.index(of: token, in: registrations, { $0.token }) {
            registrations.remove(at: index)
            pollSet.remove(at: index)
        }
        if let index = Self.index(of: token, in: timers, { $0.token }) { timers.remove(at: index) }
        if let index = Self.index(of: token, in: hooks, { $0.token }) { hooks.remove(at: index) }
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
        return token
    }

    /// Runs after every iteration's handlers (and timers): where per-client UMP batches are
    /// flushed, once per wake-up rather than once per message.
    @discardableResult
    public func addIterationHook(_ body: @escaping () -> Void) -> Token {
        let token = makeToken()
        hooks.append(Hook(token: token, body: body))
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

    /// Runs until `stop()`. Throws only if `ppoll` itself fails with something other than EINTR.
    public func run() throws(SystemError) {
        stopRequested = false
        while !stopRequested {
            try runOnce(maximumWait: nil)
        }
    }

    /// One iteration: wait (at most `maximumWait` ns, nil = until an event or deadline), dispatch,
    /// fire due timers, run iteration hooks. Exposed for tests.
    public func runOnce(maximumWait: UInt64? = nil) throws(SystemError) {
        var earliest: UInt64?
        var index = 0
        while index < timers.count {   // re-checked each time: nothing stops a query from unregistering
            let timer = timers[index]
            let deadline = timer.nextDeadline()
            if let current = Self.index(of: timer.token, in: timers, { $0.token }) { timers[current].deadline = deadline }
            if let deadline { earliest = min(earliest ?? deadline, deadline) }
            index = Self.index(after: timer.token, in: timers, { $0.token })
        }
        var wait = maximumWait
        if let earliest {
            let now = MonotonicClock.now()
            let delta = earliest > now ? earliest - now : 0
            wait = min(wait ?? delta, delta)
        }

        if try PPoll.wait(&pollSet, timeoutNanoseconds: wait) > 0 {
            ready.removeAll(keepingCapacity: true)
            for index in pollSet.indices where pollSet[index].revents != 0 {
                ready.append((registrations[index].token, Self.events(pollSet[index].revents)))
            }
            for (token, events) in ready {
                // A handler earlier in this pass may have unregistered this one.
                guard let index = Self.index(of: token, in: registrations, { $0.token }) else { continue }
                registrations[index].handler(events)
            }
        }

        if let earliest {
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
            let hook = hooks[index]
            hook.body()
            index = Self.index(after: hook.token, in: hooks, { $0.token })
        }
    }

    // MARK: Helpers

    private static func pollEvents(_ interest: Events) -> Int16 {
        var events: Int16 = 0
        if interest.contains(.readable) { events |= Int16(POLLIN) }
        if interest.contains(.writable) { events |= Int16(POLLOUT) }
        return events
    }

    private static func events(_ revents: Int16) -> Events {
        var events: Events = []
        if revents & Int16(POLLIN) != 0 { events.insert(.readable) }
        if revents & Int16(POLLOUT) != 0 { events.insert(.writable) }
        if revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { events.insert(.hangup) }
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

/// `ppoll(2)` for a nanosecond timeout (plain `poll` rounds to milliseconds, too coarse for a
/// scheduler). Glibc declares it only under `_GNU_SOURCE`, so it is looked up by name.
enum PPoll {
    typealias Function = @convention(c) (UnsafeMutablePointer<pollfd>?, nfds_t, UnsafePointer<timespec>?, UnsafeRawPointer?) -> Int32

    static let function: Function? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "ppoll") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()

    static func wait(_ set: inout [pollfd], timeoutNanoseconds: UInt64?) throws(SystemError) -> Int32 {
        while true {
            let result: Int32 = set.withUnsafeMutableBufferPointer { buffer in
                if let ppoll = function {
                    if let ns = timeoutNanoseconds {
                        var timeout = timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
                        return ppoll(buffer.baseAddress, nfds_t(buffer.count), &timeout, nil)
                    }
                    return ppoll(buffer.baseAddress, nfds_t(buffer.count), nil, nil)
                }
                // Fallback: millisecond poll, rounding up so a deadline is never woken early.
                let ms = timeoutNanoseconds.map { Int32(clamping: ($0 + 999_999) / 1_000_000) } ?? -1
                return Glibc.poll(buffer.baseAddress, nfds_t(buffer.count), ms)
            }
            if result >= 0 { return result }
            let error = SystemError.current("ppoll")
            if error.errno == EINTR { return 0 }   // a signal: its self-pipe is readable next pass
            throw error
        }
    }
}
