import Testing
import ServiceCore
import UMP

@Suite("Loopback routing, mute, timestamps and removal")
struct LoopbackRoutingTests {
    struct Rig {
        let service: MidiService
        let clock: ManualServiceClock
        let ids: (a: EndpointDeviceId, b: EndpointDeviceId)
        let a1 = RecordingReceiver(), a2 = RecordingReceiver()
        let b1 = RecordingReceiver(), b2 = RecordingReceiver()
        let onA1: ConnectionID, onA2: ConnectionID, onB1: ConnectionID, onB2: ConnectionID

        init(origin: LoopbackOrigin = .transient) throws {
            (service, clock) = makeService()
            ids = try service.createLoopbackPair(try seedPair1(), origin: origin)
            onA1 = try service.openConnection(to: ids.a, receiver: a1)
            onA2 = try service.openConnection(to: ids.a, receiver: a2)
            onB1 = try service.openConnection(to: ids.b, receiver: b1)
            onB2 = try service.openConnection(to: ids.b, receiver: b2)
        }
    }

    @Test("A→B (32-bit) arrives intact on every connection of B and on none of A")
    func aToB() throws {
        let rig = try Rig()
        let result = rig.service.send(midi1NoteOn, timestamp: 1234, from: rig.onA1)
        #expect(result.succeeded)
        #expect(result.messagesAccepted == 1)
        #expect(rig.b1.messages == [TimestampedUMP(timestamp: 1234, packet: midi1NoteOn)])
        #expect(rig.b2.messages == rig.b1.messages)
        #expect(rig.a1.messages.isEmpty && rig.a2.messages.isEmpty)
        #expect(rig.b1.packets.first?.words == [0x2090_3C64])
    }

    @Test("B→A (64-bit MIDI 2.0) arrives intact on every connection of A and on none of B")
    func bToA() throws {
        let rig = try Rig()
        let result = rig.service.send(midi2NoteOn, timestamp: 99, from: rig.onB2)
        #expect(result.succeeded)
        #expect(rig.a1.packets == [midi2NoteOn])
        #expect(rig.a2.packets == [midi2NoteOn])
        #expect(rig.a1.packets.first?.words == [0x4091_3C00, 0xFFFF_0000])
        #expect(rig.b1.messages.isEmpty && rig.b2.messages.isEmpty)
        #expect(rig.service.counters.messagesRouted == 1)
        #expect(rig.service.counters.receiverDeliveries == 2)
    }

    @Test("words beyond the message type's size are not delivered")
    func normalizesPackets() throws {
        let rig = try Rig()
        var packet = midi1NoteOn
        packet.word1 = 0xDEAD_BEEF
        _ = rig.service.send(packet, timestamp: 0, from: rig.onA1)
        #expect(rig.b1.packets == [midi1NoteOn])
        #expect(rig.b1.packets.first?.word1 == 0)
    }

