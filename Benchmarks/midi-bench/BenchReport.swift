import Foundation

/// Everything one `midi-bench all` run measured, as printed and (optionally) saved as JSON.
struct BenchReport: Codable {
    struct Machine: Codable {
        var cpus: Int
        var kernel: String
        var loadBefore: String
        var loadAfter: String
        var scheduling: String
    }

    /// One sender/receiver pair's results.
    struct Run: Codable {
        var sender: SenderResult
        var receiver: ReceiverResult
        /// CPU the forwarding process (daemon or relay) spent during the run.
        var forwarderCPUNanoseconds: UInt64?
        var lost: Int { receiver.arrivals.lost + sender.reportedLosses }
        var messages: Int { sender.sent }
    }

    /// One path's figures over all rounds: latency (ns, samples of every round merged) and
    /// throughput (messages/s, the median round), with every run's raw results.
    struct PathFigures: Codable, RoundFigures {
        var path: BenchPath
        var latencyRuns: [Run] = []
        var throughputRuns: [Run] = []
        var latency: LatencySummary?
        /// What went wrong running this path (the figures above may be partial).
        var failures: [String] = []

        init(path: BenchPath) { self.path = path }

        var latencyRounds: [LatencySummary] { latencyRuns.compactMap(\.receiver.arrivals.latency) }
        var roundRates: [Double] { throughputRuns.map(\.receiver.arrivals.messagesPerSecond) }

        /// CPU per message in the throughput runs, all rounds together: (sender, forwarder,
        /// receiver) in ns.
        var cpuPerMessage: (sender: Double, forwarder: Double?, receiver: Double)? {
            let messages = Double(throughputRuns.reduce(0) { $0 + $1.messages })
            guard messages > 0 else { return nil }
            let sender = Double(throughputRuns.reduce(UInt64(0)) { $0 + $1.sender.cpuNanoseconds })
            let receiver = Double(throughputRuns.reduce(UInt64(0)) { $0 + $1.receiver.arrivals.cpuNanoseconds })
            let forwarded = throughputRuns.compactMap(\.forwarderCPUNanoseconds)
            let forwarder = forwarded.count == throughputRuns.count ? Double(forwarded.reduce(0, +)) / messages : nil
            return (sender / messages, forwarder, receiver / messages)
        }
        /// CPU the forwarder spent per paced message in the latency runs (ns): the per-wake-up
        /// cost (poll, one small frame in and out, bookkeeping), which wall-clock latency on a
        /// shared machine hides in its noise.
        var forwarderCPUPerPacedMessage: Double? {
            let messages = Double(latencyRuns.reduce(0) { $0 + $1.messages })
            let forwarded = latencyRuns.compactMap(\.forwarderCPUNanoseconds)
            guard messages > 0, forwarded.count == latencyRuns.count else { return nil }
            return Double(forwarded.reduce(0, +)) / messages
        }
        /// Lost: never arrived, or the daemon reported it undelivered.
        var lost: Int { (latencyRuns + throughputRuns).reduce(0) { $0 + $1.lost } }
        var outOfOrder: Int { (latencyRuns + throughputRuns).reduce(0) { $0 + $1.receiver.arrivals.outOfOrder } }
    }

    struct Ping: Codable {
        var source: String
        var summary: LatencySummary
    }

    struct Memory: Codable {
        var pairs: Int
        var beforeKilobytes: Int
        var afterKilobytes: Int
        var bytesPerPair: Double { Double(afterKilobytes - beforeKilobytes) * 1024 / Double(max(pairs, 1)) }
    }

    struct Settings: Codable {
        var measurement: MeasurementSettings
        var pingCount: Int
        var pairs: Int
    }

    var date: String
    var commit: String
    var machine: Machine
    var settings: Settings
    var paths: [PathFigures] = []
    var pings: [Ping] = []
    var memory: Memory?
    var failures: [String] = []

    func figures(_ path: BenchPath) -> PathFigures? { paths.first { $0.path == path } }
}

