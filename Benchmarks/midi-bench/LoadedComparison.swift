import ArgumentParser
import Foundation
import Glibc
import IPC

/// What the two loaded comparisons share (docs/performance.md, "Latency under load"): `midi-bench
/// loaded` (the host: the socket relay against SDK↔SDK) and `midi-bench alsa-loaded` (the VM:
/// the ALSA user relay against the daemon's ALSA bridge). Both run the same paced latency rounds
/// for a baseline and a subject in three conditions, each on a fresh daemon — idle; while
/// CPU-bound competitors run (`stress-ng --cpu N`), everything at normal scheduling; under the
/// same load with real-time scheduling — and judge the same targets: the subject's p99 under
/// load with real-time scheduling ≤ 2× its idle p99 and ≤ the baseline's loaded p99 (baseline at
/// normal scheduling), nothing lost.

/// The load and the real-time priority, as both commands take them.
struct LoadOptions: ParsableArguments {
    @Option(help: "CPU-bound competitors (stress-ng --cpu N).")
    var competitors: Int = 2

    @Option(name: .customLong("stress-ng"), help: ArgumentHelp("The stress-ng to run.", valueName: "path"))
    var stressNg: String = "/usr/bin/stress-ng"

    @Option(name: .customLong("rt-priority"), help: ArgumentHelp("SCHED_FIFO priority of the real-time condition.", valueName: "n"))
    var rtPriority: Int32 = RealtimeScheduling.defaultPriority

    @Option(name: .customLong("steal-burst-ms"), help: ArgumentHelp("Repeat a round during which one CPU's hypervisor steal rose by this many ms or more between two samples 10 ms apart (/proc/stat; a stall of the VM, not of the code). Every attempt set aside is reported. `alsa-loaded` reports steal per condition but does not repeat rounds.", valueName: "ms"))
    var stealBurstMilliseconds: Int = StealRule.defaultBurstMilliseconds

    @Option(name: .customLong("steal-repeats"), help: ArgumentHelp("Most repeats of one round for steal; an attempt still stolen after them is kept and named in the report. 0: never repeat.", valueName: "n"))
    var stealRepeats: Int = StealRule.defaultMaximumRepeats

    var stealRule: StealRule { StealRule(burstMilliseconds: stealBurstMilliseconds, maximumRepeats: stealRepeats) }

    func validate() throws {
        guard competitors >= 1 else { throw ValidationError("--competitors must be at least 1") }
        guard stealBurstMilliseconds >= 10, stealRepeats >= 0 else {
            throw ValidationError("--steal-burst-ms must be at least 10 (/proc/stat counts in 10 ms ticks) and --steal-repeats not negative")
        }
        guard RealtimeScheduling.priorityRange.contains(rtPriority) else { throw ValidationError("--rt-priority must be 1-99") }
    }

    /// Fails before anything starts when there is no stress-ng to load the machine with.
    func requireStressNg(_ command: String, installHint: String) throws {
        guard FileManager.default.isExecutableFile(atPath: stressNg) else {
            Console.error("midi-bench \(command): no stress-ng at \(stressNg) (apt-get install stress-ng, or \(installHint))")
            throw ExitCode(1)
        }
    }

    /// The idle, loaded and loaded-with-real-time conditions, in the order they run.
    var conditions: [LoadCondition] {
        [LoadCondition(name: "idle", loaded: false, realtimePriority: 0),
         LoadCondition(name: "loaded", loaded: true, realtimePriority: 0),
         LoadCondition(name: "loaded, real-time", loaded: true, realtimePriority: rtPriority)]
    }
}

/// The CPU-bound competitors of a loaded condition: `stress-ng --cpu N`, running from `init`
/// until `stop`.
final class CPUCompetitors {
    private let process: ChildProcess

    init(_ options: LoadOptions) throws(BenchError) {
        process = try ChildProcess(name: "stress-ng", executable: options.stressNg,
                                   arguments: ["--cpu", "\(options.competitors)", "--quiet"], captureOutput: false)
        BenchClock.sleep(nanoseconds: 1_000_000_000)   // let the competitors get going
        guard process.isRunning else { throw .process("stress-ng --cpu \(options.competitors) ended at once") }
    }

    func stop() { process.stop(graceSeconds: 2) }
}

