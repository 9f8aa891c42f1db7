import UMP

/// Receiving side of a latency run: for every message past the warm-up, arrival − the send
/// time the sender put in its timestamp, both CLOCK_MONOTONIC.
final class LatencySink: MessageSink {
    let warmup: Int
    let expected: Int
    private(set) var checker = SequenceChecker()
    let samples: SampleBuffer
    /// Timestamps that were 0 or later than the arrival: the path rewrote them, so the sample
    /// would be meaningless (not recorded, reported).
    private(set) var badTimestamps = 0
    init(warmup: Int, count: Int) {
        self.warmup = warmup
        expected = warmup + count
        samples = SampleBuffer(capacity: count)
    }

    @inline(__always)
    func take(_ message: TimestampedUMP, arrival: @autoclosure () -> UInt64) {
        let arrival = arrival()
        checker.observe(message.packet)
        guard let sequence = SequenceCodec.sequence(of: message.packet) else { return }
        guard Int(sequence) >= warmup else { return }
        guard message.timestamp != 0, message.timestamp <= arrival else {
            badTimestamps &+= 1
            return
        }
        samples.record(arrival &- message.timestamp)
    }

    var isDone: Bool { checker.position >= expected }
    var expectedMessageCount: Int? { expected }
}

/// Receiving side of a throughput run: checks continuity, publishes progress for the sender's
/// window, and times the measured part (everything after the warm-up).
final class ThroughputSink: MessageSink {
    let expected: Int
    let warmup: Int
    private(set) var checker = SequenceChecker()
    let progress: ProgressCounter?
    /// Arrival of message number `warmup` (the start of the measured interval).
    private(set) var measureStart: UInt64 = 0
    /// Arrival of the message that completed the stream (0 if it never completed).
    private(set) var lastArrival: UInt64 = 0

    init(total: Int, warmup: Int, progress: ProgressCounter?) {
        expected = total
        self.warmup = warmup
        self.progress = progress
    }

    @inline(__always)
    func take(_ message: TimestampedUMP, arrival: @autoclosure () -> UInt64) {
        checker.observe(message.packet)
        let received = checker.received
        progress?.store(UInt64(received))
        if received == warmup + 1 { measureStart = arrival() }
        if lastArrival == 0 && checker.position >= expected { lastArrival = arrival() }
    }

    var isDone: Bool { checker.position >= expected }
    var expectedMessageCount: Int? { expected }

    /// Messages counted in the measured interval (after the first measured one arrived).
    var measuredMessages: Int { max(0, checker.received - warmup - 1) }
}
