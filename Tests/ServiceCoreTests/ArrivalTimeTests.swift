import Testing
import ServiceCore
import UMP

/// `send(each:from:)` reads the clock only when the arrival time is used: the ALSA bridge feeds
/// a loopback whose other side may be read by ALSA clients only, which ignore timestamps, and
/// reading the clock is a system call where the clock source has no vDSO path.
@Suite("Arrival time: the clock is read only when a receiver or a message uses it")
struct ArrivalTimeTests {
    /// A clock that counts how often it is read.
    final class CountingClock: ServiceClock {
        var time: UInt64 = 5_000_000_000
        var reads = 0
        func now() -> UInt64 {
            reads += 1
            return time
        }
    }

    /// Records what arrives and says it does not look at timestamps (as the bridge's clients).
    final class TimestampBlindReceiver: EndpointReceiver {
        var messages: [TimestampedUMP] = []
        func receive(_ message: TimestampedUMP) -> Bool {
            messages.append(message)
            return true
        }
        var readsTimestamps: Bool { false }
    }

    private func pair() throws -> (MidiService, CountingClock, (a: EndpointDeviceId, b: EndpointDeviceId)) {
        let clock = CountingClock()
        let service = MidiService(clock: clock, stateStore: nil, limits: SchedulerLimits())
        return (service, clock, try service.createLoopbackPair(try seedPair1(), origin: .transient))
    }

    @Test("only timestamp-blind receivers on the other side, messages stamped 0: delivered, the clock not read")
    func blindReceiversNoClock() throws {
        let (service, clock, ids) = try pair()
        let blind = TimestampBlindReceiver()
        _ = try service.openConnection(to: ids.b, receiver: blind)
        let sender = try service.openConnection(to: ids.a, receiver: TimestampBlindReceiver())
        var messages = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn), TimestampedUMP(timestamp: 0, packet: midi2NoteOn)]
        let before = clock.reads
        let tally = messages.withUnsafeMutableBufferPointer { service.send(each: $0, from: sender) }
        #expect(tally == BatchSendTally(accepted: 2))
        #expect(blind.messages.map(\.packet) == [midi1NoteOn, midi2NoteOn])
        #expect(clock.reads == before)
    }

    @Test("a receiver on the other side that reads timestamps: the clock is read once, messages stamped with it")
    func readingReceiverStamps() throws {
        let (service, clock, ids) = try pair()
        let blind = TimestampBlindReceiver(), reading = RecordingReceiver()
        _ = try service.openConnection(to: ids.b, receiver: blind)
        _ = try service.openConnection(to: ids.b, receiver: reading)
        let sender = try service.openConnection(to: ids.a, receiver: TimestampBlindReceiver())
        var messages = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn), TimestampedUMP(timestamp: 0, packet: midi2NoteOn)]
        let before = clock.reads
        _ = messages.withUnsafeMutableBufferPointer { service.send(each: $0, from: sender) }
        #expect(clock.reads == before + 1)
        #expect(reading.messages == [TimestampedUMP(timestamp: clock.time, packet: midi1NoteOn),
                                     TimestampedUMP(timestamp: clock.time, packet: midi2NoteOn)])
    }

    @Test("a message with a timestamp: the clock is read even for blind receivers (a future one is scheduled)")
    func timestampedMessageReadsClock() throws {
        let (service, clock, ids) = try pair()
        let blind = TimestampBlindReceiver()
        _ = try service.openConnection(to: ids.b, receiver: blind)
        let sender = try service.openConnection(to: ids.a, receiver: TimestampBlindReceiver())
        var messages = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn),
                        TimestampedUMP(timestamp: clock.time + 1_000_000_000, packet: midi2NoteOn)]
        let before = clock.reads
        let tally = messages.withUnsafeMutableBufferPointer { service.send(each: $0, from: sender) }
        #expect(clock.reads > before)
        #expect(tally.accepted == 2)
        #expect(blind.messages.map(\.packet) == [midi1NoteOn])   // the second is scheduled a second ahead
    }
}
