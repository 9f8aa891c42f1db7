import Foundation
import Glibc
import IPC
import MIDIDaemon
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

    // 9: one connection may hold at most `WireFormat.maximumRequestSize` of unfinished request.
    @Test func anOversizedFragmentedRequestIsRefusedAtThePerClientBound() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        let chunk = [UInt8](repeating: 0x20, count: 40_000)
        try client.sendRaw(Self.requestFrame(id: 1, operation: 6, body: chunk, more: true))
        try client.sendRaw(Self.requestFrame(id: 1, operation: 6, body: chunk, more: true))
        guard case .refusal(let refusal)? = try client.receiveFrame() else { Issue.record("no refusal"); return }
        #expect(refusal.reason == .malformedFrame)
        #expect(refusal.message.contains("exceeds \(WireFormat.maximumRequestSize) bytes"), "\(refusal.message)")
        #expect(try client.receiveFrame() == nil)
        #expect(daemon.process.isRunning)
    }

    // 9: an unfinished fragmented request is dropped, and its sender closed, after the timeout.
    @Test func anUnfinishedFragmentedRequestTimesOut() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        try client.sendRaw(Self.requestFrame(id: 1, operation: 6, body: Array(#"{"filt"#.utf8), more: true))
        guard case .refusal(let refusal)? = try client.receiveFrame(timeout: 8000) else { Issue.record("no refusal"); return }
        #expect(refusal.reason == .limitExceeded)
        #expect(refusal.message.contains("fragmented request not completed within 5000 ms"), "\(refusal.message)")
        #expect(try client.receiveFrame() == nil)
    }

    // 10: one user cannot take every client slot (the default bound: the daemon before the
    // fix welcomed all 256 from one process, and no one else got in).
    @Test func oneUserCannotHoldEveryConnection() throws {
        let limit = DaemonOptions.defaultMaximumClientsPerUser
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        var held: [TestClient] = []
        for index in 0..<limit {
            let client = try TestClient(path: sandbox.socketPath)
            guard case .welcome? = try client.handshake(name: "holder \(index)") else { Issue.record("no welcome \(index)"); return }
            held.append(client)
        }
        let oneMore = try TestClient(path: sandbox.socketPath)
        guard case .refusal(let refusal)? = try oneMore.receiveFrame() else {
            Issue.record("connection \(limit + 1) of one uid was not refused"); return
        }
        #expect(refusal.reason == .tooManyClients)
        #expect(refusal.message.contains("uid \(getuid()) already has \(limit) connections"), "\(refusal.message)")
        // A slot freed is a slot usable again.
        held.removeLast()
        usleep(200_000)
        let again = try TestClient(path: sandbox.socketPath)
        guard case .welcome? = try again.handshake() else { Issue.record("slot not freed on disconnect"); return }
        #expect(daemon.process.isRunning)
    }

    // 10: the bound is an option.
    @Test func thePerUserBoundIsAnOption() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox, extraArguments: ["--max-clients-per-user", "2"])
        defer { withExtendedLifetime(daemon) {} }
        let first = try TestClient(path: sandbox.socketPath)
        let second = try TestClient(path: sandbox.socketPath)
        guard case .welcome? = try first.handshake(), case .welcome? = try second.handshake() else { Issue.record("no welcome"); return }
        let third = try TestClient(path: sandbox.socketPath)
        guard case .refusal(let refusal)? = try third.receiveFrame() else { Issue.record("the third was not refused"); return }
        #expect(refusal.message.contains("already has 2 connections"), "\(refusal.message)")
    }
}
