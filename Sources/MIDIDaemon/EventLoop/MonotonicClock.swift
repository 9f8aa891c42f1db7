import Glibc

/// CLOCK_MONOTONIC nanoseconds — the clock UMP timestamps are in (docs/design.md §3, "Clock").
public enum MonotonicClock {
    @inline(__always)
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
