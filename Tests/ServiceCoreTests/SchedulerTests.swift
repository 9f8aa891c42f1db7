import Testing
import ServiceCore
import UMP

@Suite("Scheduling of future timestamps")
struct SchedulerTests {
    func rig(limits: SchedulerLimits = SchedulerLimits()) throws
        -> (MidiService, ManualServiceClock, ConnectionID, RecordingReceiver, (a: EndpointDeviceId, b: EndpointDeviceId)) {
        let (service, clock) = makeService(limits: limits)
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let onB = RecordingReceiver()
        _ = try service.openConnection(to: ids.b, receiver: onB)
        let sender = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        return (service, clock, sender, onB, ids)
    }

    @Test("a future message waits until due and keeps its timestamp")
    func deliveredWhenDue() throws {
        let (service, clock, sender, onB, _) = try rig()
        let due = clock.time + 5_000_000       // 5 ms ahead
        #expect(service.send(midi1NoteOn, timestamp: due, from: sender).succeeded)
        #expect(onB.messages.isEmpty)
        #expect(service.nextDueTime == due)
        #expect(service.scheduledMessageCount == 1)

        service.deliverDue(now: due - 2_000_000)     // 2 ms early: beyond the 1 ms tolerance
        #expect(onB.messages.isEmpty)
        clock.time = due
        service.deliverDue()
        #expect(onB.messages == [TimestampedUMP(timestamp: due, packet: midi1NoteOn)])
        #expect(service.nextDueTime == nil)
        #expect(service.counters.messagesScheduled == 1)
        #expect(service.counters.messagesRouted == 1)
    }