/// One condition and what it measured: the baseline's and the subject's latency over all its
/// rounds (samples merged).
struct LoadCondition: Codable {
    var name: String
    var loaded: Bool
    /// 0: normal scheduling everywhere; otherwise the SCHED_FIFO priority of every thread on the
    /// message path (the daemon's loop, the relay, the sending and receiving threads).
    var realtimePriority: Int32
    var baseline: LatencySummary?
    var subject: LatencySummary?
    var loadBefore = ""
    var loadAfter = ""
    /// What the hypervisor took from the machine's CPUs while the condition ran (ms, all CPUs;
    /// nil where /proc/stat has no steal time). A few milliseconds or more means one stall may
    /// have set the p99: repeat the run.
    var stealMilliseconds: Int?
    /// Rounds the hypervisor stalled: each attempt set aside and measured again, and each
    /// attempt kept although stolen (the repeats ran out). Empty when no round had a burst.
    var stolenAttempts: [StolenAttempt] = []
    /// Messages lost, reordered or (ALSA) dropped by the kernel, both sides together.
    var lost = 0
    var failures: [String] = []

    init(name: String, loaded: Bool, realtimePriority: Int32) {
        self.name = name
        self.loaded = loaded
        self.realtimePriority = realtimePriority
    }

    /// Runs this condition: the load average before; `setUp` (a fresh daemon and what else the
    /// routes need, at this condition's scheduling); the competitors, when loaded, started after
    /// it; `rounds`; the competitors stopped, `tearDown`, the load average after. What either
    /// throws is recorded as the condition's failure.
    func measured<Rig>(load: LoadOptions, setUp: (LoadCondition) throws -> Rig, tearDown: (Rig) -> Void,
                       rounds: (Rig, inout LoadCondition) throws -> Void) -> LoadCondition {
        var condition = self
        condition.loadBefore = AllCommand.loadAverage()
        let stealBefore = StealMonitor.totalMilliseconds()
        do {
            let rig = try setUp(self)
            defer { tearDown(rig) }
            let competitors = loaded ? try CPUCompetitors(load) : nil
            defer { competitors?.stop() }
            try rounds(rig, &condition)
        } catch {
            condition.failures.append("\(error)")
        }
        condition.loadAfter = AllCommand.loadAverage()
        if let stealBefore, let stealAfter = StealMonitor.totalMilliseconds() {
            condition.stealMilliseconds = stealAfter - stealBefore
        }
        return condition
    }

    /// Runs one side's round and, while the hypervisor stole a burst of `rule.burstMilliseconds`
    /// or more from one CPU during it, sets the attempt aside and runs it again, at most
    /// `rule.maximumRepeats` times. `attempt` measures once and returns that attempt's latency
    /// summary; `setAside` takes its samples out of the merged figures (they are kept beside
    /// them, and the summary goes into the report). The decision looks at the steal alone,
    /// never at the latency measured. Where /proc/stat has no steal the round runs once.
    mutating func round(side: String, number: Int, rule: StealRule, attempt: () throws -> LatencySummary?,
                        setAside: (_ attempt: Int) throws -> Void) throws {
        var attemptNumber = 1
        while true {
            let monitor = rule.maximumRepeats > 0 ? StealMonitor.start() : nil
            let latency: LatencySummary?
            do { latency = try attempt() } catch {
                _ = monitor?.stop()
                throw error
            }
            guard let reading = monitor?.stop(), reading.burstMilliseconds >= rule.burstMilliseconds else { return }
            let repeating = attemptNumber <= rule.maximumRepeats
            stolenAttempts.append(StolenAttempt(side: side, round: number, attempt: attemptNumber, steal: reading,
                                                latency: latency, kept: !repeating))
            guard repeating else { return }
            Console.error("midi-bench: \(name), \(side) round \(number): the hypervisor stole \(reading.burstMilliseconds) ms at once from \(reading.burstCPU); setting attempt \(attemptNumber) aside and measuring again")
            try setAside(attemptNumber)
            attemptNumber += 1
        }
    }

    /// The latency samples of a side, rounds merged (nil when there is none).
    static func merged(_ samples: [UInt64]) -> LatencySummary? {
        samples.isEmpty ? nil : LatencySummary(sorted: samples.sorted())
    }
}

/// When a loaded comparison measures a round again because the hypervisor stalled the machine
/// during it (`StealMonitor`).
struct StealRule: Codable, Sendable {
    /// A rise of one CPU's steal by this much between two 10 ms samples: a stall of at least
    /// ~10 ms (the counter's ticks are 10 ms). 20 ms delays 100 messages paced every 200 µs,
    /// over 1 % of a 6,000-message condition: alone enough to set its p99.
    static let defaultBurstMilliseconds = 20
    /// Bounded, so a machine that is stalled all the time still ends its run (and says so).
    static let defaultMaximumRepeats = 3

