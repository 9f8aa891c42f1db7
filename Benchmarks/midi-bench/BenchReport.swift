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
        var lost: Int { receiver.lost + sender.reportedLosses }
        var messages: Int { sender.sent }
    }

    /// One path's figures over all rounds: latency (ns, samples of every round merged) and
    /// throughput (messages/s, the median round), with every run's raw results.
    struct PathFigures: Codable {
        var path: BenchPath
        var latencyRuns: [Run] = []
        var throughputRuns: [Run] = []
        var latency: LatencySummary?
        /// What went wrong running this path (the figures above may be partial).
        var failures: [String] = []

        init(path: BenchPath) { self.path = path }

        var rates: [Double] { throughputRuns.map(\.receiver.messagesPerSecond).sorted() }

        /// A latency percentile of each round, the median round's: one round spoilt by a burst
        /// of load elsewhere on the machine moves it little (it does move the merged figure).
        func medianRound(_ percentile: (LatencySummary) -> UInt64) -> Double? {
            latencyRuns.compactMap { $0.receiver.latency.map(percentile) }.sorted().medianRound.map { Double($0) }
        }

        /// CPU per message in the throughput runs, all rounds together: (sender, forwarder,
        /// receiver) in ns.
        var cpuPerMessage: (sender: Double, forwarder: Double?, receiver: Double)? {
            let messages = Double(throughputRuns.reduce(0) { $0 + $1.messages })
            guard messages > 0 else { return nil }
            let sender = Double(throughputRuns.reduce(UInt64(0)) { $0 + $1.sender.cpuNanoseconds })
            let receiver = Double(throughputRuns.reduce(UInt64(0)) { $0 + $1.receiver.cpuNanoseconds })
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
        /// The median round.
        var messagesPerSecond: Double? { rates.medianRound }
        /// Lost: never arrived, or the daemon reported it undelivered.
        var lost: Int { (latencyRuns + throughputRuns).reduce(0) { $0 + $1.lost } }
        var outOfOrder: Int { (latencyRuns + throughputRuns).reduce(0) { $0 + $1.receiver.outOfOrder } }
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
        var rounds: Int
        var latencyCount: Int
        var latencyWarmup: Int
        var intervalMicroseconds: Int
        var throughputCount: Int
        var throughputWarmup: Int
        var batch: Int
        var window: Int
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

/// The targets of issue item 7, judged on the SDK path (what applications get) against the
/// relay baseline.
struct TargetVerdict: Codable {
    var name: String
    var measured: String
    var target: String
    /// nil: could not be judged (a figure is missing).
    var pass: Bool?

    static func judge(_ report: BenchReport) -> [TargetVerdict] {
        let subject = report.figures(.sdk) ?? report.figures(.ipc)
        let base = report.figures(.relay)
        var verdicts: [TargetVerdict] = []
        func ratio(_ a: Double?, _ b: Double?) -> Double? {
            guard let a, let b, b > 0 else { return nil }
            return a / b
        }
        let p50 = ratio(subject?.latency.map { Double($0.p50) }, base?.latency.map { Double($0.p50) })
        verdicts.append(TargetVerdict(name: "latency p50", measured: p50.map { Format.ratio($0) + " baseline" } ?? "n/a",
                                      target: "≤ 1.3× baseline", pass: p50.map { $0 <= 1.3 }))
        let p99 = ratio(subject?.latency.map { Double($0.p99) }, base?.latency.map { Double($0.p99) })
        verdicts.append(TargetVerdict(name: "latency p99", measured: p99.map { Format.ratio($0) + " baseline" } ?? "n/a",
                                      target: "≤ 2× baseline", pass: p99.map { $0 <= 2.0 }))
        let rate = subject?.messagesPerSecond
        verdicts.append(TargetVerdict(name: "throughput", measured: rate.map { Format.rate($0) + " msg/s" } ?? "n/a",
                                      target: "≥ 1,000,000 msg/s", pass: rate.map { $0 >= 1_000_000 }))
        let share = ratio(rate, base?.messagesPerSecond)
        verdicts.append(TargetVerdict(name: "throughput vs baseline", measured: share.map { Format.ratio($0) + " baseline" } ?? "n/a",
                                      target: "≥ 0.5× baseline", pass: share.map { $0 >= 0.5 }))
        let lost = report.paths.reduce(0) { $0 + $1.lost + $1.outOfOrder }
        let complete = report.paths.allSatisfy { $0.failures.isEmpty }
        verdicts.append(TargetVerdict(name: "nothing lost", measured: "\(lost) lost or out of order",
                                      target: "0, every path", pass: complete ? lost == 0 : (lost == 0 ? nil : false)))
        return verdicts
    }
}

enum Format {
    static func micros(_ nanoseconds: UInt64) -> String { String(format: "%.1f", Double(nanoseconds) / 1000) }
    static func ratio(_ value: Double) -> String { String(format: "%.2f×", value) }
    static func rate(_ value: Double) -> String { grouped(Int(value.rounded())) }
    /// 1.23M / 456k: for ranges in narrow columns.
    static func compact(_ value: Double) -> String {
        value >= 1_000_000 ? String(format: "%.2fM", value / 1_000_000) : String(format: "%.0fk", value / 1000)
    }
    static func grouped(_ value: Int) -> String {
        let digits = String(abs(value))
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return value < 0 ? "-" + out : out
    }
    static func pad(_ text: String, _ width: Int, right: Bool = true) -> String {
        let count = text.count
        guard count < width else { return text }
        let fill = String(repeating: " ", count: width - count)
        return right ? fill + text : text + fill
    }
}

extension BenchReport {
    /// The table `scripts/bench` prints (and docs/performance.md records).
    func rendered() -> String {
        var lines: [String] = []
        lines.append("MIDI Services bench — \(date), commit \(commit)")
        lines.append("machine: \(machine.cpus) CPUs, kernel \(machine.kernel), load average \(machine.loadBefore) before, \(machine.loadAfter) after, scheduling \(machine.scheduling)")
        lines.append("\(settings.rounds) rounds, paths interleaved in each; "
            + "latency: \(Format.grouped(settings.latencyCount)) messages in all, one every \(settings.intervalMicroseconds) µs, after \(Format.grouped(settings.latencyWarmup)) warm-up per round; "
            + "throughput (median round): \(Format.grouped(settings.throughputCount)) 32-bit UMPs per round in batches of \(settings.batch), window \(Format.grouped(settings.window)), after \(Format.grouped(settings.throughputWarmup)) warm-up")
        lines.append("")
        let labelWidth = 22, column = 18
        let shown = paths.map(\.path)
        var header = Format.pad("", labelWidth, right: false)
        for path in shown { header += Format.pad(path.label, column) }
        let subject: BenchPath? = shown.contains(.sdk) ? .sdk : shown.contains(.ipc) ? .ipc : nil
        let hasBase = shown.contains(.relay)
        if let subject, hasBase { header += Format.pad(subject == .sdk ? "SDK/baseline" : "IPC/baseline", 16) }
        lines.append(header)

        func row(_ label: String, _ value: (PathFigures) -> Double?, _ text: (Double) -> String, ratio: Bool) {
            var line = Format.pad(label, labelWidth, right: false)
            for figures in paths { line += Format.pad(value(figures).map(text) ?? "—", column) }
            if ratio, let subject, hasBase, let a = figures(subject).flatMap(value), let b = figures(.relay).flatMap(value), b > 0 {
                line += Format.pad(Format.ratio(a / b), 16)
            }
            lines.append(line)
        }
        let us: (Double) -> String = { String(format: "%.1f", $0 / 1000) }
        row("latency p50 (µs)", { $0.latency.map { Double($0.p50) } }, us, ratio: true)
        row("latency p99 (µs)", { $0.latency.map { Double($0.p99) } }, us, ratio: true)
        row("latency p99.9 (µs)", { $0.latency.map { Double($0.p999) } }, us, ratio: true)
        row("  p50, median round", { $0.medianRound(\.p50) }, us, ratio: true)
        row("  p99, median round", { $0.medianRound(\.p99) }, us, ratio: true)
        row("latency min (µs)", { $0.latency.map { Double($0.min) } }, us, ratio: false)
        row("latency max (µs)", { $0.latency.map { Double($0.max) } }, us, ratio: false)
        row("CPU/paced msg fwd (µs)", { $0.forwarderCPUPerPacedMessage }, us, ratio: true)
        row("throughput (msg/s)", { $0.messagesPerSecond }, { Format.rate($0) }, ratio: true)
        var rangeLine = Format.pad("  rounds min–max", labelWidth, right: false)
        for figures in paths {
            let rates = figures.rates
            rangeLine += Format.pad(rates.isEmpty ? "—" : "\(Format.compact(rates.first!))–\(Format.compact(rates.last!))", column)
        }
        lines.append(rangeLine)
        let ns: (Double) -> String = { String(format: "%.0f", $0) }
        row("CPU/msg sender (ns)", { $0.cpuPerMessage?.sender }, ns, ratio: true)
        row("CPU/msg forwarder (ns)", { $0.cpuPerMessage?.forwarder }, ns, ratio: true)
        row("CPU/msg receiver (ns)", { $0.cpuPerMessage?.receiver }, ns, ratio: true)
        var lossLine = Format.pad("lost / out of order", labelWidth, right: false)
        for figures in paths { lossLine += Format.pad("\(figures.lost) / \(figures.outOfOrder)", column) }
        lines.append(lossLine)
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
        lines.append("targets (\(subject == .sdk ? "SDK↔SDK" : "raw IPC") path against the baseline relay):")
        for verdict in TargetVerdict.judge(self) {
            let mark = verdict.pass.map { $0 ? "PASS" : "MISS" } ?? "N/A "
            lines.append("  \(mark)  \(Format.pad(verdict.name, 24, right: false)) \(Format.pad(verdict.measured, 24, right: false)) target \(verdict.target)")
        }
        let allFailures = failures + paths.flatMap { figures in figures.failures.map { "\(figures.path.label): \($0)" } }
        if !allFailures.isEmpty {
            lines.append("")
            lines.append("FAILED:")
            for failure in allFailures { lines.append("  \(failure)") }
        }
        return lines.joined(separator: "\n")
    }
}

extension Array where Element: Comparable {
    /// The median of per-round figures sorted ascending: the middle one, the lower middle one
    /// for an even count (a real round, never an average of two); nil when there is none. The
    /// "median round" of both reports (`midi-bench all` and `midi-bench alsa`).
    var medianRound: Element? { isEmpty ? nil : self[(count - 1) / 2] }
}
