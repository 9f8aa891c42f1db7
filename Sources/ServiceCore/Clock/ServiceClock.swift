/// The service's source of time: CLOCK_MONOTONIC nanoseconds, the unit of every UMP timestamp
/// in the system (docs/design.md §3 "Clock"). Injected so that ServiceCore stays platform-free and
/// tests can drive time by hand; the daemon supplies one backed by `clock_gettime`.
public protocol ServiceClock {
    /// Current CLOCK_MONOTONIC time in nanoseconds. Never 0 in practice (0 means "now" in a
    /// timestamp), and never decreasing.
    func now() -> UInt64
}

/// A clock that only moves when told to. For tests, and for daemon tests that need a service
/// with reproducible timestamps.
public final class ManualServiceClock: ServiceClock {
    /// The time `now()` returns.
    public var time: UInt64

    /// Starts at one second, not zero: a timestamp of 0 means "send now" to the service.
    public init(time: UInt64 = 1_000_000_000) { self.time = time }

    public func now() -> UInt64 { time }

    /// Moves the clock forward by `nanoseconds`.
    public func advance(by nanoseconds: UInt64) { time &+= nanoseconds }
}
