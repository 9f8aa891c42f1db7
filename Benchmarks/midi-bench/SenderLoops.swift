import Glibc
import UMP

/// The sending loops. Message storage is allocated before the loop; each iteration writes
/// packets into it in place and hands it to the path, so the bench adds no allocation per
/// message.
enum SenderLoops {
    /// One message every `interval` ns, each stamped with its send time (CLOCK_MONOTONIC) as
    /// its UMP timestamp — a loopback leaves a non-zero timestamp unchanged, so the receiver
    /// can subtract. Paced slowly enough that nothing queues: this is latency, not throughput.
    static func latency(_ sender: BenchSender, path: BenchPath, count: Int, warmup: Int, interval: UInt64) throws(BenchError) -> SenderResult {
        let storage = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: 1)
        defer { storage.deallocate() }
        storage.initialize(repeating: TimestampedUMP(timestamp: 0, packet: UMPPacket(0)))
        let total = warmup + count
        let cpuStart = CPUTime.ownNanoseconds()
        let start = BenchClock.now()
        var deadline = start &+ interval
        var late = 0
        for index in 0..<total {
            BenchClock.sleep(until: deadline)
            let now = BenchClock.now()
            storage[0] = TimestampedUMP(timestamp: now, packet: SequenceCodec.packet(UInt32(truncatingIfNeeded: index)))
            try sender.send(UnsafeBufferPointer(storage))
            deadline &+= interval
            // Never send a burst to catch up after being descheduled: bursts queue.
            if now > deadline {
                late += 1
                deadline = now &+ interval
            }
        }
        let end = BenchClock.now()
        let cpu = CPUTime.ownNanoseconds() &- cpuStart
        try sender.finish()
        return SenderResult(path: path, mode: .latency, sent: total, startTime: start, endTime: end,
                            reportedLosses: sender.reportedLosses, windowWaits: 0, lateSends: late, cpuNanoseconds: cpu)
    }

    /// Back-to-back batches of `batch` 32-bit UMPs carrying consecutive sequence numbers, with
    /// at most `window` messages not yet taken by the receiver (0 = no limit).
    static func throughput(_ sender: BenchSender, path: BenchPath, total: Int, batch: Int, window: Int,
                           progress: ProgressCounter?) throws(BenchError) -> SenderResult {
        let storage = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: batch)
        defer { storage.deallocate() }
        storage.initialize(repeating: TimestampedUMP(timestamp: 0, packet: UMPPacket(0)))
        var sent = 0
        var waits = 0
        let cpuStart = CPUTime.ownNanoseconds()
        let start = BenchClock.now()
        while sent < total {
            let n = min(batch, total - sent)
            if window > 0, let progress {
                try waitForWindow(progress, sent: sent, adding: n, window: window, waits: &waits)
            }
            for i in 0..<n {
                // Timestamp 0 = "now", as an application sending live would; the service
                // stamps it on arrival.
                storage[i] = TimestampedUMP(timestamp: 0, packet: SequenceCodec.packet(UInt32(truncatingIfNeeded: sent + i)))
            }
            try sender.send(UnsafeBufferPointer(rebasing: storage[0..<n]))
            sent += n
        }
        let end = BenchClock.now()
        let cpu = CPUTime.ownNanoseconds() &- cpuStart
        try sender.finish()
        return SenderResult(path: path, mode: .throughput, sent: sent, startTime: start, endTime: end,
                            reportedLosses: sender.reportedLosses, windowWaits: waits, lateSends: 0, cpuNanoseconds: cpu)
    }

    /// Waits until sending `adding` more keeps the unacknowledged count within the window.
    /// A receiver that stops making progress for 5 s means messages were lost: give up.
    private static func waitForWindow(_ progress: ProgressCounter, sent: Int, adding: Int, window: Int,
                                      waits: inout Int) throws(BenchError) {
        var taken = progress.load()
        guard UInt64(sent + adding) > taken + UInt64(window) else { return }
        waits += 1
        var lastChange = BenchClock.now()
        while UInt64(sent + adding) > taken + UInt64(window) {
            BenchClock.sleep(nanoseconds: 20_000)
            let now = progress.load()
            if now != taken {
                taken = now
                lastChange = BenchClock.now()
            } else if BenchClock.now() - lastChange > 5_000_000_000 {
                throw .timeout("the receiver took \(taken) of \(sent) messages and made no progress for 5 s (messages lost?)")
            }
        }
    }
}
