import ArgumentParser
import Foundation
import Glibc
import POSIX

/// The coordinator: starts a temporary midisrv, then for every path and measurement spawns a
/// receiver and a sender (and, for the baseline, a relay) as separate processes, collects
/// their JSON results, measures ping and memory, and prints the table.
struct AllCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all",
        abstract: "Run every measurement against a temporary midisrv and print the table.",
        discussion: "Exit status: 0 when everything ran and nothing was lost (MISSed targets included); 1 otherwise.")

    @Option(help: "Paths to measure, comma-separated: relay, ipc, sdk.")
    var paths: String = "relay,ipc,sdk"

    @Option(help: "Rounds: each runs every path once per measurement, paths interleaved, so that a change in the machine's load hits all paths alike.")
    var rounds: Int = 5

    @Option(name: .customLong("latency-count"), help: "Latency samples per path, over all rounds (after the warm-ups).")
    var latencyCount: Int = 20_000

    @Option(name: .customLong("latency-warmup"), help: "Latency warm-up messages per path and round.")
    var latencyWarmup: Int = 1_000

    @Option(name: .customLong("interval-us"), help: "Latency: microseconds between messages.")
    var intervalMicroseconds: Int = 200

    @Option(name: .customLong("throughput-count"), help: "Throughput: messages measured per path and round (after the warm-up).")
    var throughputCount: Int = 2_000_000

    @Option(name: .customLong("throughput-warmup"), help: "Throughput warm-up messages per path and round.")
    var throughputWarmup: Int = 200_000

    @Option(help: "Throughput: messages per sendMultipleMessages call.")
    var batch: Int = 1024

    @Option(help: "Throughput: most messages in flight (sent, not yet received).")
    var window: Int = 16_384

    @Option(name: .customLong("ping-count"), help: "Ping round trips.")
    var pingCount: Int = 1_000

    @Option(help: "Transient loopback pairs for the memory measurement.")
    var pairs: Int = 1_000

    @Option(help: ArgumentHelp("midisrv to start (default: next to midi-bench).", valueName: "path"))
    var midisrv: String?

    @Option(help: ArgumentHelp("Commit to print in the header (scripts/bench passes git's).", valueName: "id"))
    var commit: String = "unknown"

    @Option(help: ArgumentHelp("Also write the report as JSON here.", valueName: "path"))
    var json: String?

    @Flag(name: .customLong("keep-scratch"), help: "Keep the scratch directory (daemon logs, sockets).")
    var keepScratch = false

    @Option(help: ArgumentHelp("Run the bench, the daemon, the relay and every role at SCHED_FIFO priority N (needs CAP_SYS_NICE): on a machine shared with other work, this keeps its load out of the tails. Default: normal scheduling.", valueName: "N"))
    var realtime: Int32?

    func validate() throws {
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        guard latencyCount >= rounds, throughputCount > 0 else { throw ValidationError("counts must be positive (and --latency-count at least --rounds)") }
        guard batch > 0, window == 0 || window >= batch else { throw ValidationError("--batch must be positive and --window 0 or at least --batch") }
    }

    func run() throws {
        let selected = try paths.split(separator: ",").map { (name) throws -> BenchPath in
            guard let path = BenchPath(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown path \"\(name)\" (relay, ipc, sdk)")
            }
            return path
        }
        if let realtime {
            // Children inherit the policy (posix_spawn without POSIX_SPAWN_SETSCHEDULER).
            var parameter = sched_param(sched_priority: realtime)
            guard sched_setscheduler(0, SCHED_FIFO, &parameter) == 0 else {
                Console.error("midi-bench: --realtime \(realtime): \(BenchError.system(.current("sched_setscheduler(SCHED_FIFO)")))")
                throw ExitCode(1)
            }
        }
        let own = Self.ownExecutable()
        let daemonExecutable = midisrv ?? (own as NSString).deletingLastPathComponent + "/midisrv"
        guard FileManager.default.isExecutableFile(atPath: daemonExecutable) else {
            Console.error("midi-bench: no midisrv at \(daemonExecutable) (build it, or pass --midisrv)")
            throw ExitCode(1)
        }
        var template = Array("/tmp/midi-bench-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError.system(.current("mkdtemp")) }
        let scratch = String(cString: made)
        defer {
            if keepScratch { Console.error("midi-bench: scratch kept in \(scratch)") }
            else { try? FileManager.default.removeItem(atPath: scratch) }
        }

        var report = BenchReport(
            date: ISO8601DateFormatter().string(from: Date()), commit: commit,
            machine: .init(cpus: sysconf(Int32(_SC_NPROCESSORS_ONLN)), kernel: Self.kernel(), loadBefore: Self.loadAverage(), loadAfter: "",
                           scheduling: realtime.map { "SCHED_FIFO \($0)" } ?? "normal (SCHED_OTHER)"),
            settings: .init(measurement: .init(rounds: rounds, latencyCount: latencyCount, latencyWarmup: latencyWarmup,
                                               intervalMicroseconds: intervalMicroseconds, throughputCount: throughputCount,
                                               throughputWarmup: throughputWarmup, batch: batch, window: window),
                            pingCount: pingCount, pairs: pairs))
        let runner = RoleRunner(executable: own, scratch: scratch)

        do {
            let daemon = try DaemonInstance(executable: daemonExecutable, scratch: scratch, name: "daemon",
                                            realtimePriority: realtime ?? 0)
            defer { daemon.stop() }
            let endpoints = try PairSetup.createBenchPair(socketPath: daemon.socketPath)
            for path in selected { report.paths.append(BenchReport.PathFigures(path: path)) }
            for round in 1...rounds {
                for mode in BenchMode.allCases {
                    for index in report.paths.indices {
                        let path = report.paths[index].path
                        progress("round \(round)/\(rounds): \(mode.rawValue), \(path.label)…")
                        // Latency samples are split over the rounds; throughput runs in full each round.
                        let share = latencyCount / rounds + (round <= latencyCount % rounds ? 1 : 0)
                        let measure = RoleRunner.Measure(
                            mode: mode, count: mode == .latency ? share : throughputCount,
                            warmup: mode == .latency ? latencyWarmup : throughputWarmup,
                            intervalMicroseconds: intervalMicroseconds, batch: batch, window: window)
                        do {
                            let run = try runner.run(path: path, measure: measure, round: round, daemon: daemon,
                                                     endpoints: endpoints)
                            if mode == .latency { report.paths[index].latencyRuns.append(run) }
                            else { report.paths[index].throughputRuns.append(run) }
                        } catch {
                            report.paths[index].failures.append("round \(round), \(mode.rawValue): \(error)")
                        }
                    }
                }
            }
            for index in report.paths.indices {
                do {
                    report.paths[index].latency = try runner.mergedLatency(path: report.paths[index].path, rounds: rounds)
                } catch {
                    report.paths[index].failures.append("latency samples: \(error)")
                }
            }
            progress("ping…")
            do {
                report.pings += try PingRunner.measure(socketPath: daemon.socketPath, count: pingCount, paths: selected)
            } catch {
                report.failures.append("ping: \(error)")
            }
        } catch {
            report.failures.append("\(error)")
        }

        if pairs > 0 {
            progress("memory, \(pairs) pairs on a fresh daemon…")
            do {
                let fresh = try DaemonInstance(executable: daemonExecutable, scratch: scratch, name: "memory",
                                               realtimePriority: realtime ?? 0)
                defer { fresh.stop() }
                report.memory = try MemoryProbe.measure(daemon: fresh, pairs: pairs, useSDK: selected.contains(.sdk))
            } catch {
                report.failures.append("memory: \(error)")
            }
        }
        report.machine.loadAfter = Self.loadAverage()

        print(report.rendered())
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            do { try encoder.encode(report).write(to: URL(fileURLWithPath: json)) } catch {
                Console.error("midi-bench: cannot write \(json): \(error)")
            }
        }
        let lost = report.paths.reduce(0) { $0 + $1.lost + $1.outOfOrder }
        let failed = !report.failures.isEmpty || report.paths.contains { !$0.failures.isEmpty }
        if lost > 0 || failed { throw ExitCode(1) }
    }

    private func progress(_ text: String) { Console.error("midi-bench: \(text)") }

    static func ownExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    static func kernel() -> String {
        var name = utsname()
        uname(&name)
        return withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

/// Spawns the processes of one measurement and collects their results.
struct RoleRunner {
    struct Measure {
        var mode: BenchMode
        var count: Int
        var warmup: Int
        var intervalMicroseconds: Int
        var batch: Int
        var window: Int
    }

    let executable: String
    let scratch: String
    /// Given to the relay, the sender and the receiver (e.g. `--rt-priority N`).
    var roleArguments: [String] = []

    func samplesPath(_ path: BenchPath, round: Int) -> String { scratch + "/samples-\(path.rawValue)-\(round)" }

    /// Every round's latency samples of a path, merged, summarized.
    func mergedLatency(path: BenchPath, rounds: Int) throws(BenchError) -> LatencySummary? {
        var all: [UInt64] = []
        for round in 1...rounds where access(samplesPath(path, round: round), F_OK) == 0 {
            all += try SampleBuffer.read(from: samplesPath(path, round: round))
        }
        return all.isEmpty ? nil : LatencySummary(sorted: all.sorted())
    }

    func run(path: BenchPath, measure: Measure, round: Int, daemon: DaemonInstance,
             endpoints: (a: String, b: String)) throws(BenchError) -> BenchReport.Run {
        let tag = "\(path.rawValue)-\(measure.mode.rawValue)-\(round)"
        var relay: ChildProcess?
        let socket: String
        if path == .relay {
            socket = scratch + "/relay-\(tag).sock"
            let child = try ChildProcess(name: "relay", executable: executable, arguments: ["relay", "--socket", socket] + roleArguments)
            guard try child.readLine(timeoutSeconds: 20) == "ready" else { throw .process("the relay did not start") }
            relay = child
        } else {
            socket = daemon.socketPath
        }
        defer { relay?.stop() }
        var common = roleArguments + ["--path", path.rawValue, "--socket", socket, "--mode", measure.mode.rawValue,
                      "--count", "\(measure.count)", "--warmup", "\(measure.warmup)",
                      "--interval-us", "\(measure.intervalMicroseconds)", "--batch", "\(measure.batch)",
                      "--window", "\(measure.window)"]
        if measure.mode == .throughput { common += ["--progress", scratch + "/progress-\(tag)"] }
        if measure.mode == .latency { common += ["--samples", samplesPath(path, round: round)] }
        let receiver = try ChildProcess(name: "receiver (\(path.label))", executable: executable,
                                        arguments: ["receive"] + common + (path == .relay ? [] : ["--endpoint", endpoints.b]))
        defer { receiver.stop() }
        let ready = try receiver.readLine(timeoutSeconds: 30)
        guard ready == "ready" else { throw .process("receiver printed \"\(ready)\" instead of ready") }
        let daemonCPU = path == .relay ? nil : CPUTime.nanoseconds(pid: daemon.pid)
        let sender = try ChildProcess(name: "sender (\(path.label))", executable: executable,
                                      arguments: ["send"] + common + (path == .relay ? [] : ["--endpoint", endpoints.a]))
        defer { sender.stop() }
        let total = Double(measure.count + measure.warmup)
        let budget = measure.mode == .latency ? total * Double(measure.intervalMicroseconds) / 1e6 * 3 + 30 : total / 50_000 + 60
        let sent = try sender.readResult(SenderResult.self, timeoutSeconds: budget)
        let received = try receiver.readResult(ReceiverResult.self, timeoutSeconds: 30)
        var forwarderCPU: UInt64?
        if let relay {
            forwarderCPU = try relay.readResult(RelayResult.self, timeoutSeconds: 10).cpuNanoseconds
        } else if let before = daemonCPU, let after = CPUTime.nanoseconds(pid: daemon.pid) {
            forwarderCPU = after &- before
        }
        sender.waitForExit(timeoutSeconds: 10)
        receiver.waitForExit(timeoutSeconds: 10)
        return BenchReport.Run(sender: sent, receiver: received, forwarderCPUNanoseconds: forwarderCPU)
    }
}

/// The loopback pair every daemon measurement runs through.
enum PairSetup {
    static func createBenchPair(socketPath: String) throws(BenchError) -> (a: String, b: String) {
        let control = try DaemonControl(socketPath: socketPath, clientName: "midi-bench setup")
        defer { control.close() }
        return try control.createLoopbackPair(name: "Bench Loopback", uniqueIdentifier: "BENCH")
    }
}

/// Ping statistics: the raw protocol always; the SDK's MidiDiagnostics.ping when the SDK path
/// is measured.
enum PingRunner {
    static func measure(socketPath: String, count: Int, paths: [BenchPath]) throws(BenchError) -> [BenchReport.Ping] {
        var pings: [BenchReport.Ping] = []
        if paths.contains(.sdk) {
            pings.append(BenchReport.Ping(source: "SDK MidiDiagnostics.ping",
                                          summary: try SDKLink.ping(socketPath: socketPath, count: count)))
        }
        pings.append(BenchReport.Ping(source: "raw IPC to diag_ping",
                                      summary: try PingProbe.raw(socketPath: socketPath, count: count, interval: 0)))
        return pings
    }
}

/// VmRSS of a fresh daemon before and after creating transient pairs.
enum MemoryProbe {
    static func measure(daemon: DaemonInstance, pairs: Int, useSDK: Bool) throws(BenchError) -> BenchReport.Memory {
        if useSDK { return try SDKLink.measureMemory(daemon: daemon, pairs: pairs) }
        let control = try DaemonControl(socketPath: daemon.socketPath, clientName: "midi-bench memory")
        defer { control.close() }
        let before = try daemon.residentKilobytes()
        for index in 0..<pairs {
            _ = try control.createLoopbackPair(name: "Bench Memory \(index)", uniqueIdentifier: "MEM\(index)")
        }
        let after = try daemon.residentKilobytes()
        return BenchReport.Memory(pairs: pairs, beforeKilobytes: before, afterKilobytes: after)
    }
}
