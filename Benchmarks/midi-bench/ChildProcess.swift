import Foundation
import Glibc
import POSIX

/// A spawned role (or the daemon) whose stdout the coordinator reads line by line, with
/// timeouts; stderr goes to the coordinator's stderr, or to a log file for the daemon.
final class ChildProcess {
    let name: String
    private let process = Process()
    private let stdoutPipe = Pipe()
    private var pendingOutput: [UInt8] = []
    private var outputClosed = false

    /// Starts `executable` with `arguments`. `logPath`: where stderr (and stdout when
    /// `captureOutput` is false) go; nil = inherit stderr.
    init(name: String, executable: String, arguments: [String], logPath: String? = nil, captureOutput: Bool = true) throws(BenchError) {
        self.name = name
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "JOURNAL_STREAM")   // log plainly, not in journald style
        process.environment = environment
        if let logPath {
            guard FileManager.default.createFile(atPath: logPath, contents: nil) else { throw .process("cannot create \(logPath)") }
            guard let log = FileHandle(forWritingAtPath: logPath) else { throw .process("cannot write \(logPath)") }
            process.standardError = log
            if !captureOutput { process.standardOutput = log }
        }
        if captureOutput { process.standardOutput = stdoutPipe }
        do { try process.run() } catch {
            throw .process("cannot start \(name) (\(executable)): \(error)")
        }
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// The next line of stdout, or an error on timeout / end of output.
    func readLine(timeoutSeconds: Double) throws(BenchError) -> String {
        let deadline = BenchClock.now() + UInt64(timeoutSeconds * 1e9)
        let fd = stdoutPipe.fileHandleForReading.fileDescriptor
        while true {
            if let newline = pendingOutput.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pendingOutput[..<newline], as: UTF8.self)
                pendingOutput.removeSubrange(...newline)
                return line
            }
            if outputClosed { throw .process("\(name) ended its output without a result (exit status \(exitStatusText))") }
            let now = BenchClock.now()
            guard now < deadline else { throw .timeout("\(name) printed nothing for \(timeoutSeconds) s") }
            var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = retryingOnInterrupt { poll(&entry, 1, Int32((deadline - now) / 1_000_000 + 1)) }
            if ready < 0 { throw .system(.current("poll (\(name) output)")) }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = retryingOnInterrupt { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }
            if n > 0 {
                pendingOutput += chunk[..<n]
            } else if n == 0 {
                outputClosed = true
            } else if errno != EAGAIN {
                throw .system(.current("read (\(name) output)"))
            }
        }
    }

    /// Reads lines until one parses as `T` (roles print exactly one JSON line at the end).
    func readResult<T: Decodable>(_ type: T.Type, timeoutSeconds: Double) throws(BenchError) -> T {
        let line = try readLine(timeoutSeconds: timeoutSeconds)
        do {
            return try JSONDecoder().decode(T.self, from: Data(line.utf8))
        } catch {
            throw .process("\(name) printed \"\(line)\" where a result was expected: \(error)")
        }
    }

    /// Waits for the process to end; its exit status, or nil on timeout.
    @discardableResult
    func waitForExit(timeoutSeconds: Double) -> Int32? {
        let deadline = BenchClock.now() + UInt64(timeoutSeconds * 1e9)
        while process.isRunning {
            if BenchClock.now() > deadline { return nil }
            usleep(5_000)
        }
        return process.terminationStatus
    }

    private var exitStatusText: String {
        process.isRunning ? "still running" : "\(process.terminationStatus)"
    }

    /// SIGTERM, then SIGKILL if it does not go within `graceSeconds`.
    func stop(graceSeconds: Double = 5) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        if waitForExit(timeoutSeconds: graceSeconds) == nil {
            kill(process.processIdentifier, SIGKILL)
            _ = waitForExit(timeoutSeconds: 2)
        }
    }

    deinit { stop(graceSeconds: 1) }
}
