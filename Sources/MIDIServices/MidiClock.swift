import Glibc

/// The timestamp clock of MIDI Services: ticks are CLOCK_MONOTONIC nanoseconds (docs/design.md §3),
/// the same clock the daemon stamps received messages with. Timestamp 0 means "send now".
///
/// Mirrors the Windows `MidiClock` (whose tick is the QPC tick): `now`, the tick frequency,
/// conversions, and offsets.
public enum MidiClock {
    /// The "send immediately" timestamp (`TimestampConstantSendImmediately`).
    public static let timestampConstantSendImmediately: UInt64 = 0

    /// Ticks per second: 1 000 000 000.
    public static let timestampFrequency: UInt64 = 1_000_000_000

    /// The current CLOCK_MONOTONIC time in nanoseconds.
    @inlinable
    public static var now: UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    // MARK: Ticks → units

    @inlinable public static func convertTimestampTicksToNanoseconds(_ ticks: UInt64) -> UInt64 { ticks }
    @inlinable public static func convertTimestampTicksToMicroseconds(_ ticks: UInt64) -> Double { Double(ticks) / 1_000 }
    @inlinable public static func convertTimestampTicksToMilliseconds(_ ticks: UInt64) -> Double { Double(ticks) / 1_000_000 }
    @inlinable public static func convertTimestampTicksToSeconds(_ ticks: UInt64) -> Double { Double(ticks) / 1_000_000_000 }

    // MARK: Units → ticks

    @inlinable public static func convertNanosecondsToTimestampTicks(_ nanoseconds: UInt64) -> UInt64 { nanoseconds }
    @inlinable public static func convertMicrosecondsToTimestampTicks(_ microseconds: UInt64) -> UInt64 { microseconds &* 1_000 }
    @inlinable public static func convertMillisecondsToTimestampTicks(_ milliseconds: UInt64) -> UInt64 { milliseconds &* 1_000_000 }
    @inlinable public static func convertSecondsToTimestampTicks(_ seconds: Double) -> UInt64 {
        seconds <= 0 ? 0 : UInt64(seconds * 1_000_000_000)
    }

    // MARK: Offsets

    /// `timestamp` moved by a signed number of ticks, clamped at 0 and at the maximum.
    @inlinable
    public static func offsetTimestamp(_ timestamp: UInt64, byTicks ticks: Int64) -> UInt64 {
        if ticks >= 0 {
            let (sum, overflow) = timestamp.addingReportingOverflow(UInt64(ticks))
            return overflow ? .max : sum
        }
        let magnitude = ticks.magnitude
        return timestamp > magnitude ? timestamp - magnitude : 0
    }

    @inlinable public static func offsetTimestamp(_ timestamp: UInt64, byMicroseconds microseconds: Int64) -> UInt64 {
        offsetTimestamp(timestamp, byTicks: microseconds.multipliedReportingOverflow(by: 1_000).partialValue)
    }

    @inlinable public static func offsetTimestamp(_ timestamp: UInt64, byMilliseconds milliseconds: Int64) -> UInt64 {
        offsetTimestamp(timestamp, byTicks: milliseconds.multipliedReportingOverflow(by: 1_000_000).partialValue)
    }

    @inlinable public static func offsetTimestamp(_ timestamp: UInt64, bySeconds seconds: Double) -> UInt64 {
        offsetTimestamp(timestamp, byTicks: Int64(seconds * 1_000_000_000))
    }

    /// `now` plus `milliseconds` — a timestamp for scheduling a message in the future.
    @inlinable public static func offsetFromNow(milliseconds: Int64) -> UInt64 {
        offsetTimestamp(now, byMilliseconds: milliseconds)
    }

    @inlinable public static func offsetFromNow(microseconds: Int64) -> UInt64 {
        offsetTimestamp(now, byMicroseconds: microseconds)
    }
}