    var burstMilliseconds: Int
    var maximumRepeats: Int
}

/// One attempt at a round during which the hypervisor stole a burst: set aside and measured
/// again, or kept because the repeats ran out. Nothing measured is dropped unseen: its latency
/// is here and in the report.
struct StolenAttempt: Codable, Sendable {
    /// "relay", "SDK", "user relay", "bridge".
    var side: String
    var round: Int
    var attempt: Int
    var steal: StealMonitor.Reading
    /// What the attempt measured.
    var latency: LatencySummary?
    /// True when this attempt stayed in the merged figures although stolen.
    var kept: Bool
}

/// A loaded comparison's report: the table both commands print (docs/performance.md records
/// it) and, with `--json`, save.
struct LoadedReport: Codable {
    /// "latency under load", "the ALSA bridge under load".
    var title: String
    var date = ISO8601DateFormatter().string(from: Date())
    var commit: String
    /// CPUs, kernel and (in the VM) KVM or TCG.
    var machine: String
    var competitors: Int
    var realtimePriority: Int32
    /// Which threads the real-time condition raises.
    var realtimeThreads: String
    /// The column names: "relay" and "SDK", "user relay" and "bridge".
    var baselineName: String
    var subjectName: String
    /// How many rounds and messages, for the header.
    var settings: String
    /// When a round was measured again for steal.
    var stealRule: StealRule
    var conditions: [LoadCondition] = []

    var failed: Bool { conditions.contains { $0.lost > 0 || !$0.failures.isEmpty } }

    func rendered() -> String {
        var lines: [String] = []
        lines.append("MIDI Services bench, \(title) — \(date), commit \(commit)")
        lines.append("machine: \(machine); competitors: stress-ng --cpu \(competitors); real-time: SCHED_FIFO \(realtimePriority) for \(realtimeThreads)")
        for condition in conditions {
            let steal = condition.stealMilliseconds.map { "; steal \($0) ms (CPU time the hypervisor took)" } ?? ""
            lines.append("  \(condition.name): load average \(condition.loadBefore) before, \(condition.loadAfter) after\(steal)")
            for stolen in condition.stolenAttempts {
                let latency = stolen.latency.map { ": p99 \(Format.micros($0.p99)) µs, max \(Format.micros($0.max)) µs" } ?? ""
                let what = stolen.kept ? "KEPT although stolen (repeats used up)" : "set aside, measured again"
                lines.append("    \(stolen.side) round \(stolen.round), attempt \(stolen.attempt): \(stolen.steal.burstMilliseconds) ms stolen at once from \(stolen.steal.burstCPU) (\(stolen.steal.totalMilliseconds) ms in all) — \(what)\(latency)")
            }
        }
        lines.append(stealRule.maximumRepeats > 0
            ? "rounds repeated when one CPU's hypervisor steal rose by \(stealRule.burstMilliseconds) ms or more within 10 ms, at most \(stealRule.maximumRepeats) times each: \(repeatedCount) repeated, \(keptStolenCount) kept although stolen"
            : "rounds never repeated for steal (--steal-repeats 0)")
        lines.append(settings)
        lines.append("")
        let (labelWidth, baselineWidth, subjectWidth) = (22, 30, 26)
        var header = Format.pad("", labelWidth, right: false)
        for condition in conditions {
            header += Format.pad("\(baselineName), \(condition.name)", baselineWidth) + Format.pad("\(subjectName), \(condition.name)", subjectWidth)
        }
        lines.append(header)
        func row(_ label: String, _ value: (LatencySummary) -> UInt64) {
            var line = Format.pad(label, labelWidth, right: false)
            for condition in conditions {
                line += Format.pad(condition.baseline.map { Format.micros(value($0)) } ?? "—", baselineWidth)
                line += Format.pad(condition.subject.map { Format.micros(value($0)) } ?? "—", subjectWidth)
            }
            lines.append(line)
        }
        row("latency p50 (µs)") { $0.p50 }
        row("latency p99 (µs)") { $0.p99 }
        row("latency p99.9 (µs)") { $0.p999 }
        row("latency max (µs)") { $0.max }
        var lostLine = Format.pad("lost / out of order", labelWidth, right: false)
        for condition in conditions { lostLine += Format.pad("\(condition.lost)", baselineWidth + subjectWidth) }
        lines.append(lostLine)
        for condition in conditions {
            for failure in condition.failures { lines.append("FAILED (\(condition.name)): \(failure)") }
        }
        lines.append("")
        lines.append("targets (\(subjectName) under load with real-time scheduling):")
        lines += TargetVerdict.rendered(verdicts)
        lines += notes.map { "        " + $0 }
        return lines.joined(separator: "\n")
    }

