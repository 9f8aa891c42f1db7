import Foundation
import Glibc
import IPC
import Testing
import UMP

/// These start the real `midisrv` binary on a temporary socket, config and state directory,
/// and speak the wire protocol with the IPC module directly.
@Suite("midisrv over its socket", .serialized)
struct DaemonProtocolTests {
    static let noteOnMIDI1 = UMPPacket(0x2090_3C7F)                  // type 2: group 0, ch 1, note 60, vel 127
    static let noteOnMIDI2 = UMPPacket(0x4090_3C00, 0xFFFF_0000)     // type 4: note 60, vel 0xFFFF

    @Test func handshakeCreatePairAndSendType2AndType4BothWays() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }

        let alice = try TestClient(path: sandbox.socketPath)
        guard case .welcome(let welcome)? = try alice.handshake(name: "alice") else {
            Issue.record("no welcome"); return
        }
        #expect(welcome.version == ProtocolVersion.current)
        #expect(welcome.serviceName == "midisrv")
        #expect(welcome.daemonPid == daemon.process.processIdentifier)

        let create = CreateLoopbackPairRequest(endpointA: LoopbackEndpointDefinition(name: "Test Loop A", uniqueIdentifier: "t1"),
                                               endpointB: LoopbackEndpointDefinition(name: "Test Loop B", uniqueIdentifier: "t1"))
        guard case .loopbackPair(let pair) = try alice.request(.createLoopbackPair(create)) else {
            Issue.record("pair not created"); return
        }
        #expect(pair.endpointA.id == #"\\?\swd#midisrv#midiu_loop_a_t1#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(!pair.isPersistent)

        let bob = try TestClient(path: sandbox.socketPath)
        try bob.handshake(name: "bob")
        let onA = try alice.open("loop_a_t1")
        let onB = try bob.open("Test Loop B")   // unique names resolve too
        #expect(onB.endpoint.id == pair.endpointB.id)

        // A → B: timestamp 0 arrives stamped with the receive time; non-zero arrives unchanged.
        let before = MonotonicNow.ns()
        try alice.sendUMP([TimestampedUMP(timestamp: 0, packet: Self.noteOnMIDI1),
                           TimestampedUMP(timestamp: 12_345, packet: Self.noteOnMIDI2)], on: onA.connection)
        let atB = try bob.waitForMessages(2, on: onB.connection)
        #expect(atB.map(\.packet) == [Self.noteOnMIDI1, Self.noteOnMIDI2])
        #expect(atB[0].packet.words == [0x2090_3C7F])
        #expect(atB[1].packet.words == [0x4090_3C00, 0xFFFF_0000])
        #expect(atB[0].timestamp >= before && atB[0].timestamp <= MonotonicNow.ns())
        #expect(atB[1].timestamp == 12_345)

        // B → A, and the sender's own endpoint does not echo.
        try bob.sendUMP([TimestampedUMP(timestamp: 7, packet: Self.noteOnMIDI2),
                         TimestampedUMP(timestamp: 8, packet: Self.noteOnMIDI1)], on: onB.connection, reportRequested: true)
        let atA = try alice.waitForMessages(2, on: onA.connection)
        #expect(atA == [TimestampedUMP(timestamp: 7, packet: Self.noteOnMIDI2), TimestampedUMP(timestamp: 8, packet: Self.noteOnMIDI1)])
        #expect(bob.received[onB.connection]?.count == 2, "B must not hear its own messages")
        // The requested report arrives with no losses.
        _ = try bob.request(.listLoopbackPairs)
        #expect(bob.reports == [SendReport(connection: onB.connection, messages: 2)])
    }

    @Test func malformedFrameClosesOnlyThatConnection() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }

        let good = try TestClient(path: sandbox.socketPath)
        try good.handshake(name: "good")
        let a = try good.open("diag_loopback_a")
        let b = try good.open("diag_loopback_b")

        let bad = try TestClient(path: sandbox.socketPath)
        try bad.handshake(name: "bad")
        // A UMP batch whose count promises more messages than it carries.
        var frame = Frame.umpBatch(UMPBatch(connection: ConnectionHandle(1), messages: [
            TimestampedUMP(timestamp: 0, packet: Self.noteOnMIDI1)])).encoded()[0]
        frame[12] = 9
        try bad.sendRaw(frame)
        // It is told what was wrong and where (its second frame), then closed.
        guard case .refusal(let refusal)? = try bad.receiveFrame() else { Issue.record("no refusal for a malformed frame"); return }
        #expect(refusal.reason == .malformedFrame)
        #expect(refusal.message.hasPrefix("malformed frame 2 on this connection: invalid UMP batch"), "\(refusal.message)")
        #expect(try bad.receiveFrame() == nil, "the daemon should close the sender of a malformed frame")
        #expect(daemon.waitForLog("malformed frame 2 on this connection: invalid UMP batch"))

        // The other client carries on: the diagnostic loopback keeps timestamps exactly as sent.
        try good.sendUMP([TimestampedUMP(timestamp: 0, packet: Self.noteOnMIDI2)], on: a.connection)
        let got = try good.waitForMessages(1, on: b.connection)
        #expect(got == [TimestampedUMP(timestamp: 0, packet: Self.noteOnMIDI2)])

        // And new clients are still welcome.
        let third = try TestClient(path: sandbox.socketPath)
        guard case .welcome? = try third.handshake(name: "third") else { Issue.record("no welcome after a bad client"); return }
    }

    @Test func garbageBeforeTheHandshakeIsRefusedAndVersionMismatchIsExplained() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }

        let garbage = try TestClient(path: sandbox.socketPath)
        try garbage.sendRaw([0xDE, 0xAD, 0xBE, 0xEF])
        guard case .refusal(let malformed)? = try garbage.receiveFrame() else { Issue.record("no refusal for garbage"); return }
        #expect(malformed.reason == .malformedFrame)
        #expect(malformed.message.contains("malformed frame 1 on this connection: bad frame magic"), "\(malformed.message)")
        #expect(try garbage.receiveFrame() == nil)

        let future = try TestClient(path: sandbox.socketPath)
        guard case .refusal(let refusal)? = try future.handshake(version: ProtocolVersion(major: 99, minor: 0)) else {
            Issue.record("no refusal"); return
        }
        #expect(refusal.reason == .versionMismatch)
        #expect(refusal.message.contains("99.0"))
        #expect(try future.receiveFrame() == nil)
        #expect(daemon.process.isRunning)
    }

    @Test func secondDaemonOnTheSameSocketRefusesWithAClearMessage() throws {
        let sandbox = try DaemonSandbox()
        let first = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(first) {} }
        let second = try DaemonProcess(sandbox, logName: "second.log", waitForSocket: false)
        let status = try #require(second.waitForExit())
        #expect(status != 0)
        #expect(second.log.contains("another midisrv is running on \(sandbox.socketPath)"))
        #expect(first.process.isRunning)
        // The first one still answers.
        let client = try TestClient(path: sandbox.socketPath)
        guard case .welcome? = try client.handshake() else { Issue.record("first daemon stopped answering"); return }
    }

    @Test func sigtermStopsCleanlyAndRemovesTheSocket() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        var info = stat()
        #expect(lstat(sandbox.socketPath, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        #expect(access(sandbox.socketPath, F_OK) != 0, "socket file left behind")
        #expect(daemon.log.contains("SIGTERM: stopping"))
    }

    @Test func staleSocketFileIsReplaced() throws {
        let sandbox = try DaemonSandbox()
        // A socket file nobody listens on, as a killed daemon leaves behind.
        let stale = try SeqPacketSocket.listening(at: SocketPath(sandbox.socketPath))
        stale.close()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        #expect(daemon.log.contains("replaced a stale socket file"))
        let client = try TestClient(path: sandbox.socketPath)
        guard case .welcome? = try client.handshake() else { Issue.record("no welcome"); return }
    }

    @Test func configSyntaxErrorIsReportedWithLineAndColumnAndTheDaemonRuns() throws {
        let sandbox = try DaemonSandbox()
        let broken = """
        {
          "endpointTransportPluginSettings": {
            "{942BF02D-93C0-4EA8-B03E-D51156CA75E1}": { "create": { ,
          }
        }
        """
        try sandbox.writeConfig(broken)
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        #expect(daemon.log.contains("syntax error at line 3, column"), "log:\n\(daemon.log)")

        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        guard case .endpoints(let endpoints) = try client.request(.findEndpoints(EndpointQuery(filter: .all))) else {
            Issue.record("no listing"); return
        }
        #expect(Set(endpoints.map(\.purpose)) == [.diagnosticLoopback, .diagnosticPing])
        guard case .status(let status) = try client.request(.serviceStatus) else { Issue.record("no status"); return }
        #expect(status.config.state == .syntaxError)
        #expect(status.config.message?.contains("line 3") == true)
        // The file is the user's: untouched.
        #expect(try String(contentsOfFile: sandbox.configPath, encoding: .utf8) == broken)
    }
}

