import ALSASequencer
import Glibc

/// What one ALSA run measured (`midi-bench alsa-latency` / `alsa-throughput` print it as JSON).
struct ALSARunResult: Codable, Sendable {
    var route: String
    var mode: BenchMode
    var sent: Int
    /// Events the kernel refused to the sender because a receiver's FIFO was full (the
    /// ALSASequencer wrapper drops and counts them rather than block).
    var senderDropped: UInt64
    /// Times the kernel told the receiver its FIFO had overflowed.
    var receiverOverruns: UInt64
    /// Latency runs: sends that started more than one interval late.
    var lateSends: Int
    /// What arrived; its CPU is this process's (both clients).
    var arrivals: Arrivals
}

/// The ALSA runs' loops. One thread drives both clients: the events cross another process (the
/// daemon) or the kernel (Midi Through) in between either way, and the side table of send times
/// is then an ordinary buffer, read and written by one thread only.
///
/// - Latency: one event in flight at a time, paced on absolute CLOCK_MONOTONIC deadlines; its
///   send time stays here (ALSA direct events carry no usable timestamp through the bridge, which
///   stamps arrival time itself) and the receiver takes arrival − send time for the event whose
///   sequence number it reads back.
/// - Throughput: batches of events, at most `window` unreceived, every event's sequence number
///   checked — nothing may be lost or reordered. The window stays below the smallest FIFO on
///   the way (the bridge's clients take 1,000 events, this receiver 2,000), because the kernel
///   refuses an event a full FIFO cannot take (counted in `senderDropped`).
///
/// Nothing is allocated per event: `SequencerEvent.noteOn` holds no heap storage, samples go
/// into a buffer allocated before the loop.
enum ALSALoops {
    static func latency(_ ends: ALSAEnds, route: String, count: Int, warmup: Int, interval: UInt64,
                        timeoutMilliseconds: Int32, samples: SampleBuffer) throws(BenchError) -> ALSARunResult {
        try ends.discardInput()
        var checker = SequenceChecker()
        var late = 0
        let total = warmup + count
        let cpuStart = CPUTime.ownNanoseconds()
        var deadline = BenchClock.now() &+ interval
        for index in 0..<total {
            BenchClock.sleep(until: deadline)
            let sentAt = BenchClock.now()
            let sequence = UInt32(truncatingIfNeeded: index) & SequenceCodec.mask
            try ends.send(sequence)
            ends.flush()
            var arrived = false
            while !arrived {
                let left = Int64(timeoutMilliseconds) - Int64((BenchClock.now() &- sentAt) / 1_000_000)
                guard left > 0, try ends.waitForInput(timeoutMilliseconds: Int32(left)) else { break }   // lost: counted below
                while let received = try ends.next() {
                    let arrival = BenchClock.now()
                    guard let low = ALSASequenceCodec.low(of: received.event) else {
                        if !received.event.isSubscriptionNotice { checker.observeForeign() }
                        continue
                    }
                    let got = ALSASequenceCodec.widen(low, near: checker.expected)
                    checker.observe(sequence: got)
                    if got == sequence {
                        arrived = true
                        if index >= warmup { samples.record(arrival &- sentAt) }
                    }
                }
            }
            deadline &+= interval
            let now = BenchClock.now()
            // Never burst to catch up after a slow event or being descheduled.
            if now > deadline {
                late += 1
                deadline = now &+ interval
            }
        }
        return ALSARunResult(route: route, mode: .latency, sent: total,
                             senderDropped: ends.sender.droppedOutputEvents, receiverOverruns: ends.receiver.inputOverruns,
                             lateSends: late,
                             arrivals: Arrivals(checker, sent: total, latency: samples.summary(), measuredMessages: samples.count,
                                                cpuNanoseconds: CPUTime.ownNanoseconds() &- cpuStart))
    }

    static func throughput(_ ends: ALSAEnds, route: String, total: Int, warmup: Int, batch: Int, window: Int,
                           timeoutMilliseconds: Int32) throws(BenchError) -> ALSARunResult {
        try ends.discardInput()
        var checker = SequenceChecker()
        var sent = 0
        var measureStart: UInt64 = 0
        var lastArrival: UInt64 = 0
        let cpuStart = CPUTime.ownNanoseconds()
        while checker.position < total {
            var queued = 0
            while sent < total && queued < batch && sent - (checker.received - checker.foreign) < window {
                try ends.send(UInt32(truncatingIfNeeded: sent))
                sent += 1
                queued += 1
            }
            if queued > 0 { ends.flush() }
            let mayQueueMore = sent < total && sent - (checker.received - checker.foreign) < window
            // With room in the window, only look; otherwise wait for the path. Nothing for
            // the whole timeout with a full window means events were lost: stop, report.
            guard try ends.waitForInput(timeoutMilliseconds: mayQueueMore ? 0 : timeoutMilliseconds) || mayQueueMore else { break }
            while let received = try ends.next() {
                guard let low = ALSASequenceCodec.low(of: received.event) else {
                    if !received.event.isSubscriptionNotice { checker.observeForeign() }
                    continue
                }
                checker.observe(sequence: ALSASequenceCodec.widen(low, near: checker.expected))
                if checker.received - checker.foreign == warmup + 1 { measureStart = BenchClock.now() }
                if lastArrival == 0 && checker.position >= total { lastArrival = BenchClock.now() }
            }
        }
        return ALSARunResult(route: route, mode: .throughput, sent: sent,
                             senderDropped: ends.sender.droppedOutputEvents, receiverOverruns: ends.receiver.inputOverruns,
                             lateSends: 0,
                             arrivals: Arrivals(checker, sent: total, latency: nil,
                                                measuredMessages: max(0, checker.received - checker.foreign - warmup - 1),
                                                measureStart: measureStart, lastArrival: lastArrival,
                                                cpuNanoseconds: CPUTime.ownNanoseconds() &- cpuStart))
    }
}

extension SequencerEvent {
    /// The kernel tells a port about its subscriptions; those are not traffic.
    var isSubscriptionNotice: Bool {
        switch self {
        case .portSubscribed, .portUnsubscribed: return true
        default: return false
        }
    }
}
