import Foundation
import Glibc
import IPC
import Testing
import UMP

func loopbackConfig(_ pairs: [(id: String, a: String, b: String, unique: String)], comment: String = "kept by the daemon") -> String {
    let entries = pairs.map { pair in
        """
              "\(pair.id)": {
                "_comment": "pair \(pair.unique)",
                "endpointA": { "name": "\(pair.a)", "description": "side A", "uniqueIdentifier": "\(pair.unique)" },
                "endpointB": { "name": "\(pair.b)", "uniqueIdentifier": "\(pair.unique)" }
              }
        """
    }.joined(separator: ",\n")
    return """
    {
      "_comment": "\(comment)",
      "endpointTransportPluginSettings": {
        "{942BF02D-93C0-4EA8-B03E-D51156CA75E1}": {
          "create": {
    \(entries)
          }
        }
      }
    }

    """
}

extension TestClient {
    func pairs() throws -> [LoopbackPairInfo] {
        guard case .loopbackPairs(let pairs) = try request(.listLoopbackPairs) else { throw HarnessError("no pair list") }
        return pairs
    }

    /// Polls the pair list until `predicate` holds (the daemon applies file edits after a short
    /// settle delay).
    func waitForPairs(timeout: Double = 10, _ predicate: ([LoopbackPairInfo]) -> Bool) throws -> [LoopbackPairInfo] {
        let deadline = Date().addingTimeInterval(timeout)
        var last = try pairs()
        while !predicate(last) && Date() < deadline {
            usleep(50_000)
            last = try pairs()
        }
        return last
    }
}

@Suite("midisrv: config, state, backpressure, watchers", .serialized)
struct DaemonBehaviourTests {
    static let idOne = "{0C1B3439-593F-4B7A-8950-4698D97B0897}"
    static let idTwo = "{B21B4973-3F85-48A0-8BA3-B35F44683D36}"

    @Test func configEditsApplyLiveAsADiffIncludingEditorRenameOver() throws {
        let sandbox = try DaemonSandbox()
        try sandbox.writeConfig(loopbackConfig([(Self.idOne, "Perm Loopback 1A", "Perm Loopback 1B", "3263827")]))
        let daemon = try DaemonProcess(sandbox)
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        let initial = try client.pairs()
        #expect(initial.map(\.associationId) == [Self.idOne])
        #expect(initial.first?.isPersistent == true)

        // Config pairs cannot be removed through the API.
        guard case .failure(let error) = try client.request(.removeLoopbackPair(LoopbackPairReference(associationId: Self.idOne))) else {
            Issue.record("a config pair was removed through the API"); return
        }
        #expect(error.code == .notPermitted)

        // An editor saves by writing a temporary file and renaming it over the original.
        try sandbox.replaceConfig(loopbackConfig([(Self.idTwo, "Perm Loopback 2A", "Perm Loopback 2B", "5150")]))
        let afterEdit = try client.waitForPairs { $0.map(\.associationId) == [Self.idTwo] }
        #expect(afterEdit.map(\.associationId) == [Self.idTwo], "log:\n\(daemon.log)")

        // In-place write + SIGHUP: both pairs.
        try sandbox.writeConfig(loopbackConfig([(Self.idOne, "Perm Loopback 1A", "Perm Loopback 1B", "3263827"),
                                                (Self.idTwo, "Perm Loopback 2A", "Perm Loopback 2B", "5150")]))
        daemon.signal(SIGHUP)
        let both = try client.waitForPairs { $0.count == 2 }
        #expect(Set(both.map(\.associationId)) == [Self.idOne, Self.idTwo])

        // A syntax error while running keeps what is loaded.
        try sandbox.replaceConfig("{ \"endpointTransportPluginSettings\": ")
        #expect(daemon.waitForLog("keeping the 2 pairs already loaded"))
        #expect(try client.pairs().count == 2)
    }

    @Test func invalidEntriesAreLoggedWithTheirPathAndValidOnesCreated() throws {
        let sandbox = try DaemonSandbox()
        try sandbox.writeConfig(loopbackConfig([(Self.idOne, "Good A", "Good B", "good"),
                                                (Self.idTwo, "Bad A", "Bad B", "bad id!")]))
        let daemon = try DaemonProcess(sandbox)
        #expect(daemon.log.contains("create.\(Self.idTwo).endpointA.uniqueIdentifier"), "log:\n\(daemon.log)")
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        #expect(try client.pairs().map(\.associationId) == [Self.idOne])
        guard case .status(let status) = try client.request(.serviceStatus) else { Issue.record("no status"); return }
        #expect(status.config.state == .invalidEntries)
        #expect(status.config.issues.contains { $0.contains("uniqueIdentifier") })
    }

