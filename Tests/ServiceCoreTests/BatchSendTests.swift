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
        var messages = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn),
                        TimestampedUMP(timestamp: 42, packet: midi2NoteOn),
                        TimestampedUMP(timestamp: 0, packet: UMPPacket(0x2080_3C00))]
        let tally = messages.withUnsafeMutableBufferPointer { service.send(each: $0, now: 777, from: sender) }
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
        var messages = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn),
                        TimestampedUMP(timestamp: tooFar, packet: midi2NoteOn),
                        TimestampedUMP(timestamp: 0, packet: UMPPacket(0x2080_3C00))]
        let tally = messages.withUnsafeMutableBufferPointer { service.send(each: $0, now: now, from: sender) }
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
        var messages = Array(repeating: TimestampedUMP(timestamp: 0, packet: midi1NoteOn), count: 5)
        let tally = messages.withUnsafeMutableBufferPointer { service.send(each: $0, now: 1, from: sender) }
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
        var scheduled = [TimestampedUMP(timestamp: later, packet: midi1NoteOn)]
        let scheduledTally = scheduled.withUnsafeMutableBufferPointer { service.send(each: $0, now: clock.time, from: sender) }
        #expect(scheduledTally == BatchSendTally(accepted: 1))
        #expect(b.messages.isEmpty && service.scheduledMessageCount == 1)
        service.deliverDue(now: later)
        #expect(b.messages == scheduled)
        #expect(service.counters.messagesRouted == 1 && service.counters.receiverDeliveries == 1)

        try service.setMuted(associationId: try seedPair1().associationId, true)
        var muted = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn)]
        let mutedTally = muted.withUnsafeMutableBufferPointer { service.send(each: $0, now: later, from: sender) }
        #expect(mutedTally == BatchSendTally(accepted: 1))
        #expect(b.messages.count == 1)
        #expect(service.counters.messagesDroppedWhileMuted == 1)
        #expect(service.counters.messagesRouted == 1)
    }

    /// A loopback frame goes to each receiver in runs (one call per receiver per run), cut only
    /// where a message is not due now (scheduled or refused) and before a stream message, whose
    /// capture notifies observers: they must see it after everything sent before it.
    @Test("a loopback frame reaches receivers in runs, cut at scheduled and stream messages, order kept")
    func runs() throws {
        let (service, clock) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let log = OrderLog()
        let b1 = RunRecordingReceiver("b1", log: log), b2 = RunRecordingReceiver("b2", log: log, capacity: 3)
        _ = try service.openConnection(to: ids.b, receiver: b1)
        _ = try service.openConnection(to: ids.b, receiver: b2)
        let sender = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        service.addObserver { event in if case .updated = event { log.entries.append("event") } }
        let now = clock.time
        let name = UMPStreamText.endpointNamePackets("Hi")
        #expect(name.count == 1)
        let notes = (0..<5).map { UMPPacket(0x2090_3C00 | UInt32($0)) }
        var messages = [TimestampedUMP(timestamp: 0, packet: notes[0]),
                        TimestampedUMP(timestamp: now - 10, packet: notes[1]),              // past: due now, kept
                        TimestampedUMP(timestamp: now + 50_000_000, packet: notes[2]),      // scheduled
                        TimestampedUMP(timestamp: 0, packet: notes[3]),
                        TimestampedUMP(timestamp: 0, packet: name[0]),
                        TimestampedUMP(timestamp: 0, packet: notes[4])]
        let tally = messages.withUnsafeMutableBufferPointer { service.send(each: $0, now: now, from: sender) }
        // b2 takes 3 of the 5 messages due now: the last run's second message and the one after
        // its capacity are refused.
        #expect(tally == BatchSendTally(accepted: 6, receiverOverflows: 2))
        #expect(b1.runs == [2, 1, 2])
        #expect(b1.messages == [TimestampedUMP(timestamp: now, packet: notes[0]),
                                TimestampedUMP(timestamp: now - 10, packet: notes[1]),
                                TimestampedUMP(timestamp: now, packet: notes[3]),
                                TimestampedUMP(timestamp: now, packet: name[0]),
                                TimestampedUMP(timestamp: now, packet: notes[4])])
        #expect(b2.messages == Array(b1.messages.prefix(3)) && b2.refused == 2)
        #expect(log.entries == ["b1 2", "b2 2", "b1 1", "b2 1", "event", "b1 2", "b2 2"])
        #expect(service.endpoint(ids.a)?.declared.endpointName == "Hi")
        #expect(service.scheduledMessageCount == 1)
        #expect(service.counters.messagesRouted == 5)
        #expect(service.counters.receiverDeliveries == 8)
        #expect(service.counters.receiverOverflows == 2)
        #expect(service.counters.messagesScheduled == 1)
    }

    @Test("a frame on a muted pair: every message dropped and accepted, no receiver called")
    func mutedFrame() throws {
        let (service, clock) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let log = OrderLog()
        let b = RunRecordingReceiver("b", log: log)
        _ = try service.openConnection(to: ids.b, receiver: b)
        let sender = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        try service.setMuted(associationId: try seedPair1().associationId, true)
        var messages = Array(repeating: TimestampedUMP(timestamp: 0, packet: midi1NoteOn), count: 7)
        let tally = messages.withUnsafeMutableBufferPointer { service.send(each: $0, now: clock.time, from: sender) }
        #expect(tally == BatchSendTally(accepted: 7))
        #expect(b.runs.isEmpty && log.entries.isEmpty)
        #expect(service.counters.messagesDroppedWhileMuted == 7 && service.counters.messagesRouted == 0)
    }
}

/// Receiving order across receivers and observers.
final class OrderLog { var entries: [String] = [] }

/// A receiver that takes runs itself (as the daemon's sessions do) and records their lengths.
final class RunRecordingReceiver: EndpointReceiver {
    let log: OrderLog
    let capacity: Int
    private(set) var messages: [TimestampedUMP] = []
    private(set) var runs: [Int] = []
    private(set) var refused = 0
    let name: String

    init(_ name: String, log: OrderLog, capacity: Int = .max) {
        self.name = name
        self.log = log
        self.capacity = capacity
    }

    func receive(_ message: TimestampedUMP) -> Bool {
        Issue.record("the service called receive(_:) for a loopback run")
        return false
    }

    func receive(contentsOf run: UnsafeBufferPointer<TimestampedUMP>) -> Int {
        runs.append(run.count)
        log.entries.append("\(name) \(run.count)")
        let taken = max(0, min(run.count, capacity - messages.count))
        messages += run.prefix(taken)
        refused += run.count - taken
        return run.count - taken
    }
}