enum MonotonicNow {
    static func ns() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

@Suite("midisrv diagnostics over the socket", .serialized)
struct DaemonDiagnosticsTests {
    @Test func pingIsAnsweredOnTheSendingConnectionOnly() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        let ping = try client.open("diag_ping")
        let other = try client.open("diag_ping")
        let before = MonotonicNow.ns()
        try client.sendUMP([TimestampedUMP(timestamp: 0, packet: UMPPacket(0xF3FE_0000, 0x1234_5678, 0x9ABC_DEF0, 0))],
                           on: ping.connection)
        let replies = try client.waitForMessages(1, on: ping.connection)
        #expect(replies.first?.packet == UMPPacket(0xF3FD_0000, 0x1234_5678, 0x9ABC_DEF0, 0))
        #expect((replies.first?.timestamp ?? 0) >= before)
        _ = try client.request(.listLoopbackPairs)
        #expect(client.received[other.connection] == nil)
    }

    @Test func statusShowsClientsWithCredentialsAndWhatTheDaemonRunsWithout() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake(name: "status-check")
        guard case .status(let status) = try client.request(.serviceStatus) else { Issue.record("no status"); return }
        #expect(status.pid == daemon.process.processIdentifier)
        #expect(status.socketPath == sandbox.socketPath)
        #expect(status.config.state == .missing)
        #expect(status.endpointCount == 3)   // diagnostic loopback A, B and ping
        let me = try #require(status.clients.first { $0.name == "status-check" })
        #expect(me.credentials == PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
        if access("/dev/snd/seq", F_OK) != 0 {
            #expect(!status.alsa.available)
            #expect(status.alsa.detail.contains("/dev/snd/seq"))
            #expect(daemon.log.contains("running without"))
        }
    }
}

