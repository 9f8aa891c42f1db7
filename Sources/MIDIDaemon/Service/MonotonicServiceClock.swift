import ServiceCore

/// ServiceCore's clock for the real daemon: CLOCK_MONOTONIC nanoseconds.
struct MonotonicServiceClock: ServiceClock {
    func now() -> UInt64 { MonotonicClock.now() }
}
