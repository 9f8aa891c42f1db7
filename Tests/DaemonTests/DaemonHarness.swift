import Foundation
import Glibc
import IPC
import Testing
import UMP

/// Finds the `midisrv` built next to this test bundle (`swift build` puts both in the same
/// directory), else under the package's `.build/debug`. `MIDI_TEST_MIDISRV=/path/to/midisrv`
/// runs the daemon tests against another build instead — e.g. the one before a fix, to see a
/// regression test fail without it (docs/reliability.md).
enum MidisrvBinary {
    static var path: String? {
        if let override = ProcessInfo.processInfo.environment["MIDI_TEST_MIDISRV"], !override.isEmpty {
            return FileManager.default.isExecutableFile(atPath: override) ? override : nil
        }
        return builtPath
    }

    /// The `midisrv` of this build, whatever `MIDI_TEST_MIDISRV` says (the console and the
    /// other tools are found next to it).
    static var builtPath: String? {
        var candidates: [String] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var directory = (exe as NSString).deletingLastPathComponent
            // The test runner may live inside an .xctest bundle directory.
            while directory.hasSuffix(".xctest") || directory.contains(".xctest/") {
                directory = (directory as NSString).deletingLastPathComponent
            }
            candidates.append(directory + "/midisrv")
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        candidates.append(packageRoot + "/.build/debug/midisrv")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A temporary directory with a socket path, config path and state directory in it.
final class DaemonSandbox {
    let directory: String
    var socketPath: String { directory + "/midisrv.sock" }
    var configPath: String { directory + "/config/default.midiconfig.json" }
    var stateDirectory: String { directory + "/state" }

    init() throws {
        var template = Array("/tmp/midisrv-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw HarnessError("mkdtemp failed") }
        directory = String(cString: made)
        try FileManager.default.createDirectory(atPath: directory + "/config", withIntermediateDirectories: true)
    }

    func writeConfig(_ text: String) throws {
        try text.write(toFile: configPath, atomically: false, encoding: .utf8)
    }

    /// Like an editor that saves to a temporary file and renames it over the original.
    func replaceConfig(_ text: String) throws {
        let temporary = directory + "/config/.edit.tmp"
        try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, configPath) == 0 else { throw HarnessError("rename failed: \(errno)") }
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

/// A running `midisrv` with its stderr captured to a file.
final class DaemonProcess {
    let process = Process()
    let logPath: String
    let sandbox: DaemonSandbox

    /// `launcher`: a command that runs midisrv (e.g. `setpriv …`), its arguments before midisrv's
    /// path. Unless `extraArguments` say otherwise the daemon runs at normal scheduling
    /// (`--realtime-priority 0`): tests run as root on shared machines, and only the tests of
    /// real-time scheduling itself should put a FIFO daemon on the CPU.
    init(_ sandbox: DaemonSandbox, extraArguments: [String] = [], logName: String = "midisrv.log", waitForSocket: Bool = true,
         journal: Bool = false, environment extraEnvironment: [String: String] = [:], launcher: [String] = []) throws {
        guard let binary = MidisrvBinary.path else {
            throw HarnessError("midisrv binary not found next to the tests or in .build/debug; run `swift build` first")
        }
        self.sandbox = sandbox
        logPath = sandbox.directory + "/" + logName
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let scheduling = extraArguments.contains("--realtime-priority") ? [] : ["--realtime-priority", "0"]
        let arguments = ["--socket", sandbox.socketPath, "--config", sandbox.configPath,
                         "--state-dir", sandbox.stateDirectory, "--user", "--log-level", "debug"] + scheduling + extraArguments
        if let command = launcher.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = Array(launcher.dropFirst()) + [binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "JOURNAL_STREAM")
        if journal {
            // What systemd sets when stderr is the journal: the stream's device and inode.
            var info = stat()
            guard stat(logPath, &info) == 0 else { throw HarnessError("stat \(logPath) failed") }
            environment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
        }
        environment.merge(extraEnvironment) { _, extra in extra }
        process.environment = environment
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardError = log
        process.standardOutput = log
        try process.run()
        if waitForSocket { try waitUntilReady() }
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits for the "ready" log line (the socket is listening by then).
    func waitUntilReady(timeout: Double = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if log.contains("midisrv ready on") && log.hasSuffix("\n") { return }
            if !process.isRunning { throw HarnessError("midisrv exited (\(process.terminationStatus)) before it was ready:\n\(log)") }
            usleep(20_000)
        }
        throw HarnessError("midisrv did not become ready within \(timeout) s:\n\(log)")
    }

    /// Waits until the log contains `text` (the daemon logs asynchronously to our reads).
    func waitForLog(_ text: String, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if log.contains(text) { return true }
            usleep(20_000)
        }
        return false
    }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for exit; returns the status, or nil on timeout.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return process.isRunning ? nil : process.terminationStatus
    }

    deinit {
        if process.isRunning {
            process.terminate()
            if waitForExit(timeout: 5) == nil { kill(process.processIdentifier, SIGKILL) }
        }
    }
}

/// A synchronous protocol client built directly on the IPC module (no SDK): send a request,
/// wait for its response; everything else that arrives meanwhile is kept for inspection.
final class TestClient {
    let socket: SeqPacketSocket
    private let buffer = FrameBuffer()
    private var decoder = FrameDecoder()
    private var nextRequest: UInt32 = 0
    var events: [(SubscriptionID?, ServiceEvent)] = []
    var reports: [SendReport] = []
    var received: [ConnectionHandle: [TimestampedUMP]] = [:]
    private(set) var welcome: Welcome?

    init(path: String) throws {
        socket = try SeqPacketSocket.connected(to: SocketPath(path))
    }

    deinit { socket.close() }

    func send(_ frame: Frame) throws {
        for datagram in frame.encoded() {
            guard try socket.send(datagram) == .sent else { throw HarnessError("socket full") }
        }
    }

    func sendRaw(_ bytes: [UInt8]) throws {
        guard try socket.send(bytes) == .sent else { throw HarnessError("socket full") }
    }

    /// Waits for one datagram and receives it into `buffer`: its size, or nil at end of stream.
    /// Throws on timeout.
    private func receiveDatagram(timeout: Int32) throws -> Int? {
        while true {
            guard try socket.poll(for: .readable, timeoutMilliseconds: timeout) else { throw HarnessError("timed out waiting for a frame") }
            switch try socket.receive(into: buffer.bytes) {
            case .frame(let count): return count
            case .endOfStream: return nil
            case .wouldBlock: continue
            case .truncated(let count): throw HarnessError("truncated frame of \(count) bytes")
            }
        }
    }

    /// Receives one complete frame, or nil at end of stream. Throws on timeout.
    func receiveFrame(timeout: Int32 = 5000) throws -> Frame? {
        while let count = try receiveDatagram(timeout: timeout) {
            if let frame = try decoder.decode(buffer.prefix(count)) { return frame }
        }
        return nil
    }

    /// A response received without decoding its body: what a test that only counts large
    /// replies needs (decoding a listing of thousands of endpoints takes seconds in a debug
    /// build). Its fragments are checked to belong to one response.
    struct ResponseHeader: Equatable {
        var id: UInt32
        var replyKind: UInt16
        var bodyBytes: Int
    }

    /// Receives the next complete response, header and size only; nil at end of stream. Other
    /// frames are decoded and stashed, as `request` does.
    func receiveResponseHeader(timeout: Int32 = 5000) throws -> ResponseHeader? {
        var pending: ResponseHeader?
        while let count = try receiveDatagram(timeout: timeout) {
            let datagram = buffer.prefix(count)
            let header = try FrameHeader(validating: datagram)
            guard header.kind == .response else {
                if let frame = try decoder.decode(header: header, datagram: datagram) { stash(frame) }
                continue
            }
            guard count >= WireFormat.headerSize + 6 else { throw HarnessError("response of \(count) bytes has no sub-header") }
            let id = datagram.loadUnaligned(fromByteOffset: WireFormat.headerSize, as: UInt32.self).littleEndian
            let kind = datagram.loadUnaligned(fromByteOffset: WireFormat.headerSize + 4, as: UInt16.self).littleEndian
            let chunk = count - WireFormat.headerSize - 6
            if var current = pending {
                guard current.id == id, current.replyKind == kind else {
                    throw HarnessError("response \(id) interleaved with the fragments of response \(current.id)")
                }
                current.bodyBytes += chunk
                pending = current
            } else {
                pending = ResponseHeader(id: id, replyKind: kind, bodyBytes: chunk)
            }
            if !header.flags.contains(.moreFragments) { return pending }
        }
        return nil
    }

    @discardableResult
    func handshake(name: String = "daemon-tests", version: ProtocolVersion = .current) throws -> Frame? {
        try send(.hello(Hello(version: version, pid: getpid(), clientName: name)))
        let frame = try receiveFrame()
        if case .welcome(let welcome)? = frame { self.welcome = welcome }
        return frame
    }

    /// Sends a request and returns its reply, stashing events, reports and UMP on the way.
    func request(_ request: ControlRequest) throws -> ControlReply {
        nextRequest += 1
        let id = RequestID(nextRequest)
        try send(.request(id, request))
        while true {
            guard let frame = try receiveFrame() else { throw HarnessError("connection closed while waiting for \(id)") }
            if case .response(let responseId, let reply) = frame, responseId == id { return reply }
            stash(frame)
        }
    }

    private func stash(_ frame: Frame) {
        switch frame {
        case .event(let subscription, let event): events.append((subscription, event))
        case .sendReport(let report): reports.append(report)
        case .umpBatch(let batch): received[batch.connection, default: []] += batch.messages
        default: break
        }
    }

    /// Waits until `count` messages have arrived for `connection`.
    func waitForMessages(_ count: Int, on connection: ConnectionHandle, timeout: Int32 = 5000) throws -> [TimestampedUMP] {
        while (received[connection]?.count ?? 0) < count {
            guard let frame = try receiveFrame(timeout: timeout) else { throw HarnessError("connection closed") }
            stash(frame)
        }
        return received[connection] ?? []
    }

    func open(_ endpoint: String) throws -> OpenedConnection {
        guard case .connectionOpened(let opened) = try request(.openEndpoint(OpenEndpointRequest(endpoint: endpoint))) else {
            throw HarnessError("could not open \(endpoint)")
        }
        return opened
    }

    func sendUMP(_ messages: [TimestampedUMP], on connection: ConnectionHandle, reportRequested: Bool = false) throws {
        try send(.umpBatch(UMPBatch(connection: connection, messages: messages, reportRequested: reportRequested)))
    }
}
