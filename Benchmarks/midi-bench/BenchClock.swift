import Glibc

/// CLOCK_MONOTONIC nanoseconds — the clock UMP timestamps are in (docs/design.md §3), so a sender's
/// stamp and a receiver's arrival time in another process are directly comparable.
enum BenchClock {
    @inline(__always)
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// Sleeps until the absolute CLOCK_MONOTONIC time `deadline` (pacing without drift: each
    /// slot is computed from the start, not from when the previous sleep ended).
    static func sleep(until deadline: UInt64) {
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }

    /// Sleeps for a relative number of nanoseconds.
    static func sleep(nanoseconds: UInt64) {
        sleep(until: now() &+ nanoseconds)
    }
}
