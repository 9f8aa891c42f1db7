import ServiceCore
import UMP

/// Collects what arrives on a connection. `capacity` makes it refuse messages once full, like a
/// slow client's bounded queue.
final class RecordingReceiver: EndpointReceiver {
    var messages: [TimestampedUMP] = []
    var capacity: Int
    var refused = 0

    init(capacity: Int = .max) { self.capacity = capacity }

    func receive(_ message: TimestampedUMP) -> Bool {
        guard messages.count < capacity else { refused += 1; return false }
        messages.append(message)
        return true
    }

    var packets: [UMPPacket] { messages.map(\.packet) }
}

/// Records watcher events.
final class EventLog {
    var events: [EndpointEvent] = []
    init(_ service: MidiService) {
        service.addObserver { [unowned self] in self.events.append($0) }
    }
    var updates: [(MidiEndpoint, EndpointProperties)] {
        events.compactMap { if case .updated(let e, let c) = $0 { return (e, c) }; return nil }
    }
}

func makeService(store: (any StateStore)? = nil, limits: SchedulerLimits = SchedulerLimits())
    -> (MidiService, ManualServiceClock) {
    let clock = ManualServiceClock(time: 5_000_000_000)
    return (MidiService(clock: clock, stateStore: store, limits: limits), clock)
}

func uid(_ text: String) throws -> UniqueIdentifier { try UniqueIdentifier(validating: text) }
func guid(_ text: String) throws -> AssociationId { try AssociationId(parsing: text) }

func makePair(_ association: String, _ nameA: String, _ idA: String, _ nameB: String, _ idB: String,
          groupCount: Int = 16) throws -> LoopbackPairDefinition {
    LoopbackPairDefinition(
        associationId: try guid(association),
        endpointA: LoopbackSideDefinition(name: nameA, description: "A side", uniqueIdentifier: try uid(idA)),
        endpointB: LoopbackSideDefinition(name: nameB, description: "B side", uniqueIdentifier: try uid(idB)),
        groupCount: groupCount)
}

/// The two pairs of seed 000.
func seedPair1() throws -> LoopbackPairDefinition {
    try makePair("{0C1B3439-593F-4B7A-8950-4698D97B0897}", "Perm Loopback 1A", "3263827", "Perm Loopback 1B", "3263827")
}
func seedPair2() throws -> LoopbackPairDefinition {
    try makePair("{B21B4973-3F85-48A0-8BA3-B35F44683D36}", "Perm Loopback 2A", "5150-1984", "Perm Loopback 2B", "OU812")
}

/// What a listing looks like, for "nothing changed" checks.
struct RegistrySnapshot: Equatable {
    var endpoints: [MidiEndpoint]
    var pairs: [RegisteredLoopbackPair]
    init(_ service: MidiService) {
        endpoints = service.endpoints(matching: .all)
        pairs = service.loopbackPairs
    }
}

let midi1NoteOn = UMPPacket(0x2090_3C64)                       // type 2, group 0, note on
let midi2NoteOn = UMPPacket(0x4091_3C00, 0xFFFF_0000)          // type 4, group 0, channel 1
