import ArgumentParser
import Foundation
import Glibc
import IPC
import POSIX

/// Latency on a busy machine (docs/performance.md, "Latency under load"): the same paced
/// latency rounds as `all`, for the baseline relay and SDK↔SDK, in three conditions —
/// idle; while CPU-bound competitors run (`stress-ng --cpu N`), everything at normal
/// scheduling; and under the same load with real-time scheduling (the daemon's
/// `--realtime-priority`, the SDK reader thread's opt-in, the roles' and the relay's threads at
/// the same SCHED_FIFO priority). Each condition gets a fresh daemon.
struct LoadedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "loaded",
        abstract: "Latency idle, under CPU load, and under CPU load with real-time scheduling; relay and SDK side by side.",
        discussion: "Needs stress-ng (scripts/bench --loaded installs it) and the right to use SCHED_FIFO (root or RLIMIT_RTPRIO). Exit status: 0 when everything ran and nothing was lost; 1 otherwise.")

    @Option(help: "Rounds per condition; each runs relay and SDK once, interleaved.")
    var rounds: Int = 3

    @Option(name: .customLong("latency-count"), help: "Latency samples per path and condition, over all rounds (after the warm-ups).")
    var latencyCount: Int = 6_000

    @Option(name: .customLong("latency-warmup"), help: "Latency warm-up messages per path and round.")
    var latencyWarmup: Int = 500

    @Option(name: .customLong("interval-us"), help: "Microseconds between messages.")
    var intervalMicroseconds: Int = 200

    @Option(help: "CPU-bound competitors (stress-ng --cpu N).")
    var competitors: Int = 2

    @Option(name: .customLong("stress-ng"), help: ArgumentHelp("The stress-ng to run.", valueName: "path"))
    var stressNg: String = "/usr/bin/stress-ng"

    @Option(name: .customLong("rt-priority"), help: ArgumentHelp("SCHED_FIFO priority of the real-time condition.", valueName: "n"))
    var rtPriority: Int32 = RealtimeScheduling.defaultPriority

    @Option(help: ArgumentHelp("midisrv to start (default: next to midi-bench).", valueName: "path"))
    var midisrv: String?

    @Option(help: ArgumentHelp("Commit to print in the header.", valueName: "id"))
    var commit: String = "unknown"

    @Option(help: ArgumentHelp("Also write the figures as JSON here.", valueName: "path"))
    var json: String?

    func validate() throws {
        guard rounds >= 1, latencyCount >= rounds else { throw ValidationError("--rounds must be at least 1 and --latency-count at least --rounds") }
        guard competitors >= 1 else { throw ValidationError("--competitors must be at least 1") }
        guard RealtimeScheduling.priorityRange.contains(rtPriority) else { throw ValidationError("--rt-priority must be 1-99") }
    }

    struct Condition: Codable {
        var name: String
        var loaded: Bool
        var realtimePriority: Int32
        var relay: LatencySummary?
        var sdk: LatencySummary?
        var loadBefore = ""
        var loadAfter = ""
        var lost = 0
        var failures: [String] = []
    }

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: stressNg) else {
            Console.error("midi-bench loaded: no stress-ng at \(stressNg) (apt-get install stress-ng, or scripts/bench --loaded)")
            throw ExitCode(1)
        }
        let own = AllCommand.ownExecutable()
        let daemonExecutable = midisrv ?? (own as NSString).deletingLastPathComponent + "/midisrv"
        var template = Array("/tmp/midi-bench-loaded-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError.system(.current("mkdtemp")) }
        let scratch = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        var conditions = [
            Condition(name: "idle", loaded: false, realtimePriority: 0),
            Condition(name: "loaded", loaded: true, realtimePriority: 0),
            Condition(name: "loaded, real-time", loaded: true, realtimePriority: rtPriority),
        ]
        for index in conditions.indices {
            conditions[index] = measure(conditions[index], number: index, scratch: scratch, own: own, daemonExecutable: daemonExecutable)
        }
        print(render(conditions))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            do { try encoder.encode(conditions).write(to: URL(fileURLWithPath: json)) } catch {
                Console.error("midi-bench: cannot write \(json): \(error)")
            }
        }
        if conditions.contains(where: { $0.lost > 0 || !$0.failures.isEmpty }) { throw ExitCode(1) }
    }

    private func measure(_ condition: Condition, number: Int, scratch: String, own: String, daemonExecutable: String) -> Condition {
        var condition = condition
        let directory = scratch + "/condition-\(number)"
        mkdir(directory, 0o700)
        var runner = RoleRunner(executable: own, scratch: directory)
        if condition.realtimePriority != 0 { runner.roleArguments = ["--rt-priority", "\(condition.realtimePriority)"] }
        condition.loadBefore = AllCommand.loadAverage()
        var competitor: ChildProcess?
        do {
            let daemon = try DaemonInstance(executable: daemonExecutable, scratch: directory, name: "daemon",
                                            realtimePriority: condition.realtimePriority)
            defer { daemon.stop() }
            let endpoints = try PairSetup.createBenchPair(socketPath: daemon.socketPath)
            if condition.loaded {
                competitor = try ChildProcess(name: "stress-ng", executable: stressNg,
                                              arguments: ["--cpu", "\(competitors)", "--quiet"], captureOutput: false)
                BenchClock.sleep(nanoseconds: 1_000_000_000)   // let the competitors get going
            }
            for round in 1...rounds {
                for path in [BenchPath.relay, .sdk] {
                    Console.error("midi-bench: \(condition.name), round \(round)/\(rounds): \(path.label)…")
                    let share = latencyCount / rounds + (round <= latencyCount % rounds ? 1 : 0)
                    let measure = RoleRunner.Measure(mode: .latency, count: share, warmup: latencyWarmup,
                                                     intervalMicroseconds: intervalMicroseconds, batch: 1, window: 0)
                    do {
                        let run = try runner.run(path: path, measure: measure, round: round, daemon: daemon, endpoints: endpoints)
                        condition.lost += run.lost + run.receiver.arrivals.outOfOrder
                    } catch {
                        condition.failures.append("\(path.label), round \(round): \(error)")
                    }
                }
            }
            condition.relay = try runner.mergedLatency(path: .relay, rounds: rounds)
            condition.sdk = try runner.mergedLatency(path: .sdk, rounds: rounds)
        } catch {
            condition.failures.append("\(error)")
        }
        competitor?.stop(graceSeconds: 2)
        condition.loadAfter = AllCommand.loadAverage()
        return condition
    }

    private func render(_ conditions: [Condition]) -> String {
        var lines: [String] = []
        lines.append("MIDI Services bench, latency under load — \(ISO8601DateFormatter().string(from: Date())), commit \(commit)")
        lines.append("machine: \(sysconf(Int32(_SC_NPROCESSORS_ONLN))) CPUs, kernel \(AllCommand.kernel()); competitors: stress-ng --cpu \(competitors); real-time: SCHED_FIFO \(rtPriority) for the daemon's loop, the SDK reader threads, the roles and the relay")
        for condition in conditions {
            lines.append("  \(condition.name): load average \(condition.loadBefore) before, \(condition.loadAfter) after")
        }
        lines.append("\(rounds) rounds per condition, relay and SDK interleaved; \(Format.grouped(latencyCount)) messages per path and condition, one every \(intervalMicroseconds) µs, after \(Format.grouped(latencyWarmup)) warm-up per round")
        lines.append("")
        var header = Format.pad("", 22, right: false)
        for condition in conditions {
            header += Format.pad("relay, \(condition.name)", 26) + Format.pad("SDK, \(condition.name)", 24)
        }
        lines.append(header)
        func row(_ label: String, _ value: (LatencySummary) -> UInt64) {
            var line = Format.pad(label, 22, right: false)
            for condition in conditions {
                line += Format.pad(condition.relay.map { Format.micros(value($0)) } ?? "—", 26)
                line += Format.pad(condition.sdk.map { Format.micros(value($0)) } ?? "—", 24)
            }
            lines.append(line)
        }
        row("latency p50 (µs)") { $0.p50 }
        row("latency p99 (µs)") { $0.p99 }
        row("latency p99.9 (µs)") { $0.p999 }
        row("latency max (µs)") { $0.max }
        var lostLine = Format.pad("lost / out of order", 22, right: false)
        for condition in conditions { lostLine += Format.pad("\(condition.lost)", 50) }
        lines.append(lostLine)
        for condition in conditions {
            for failure in condition.failures { lines.append("FAILED (\(condition.name)): \(failure)") }
        }
        lines.append("")
        let idle = conditions[0], loaded = conditions[1], realtime = conditions[2]
        if let idleSDK = idle.sdk, let rtSDK = realtime.sdk, let loadedRelay = loaded.relay, let rtRelay = realtime.relay {
            func ratio(_ a: UInt64, _ b: UInt64) -> Double { b == 0 ? .infinity : Double(a) / Double(b) }
            lines.append("targets (SDK↔SDK under load with real-time scheduling):")
            let againstIdle = ratio(rtSDK.p99, idleSDK.p99)
            lines.append("  \(againstIdle <= 2 ? "PASS" : "MISS")  p99 vs its idle p99          \(Format.ratio(againstIdle))   target ≤ 2×")
            let againstRelay = ratio(rtSDK.p99, loadedRelay.p99)
            lines.append("  \(againstRelay <= 1 ? "PASS" : "MISS")  p99 vs the relay's loaded p99  \(Format.ratio(againstRelay))   target ≤ 1× (relay at normal scheduling under the same load)")
            lines.append("        p99 vs the relay's loaded p99 with real-time scheduling too: \(Format.ratio(ratio(rtSDK.p99, rtRelay.p99)))")
            if let loadedSDK = loaded.sdk {
                lines.append("        SDK p99 loaded, normal scheduling: \(Format.ratio(ratio(loadedSDK.p99, idleSDK.p99))) its idle p99")
            }
        }
        return lines.joined(separator: "\n")
    }
}
