import Foundation
import Glibc
import IPC
import Testing
import UMP

/// Issue 12, items 2 and 8: names and descriptions are bounded and free of characters that act
/// on terminals and logs, at every entry — socket requests, the config file, in-protocol
/// Endpoint Name Notifications, `endpoints.json` — and a client's hello name cannot forge log
/// lines or status rows.
@Suite("endpoint text rules at every entry", .serialized)
struct EndpointTextTests {
    static func failure(_ reply: ControlReply) -> ControlError? {
        if case .failure(let error) = reply { return error }
        return nil
    }

    @Test func socketRequestsRefuseLongNamesAndActiveCharacters() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()

        let rename = { (name: String, description: String?) throws -> ControlError? in
            Self.failure(try client.request(.renameEndpoint(RenameEndpointRequest(endpoint: "diag_loopback_a", name: name,
                                                                                   description: description))))
        }
        let control = try #require(try rename("\u{0}\u{1}\u{1B}[31m", nil), "a name with NUL and ESC was accepted")
        #expect(control.code == .validationFailed)
        #expect(control.message.contains("the control character U+0000"), "\(control.message)")
        let long = try #require(try rename(String(repeating: "n", count: 129), nil))
        #expect(long.message.contains("name is 129 bytes long (UTF-8); at most 128 are allowed"), "\(long.message)")
        let multibyte = try #require(try rename(String(repeating: "é", count: 65), nil), "130 bytes in 65 characters")
        #expect(multibyte.message.contains("130 bytes"))
        let bidi = try #require(try rename("Safe", "abc\u{202E}txt.exe"))
        #expect(bidi.message.contains("bidirectional formatting character U+202E"), "\(bidi.message)")
        for bad in ["zero\u{200B}width", "line\u{2028}sep", "para\u{2029}sep", "iso\u{2066}late", "bom\u{FEFF}"] {
            #expect(try rename(bad, nil) != nil, "\(bad.unicodeScalars.map { String($0.value, radix: 16) }) accepted")
        }
        // Nothing was half-applied: the diagnostic endpoint keeps its name.
        guard case .endpoint(let info) = try client.request(.endpointProperties(EndpointReference(endpoint: "diag_loopback_a"))) else {
            Issue.record("no properties"); return
        }
        #expect(info.userSupplied?.name == nil, "\(String(describing: info.userSupplied))")
        // Within the rules: accepted, including non-ASCII and emoji.
        #expect(try rename("Left hand 🎹 Ünïcödé", "a plain description") == nil)

        let pair = { (a: String, description: String?) in
            CreateLoopbackPairRequest(endpointA: LoopbackEndpointDefinition(name: a, description: description, uniqueIdentifier: "t"),
                                      endpointB: LoopbackEndpointDefinition(name: "Other side", uniqueIdentifier: "t"))
        }
        let separator = try #require(Self.failure(try client.request(.createLoopbackPair(pair("A\u{2028}B", nil)))))
        #expect(separator.code == .validationFailed)
        #expect(separator.details?.joined().contains("U+2028") == true, "\(separator)")
        let bigRequest = pair("Fine", String(repeating: "d", count: 1025))
        let bigDescription = try #require(Self.failure(try client.request(.createLoopbackPair(bigRequest))))
        #expect(bigDescription.details?.joined().contains("description is 1025 bytes long") == true, "\(bigDescription)")
        guard case .loopbackPairs(let pairs) = try client.request(.listLoopbackPairs) else { Issue.record("no list"); return }
        #expect(pairs.isEmpty)
    }

    @Test func theConfigFileRefusesTheSameWithThePathOfTheEntry() throws {
        let sandbox = try DaemonSandbox()
        try sandbox.writeConfig(loopbackConfig([("{0C1B3439-593F-4B7A-8950-4698D97B0897}", "Evil\\u202Eexe", "Fine B", "cfg1"),
                                                ("{B21B4973-3F85-48A0-8BA3-B35F44683D36}", "Good A", "Good B", "cfg2")]))
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        #expect(try client.pairs().map(\.associationId) == ["{B21B4973-3F85-48A0-8BA3-B35F44683D36}"])
        #expect(daemon.log.contains("endpointA.name: name \"Evil\\u{202E}exe\" contains the bidirectional formatting character U+202E"),
                "\(daemon.log)")
    }

    @Test func aDeclaredNameIsCleanedAndAHelloNameCannotForgeLogLines() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake(name: "evil\nmidisrv[1]: FORGED line\u{1B}[31m")
        let onA = try client.open("diag_loopback_a")
        let packets = UMPStreamText.endpointNamePackets("Bell\u{7}Esc\u{1B}[2JRLO\u{202E}")
        try client.sendUMP(packets.map { TimestampedUMP(timestamp: 0, packet: $0) }, on: onA.connection)
        guard case .endpoint(let info) = try client.request(.endpointProperties(EndpointReference(endpoint: "diag_loopback_a"))) else {
            Issue.record("no properties"); return
        }
        #expect(info.declared?.name == "BellEsc[2JRLO", "\(String(describing: info.declared?.name))")

        guard case .status(let status) = try client.request(.serviceStatus) else { Issue.record("no status"); return }
        let names = status.clients.map(\.name)
        #expect(names.contains("evil\\u{A}midisrv[1]: FORGED line\\u{1B}[31m"), "\(names)")
        #expect(!daemon.log.split(separator: "\n").contains { $0.hasPrefix("midisrv[1]: FORGED") })
        #expect(daemon.log.contains("\"evil\\u{A}midisrv[1]: FORGED line\\u{1B}[31m\" connected"))
    }
}