    /// The send result of a scheduled message can only say "scheduled"; what full receivers
    /// refuse when it falls due comes back from `deliverDue`, summed per sending connection.
    @Test("deliveries full receivers refuse at due time are returned per sender")
    func lateOverflowsPerSender() throws {
        let (service, clock) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let full = RecordingReceiver(capacity: 1), alsoFull = RecordingReceiver(capacity: 0), fine = RecordingReceiver()
        for receiver in [full, alsoFull, fine] { _ = try service.openConnection(to: ids.b, receiver: receiver) }
        let first = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        let second = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        let due = clock.time + 5_000_000
        #expect(service.send(midi1NoteOn, timestamp: due, from: first).succeeded)
        #expect(service.send(midi2NoteOn, timestamp: due, from: second).succeeded)
        #expect(service.send(midi1NoteOn, timestamp: due + 1, from: first).succeeded)

        // Nothing due yet: nothing to report, nothing allocated.
        #expect(service.deliverDue(now: clock.time).isEmpty)
        let late = service.deliverDue(now: due + 1)
        // first: message 1 refused by alsoFull; message 3 by full (now holding 1) and alsoFull.
        // second: message 2 refused by full and alsoFull.
        #expect(Set(late) == [LateReceiverOverflow(sender: first, overflows: 3),
                              LateReceiverOverflow(sender: second, overflows: 2)])
        #expect(late.count == 2)
        #expect(fine.messages.count == 3)
        #expect(service.counters.receiverOverflows == 5)
        // The two full receivers stay full: the next due message is reported again, only it.
        #expect(service.send(midi1NoteOn, timestamp: due + 2, from: first).succeeded)
        let fresh = RecordingReceiver()
        _ = try service.openConnection(to: ids.b, receiver: fresh)
        #expect(service.deliverDue(now: due + 2) == [LateReceiverOverflow(sender: first, overflows: 2)])
        #expect(fresh.messages.count == 1)
    }

    @Test("due messages come out in timestamp order, equal timestamps in sending order")
    func ordering() throws {
        let (service, clock, sender, onB, _) = try rig()
        let t0 = clock.time
        let plan: [(UInt64, UInt32)] = [(30, 1), (10, 2), (20, 3), (10, 4), (30, 5), (10, 6), (40, 7), (20, 8)]
        for (ms, tag) in plan {
            #expect(service.send(UMPPacket(0x2090_3C00 | tag), timestamp: t0 + ms * 1_000_000, from: sender).succeeded)
        }
        service.deliverDue(now: t0 + 25_000_000)
        #expect(onB.packets.map { $0.word0 & 0xFF } == [2, 4, 6, 3, 8])
        service.deliverDue(now: t0 + 100_000_000)
        #expect(onB.packets.map { $0.word0 & 0xFF } == [2, 4, 6, 3, 8, 1, 5, 7])
        #expect(onB.messages.map(\.timestamp) == onB.messages.map(\.timestamp).sorted())
    }

    @Test("within the tolerance a message is delivered at once")
    func tolerance() throws {
        let (service, clock, sender, onB, _) = try rig()
        #expect(service.send(midi1NoteOn, timestamp: clock.time + 1_000_000, from: sender).succeeded)
        #expect(onB.messages.count == 1)
        #expect(service.scheduledMessageCount == 0)
    }

    @Test("beyond the look-ahead: refused, and the sender sees it")
    func tooFarAhead() throws {
        let (service, clock, sender, onB, _) = try rig(limits: SchedulerLimits(maximumLookAhead: 60_000_000_000))
        let result = service.send(midi1NoteOn, timestamp: clock.time + 60_000_000_001, from: sender)
        #expect(result.status == [.failed, .timestampOutOfRange])
        #expect(result.messagesAccepted == 0)
        #expect(service.send(midi1NoteOn, timestamp: clock.time + 60_000_000_000, from: sender).succeeded)
        #expect(service.counters.messagesRefusedTooFarAhead == 1)
        #expect(service.scheduledMessageCount == 1)
        #expect(onB.messages.isEmpty)
    }

    @Test("a full queue refuses, and accepts again once it drains")
    func queueFull() throws {
        let (service, clock, sender, onB, _) = try rig(limits: SchedulerLimits(queueCapacity: 3))
        let due = clock.time + 10_000_000
        for _ in 0..<3 { #expect(service.send(midi1NoteOn, timestamp: due, from: sender).succeeded) }
        let refused = service.send(midi1NoteOn, timestamp: due, from: sender)
        #expect(refused.status == [.failed, .scheduleQueueFull])
        #expect(service.counters.messagesRefusedQueueFull == 1)
        #expect(service.counters.messagesRefusedByScheduler == 1)
        // Immediate messages do not need the queue.
        #expect(service.send(midi1NoteOn, timestamp: 0, from: sender).succeeded)
        service.deliverDue(now: due)
        #expect(onB.messages.count == 4)
        #expect(service.send(midi1NoteOn, timestamp: due + 10_000_000, from: sender).succeeded)
    }

    @Test("scheduled delivery goes to connections open at due time; removed or muted pairs drop it")
    func deliveryTimeState() throws {
        let (service, clock, sender, onB, ids) = try rig()
        let due = clock.time + 10_000_000
        _ = service.send(midi1NoteOn, timestamp: due, from: sender)
        let late = RecordingReceiver()
        _ = try service.openConnection(to: ids.b, receiver: late)
        try service.setMuted(associationId: try seedPair1().associationId, true)
        _ = service.send(midi1NoteOn, timestamp: due, from: sender)     // muted at send: not even queued
        #expect(service.scheduledMessageCount == 1)
        service.deliverDue(now: due)
        #expect(onB.messages.isEmpty && late.messages.isEmpty)
        #expect(service.counters.messagesDroppedWhileMuted == 2)

        try service.setMuted(associationId: try seedPair1().associationId, false)
        _ = service.send(midi1NoteOn, timestamp: due + 10_000_000, from: sender)
        service.deliverDue(now: due + 10_000_000)
        #expect(onB.messages.count == 1 && late.messages.count == 1)

        _ = service.send(midi1NoteOn, timestamp: due + 20_000_000, from: sender)
        try service.removeLoopbackPair(associationId: try seedPair1().associationId, origin: .transient)
        service.deliverDue(now: due + 20_000_000)
        #expect(service.counters.scheduledMessagesDiscarded == 1)
        #expect(service.nextDueTime == nil)
    }

    @Test("diagnostic loopback messages are scheduled too")
    func diagnosticScheduled() throws {
        let (service, clock) = makeService()
        let onB = RecordingReceiver()
        _ = try service.openConnection(to: .diagnosticsLoopbackB, receiver: onB)
        let a = try service.openConnection(to: .diagnosticsLoopbackA, receiver: RecordingReceiver())
        let due = clock.time + 50_000_000
        #expect(service.send(midi2NoteOn, timestamp: due, from: a).succeeded)
        #expect(onB.messages.isEmpty)
        service.deliverDue(now: due)
        #expect(onB.messages == [TimestampedUMP(timestamp: due, packet: midi2NoteOn)])
    }

    @Test("the heap keeps (timestamp, arrival) order through interleaved inserts and deliveries")
    func heapStress() throws {
        let (service, clock, sender, onB, _) = try rig()
        let t0 = clock.time
        var generator = SplitMix(seed: 7)
        var sent: [(timestamp: UInt64, tag: UInt32)] = []
        func sendRandom(count: Int, from base: UInt64) {
            for _ in 0..<count {
                // Coarse timestamps so that many collide and arrival order is exercised.
                let timestamp = base + 2_000_000 + (generator.next() % 500) * 1_000_000
                let tag = UInt32(sent.count)
                sent.append((timestamp, tag))
                #expect(service.send(UMPPacket(0x4090_0000, tag), timestamp: timestamp, from: sender).succeeded)
            }
        }
        sendRandom(count: 1000, from: t0)
        for step in 1...50 as ClosedRange<UInt64> { service.deliverDue(now: t0 + step * 5_000_000) }
        clock.time = t0 + 250_000_000
        sendRandom(count: 1000, from: clock.time)
        service.deliverDue(now: t0 + 10_000_000_000)
        #expect(service.scheduledMessageCount == 0)
        let expected = sent.sorted { $0.timestamp != $1.timestamp ? $0.timestamp < $1.timestamp : $0.tag < $1.tag }
        #expect(onB.messages.map(\.timestamp) == expected.map(\.timestamp))
        #expect(onB.packets.map(\.word1) == expected.map(\.tag))
    }
}

/// A small deterministic generator, so the stress test is reproducible.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
