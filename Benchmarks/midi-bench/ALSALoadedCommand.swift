import ALSASequencer
import ArgumentParser
import Foundation
import Glibc
import POSIX

/// The ALSA bridge on a busy machine (docs/performance.md, "The ALSA bridge under load"): the
/// latency rounds of `alsa` for the bridge (app → loopback A → B → app) and the user relay, in
/// the three conditions of `LoadOptions` — idle; while CPU-bound competitors run, everything at
/// normal scheduling; under the same load with real-time scheduling (the daemon's
/// `--realtime-priority`, the relay's thread, and this process's measuring thread — the
/// sending and receiving clients — at the same SCHED_FIFO priority). Each condition gets a fresh
/// daemon and relay. `loaded` is the same on the host for SDK↔SDK; `scripts/bench --vm-loaded`
/// runs this one in the VM.
struct ALSALoadedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alsa-loaded",
        abstract: "ALSA latency idle, under CPU load, and under CPU load with real-time scheduling; the bridge and the user relay side by side.",
        discussion: "Needs /dev/snd/seq, stress-ng (scripts/bench --vm-loaded installs it) and the right to use SCHED_FIFO (root or RLIMIT_RTPRIO); scripts/bench --vm-loaded runs it in a VM. Exit status: 0 when everything ran and nothing was lost; 1 otherwise.")

    @Option(help: "Rounds per condition; each runs the relay and the bridge once, interleaved.")
    var rounds: Int = 3

    @Option(name: .customLong("latency-count"), help: "Latency samples per route and condition, over all rounds (after the warm-ups).")
    var latencyCount: Int = 6_000

    @Option(name: .customLong("latency-warmup"), help: "Latency warm-up events per route and round.")
    var latencyWarmup: Int = 200

    @Option(name: .customLong("interval-us"), help: "Microseconds between events.")
    var intervalMicroseconds: Int = 500

    @OptionGroup var load: LoadOptions

    @Option(help: ArgumentHelp("midisrv to start (default: next to midi-bench).", valueName: "path"))
    var midisrv: String?

    @Option(help: ArgumentHelp("Commit to print in the header.", valueName: "id"))
    var commit: String = "unknown"

    @Option(help: ArgumentHelp("What the machine is, for the header (scripts/bench --vm-loaded says KVM or TCG).", valueName: "text"))
    var environment: String = "environment not given"

    @Option(help: ArgumentHelp("Also write the figures as JSON here.", valueName: "path"))
    var json: String?

    func validate() throws {
        guard rounds >= 1, latencyCount >= rounds else { throw ValidationError("--rounds must be at least 1 and --latency-count at least --rounds") }
        guard latencyWarmup >= 0, intervalMicroseconds > 0 else { throw ValidationError("--latency-warmup must not be negative, --interval-us must be positive") }
    }

    func run() throws {
        let availability = SequencerAvailability.check()
        guard availability.isAvailable else {
            Console.error("midi-bench alsa-loaded: no usable ALSA sequencer (\(availability)); this runs where /dev/snd/seq exists — scripts/bench --vm-loaded")
            throw ExitCode(1)
        }
        try load.requireStressNg("alsa-loaded", installHint: "scripts/bench --vm-loaded")
        let own = AllCommand.ownExecutable()
        let daemonExecutable = midisrv ?? (own as NSString).deletingLastPathComponent + "/midisrv"
        var template = Array("/tmp/midi-bench-alsa-loaded-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError.system(.current("mkdtemp")) }
        let scratch = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        var report = LoadedReport(title: "the ALSA bridge under load", commit: commit,
                                  machine: "\(sysconf(Int32(_SC_NPROCESSORS_ONLN))) CPUs, kernel \(AllCommand.kernel()), \(environment)",
                                  competitors: load.competitors, realtimePriority: load.rtPriority,
                                  realtimeThreads: "the daemon's loop, the user relay and the sending/receiving thread",
                                  baselineName: "user relay", subjectName: "bridge",
                                  settings: "\(rounds) rounds per condition, user relay and bridge interleaved; MIDI 1.0 Note On events, \(Format.grouped(latencyCount)) per route and condition, one in flight, one every \(intervalMicroseconds) µs, after \(Format.grouped(latencyWarmup)) warm-up per round",
                                  stealRule: StealRule(burstMilliseconds: load.stealBurstMilliseconds, maximumRepeats: 0))
        for (number, condition) in load.conditions.enumerated() {
            report.conditions.append(condition.measured(load: load, setUp: { condition in
                try ALSARig(own: own, daemonExecutable: daemonExecutable, scratch: scratch, name: "condition-\(number)",
                            realtimePriority: condition.realtimePriority)
            }, tearDown: { $0.stop() }, rounds: { rig, condition in
                try measureRounds(rig, &condition)
            }))
        }
        try report.finish(json: json, command: "alsa-loaded")
    }

    /// The rounds of one condition; the measuring thread at the condition's priority meanwhile.
    private func measureRounds(_ rig: ALSARig, _ condition: inout LoadCondition) throws {
        Console.error("midi-bench alsa-loaded: \(condition.name): \(rig.bridge.label); \(rig.userRelay.label)")
        var relay = ALSAReport.RouteFigures(route: "relay", label: rig.userRelay.label)
        var bridge = ALSAReport.RouteFigures(route: "bridge", label: rig.bridge.label)
        var relaySamples: [UInt64] = [], bridgeSamples: [UInt64] = []
        let name = condition.name
        try RoleScheduling.during(condition.realtimePriority) {
            for round in 1...rounds {
                let share = latencyCount / rounds + (round <= latencyCount % rounds ? 1 : 0)
                func measure(_ route: ALSARig.Route, _ figures: inout ALSAReport.RouteFigures, _ samples: inout [UInt64]) {
                    Console.error("midi-bench alsa-loaded: \(name), round \(round)/\(rounds): \(route.name)…")
                    do {
                        figures.latencyRuns.append(try ALSARig.latencyRound(route, count: share, warmup: latencyWarmup,
                                                                            intervalMicroseconds: intervalMicroseconds,
                                                                            samples: &samples))
                    } catch {
                        figures.failures.append("round \(round): \(error)")
                    }
                }
                measure(rig.userRelay, &relay, &relaySamples)
                measure(rig.bridge, &bridge, &bridgeSamples)
            }
        }
        // Lost, reordered, or refused/overrun in the kernel: every event of every round counts.
        for figures in [relay, bridge] {
            condition.lost += figures.lost + figures.outOfOrder + Int(figures.dropped)
            condition.failures += figures.failures.map { "\(figures.label), \($0)" }
        }
        condition.baseline = LoadCondition.merged(relaySamples)
        condition.subject = LoadCondition.merged(bridgeSamples)
    }
}