/// The daemon part's targets (issue 7), judged on the SDK path (what applications get) against
/// the relay baseline.
enum BenchTargets {
    static func judge(_ report: BenchReport) -> [TargetVerdict] {
        let subject = report.figures(.sdk) ?? report.figures(.ipc)
        let base = report.figures(.relay)
        var verdicts: [TargetVerdict] = []
        verdicts.append(.ratio("latency p50", subject?.latency.map { Double($0.p50) }, over: base?.latency.map { Double($0.p50) },
                               target: "≤ 1.3× baseline") { $0 <= 1.3 })
        verdicts.append(.ratio("latency p99", subject?.latency.map { Double($0.p99) }, over: base?.latency.map { Double($0.p99) },
                               target: "≤ 2× baseline") { $0 <= 2.0 })
        let rate = subject?.medianRate
        verdicts.append(TargetVerdict(name: "throughput", measured: rate.map { Format.rate($0) + " msg/s" } ?? "n/a",
                                      target: "≥ 1,000,000 msg/s", pass: rate.map { $0 >= 1_000_000 }))
        verdicts.append(.ratio("throughput vs baseline", rate, over: base?.medianRate, target: "≥ 0.5× baseline") { $0 >= 0.5 })
        // Issue 17's tighter targets for the same path, in the same run.
        verdicts.append(.ratio("latency p50 (issue 17)", subject?.latency.map { Double($0.p50) }, over: base?.latency.map { Double($0.p50) },
                               target: "≤ 1.1× baseline") { $0 <= 1.1 })
        verdicts.append(.ratio("throughput (issue 17)", rate, over: base?.medianRate, target: "≥ 0.7× baseline") { $0 >= 0.7 })
        let lost = report.paths.reduce(0) { $0 + $1.lost + $1.outOfOrder }
        let complete = report.paths.allSatisfy { $0.failures.isEmpty }
        verdicts.append(TargetVerdict(name: "nothing lost", measured: "\(lost) lost or out of order",
                                      target: "0, every path", pass: complete ? lost == 0 : (lost == 0 ? nil : false)))
        return verdicts
    }
}

extension BenchReport {
    /// The table `scripts/bench` prints (and docs/performance.md records).
    func rendered() -> String {
        var lines: [String] = []
        lines.append("MIDI Services bench — \(date), commit \(commit)")
        lines.append("machine: \(machine.cpus) CPUs, kernel \(machine.kernel), load average \(machine.loadBefore) before, \(machine.loadAfter) after, scheduling \(machine.scheduling)")
        lines.append(settings.measurement.described(sides: "paths", messages: "messages", throughputUnits: "32-bit UMPs"))
        lines.append("")
        let subject = figures(.sdk).map { ("SDK/baseline", $0) } ?? figures(.ipc).map { ("IPC/baseline", $0) }
        var ratios: [ComparisonTable<PathFigures>.Ratio] = []
        if let subject, let base = figures(.relay) { ratios.append(.init(title: subject.0, subject: subject.1, base: base)) }
        var table = ComparisonTable(columns: paths.map { ($0.path.label, $0) }, ratios: ratios, labelWidth: 22, columnWidth: 18)
        table.latencyRows()
        table.row("CPU/paced msg fwd (µs)", { $0.forwarderCPUPerPacedMessage }, { String(format: "%.1f", $0 / 1000) }, ratio: true)
        table.throughputRows("throughput (msg/s)")
        let ns: (Double) -> String = { String(format: "%.0f", $0) }
        table.row("CPU/msg sender (ns)", { $0.cpuPerMessage?.sender }, ns, ratio: true)
        table.row("CPU/msg forwarder (ns)", { $0.cpuPerMessage?.forwarder }, ns, ratio: true)
        table.row("CPU/msg receiver (ns)", { $0.cpuPerMessage?.receiver }, ns, ratio: true)
        table.textRow("lost / out of order") { "\($0.lost) / \($0.outOfOrder)" }
        lines += table.lines
        lines.append("")

        for ping in pings {
            let s = ping.summary
            lines.append("ping (\(ping.source), \(Format.grouped(s.count)) round trips): min \(Format.micros(s.min)) µs, "
                + "median \(Format.micros(s.p50)) µs, p99 \(Format.micros(s.p99)) µs, max \(Format.micros(s.max)) µs")
        }
        if let memory {
            lines.append("daemon memory (VmRSS): \(Format.grouped(memory.beforeKilobytes)) kB before, "
                + "\(Format.grouped(memory.afterKilobytes)) kB after \(Format.grouped(memory.pairs)) transient pairs = "
                + String(format: "%.1f", memory.bytesPerPair / 1024) + " kB per pair")
        }
        lines.append("")
        lines.append("targets (\(figures(.sdk) != nil ? "SDK↔SDK" : "raw IPC") path against the baseline relay):")
        lines += TargetVerdict.rendered(BenchTargets.judge(self))
        let allFailures = failures + paths.flatMap { figures in figures.failures.map { "\(figures.path.label): \($0)" } }
        if !allFailures.isEmpty {
            lines.append("")
            lines.append("FAILED:")
            for failure in allFailures { lines.append("  \(failure)") }
        }
        return lines.joined(separator: "\n")
    }
}