    @Test func persistWritesThePairIntoTheFileKeepingEverythingElse() throws {
        let sandbox = try DaemonSandbox()
        let original = loopbackConfig([(Self.idOne, "Perm Loopback 1A", "Perm Loopback 1B", "3263827")], comment: "my notes")
        try sandbox.writeConfig(original)
        var daemon: DaemonProcess? = try DaemonProcess(sandbox)
        var client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        let create = CreateLoopbackPairRequest(associationId: Self.idTwo,
                                               endpointA: LoopbackEndpointDefinition(name: "Kept A", uniqueIdentifier: "kept"),
                                               endpointB: LoopbackEndpointDefinition(name: "Kept B", uniqueIdentifier: "kept"),
                                               persist: true)
        guard case .loopbackPair(let pair) = try client.request(.createLoopbackPair(create)) else {
            Issue.record("not created"); return
        }
        #expect(pair.isPersistent)
        let written = try String(contentsOfFile: sandbox.configPath, encoding: .utf8)
        #expect(written.contains("\"my notes\""))
        #expect(written.contains("\"pair 3263827\""))
        #expect(written.contains("Kept A"))
        #expect(written.hasPrefix(String(original.prefix(40))))

        // After a restart the pair is back, from the file.
        daemon?.signal(SIGTERM)
        #expect(daemon?.waitForExit() == 0)
        daemon = nil
        daemon = try DaemonProcess(sandbox, logName: "second.log")
        client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        let pairs = try client.pairs()
        #expect(Set(pairs.map(\.associationId)) == [Self.idOne, Self.idTwo])
        #expect(pairs.allSatisfy { $0.isPersistent })
    }

    @Test func customNamesSurviveARestart() throws {
        let sandbox = try DaemonSandbox()
        var daemon: DaemonProcess? = try DaemonProcess(sandbox)
        var client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        guard case .endpoint(let renamed) = try client.request(.renameEndpoint(RenameEndpointRequest(endpoint: "diag_loopback_a", name: "My Test A"))) else {
            Issue.record("rename failed"); return
        }
        #expect(renamed.name == "My Test A")
        #expect(renamed.transportSupplied.name == "Service Test Loopback A")

        daemon?.signal(SIGTERM)
        #expect(daemon?.waitForExit() == 0)
        daemon = nil
        daemon = try DaemonProcess(sandbox, logName: "second.log")
        client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        guard case .endpoint(let restored) = try client.request(.endpointProperties(EndpointReference(endpoint: "diag_loopback_a"))) else {
            Issue.record("no properties"); return
        }
        #expect(restored.name == "My Test A")
        #expect(restored.userSupplied?.name == "My Test A")
    }

    @Test func watcherGetsEnumerationThenLiveChangesAndOpenConnectionsAreClosedOnRemoval() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        guard case .subscribed(let info) = try client.request(.subscribeEndpointEvents(SubscribeRequest(filter: [.allStandardEndpoints, .includeDiagnosticLoopback]))) else {
            Issue.record("not subscribed"); return
        }
        // Initial enumeration: the two diagnostic loopbacks (ping is filtered out), then completed.
        _ = try client.request(.listLoopbackPairs)   // everything sent before this reply has arrived
        let initial = client.events.filter { $0.0 == info.subscription }.map(\.1)
        #expect(initial.count == 3)
        if case .enumerationCompleted? = initial.last {} else { Issue.record("no enumerationCompleted last") }
        client.events.removeAll()