@Suite("midisrv handshake deadline")
struct DaemonHandshakeDeadlineTests {
    @Test func aClientThatNeverSaysHelloIsClosedAfterFiveSeconds() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let silent = try TestClient(path: sandbox.socketPath)
        let start = Date()
        #expect(try silent.receiveFrame(timeout: 10_000) == nil)
        let waited = Date().timeIntervalSince(start)
        #expect(waited > 4 && waited < 9, "closed after \(waited) s")
        #expect(daemon.log.contains("no hello within 5 s"))
    }
}

@Suite("midisrv logging")
struct DaemonLoggingTests {
    @Test func underTheJournalEveryLineCarriesItsSyslogPriority() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox, journal: true)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        let lines = daemon.log.split(separator: "\n")
        #expect(lines.count >= 3)
        #expect(lines.allSatisfy { $0.hasPrefix("<") && $0.dropFirst().first?.isNumber == true && $0.dropFirst(2).first == ">" })
        #expect(lines.contains { $0.hasPrefix("<5>midisrv ready on ") })
        #expect(lines.contains { $0.hasPrefix("<6>midisrv ") && $0.contains("starting") })
    }

    @Test func onAFileLinesArePlainWithATimeAndLevel() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        let ready = daemon.log.split(separator: "\n").first { $0.contains("midisrv ready on") }
        let line = try #require(ready)
        #expect(!line.hasPrefix("<"))
        #expect(line.contains(" notice midisrv ready on "))
    }
}
