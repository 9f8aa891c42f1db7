import Foundation

/// Everything one `midi-bench alsa` run measured: the same MIDI 1.0 event stream through the
/// daemon's ALSA bridge (app → loopback A → B → app), through a user-space relay client and
/// through the kernel's Midi Through client (app → 14:0 → app), as printed and (optionally)
/// saved as JSON.
struct ALSAReport: Codable {
    /// One route's runs over all rounds.
    struct RouteFigures: Codable, RoundFigures {
        var route: String
        var label: String
        var latencyRuns: [ALSARunResult] = []
        var throughputRuns: [ALSARunResult] = []
        /// All rounds' latency samples merged.
        var latency: LatencySummary?
        /// CPU the forwarding process (the daemon, the relay) spent per event in the throughput
        /// runs; nil for Midi Through, which forwards inside the kernel.
        var forwarderCPUPerEvent: Double?
        var failures: [String] = []

        init(route: String, label: String) {
            self.route = route
            self.label = label
        }

        var latencyRounds: [LatencySummary] { latencyRuns.compactMap(\.arrivals.latency) }
        var roundRates: [Double] { throughputRuns.map(\.arrivals.messagesPerSecond) }
        private var runs: [ALSARunResult] { latencyRuns + throughputRuns }
        var sent: Int { runs.reduce(0) { $0 + $1.sent } }
        var lost: Int { runs.reduce(0) { $0 + $1.arrivals.lost } }
        var outOfOrder: Int { runs.reduce(0) { $0 + $1.arrivals.outOfOrder } }
        var dropped: UInt64 { runs.reduce(0) { $0 + $1.senderDropped + $1.receiverOverruns } }
    }

    var date: String
    var commit: String
    var environment: String
    var cpus: Int
    var kernel: String
    var loadBefore: String
    var loadAfter: String
    var settings: MeasurementSettings
    var routes: [RouteFigures] = []
    var failures: [String] = []

    func figures(_ route: String) -> RouteFigures? { routes.first { $0.route == route } }

    /// Events lost, reordered or dropped by the kernel, on every route together.
    var lostEvents: Int {
        routes.reduce(0) { $0 + $1.lost + $1.outOfOrder } + Int(routes.reduce(UInt64(0)) { $0 + $1.dropped })
    }

    /// The table `scripts/bench --vm` prints (docs/performance.md records it).
    func rendered() -> String {
        var lines: [String] = []
        lines.append("MIDI Services bench, ALSA sequencer — \(date), commit \(commit)")
        lines.append("machine: \(cpus) CPUs, kernel \(kernel), \(environment), load average \(loadBefore) before, \(loadAfter) after")
        lines.append(settings.described(sides: "routes",
                                        preface: "MIDI 1.0 Note On events between two ALSA sequencer clients of one process (one thread); ",
                                        messages: "events", pacing: "one in flight, ", throughputUnits: "events"))
        lines.append("")
        // The bridge against each baseline that was measured.
        var ratios: [ComparisonTable<RouteFigures>.Ratio] = []
        if let bridge = figures("bridge") {
            if let through = figures("through") { ratios.append(.init(title: "bridge/Through", subject: bridge, base: through)) }
            if let relay = figures("relay") { ratios.append(.init(title: "bridge/relay", subject: bridge, base: relay)) }
        }
        var table = ComparisonTable(columns: routes.map { ($0.label, $0) }, ratios: ratios, labelWidth: 24, columnWidth: 24)
        table.latencyRows()
        table.throughputRows("throughput (events/s)")
        table.row("forwarder CPU/event (ns)", { $0.forwarderCPUPerEvent }, { String(format: "%.0f", $0) }, ratio: true)
        table.textRow("lost / out of order") { "\($0.lost) / \($0.outOfOrder) of \(Format.grouped($0.sent))" }
        table.textRow("kernel-dropped") { "\($0.dropped)" }
        lines += table.lines
        let allFailures = failures + routes.flatMap { figures in figures.failures.map { "\(figures.label): \($0)" } }
        lines.append("")
        lines.append(lostEvents == 0 && allFailures.isEmpty
            ? "every event arrived, once, in order, on every route"
            : "EVENTS LOST OR REORDERED (see the counts above)")
        let verdicts = ALSATargets.judge(self)
        if !verdicts.isEmpty {
            lines.append("")
            lines.append("targets (issue 17: the bridge against the user relay, in this run):")
            lines += TargetVerdict.rendered(verdicts)
        }
        if !allFailures.isEmpty {
            lines.append("")
            lines.append("FAILED:")
            for failure in allFailures { lines.append("  \(failure)") }
        }
        return lines.joined(separator: "\n")
    }
}

/// Issue 17's targets for the ALSA bridge, as ratios to the user relay measured in the same run:
/// the bridge's work on top of the process hop every user-space client pays.
enum ALSATargets {
    static func judge(_ report: ALSAReport) -> [TargetVerdict] {
        guard let bridge = report.figures("bridge"), let relay = report.figures("relay") else { return [] }
        let complete = bridge.failures.isEmpty && relay.failures.isEmpty && report.failures.isEmpty
        let lost = report.lostEvents
        return [
            .ratio("forwarder CPU per event", bridge.forwarderCPUPerEvent, over: relay.forwarderCPUPerEvent,
                   target: "≤ 1.5× relay") { $0 <= 1.5 },
            .ratio("throughput", bridge.medianRate, over: relay.medianRate, target: "≥ 0.8× relay") { $0 >= 0.8 },
            .ratio("latency p50", bridge.latency.map { Double($0.p50) }, over: relay.latency.map { Double($0.p50) },
                   target: "≤ 1.1× relay") { $0 <= 1.1 },
            .ratio("latency p99", bridge.latency.map { Double($0.p99) }, over: relay.latency.map { Double($0.p99) },
                   target: "≤ 1.5× relay") { $0 <= 1.5 },
            TargetVerdict(name: "nothing lost", measured: "\(lost) lost, reordered or dropped", target: "0, every route",
                          pass: complete ? lost == 0 : (lost == 0 ? nil : false)),
        ]
    }
}
