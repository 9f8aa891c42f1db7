import Testing
import ServiceCore
import UMP

@Suite("Diagnostics transport")
struct DiagnosticsTests {
    @Test("diagnostic endpoints exist, are hidden by default, and listed on request")
    func listing() throws {
        let (service, _) = makeService()
        #expect(service.endpoints().isEmpty)
        #expect(service.endpoints(matching: .includeDiagnosticLoopback).map(\.id)
                == [.diagnosticsLoopbackA, .diagnosticsLoopbackB])
        #expect(service.endpoints(matching: .includeDiagnosticPing).map(\.id) == [.diagnosticsPing])
        #expect(service.endpoints(matching: .all).count == 3)

        let a = try #require(service.endpoint(.diagnosticsLoopbackA))
        #expect(a.displayName == "Service Test Loopback A")
        #expect(a.transport == .diagnostics)
        #expect(a.deviceInstanceId == .diagnosticsTransport)
        #expect(a.isDiagnostic)
        #expect(service.endpoint(.diagnosticsLoopbackB)?.displayName == "Service Test Loopback B")
        #expect(service.endpoint(.diagnosticsPing)?.displayName == "Service Test Ping (Internal)")
        #expect(service.endpoint(.diagnosticsPing)?.purpose == .diagnosticPing)

        try service.createLoopbackPair(try seedPair1(), origin: .transient)
        #expect(service.endpoints().count == 2)
        #expect(service.endpoints(matching: [.includeClientUMPFormatNative, .includeDiagnosticPing]).count == 3)
        #expect(service.endpoints(matching: .includeClientByteFormatNative).isEmpty)
    }

    @Test("diagnostic loopback is cross-wired and keeps timestamps exactly, 0 included")
    func diagnosticLoopback() throws {
        let (service, clock) = makeService()
        let onA = RecordingReceiver(), onB = RecordingReceiver()
        let a = try service.openConnection(to: .diagnosticsLoopbackA, receiver: onA)
        let b = try service.openConnection(to: .diagnosticsLoopbackB, receiver: onB)
        clock.time = 9_000_000_000
        #expect(service.send(midi1NoteOn, timestamp: 0, from: a).succeeded)
        #expect(service.send(midi2NoteOn, timestamp: 8_000_000_000, from: a).succeeded)
        #expect(onB.messages == [TimestampedUMP(timestamp: 0, packet: midi1NoteOn),
                                 TimestampedUMP(timestamp: 8_000_000_000, packet: midi2NoteOn)])
        #expect(onA.messages.isEmpty)
        #expect(service.send(midi2NoteOn, timestamp: 0, from: b).succeeded)
        #expect(onA.messages == [TimestampedUMP(timestamp: 0, packet: midi2NoteOn)])
        #expect(onB.messages.count == 2)
    }

    @Test("ping: a reply to the asking connection only, words 1–2 copied, stamped with receive time")
    func ping() throws {
        let (service, clock) = makeService()
        let asker = RecordingReceiver(), bystander = RecordingReceiver()
        let connection = try service.openConnection(to: .diagnosticsPing, receiver: asker)
        _ = try service.openConnection(to: .diagnosticsPing, receiver: bystander)
        clock.time = 12_345_678_900
        let request = UMPPacket(0xF3FE_0000, 0x1111_2222, 0x3333_4444, 0x5555_6666)
        let result = service.send(request, timestamp: 12_000_000_000, from: connection)
        #expect(result.succeeded)
        #expect(asker.messages == [TimestampedUMP(timestamp: 12_345_678_900,
                                                  packet: UMPPacket(0xF3FD_0000, 0x1111_2222, 0x3333_4444, 0))])
        #expect(DiagnosticEndpoints.isPingReply(asker.packets[0]))
        #expect(bystander.messages.isEmpty)
        #expect(service.counters.pingRequestsAnswered == 1)

        // Anything else is accepted and ignored.
        #expect(service.send(UMPPacket(0xF3FD_0000, 1, 2, 3), timestamp: 0, from: connection).succeeded)
        #expect(service.send(midi1NoteOn, timestamp: 0, from: connection).succeeded)
        #expect(asker.messages.count == 1)
        #expect(service.counters.pingRequestsAnswered == 1)
    }

    @Test("diagnostic endpoints cannot be removed as devices")
    func notRemovable() {
        let (service, _) = makeService()
        #expect(!service.removeDeviceEndpoint(.diagnosticsLoopbackA))
        #expect(service.endpoint(.diagnosticsLoopbackA) != nil)
    }
}
