import Testing
import ServiceCore
import UMP

/// `send(each:now:from:)`, the daemon's per-frame entry point: every message is tried, each
/// outcome counted, and the service counters end up exactly as message-by-message sends leave them.
@Suite("Batch send: each message counted, counters as per-message sends")
struct BatchSendTests {
    @Test("every message of a batch is delivered in order, timestamp 0 becoming the given arrival time")
    func delivered() throws {
        let (service, _) = makeService(limits: SchedulerLimits(queueCapacity: 4))
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let b = RecordingReceiver()
        _ = try service.openConnection(to: ids.b, receiver: b)
        let sender = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        let messages = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn),
                        TimestampedUMP(timestamp: 42, packet: midi2NoteOn),
                        TimestampedUMP(timestamp: 0, packet: UMPPacket(0x2080_3C00))]
        let tally = messages.withUnsafeBufferPointer { service.send(each: $0, now: 777, from: sender) }
        #expect(tally == BatchSendTally(accepted: 3))
        #expect(b.messages == [TimestampedUMP(timestamp: 777, packet: midi1NoteOn),
                               TimestampedUMP(timestamp: 42, packet: midi2NoteOn),
                               TimestampedUMP(timestamp: 777, packet: UMPPacket(0x2080_3C00))])
        #expect(service.counters.messagesRouted == 3)
        #expect(service.counters.receiverDeliveries == 3)
    }

    @Test("a refused message does not stop the rest; refusals, rejections and overflows are counted apart")
    func goesOnPastRefusals() throws {
        let (service, clock) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let full = RecordingReceiver(capacity: 1), fine = RecordingReceiver()
        _ = try service.openConnection(to: ids.b, receiver: full)
        _ = try service.openConnection(to: ids.b, receiver: fine)
        let sender = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        let now = clock.time
        let tooFar = now + 3_600_000_000_000   // beyond the 10-minute look-ahead
        let messages = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn),
                        TimestampedUMP(timestamp: tooFar, packet: midi2NoteOn),
                        TimestampedUMP(timestamp: 0, packet: UMPPacket(0x2080_3C00))]
        let tally = messages.withUnsafeBufferPointer { service.send(each: $0, now: now, from: sender) }
        #expect(tally == BatchSendTally(accepted: 2, schedulerRefused: 1, receiverOverflows: 1))
        #expect(fine.packets == [midi1NoteOn, UMPPacket(0x2080_3C00)])
        #expect(full.packets == [midi1NoteOn] && full.refused == 1)
        #expect(service.counters.messagesRouted == 2)
        #expect(service.counters.receiverDeliveries == 3)
        #expect(service.counters.receiverOverflows == 1)
        #expect(service.counters.messagesRefusedTooFarAhead == 1)
    }

    @Test("a batch on a closed connection: every message rejected, nothing delivered")
    func closedConnection() throws {
        let (service, _) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let b = RecordingReceiver()
        _ = try service.openConnection(to: ids.b, receiver: b)
        let sender = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        #expect(service.closeConnection(sender))
        let messages = Array(repeating: TimestampedUMP(timestamp: 0, packet: midi1NoteOn), count: 5)
        let tally = messages.withUnsafeBufferPointer { service.send(each: $0, now: 1, from: sender) }
        #expect(tally == BatchSendTally(rejected: 5))
        #expect(b.messages.isEmpty)
        #expect(service.counters.messagesRouted == 0)
    }

    @Test("future timestamps are scheduled and muted pairs dropped, as with per-message sends")
    func scheduledAndMuted() throws {
        let (service, clock) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let b = RecordingReceiver()
        _ = try service.openConnection(to: ids.b, receiver: b)
        let sender = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        let later = clock.time + 50_000_000
        let scheduled = [TimestampedUMP(timestamp: later, packet: midi1NoteOn)]
        #expect(scheduled.withUnsafeBufferPointer { service.send(each: $0, now: clock.time, from: sender) }
                == BatchSendTally(accepted: 1))
        #expect(b.messages.isEmpty && service.scheduledMessageCount == 1)
        service.deliverDue(now: later)
        #expect(b.messages == scheduled)
        #expect(service.counters.messagesRouted == 1 && service.counters.receiverDeliveries == 1)

        try service.setMuted(associationId: try seedPair1().associationId, true)
        let muted = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn)]
        #expect(muted.withUnsafeBufferPointer { service.send(each: $0, now: later, from: sender) }
                == BatchSendTally(accepted: 1))
        #expect(b.messages.count == 1)
        #expect(service.counters.messagesDroppedWhileMuted == 1)
        #expect(service.counters.messagesRouted == 1)
    }
}
