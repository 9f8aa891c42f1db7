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
        var fileDescriptor: Int32
        var interest: Events
        var handler: DescriptorHandler
    }

    private struct Timer {
        var nextDeadline: () -> UInt64?
        var fire: (UInt64) -> Void
    }

    private var registrations: [Token: Registration] = [:]
    private var order: [Token] = []
    private var timers: [Token: Timer] = [:]
    private var iterationHooks: [Token: () -> Void] = [:]
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
        registrations[token] = Registration(fileDescriptor: fileDescriptor, interest: events, handler: handler)
        order.append(token)
        return token
    }

    /// Changes what a registration waits for (e.g. add `.writable` while a queue is backed up).
    public func setInterest(_ token: Token, _ events: Events) {
        registrations[token]?.interest = events
    }

    public func interest(of token: Token) -> Events? { registrations[token]?.interest }

    /// Removes a descriptor, timer or iteration hook. Safe from inside any handler.
    public func unregister(_ token: Token) {
        if registrations.removeValue(forKey: token) != nil { order.removeAll { $0 == token } }
        timers.removeValue(forKey: token)
        iterationHooks.removeValue(forKey: token)
    }

    /// A timer source: before each wait the loop asks `nextDeadline` (CLOCK_MONOTONIC ns, or
    /// nil for none); once that time has come, `fire(now)` runs. The scheduler uses this for its
    /// next due message; the config watcher for its settle delay.
    @discardableResult
    public func addTimer(nextDeadline: @escaping () -> UInt64?, fire: @escaping (UInt64) -> Void) -> Token {
        let token = makeToken()
        timers[token] = Timer(nextDeadline: nextDeadline, fire: fire)
        return token
    }

    /// Runs after every iteration's handlers (and timers): where per-client UMP batches are
    /// flushed, once per wake-up rather than once per message.
    @discardableResult
    public func addIterationHook(_ body: @escaping () -> Void) -> Token {
        let token = makeToken()
        iterationHooks[token] = body
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
        var pollSet: [pollfd] = []
        var tokens: [Token] = []
        while !stopRequested {
            try runOnce(pollSet: &pollSet, tokens: &tokens, maximumWait: nil)
        }
    }

    /// One iteration: wait (at most `maximumWait` ns, nil = until an event or deadline), dispatch,
    /// fire due timers, run iteration hooks. Exposed for tests.
    public func runOnce(maximumWait: UInt64? = nil) throws(SystemError) {
        var pollSet: [pollfd] = []
        var tokens: [Token] = []
        try runOnce(pollSet: &pollSet, tokens: &tokens, maximumWait: maximumWait)
    }

    private func runOnce(pollSet: inout [pollfd], tokens: inout [Token], maximumWait: UInt64?) throws(SystemError) {
        pollSet.removeAll(keepingCapacity: true)
        tokens.removeAll(keepingCapacity: true)
        for token in order {
            guard let registration = registrations[token] else { continue }
            var events: Int16 = 0
            if registration.interest.contains(.readable) { events |= Int16(POLLIN) }
            if registration.interest.contains(.writable) { events |= Int16(POLLOUT) }
            pollSet.append(pollfd(fd: registration.fileDescriptor, events: events, revents: 0))
            tokens.append(token)
        }

        let now = MonotonicClock.now()
        var wait = maximumWait
        for timer in timers.values {
            guard let deadline = timer.nextDeadline() else { continue }
            let delta = deadline > now ? deadline - now : 0
            wait = min(wait ?? delta, delta)
        }

        let ready = try PPoll.wait(&pollSet, timeoutNanoseconds: wait)
        if ready > 0 {
            for (index, entry) in pollSet.enumerated() where entry.revents != 0 {
                // A handler earlier in this pass may have unregistered this one.
                guard let registration = registrations[tokens[index]] else { continue }
                var events: Events = []
                if entry.revents & Int16(POLLIN) != 0 { events.insert(.readable) }
                if entry.revents & Int16(POLLOUT) != 0 { events.insert(.writable) }
                if entry.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { events.insert(.hangup) }
                registration.handler(events)
            }
        }

        let after = MonotonicClock.now()
        for (token, timer) in timers {
            guard timers[token] != nil, let deadline = timer.nextDeadline(), deadline <= after else { continue }
            timer.fire(after)
        }
        for (token, hook) in iterationHooks where iterationHooks[token] != nil {
            hook()
        }
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
