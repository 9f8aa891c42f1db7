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

    /// With `priority` not 0, fails unless one of the daemon's threads (its event loop) runs
    /// SCHED_FIFO at `priority`: the daemon only logs a refusal and carries on at normal
    /// scheduling, which a comparison of real-time scheduling must not measure silently. Ready
    /// (`init`) means the loop already runs, so it has asked by then.
    func requireLoopScheduling(priority: Int32) throws(BenchError) {
        guard priority != 0 else { return }
        let threads = ThreadScheduling.threads(pid: pid)
        guard threads.contains(where: { $0.policy == SCHED_FIFO && $0.priority == priority }) else {
            throw .process("midisrv's event loop is not at SCHED_FIFO \(priority) (its threads: \(threads.map { "policy \($0.policy) priority \($0.priority)" }.joined(separator: ", "))); its log (\(logPath)):\n\(log)")
        }
    }

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

/// The scheduling policy and real-time priority of a process's threads, from
/// /proc/<pid>/task/<tid>/stat (fields 40, rt_priority, and 41, policy).
enum ThreadScheduling {
    static func threads(pid: Int32) -> [(policy: Int32, priority: Int32)] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.compactMap { tid in
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(tid)/stat", encoding: .utf8),
                  let close = text.lastIndex(of: ")") else { return nil }
            // After the command name (which may hold spaces), fields start at 3 (state).
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 38, let priority = Int32(fields[37]), let policy = Int32(fields[38]) else { return nil }
            return (policy, priority)
        }
    }
}