    @Test("a word list must have exactly the message type's word count")
    func wordCounts() throws {
        let rig = try Rig()
        #expect(rig.service.send(words: [0x4091_3C00], timestamp: 0, from: rig.onA1).status
                == [.failed, .invalidMessageTypeForWordCount])
        #expect(rig.service.send(words: [0x2090_3C64, 0], timestamp: 0, from: rig.onA1).status
                == [.failed, .invalidMessageTypeForWordCount])
        #expect(rig.service.send(words: [UInt32](), timestamp: 0, from: rig.onA1).status
                == [.failed, .invalidMessageOther])
        #expect(rig.b1.messages.isEmpty)
        #expect(rig.service.counters.invalidMessages == 3)
        #expect(rig.service.send(words: [0x4091_3C00, 0xFFFF_0000], timestamp: 0, from: rig.onA1).succeeded)
        #expect(rig.b1.packets == [midi2NoteOn])
    }

    @Test("timestamp 0 arrives as the service's receive time; others unchanged")
    func timestamps() throws {
        let rig = try Rig()
        rig.clock.time = 7_000_000_000
        _ = rig.service.send(midi1NoteOn, timestamp: 0, from: rig.onA1)
        _ = rig.service.send(midi1NoteOn, timestamp: 6_500_000_000, from: rig.onA1)
        #expect(rig.b1.messages.map(\.timestamp) == [7_000_000_000, 6_500_000_000])
    }

    @Test("muted: dropped and the sender told it was sent; unmuted: delivered again")
    func mute() throws {
        let rig = try Rig()
        let association = try seedPair1().associationId
        let log = EventLog(rig.service)
        try rig.service.setMuted(associationId: association, true)
        #expect(rig.service.loopbackPair(association)?.isMuted == true)
        #expect(rig.service.endpoint(rig.ids.a)?.isMuted == true)
        #expect(log.updates.map(\.1) == [.muted, .muted])

        let result = rig.service.send(midi1NoteOn, timestamp: 0, from: rig.onA1)
        #expect(result.succeeded && result.messagesAccepted == 1)
        _ = rig.service.send(midi2NoteOn, timestamp: 0, from: rig.onB1)
        #expect(rig.b1.messages.isEmpty && rig.a1.messages.isEmpty)
        #expect(rig.service.counters.messagesDroppedWhileMuted == 2)

        try rig.service.setMuted(associationId: association, false)
        _ = rig.service.send(midi1NoteOn, timestamp: 0, from: rig.onA1)
        #expect(rig.b1.packets == [midi1NoteOn])
    }

    @Test("a receiver that refuses is counted and does not stop the others")
    func receiverOverflow() throws {
        let (service, _) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let full = RecordingReceiver(capacity: 0), fine = RecordingReceiver()
        _ = try service.openConnection(to: ids.b, receiver: full)
        _ = try service.openConnection(to: ids.b, receiver: fine)
        let sender = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        let result = service.send(midi1NoteOn, timestamp: 0, from: sender)
        #expect(result.succeeded)
        #expect(result.receiverOverflows == 1)
        #expect(full.refused == 1)
        #expect(fine.packets == [midi1NoteOn])
        #expect(service.counters.receiverOverflows == 1)
        #expect(service.counters.receiverDeliveries == 1)
    }

    @Test("closing a connection stops delivery to it; sending on it fails")
    func closing() throws {
        let rig = try Rig()
        #expect(rig.service.closeConnection(rig.onB1))
        #expect(!rig.service.closeConnection(rig.onB1))
        _ = rig.service.send(midi1NoteOn, timestamp: 0, from: rig.onA1)
        #expect(rig.b1.messages.isEmpty)
        #expect(rig.b2.packets == [midi1NoteOn])
        #expect(rig.service.send(midi1NoteOn, timestamp: 0, from: rig.onB1).status == [.failed, .connectionClosedOrInvalid])
        // A reused slot does not revive the old id.
        let again = try rig.service.openConnection(to: rig.ids.b, receiver: RecordingReceiver())
        #expect(again != rig.onB1)
        #expect(rig.service.endpointId(of: rig.onB1) == nil)
        #expect(rig.service.endpointId(of: again) == rig.ids.b)
    }

    @Test("opening a connection to an unknown endpoint fails with the id")
    func openUnknown() throws {
        let (service, _) = makeService()
        let id = EndpointDeviceId(instance: "loop_a_nothing")
        #expect(throws: ConnectionError.endpointNotFound(id)) {
            try service.openConnection(to: id, receiver: RecordingReceiver())
        }
    }

    @Test("batches are delivered in order with one arrival time for timestamp 0")
    func batch() throws {
        let rig = try Rig()
        let messages = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn),
                        TimestampedUMP(timestamp: 42, packet: midi2NoteOn),
                        TimestampedUMP(timestamp: 0, packet: UMPPacket(0x2080_3C00))]
        let result = messages.withUnsafeBufferPointer { rig.service.send($0, from: rig.onA1) }
        #expect(result.succeeded && result.messagesAccepted == 3)
        #expect(rig.b1.messages == [TimestampedUMP(timestamp: rig.clock.time, packet: midi1NoteOn),
                                    TimestampedUMP(timestamp: 42, packet: midi2NoteOn),
                                    TimestampedUMP(timestamp: rig.clock.time, packet: UMPPacket(0x2080_3C00))])
        let generic = rig.service.send(contentsOf: messages[1...], from: rig.onB1)
        #expect(generic.messagesAccepted == 2)
        #expect(rig.a1.packets == [midi2NoteOn, UMPPacket(0x2080_3C00)])
    }

    @Test("a batch stops at the first refused message and says how far it got")
    func batchPartial() throws {
        let rig = try Rig()
        let now = rig.clock.time
        let messages = [TimestampedUMP(timestamp: 0, packet: midi1NoteOn),
                        TimestampedUMP(timestamp: now + 3_600_000_000_000, packet: midi2NoteOn),
                        TimestampedUMP(timestamp: 0, packet: midi1NoteOn)]
        let result = rig.service.send(contentsOf: messages, from: rig.onA1)
        #expect(!result.succeeded)
        #expect(result.messagesAccepted == 1)
        #expect(result.status == [.failed, .timestampOutOfRange, .messageListPartiallyProcessed])
        #expect(rig.b1.messages.count == 1)
    }

    @Test("the API may not remove a configured pair, and says it comes from the config file")
    func configuredNotRemovable() throws {
        let rig = try Rig(origin: .configured)
        let association = try seedPair1().associationId
        let before = RegistrySnapshot(rig.service)
        do {
            try rig.service.removeLoopbackPair(associationId: association, origin: .transient)
            Issue.record("removal should have been refused")
        } catch {
            #expect(error == .configuredPairNotRemovable(association))
            #expect(error.description.contains("configuration file"))
        }
        #expect(RegistrySnapshot(rig.service) == before)
        // The daemon, reloading the config file, may.
        try rig.service.removeLoopbackPair(associationId: association, origin: .configured)
        #expect(rig.service.loopbackPairs.isEmpty)
    }

    @Test("removing a transient pair removes both endpoints and closes their connections")
    func removal() throws {
        let rig = try Rig()
        let log = EventLog(rig.service)
        let association = try seedPair1().associationId
        #expect(throws: LoopbackError.notAConfiguredPair(association)) {
            try rig.service.removeLoopbackPair(associationId: association, origin: .configured)
        }
        try rig.service.removeLoopbackPair(associationId: association, origin: .transient)
        #expect(log.events == [.removed(rig.ids.a), .removed(rig.ids.b)])
        #expect(rig.service.endpoint(rig.ids.a) == nil)
        #expect(rig.service.send(midi1NoteOn, timestamp: 0, from: rig.onA1).status == [.failed, .connectionClosedOrInvalid])
        #expect(throws: LoopbackError.pairNotFound(association)) {
            try rig.service.removeLoopbackPair(associationId: association, origin: .transient)
        }
        // The same definition may be created again, with the same ids.
        let again = try rig.service.createLoopbackPair(try seedPair1(), origin: .transient)
        #expect(again.a == rig.ids.a && again.b == rig.ids.b)
    }

    @Test("reconciling configured pairs adds, removes and reports, leaving transient pairs alone")
    func reconcile() throws {
        let (service, _) = makeService()
        let transient = try makePair("11111111-1111-4111-8111-111111111111", "T A", "t", "T B", "t")
        try service.createLoopbackPair(transient, origin: .transient)
        var first = service.reconcileConfiguredPairs([try seedPair1(), try seedPair2()])
        #expect(first.added.count == 2 && first.removed.isEmpty && first.failures.isEmpty)

        var renamed = try seedPair2()
        renamed.endpointA.name = "Renamed 2A"
        let clash = try makePair("22222222-2222-4222-8222-222222222222", "T A", "c", "C B", "c")
        first = service.reconcileConfiguredPairs([renamed, clash])
        #expect(first.removed == [try seedPair1().associationId, try seedPair2().associationId])
        #expect(first.added == [renamed.associationId])
        #expect(first.failures.map(\.associationId) == [clash.associationId])
        #expect(first.failures.first?.error == .duplicateEndpointName("T A", side: .a, existing: transient.endpointId(.a)))
        #expect(service.loopbackPairs.map(\.associationId) == [transient.associationId, renamed.associationId])
        #expect(service.endpoint(renamed.endpointId(.a))?.displayName == "Renamed 2A")
    }
}
