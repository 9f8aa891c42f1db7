import Foundation
import Glibc

/// A temporary `midisrv`: its own socket, an empty configuration file and a state directory in
/// a scratch directory, so the bench never touches the user's service or files.
final class DaemonInstance {
    let directory: String
    let socketPath: String
    let logPath: String
    private let child: ChildProcess

    /// `realtimePriority`: the daemon's `--realtime-priority` (0: normal scheduling, which the
    /// bench asks for unless it compares real-time scheduling, so that the daemon and the
    /// baseline relay are scheduled alike).
    init(executable: String, scratch: String, name: String, realtimePriority: Int32 = 0) throws(BenchError) {
        directory = scratch + "/" + name
        socketPath = directory + "/midisrv.sock"
        logPath = directory + "/midisrv.log"
        let configPath = directory + "/empty.midiconfig.json"
        do {
            try FileManager.default.createDirectory(atPath: directory + "/state", withIntermediateDirectories: true)
        } catch {
            throw .process("cannot create \(directory): \(error)")
        }
        guard FileManager.default.createFile(atPath: configPath, contents: Data()) else {
            throw .process("cannot create \(configPath)")
        }
        child = try ChildProcess(name: "midisrv (\(name))", executable: executable,
                                 arguments: ["--socket", socketPath, "--config", configPath,
                                             "--state-dir", directory + "/state", "--user", "--log-level", "warning",
                                             "--realtime-priority", "\(realtimePriority)"],
                                 logPath: logPath, captureOutput: false)
        try waitUntilListening(timeoutSeconds: 30)
    }

    var pid: Int32 { child.pid }

    /// Ready when a client can complete the handshake.
    private func waitUntilListening(timeoutSeconds: Double) throws(BenchError) {
        let deadline = BenchClock.now() + UInt64(timeoutSeconds * 1e9)
        var lastError = "no socket yet"
        while BenchClock.now() < deadline {
            guard child.isRunning else {
                throw .process("midisrv exited before it was ready; its log (\(logPath)):\n\(log)")
            }
            if access(socketPath, F_OK) == 0 {
                do {
                    let control = try DaemonControl(socketPath: socketPath, clientName: "midi-bench probe")
                    control.close()
                    return
                } catch {
                    lastError = error.description
                }
            }
            usleep(20_000)
        }
        throw .timeout("midisrv did not accept a client within \(timeoutSeconds) s (\(lastError)); log:\n\(log)")
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Resident set size of the daemon now (VmRSS, kB as the kernel reports it).
    func residentKilobytes() throws(BenchError) -> Int { try ProcStatus.kilobytes("VmRSS", pid: pid) }

    func stop() { child.stop() }
}

/// Reads fields of /proc/<pid>/status.
enum ProcStatus {
    static func kilobytes(_ field: String, pid: Int32) throws(BenchError) -> Int {
        let path = "/proc/\(pid)/status"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .process("cannot read \(path)")
        }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            let digits = line.dropFirst(field.count + 1).filter(\.isNumber)
            if let value = Int(digits) { return value }
        }
        throw .process("\(path) has no \(field) line")
    }
}
