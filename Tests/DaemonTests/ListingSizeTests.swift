import Foundation
import Glibc
import IPC
import Testing

/// Issue 12, item 2: listings work at any size the service accepts — a reply larger than the
/// client's outgoing queue is streamed as the client reads, instead of closing the asker as
/// "not reading" — and names are bounded.
@Suite("large listings", .serialized)
struct ListingSizeTests {
    static func guid(_ n: Int) -> String {
        let hex = String(n, radix: 16, uppercase: true)
        return "{" + String(repeating: "0", count: 8 - hex.count) + hex + "-0000-4000-8000-000000000000}"
    }

    /// A request whose reply may take a while to build (thousands of endpoints, debug build).
    static func request(_ client: TestClient, _ id: UInt32, _ request: ControlRequest) throws -> ControlReply {
        try client.send(.request(RequestID(id), request))
        while true {
            guard let frame = try client.receiveFrame(timeout: 60_000) else { throw HarnessError("connection closed waiting for \(id)") }
            if case .response(RequestID(id), let reply) = frame { return reply }
        }
    }

    @Test func thousandsOfPairsListCompletelyThroughTheSocketAndTheConsole() throws {
        // 2,000 pairs of long names: the listings are several times the 2 MiB outgoing queue
        // (before the fix, 1,750 ordinary pairs were enough to close every asker).
        let count = 2000
        let padding = String(repeating: "x", count: 90)   // long names, far below the limit
        let sandbox = try DaemonSandbox()
        try sandbox.writeConfig(loopbackConfig((0..<count).map { n in
            (Self.guid(n + 1), "Pair \(n) A \(padding)", "Pair \(n) B \(padding)", "p\(n)")
        }))
        let daemon = try DaemonProcess(sandbox, waitForSocket: false)
        defer { withExtendedLifetime(daemon) {} }
        try daemon.waitUntilReady(timeout: 120)

        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        let started = Date()
        guard case .loopbackPairs(let pairs) = try Self.request(client, 1, .listLoopbackPairs) else {
            Issue.record("no pair listing"); return
        }
        #expect(pairs.count == count)
        print("listLoopbackPairs of \(count) pairs: \(Date().timeIntervalSince(started)) s")
        guard case .endpoints(let endpoints) = try Self.request(client, 2, .findEndpoints(EndpointQuery(filter: .all))) else {
            Issue.record("no endpoint listing"); return
        }
        #expect(endpoints.count >= 2 * count)
        // Several clients asking at once, one of them slow to read: each gets all of it.
        let slow = try TestClient(path: sandbox.socketPath)
        try slow.handshake()
        try slow.send(.request(RequestID(77), .findEndpoints(EndpointQuery(filter: .all))))
        usleep(500_000)   // the reply piles up in the daemon meanwhile
        guard case .endpoints(let again) = try Self.request(client, 3, .findEndpoints(EndpointQuery(filter: .all))) else {
            Issue.record("no second listing"); return
        }
        #expect(again.count == endpoints.count)
        var slowReply: ControlReply?
        while slowReply == nil {
            guard let frame = try slow.receiveFrame(timeout: 60_000) else { Issue.record("slow reader disconnected"); return }
            if case .response(RequestID(77), let reply) = frame { slowReply = reply }
        }
        guard case .endpoints(let slowEndpoints)? = slowReply else { Issue.record("slow reader got no listing"); return }
        #expect(slowEndpoints.count == endpoints.count)
        #expect(!daemon.log.contains("not reading"), "\(daemon.log.suffix(2000))")

        // The console lists them all too.
        let listed = try runConsole(["loopback", "list", "--json"], socket: sandbox.socketPath, directory: sandbox.directory,
                                    timeout: 120)
        #expect(listed.status == 0, "\(listed.stderr)")
        let json = try listed.json() as? [Any]
        #expect(json?.count == count)
    }

    /// A client that asks for many large listings without reading gets them all, one after
    /// the other: while a reply waits behind its queue the daemon reads nothing more from it,
    /// so it holds one such reply, not one per request (40 of these would pass the 49 MiB
    /// backlog bound, and the client would be closed as "not reading").
    @Test func manyListingsAskedAtOnceAreAnsweredOneAtATime() throws {
        let count = 2000
        let padding = String(repeating: "y", count: 90)
        let sandbox = try DaemonSandbox()
        try sandbox.writeConfig(loopbackConfig((0..<count).map { n in
            (Self.guid(n + 1), "Many \(n) A \(padding)", "Many \(n) B \(padding)", "m\(n)")
        }))
        let daemon = try DaemonProcess(sandbox, waitForSocket: false)
        defer { withExtendedLifetime(daemon) {} }
        try daemon.waitUntilReady(timeout: 120)
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        let asked = 40
        for id in 1...asked {
            try client.send(.request(RequestID(UInt32(id)), .findEndpoints(EndpointQuery(filter: .all))))
        }
        // The first and the last listing are decoded in full; the 38 between them are counted
        // by their headers (same reply kind, same size as the first): decoding each would cost
        // the debug build seconds and check nothing more.
        var answered: [UInt32] = []
        var first: TestClient.ResponseHeader?
        while answered.count < asked {
            if answered.count == 0 || answered.count == asked - 1 {
                guard let frame = try client.receiveFrame(timeout: 60_000) else {
                    Issue.record("closed after \(answered.count) of \(asked) listings:\n\(daemon.log.suffix(1500))"); return
                }
                guard case .response(let id, .endpoints(let endpoints)) = frame else {
                    Issue.record("expected a listing, got \(frame)"); return
                }
                #expect(endpoints.count >= 2 * count)
                answered.append(id.rawValue)
                continue
            }
            guard let response = try client.receiveResponseHeader(timeout: 60_000) else {
                Issue.record("closed after \(answered.count) of \(asked) listings:\n\(daemon.log.suffix(1500))"); return
            }
            if let first {
                #expect(response.replyKind == first.replyKind && response.bodyBytes == first.bodyBytes,
                        "listing \(response.id): \(response) unlike listing \(first.id): \(first)")
            } else {
                #expect(response.bodyBytes > 2 * count * 100, "listing \(response.id) is only \(response.bodyBytes) bytes")
                first = response
            }
            answered.append(response.id)
        }
        #expect(answered == Array(1...UInt32(asked)), "answered out of order: \(answered)")
        #expect(!daemon.log.contains("not reading"), "\(daemon.log.suffix(1500))")
    }
}
