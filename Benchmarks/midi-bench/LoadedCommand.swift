import ArgumentParser
import Foundation
import Glibc
import IPC
import POSIX

/// Latency on a busy machine (docs/performance.md, "Latency under load"): the same paced
/// latency rounds as `all`, for the baseline relay and SDK↔SDK, in the three conditions of
/// `LoadOptions` — idle; while CPU-bound competitors run, everything at normal scheduling; under
/// the same load with real-time scheduling (the daemon's `--realtime-priority`, the SDK reader
/// thread's opt-in, the roles' and the relay's threads at the same SCHED_FIFO priority). Each
/// condition gets a fresh daemon. `alsa-loaded` is the same for the ALSA bridge, in the VM.
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

    @OptionGroup var load: LoadOptions

    @Option(help: ArgumentHelp("midisrv to start (default: next to midi-bench).", valueName: "path"))
    var midisrv: String?

    @Option(help: ArgumentHelp("Commit to print in the header.", valueName: "id"))
    var commit: String = "unknown"

    @Option(help: ArgumentHelp("Also write the figures as JSON here.", valueName: "path"))
    var json: String?

    func validate() throws {
        guard rounds >= 1, latencyCount >= rounds else { throw ValidationError("--rounds must be at least 1 and --latency-count at least --rounds") }
    }

    /// A condition's daemon, its pair and the roles' runner.
    private struct Rig {
        var daemon: DaemonInstance
        var endpoints: (a: String, b: String)
        var runner: RoleRunner
    }

    func run() throws {
        try load.requireStressNg("loaded", installHint: "scripts/bench --loaded")
        let own = AllCommand.ownExecutable()
        let daemonExecutable = midisrv ?? (own as NSString).deletingLastPathComponent + "/midisrv"
        var template = Array("/tmp/midi-bench-loaded-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError.system(.current("mkdtemp")) }
        let scratch = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        var report = LoadedReport(title: "latency under load", commit: commit,
                                  machine: "\(sysconf(Int32(_SC_NPROCESSORS_ONLN))) CPUs, kernel \(AllCommand.kernel())",
                                  competitors: load.competitors, realtimePriority: load.rtPriority,
                                  realtimeThreads: "the daemon's loop, the SDK reader threads, the roles and the relay",
                                  baselineName: "relay", subjectName: "SDK",
                                  settings: "\(rounds) rounds per condition, relay and SDK interleaved; \(Format.grouped(latencyCount)) messages per path and condition, one every \(intervalMicroseconds) µs, after \(Format.grouped(latencyWarmup)) warm-up per round",
                                  stealRule: load.stealRule)
        for (number, condition) in load.conditions.enumerated() {
            let directory = scratch + "/condition-\(number)"
            mkdir(directory, 0o700)
            report.conditions.append(condition.measured(load: load, setUp: { condition throws -> Rig in
                let daemon = try DaemonInstance(executable: daemonExecutable, scratch: directory, name: "daemon",
                                                realtimePriority: condition.realtimePriority)
                try daemon.requireLoopScheduling(priority: condition.realtimePriority)
                var runner = RoleRunner(executable: own, scratch: directory)
                if condition.realtimePriority != 0 { runner.roleArguments = ["--rt-priority", "\(condition.realtimePriority)"] }
                return Rig(daemon: daemon, endpoints: try PairSetup.createBenchPair(socketPath: daemon.socketPath), runner: runner)
            }, tearDown: { $0.daemon.stop() }, rounds: { rig, condition in
                try measureRounds(rig, &condition)
            }))
        }
        try report.finish(json: json, command: "loaded")
    }

    private func measureRounds(_ rig: Rig, _ condition: inout LoadCondition) throws {
        for round in 1...rounds {
            for path in [BenchPath.relay, .sdk] {
                Console.error("midi-bench: \(condition.name), round \(round)/\(rounds): \(path.label)…")
                let share = latencyCount / rounds + (round <= latencyCount % rounds ? 1 : 0)
                let measure = RoleRunner.Measure(mode: .latency, count: share, warmup: latencyWarmup,
                                                 intervalMicroseconds: intervalMicroseconds, batch: 1, window: 0)
                var lost = 0
                defer { condition.lost += lost }
                do {
                    // An attempt set aside for steal keeps its samples beside the merged ones
                    // (samples-<path>-<round>.stolen-<attempt>, in the scratch directory) and its summary in
                    // the report; its losses count all the same.
                    try condition.round(side: path == .relay ? "relay" : "SDK", number: round, rule: load.stealRule, attempt: {
                        let run = try rig.runner.run(path: path, measure: measure, round: round, daemon: rig.daemon, endpoints: rig.endpoints)
                        lost += run.lost + run.receiver.arrivals.outOfOrder
                        return run.receiver.arrivals.latency
                    }, setAside: { attempt in
                        let samples = rig.runner.samplesPath(path, round: round)
                        guard rename(samples, samples + ".stolen-\(attempt)") == 0 else {
                            throw BenchError.system(.current("rename(\(samples))"))
                        }
                    })
                } catch {
                    condition.failures.append("\(path.label), round \(round): \(error)")
                }
            }
        }
        condition.baseline = try rig.runner.mergedLatency(path: .relay, rounds: rounds)
        condition.subject = try rig.runner.mergedLatency(path: .sdk, rounds: rounds)
    }
}