        let create = CreateLoopbackPairRequest(endpointA: LoopbackEndpointDefinition(name: "W A", uniqueIdentifier: "w"),
                                               endpointB: LoopbackEndpointDefinition(name: "W B", uniqueIdentifier: "w"))
        guard case .loopbackPair(let pair) = try client.request(.createLoopbackPair(create)) else { Issue.record("no pair"); return }
        let opened = try client.open(pair.endpointB.id)
        _ = try client.request(.removeLoopbackPair(LoopbackPairReference(associationId: pair.associationId)))
        _ = try client.request(.listLoopbackPairs)
        let kinds = client.events.map { $0.1 }
        let added = kinds.compactMap { if case .endpointAdded(let e) = $0 { return e.id } else { return nil } }
        let removed = kinds.compactMap { if case .endpointRemoved(let r) = $0 { return r.id } else { return nil } }
        let closed = kinds.compactMap { if case .connectionClosed(let c) = $0 { return c.connection } else { return nil } }
        #expect(Set(added) == [pair.endpointA.id, pair.endpointB.id])
        #expect(Set(removed) == [pair.endpointA.id, pair.endpointB.id])
        #expect(closed == [opened.connection])
    }

    @Test func aSlowReceiverOverflowsAloneIsCountedAndReportedAndNeverStallsOthers() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let sender = try TestClient(path: sandbox.socketPath)
        try sender.handshake(name: "sender")
        let fast = try TestClient(path: sandbox.socketPath)
        try fast.handshake(name: "fast")
        let slow = try TestClient(path: sandbox.socketPath)
        try slow.handshake(name: "slow")
        let create = CreateLoopbackPairRequest(endpointA: LoopbackEndpointDefinition(name: "Flood A", uniqueIdentifier: "flood"),
                                               endpointB: LoopbackEndpointDefinition(name: "Flood B", uniqueIdentifier: "flood"))
        guard case .loopbackPair = try sender.request(.createLoopbackPair(create)) else { Issue.record("no pair"); return }
        let out = try sender.open("loop_a_flood")
        let fastIn = try fast.open("loop_b_flood")
        let slowIn = try slow.open("loop_b_flood")   // opens, then never reads again

        let batches = 120, perBatch = 1_000
        for batch in 0..<batches {
            let messages = (0..<perBatch).map { i in
                TimestampedUMP(timestamp: UInt64(batch * perBatch + i + 1), packet: UMPPacket(0x2090_0000 | UInt32(i & 0x7F) << 8 | 0x40))
            }
            try sender.sendUMP(messages, on: out.connection)
            // The fast receiver keeps up: it has everything so far before the next batch goes out.
            let got = try fast.waitForMessages((batch + 1) * perBatch, on: fastIn.connection)
            #expect(got.count == (batch + 1) * perBatch)
        }
        let all = try fast.waitForMessages(batches * perBatch, on: fastIn.connection)
        #expect(all.count == batches * perBatch)
        #expect(all.map(\.timestamp) == (1...UInt64(batches * perBatch)).map { $0 })

        // The sender was told, in send reports, how many deliveries the slow receiver missed.
        guard case .status(let status) = try sender.request(.serviceStatus) else { Issue.record("no status"); return }
        let overflowReported = sender.reports.reduce(0) { $0 + Int($1.receiverOverflow) }
        let slowStatus = try #require(status.clients.first { $0.name == "slow" })
        let fastStatus = try #require(status.clients.first { $0.name == "fast" })
        #expect(overflowReported > 0)
        #expect(slowStatus.droppedMessages == UInt64(overflowReported))
        #expect(slowStatus.connections.first?.droppedOverflow == UInt64(overflowReported))
        #expect(slowStatus.connections.first?.connection == slowIn.connection)
        #expect(slowStatus.queuedBytes <= slowStatus.queueCapacityBytes)
        #expect(fastStatus.droppedMessages == 0)
        #expect(slowStatus.credentials.pid == getpid())
        #expect(slowStatus.credentials.uid == getuid())
        let reportsOnSender = sender.reports.allSatisfy { $0.connection == out.connection }
        #expect(reportsOnSender)
    }
}

@Suite("midisrv: metadata captured from the stream", .serialized)
struct DaemonMetadataTests {
    @Test func anEndpointNameNotificationSentOnARenamesAForEveryoneAndSurvivesARestart() throws {
        let sandbox = try DaemonSandbox()
        var daemon: DaemonProcess? = try DaemonProcess(sandbox)
        var client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        let create = CreateLoopbackPairRequest(endpointA: LoopbackEndpointDefinition(name: "Meta A", uniqueIdentifier: "meta"),
                                               endpointB: LoopbackEndpointDefinition(name: "Meta B", uniqueIdentifier: "meta"),
                                               persist: true)
        guard case .loopbackPair(let pair) = try client.request(.createLoopbackPair(create)) else { Issue.record("no pair"); return }
        guard case .subscribed(let watch) = try client.request(.subscribeEndpointEvents(SubscribeRequest())) else {
            Issue.record("no subscription"); return
        }
        let onA = try client.open(pair.endpointA.id)
        let name = "Synth Engine Left Hand (multi-packet name)"
        let packets = UMPStreamText.endpointNamePackets(name)
        #expect(packets.count > 1)
        try client.sendUMP(packets.map { TimestampedUMP(timestamp: 0, packet: $0) }, on: onA.connection)

        guard case .endpoint(let renamed) = try client.request(.endpointProperties(EndpointReference(endpoint: pair.endpointA.id))) else {
            Issue.record("no properties"); return
        }
        #expect(renamed.name == name)
        #expect(renamed.declared?.name == name)
        #expect(renamed.transportSupplied.name == "Meta A")
        let updates = client.events.compactMap { event -> EndpointUpdated? in
            guard event.0 == watch.subscription, case .endpointUpdated(let update) = event.1 else { return nil }
            return update
        }
        #expect(updates.contains { $0.endpoint.id == pair.endpointA.id && $0.changed.contains("name") && $0.endpoint.name == name })

        daemon?.signal(SIGTERM)
        #expect(daemon?.waitForExit() == 0)
        daemon = nil
        daemon = try DaemonProcess(sandbox, logName: "second.log")
        client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        guard case .endpoint(let restored) = try client.request(.endpointProperties(EndpointReference(endpoint: pair.endpointA.id))) else {
            Issue.record("no properties after restart"); return
        }
        #expect(restored.name == name)
        withExtendedLifetime(daemon) {}
    }
}
