import MIDIRules
import UMP

/// The diagnostics transport (DIAG, `{ac9b5417-3fe0-4e62-960f-034ee4235a1a}`, seed 003): two
/// cross-wired loopbacks and the ping endpoint, always present, never removable.
public enum DiagnosticEndpoints {
    public static let loopbackAName = "Service Test Loopback A"
    public static let loopbackBName = "Service Test Loopback B"
    public static let pingName = "Service Test Ping (Internal)"

    /// Word 0 of a ping request (a 128-bit message; words 1–2 are the caller's correlation data).
    public static let pingRequestWord0: UInt32 = 0xF3FE_0000
    /// Word 0 of a ping reply; words 1–2 are copied from the request, word 3 is zero.
    public static let pingReplyWord0: UInt32 = 0xF3FD_0000

    /// A ping request carrying `id` (word 1) and `payload` (word 2).
    public static func pingRequest(id: UInt32, payload: UInt32 = 0) -> UMPPacket {
        UMPPacket(pingRequestWord0, id, payload, 0)
    }

    /// Whether `packet` is a ping reply (as the SDK's `MidiDiagnostics.ping` looks for).
    public static func isPingReply(_ packet: UMPPacket) -> Bool { packet.word0 == pingReplyWord0 }
}

extension MidiService {
    func createDiagnosticEndpoints() {
        func endpoint(_ id: EndpointDeviceId, _ name: String, _ description: String,
                      _ purpose: MidiEndpointDevicePurpose) -> MidiEndpoint {
            MidiEndpoint(id: id, transport: .diagnostics, deviceInstanceId: .diagnosticsTransport,
                         purpose: purpose, transportSupplied: TransportSuppliedInfo(
                            name: name, description: description, manufacturer: "MIDI Services for Linux"),
                         groupTerminalBlocks: [GroupTerminalBlock(number: 1, name: name, direction: .bidirectional,
                                                                  firstGroup: 0, groupCount: 16, protocol: .midi2)],
                         groupCount: 16)
        }
        let a = EndpointNode(model: endpoint(.diagnosticsLoopbackA, DiagnosticEndpoints.loopbackAName,
                                             "Diagnostic loopback: what is sent here arrives on Service Test Loopback B, timestamps untouched",
                                             .diagnosticLoopback), role: .diagnosticLoopback)
        let b = EndpointNode(model: endpoint(.diagnosticsLoopbackB, DiagnosticEndpoints.loopbackBName,
                                             "Diagnostic loopback: what is sent here arrives on Service Test Loopback A, timestamps untouched",
                                             .diagnosticLoopback), role: .diagnosticLoopback)
        a.peer = b
        b.peer = a
        let ping = EndpointNode(model: endpoint(.diagnosticsPing, DiagnosticEndpoints.pingName,
                                                "Answers ping requests; for the service's own diagnostics",
                                                .diagnosticPing), role: .diagnosticPing)
        register(a)
        register(b)
        register(ping)
    }

    /// Ping: a request gets a reply on the asking connection only, stamped with the time the
    /// service received it. Anything else sent to the ping endpoint is accepted and ignored.
    @inline(__always)
    func answerPing(_ packet: UMPPacket, now: UInt64, receiver: any EndpointReceiver) -> SendResult {
        guard packet.word0 == DiagnosticEndpoints.pingRequestWord0 else { return .sentOne }
        counters.pingRequestsAnswered += 1
        let reply = TimestampedUMP(timestamp: now,
                                   packet: UMPPacket(DiagnosticEndpoints.pingReplyWord0, packet.word1, packet.word2, 0))
        if receiver.receive(reply) {
            counters.receiverDeliveries += 1
            return .sentOne
        }
        counters.receiverOverflows += 1
        return SendResult(messagesAccepted: 1, receiverOverflows: 1)
    }
}