    /// Steal time from which a condition's p99 may be the hypervisor's: a paced message every
    /// 200 µs, so 20 ms of one stall delays 100 of them — over 1 % of a 6,000-message condition.
    static let stealWorthNoting = 20

    var repeatedCount: Int { conditions.reduce(0) { $0 + $1.stolenAttempts.filter { !$0.kept }.count } }
    var keptStolenCount: Int { conditions.reduce(0) { $0 + $1.stolenAttempts.filter(\.kept).count } }

    private var idle: LoadCondition? { conditions.first { !$0.loaded } }
    private var loaded: LoadCondition? { conditions.first { $0.loaded && $0.realtimePriority == 0 } }
    private var realtime: LoadCondition? { conditions.first { $0.loaded && $0.realtimePriority != 0 } }

    private static func ratio(_ a: UInt64?, _ b: UInt64?) -> Double? {
        guard let a, let b, b > 0 else { return nil }
        return Double(a) / Double(b)
    }

    /// Issue 17's targets under load.
    var verdicts: [TargetVerdict] {
        let againstIdle = Self.ratio(realtime?.subject?.p99, idle?.subject?.p99)
        let againstBaseline = Self.ratio(realtime?.subject?.p99, loaded?.baseline?.p99)
        let lost = conditions.reduce(0) { $0 + $1.lost }
        let complete = conditions.allSatisfy { $0.failures.isEmpty }
        return [
            TargetVerdict(name: "p99 vs its idle p99", measured: againstIdle.map(Format.ratio) ?? "n/a",
                          target: "≤ 2×", pass: againstIdle.map { $0 <= 2 }),
            TargetVerdict(name: "p99 vs \(baselineName) loaded", measured: againstBaseline.map(Format.ratio) ?? "n/a",
                          target: "≤ 1× (the \(baselineName) at normal scheduling under the same load)", pass: againstBaseline.map { $0 <= 1 }),
            TargetVerdict(name: "nothing lost", measured: "\(lost) lost or out of order", target: "0, every condition",
                          pass: complete ? lost == 0 : (lost == 0 ? nil : false)),
        ]
    }

    /// Figures for reading the targets, not targets themselves.
    private var notes: [String] {
        var notes: [String] = []
        if let value = Self.ratio(realtime?.subject?.p99, realtime?.baseline?.p99) {
            notes.append("p99 vs the \(baselineName)'s loaded p99 with real-time scheduling too: \(Format.ratio(value))")
        }
        if let value = Self.ratio(loaded?.subject?.p99, idle?.subject?.p99) {
            notes.append("\(subjectName) p99 loaded, normal scheduling: \(Format.ratio(value)) its idle p99")
        }
        if let value = Self.ratio(realtime?.baseline?.p99, idle?.baseline?.p99) {
            notes.append("\(baselineName) p99 loaded, real-time: \(Format.ratio(value)) its idle p99")
        }
        // A stall the hypervisor caused is not the code's: say which rounds kept one or, when
        // rounds are not repeated, which conditions had steal.
        let kept = conditions.flatMap { condition in condition.stolenAttempts.filter(\.kept).map { (condition.name, $0) } }
        if !kept.isEmpty {
            notes.append("a round still stalled by the hypervisor after \(stealRule.maximumRepeats) repeats is in the figures: "
                         + kept.map { "\($0.0), \($0.1.side) round \($0.1.round) (\($0.1.steal.burstMilliseconds) ms at once)" }.joined(separator: "; ")
                         + ": do not judge those conditions from this run")
        }
        let stolen = conditions.filter { ($0.stealMilliseconds ?? 0) >= Self.stealWorthNoting }
        if stealRule.maximumRepeats == 0, !stolen.isEmpty {
            notes.append("the hypervisor took CPU time during " + stolen.map { "\($0.name) (\($0.stealMilliseconds ?? 0) ms)" }.joined(separator: ", ")
                         + ": a stall of that order sets a p99 of these runs; repeat the run before judging them")
        }
        return notes
    }

    /// Prints the table and writes the JSON (when asked); exit status 1 when something was lost or failed.
    func finish(json: String?, command: String) throws {
        print(rendered())
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            do { try encoder.encode(self).write(to: URL(fileURLWithPath: json)) } catch {
                Console.error("midi-bench \(command): cannot write \(json): \(error)")
            }
        }
        if failed { throw ExitCode(1) }
    }
}
