import Glibc

/// CLOCK_MONOTONIC nanoseconds — the clock UMP timestamps are in (docs/design.md §3, "Clock").
public enum MonotonicClock {
    @inline(__always)
    public static func now() -> UInt64 { read(CLOCK_MONOTONIC) }

    /// CLOCK_MONOTONIC_COARSE: the same time base as `now()`, as of the last timer tick — never
    /// ahead of `now()`, usually less than two ticks behind it (up to 2.5 ticks measured on this
    /// project's 2-vCPU VM host, just after an idle sleep). It is read from the
    /// vDSO's data page without touching the clock source, so it costs no system call even
    /// where `now()` does (an HPET clock source, as in the TCG guest of `scripts/bench --vm`,
    /// has no vDSO path: every `now()` there is a system call and an emulated device read).
    /// Good only for "certainly not yet" tests; never for a timestamp.
    @inline(__always)
    public static func coarseNow() -> UInt64 { read(CLOCK_MONOTONIC_COARSE) }

    /// The coarse clock's step (the kernel's tick, 1–10 ms), asked once.
    public static let coarseResolution: UInt64 = {
        var ts = timespec()
        guard clock_getres(CLOCK_MONOTONIC_COARSE, &ts) == 0 else { return 10_000_000 }
        return nanoseconds(ts)
    }()

    /// Whether `deadline` is still ahead, by the coarse clock alone, with four ticks of margin
    /// for its lag. False means "maybe due": read `now()`. True is almost always right; a
    /// caller must stay correct when it is not (the event loop then fires one pass later).
    @inline(__always)
    public static func certainlyBefore(_ deadline: UInt64) -> Bool {
        coarseNow() &+ 4 &* coarseResolution < deadline
    }

    @inline(__always)
    private static func read(_ clock: clockid_t) -> UInt64 {
        var ts = timespec()
        clock_gettime(clock, &ts)
        return nanoseconds(ts)
    }

    @inline(__always)
    private static func nanoseconds(_ ts: timespec) -> UInt64 {
        UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
