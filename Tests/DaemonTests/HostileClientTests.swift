import Foundation
import Glibc
import IPC
import Testing
import UMP

/// Issue 12: what a hostile or buggy client may do to the real daemon, and what it gets back.
/// Every test here failed before its fix (the number is the issue's item).
@Suite("midisrv against hostile clients", .serialized)
struct HostileClientTests {
    /// A request frame built by hand: any body, any flags.
    static func requestFrame(id: UInt32, operation: UInt16, body: [UInt8], more: Bool = false) -> [UInt8] {
        var payload: [UInt8] = withUnsafeBytes(of: id.littleEndian, Array.init) + withUnsafeBytes(of: operation.littleEndian, Array.init)
        payload += body
        // The header by hand (docs/ipc.md): "MS" · kind · flags · payload length u32 LE.
        let header: [UInt8] = [0x4D, 0x53, FrameKind.request.rawValue, more ? FrameFlags.moreFragments.rawValue : 0]
            + withUnsafeBytes(of: UInt32(payload.count).littleEndian, Array.init)
        return header + payload
    }

    static func failure(_ frame: Frame?, id: UInt32) -> ControlError? {
        guard case .response(let responseId, .failure(let error))? = frame, responseId == RequestID(id) else { return nil }
        return error
    }

    // 1 + 12: the 527-byte request that killed the daemon now gets an error and the
    // connection carries on.
    @Test func deeplyNestedJSONGetsAnErrorReplyAndTheDaemonSurvives() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake(name: "deep")
        let bodies = [String(repeating: "[", count: 513), #"{"filter":"# + String(repeating: "[", count: 512)]
        for (index, body) in bodies.enumerated() {
            let id = UInt32(100 + index)
            try client.sendRaw(Self.requestFrame(id: id, operation: 6, body: Array(body.utf8)))
            let error = try #require(Self.failure(try client.receiveFrame(), id: id), "no error reply to a nested body")
            #expect(error.code == .invalidRequest)
            #expect(error.message.contains("nested deeper than \(WireFormat.maximumJSONDepth) levels"), "\(error.message)")
        }
        #expect(daemon.process.isRunning)
        // The same connection still works, and so does everyone else's.
        guard case .endpoints(let endpoints) = try client.request(.findEndpoints(EndpointQuery(filter: .all))) else {
            Issue.record("no listing after the rejected requests"); return
        }
        #expect(!endpoints.isEmpty)
        let other = try TestClient(path: sandbox.socketPath)
        guard case .welcome? = try other.handshake() else { Issue.record("no welcome"); return }
        #expect(daemon.waitForLog("rejected: invalid findEndpoints request body: at byte 32: nested deeper"))
    }

    // 12: a syntax error in a body is answered with what and where, the connection kept.
    @Test func invalidJSONSyntaxIsAnsweredWithItsPosition() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        try client.sendRaw(Self.requestFrame(id: 9, operation: 7, body: Array(#"{"endpoint": }"#.utf8)))
        let error = try #require(Self.failure(try client.receiveFrame(), id: 9))
        #expect(error.code == .invalidRequest)
        #expect(error.message == "invalid endpointProperties request body: at byte 13: expected a JSON value, found '}'")
        // A body ending in a backslash inside a string (found by fuzzing the first version of
        // the check, which looped for ever on it: the daemon would have hung).
        try client.sendRaw(Self.requestFrame(id: 10, operation: 7, body: Array(#"{"endpoint": "diag\"#.utf8)))
        let unterminated = try #require(Self.failure(try client.receiveFrame(), id: 10), "no reply to a body ending in a backslash")
        #expect(unterminated.message == "invalid endpointProperties request body: at byte 13: unterminated string")
        guard case .endpoint = try client.request(.endpointProperties(EndpointReference(endpoint: "diag_loopback_a"))) else {
            Issue.record("connection not usable after a bad body"); return
        }
    }
}
