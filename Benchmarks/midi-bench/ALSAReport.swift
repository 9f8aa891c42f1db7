import Foundation

/// Everything one `midi-bench alsa` run measured: the same MIDI 1.0 event stream through the
/// daemon's ALSA bridge (app → loopback A → B → app) and through the kernel's Midi Through
/// client (app → 14:0 → app), as printed and (optionally) saved as JSON.
struct ALSAReport: Codable {
    struct Settings: Codable {
        var rounds: Int
        var latencyCount: Int
        var latencyWarmup: Int
        var intervalMicroseconds: Int
        var throughputCount: Int
        var throughputWarmup: Int
        var batch: Int
        var window: Int
    }

    /// One route's runs over all rounds.
    struct RouteFigures: Codable {
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

        var rates: [Double] { throughputRuns.map(\.messagesPerSecond).sorted() }
        var eventsPerSecond: Double? { rates.medianRound }
        func medianRound(_ percentile: (LatencySummary) -> UInt64) -> Double? {
            latencyRuns.compactMap { $0.latency.map(percentile) }.sorted().medianRound.map { Double($0) }
        }
        var sent: Int { (latencyRuns + throughputRuns).reduce(0) { $0 + $1.sent } }
        var lost: Int { (latencyRuns + throughputRuns).reduce(0) { $0 + $1.lost } }
        var outOfOrder: Int { (latencyRuns + throughputRuns).reduce(0) { $0 + $1.outOfOrder } }
        var dropped: UInt64 { (latencyRuns + throughputRuns).reduce(0) { $0 + $1.senderDropped + $1.receiverOverruns } }
    }

    var date: String
    var commit: String
    var environment: String
    var cpus: Int
    var kernel: String
    var loadBefore: String
    var loadAfter: String
    var settings: Settings
    var routes: [RouteFigures] = []
    var failures: [String] = []

    func figures(_ route: String) -> RouteFigures? { routes.first { $0.route == route } }

    /// The table `scripts/bench --vm` prints (docs/performance.md records it).
    func rendered() -> String {
        var lines: [String] = []
        lines.append("MIDI Services bench, ALSA sequencer — \(date), commit \(commit)")
        lines.append("machine: \(cpus) CPUs, kernel \(kernel), \(environment), load average \(loadBefore) before, \(loadAfter) after")
        lines.append("\(settings.rounds) rounds, routes interleaved in each; MIDI 1.0 Note On events between two ALSA sequencer clients of one process (one thread); "
            + "latency: \(Format.grouped(settings.latencyCount)) events in all, one in flight, one every \(settings.intervalMicroseconds) µs, after \(Format.grouped(settings.latencyWarmup)) warm-up per round; "
            + "throughput (median round): \(Format.grouped(settings.throughputCount)) events per round in batches of \(settings.batch), window \(Format.grouped(settings.window)), after \(Format.grouped(settings.throughputWarmup)) warm-up")
        lines.append("")
        let labelWidth = 24, column = 24
        var header = Format.pad("", labelWidth, right: false)
        for figures in routes { header += Format.pad(figures.label, column) }
        // The bridge against each baseline that was measured.
        let bases = ["through", "relay"].filter { figure($0) != nil && figure("bridge") != nil }
        for base in bases { header += Format.pad(base == "through" ? "bridge/Through" : "bridge/relay", 16) }
        lines.append(header)

        func row(_ label: String, _ value: (RouteFigures) -> Double?, _ text: (Double) -> String, ratio: Bool) {
            var line = Format.pad(label, labelWidth, right: false)
            for figures in routes { line += Format.pad(value(figures).map(text) ?? "—", column) }
            for base in bases where ratio {
                if let a = figure("bridge").flatMap(value), let b = figure(base).flatMap(value), b > 0 {
                    line += Format.pad(Format.ratio(a / b), 16)
                } else {
                    line += Format.pad("—", 16)
                }
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
        row("throughput (events/s)", { $0.eventsPerSecond }, { Format.rate($0) }, ratio: true)
        var rangeLine = Format.pad("  rounds min–max", labelWidth, right: false)
        for figures in routes {
            let rates = figures.rates
            rangeLine += Format.pad(rates.isEmpty ? "—" : "\(Format.compact(rates.first!))–\(Format.compact(rates.last!))", column)
        }
        lines.append(rangeLine)
        row("forwarder CPU/event (ns)", { $0.forwarderCPUPerEvent }, { String(format: "%.0f", $0) }, ratio: true)
        var lossLine = Format.pad("lost / out of order", labelWidth, right: false)
        for figures in routes { lossLine += Format.pad("\(figures.lost) / \(figures.outOfOrder) of \(Format.grouped(figures.sent))", column) }
        lines.append(lossLine)
        var dropLine = Format.pad("kernel-dropped", labelWidth, right: false)
        for figures in routes { dropLine += Format.pad("\(figures.dropped)", column) }
        lines.append(dropLine)
        let allFailures = failures + routes.flatMap { figures in figures.failures.map { "\(figures.label): \($0)" } }
        let lost = routes.reduce(0) { $0 + $1.lost + $1.outOfOrder } + Int(routes.reduce(UInt64(0)) { $0 + $1.dropped })
        lines.append("")
        lines.append(lost == 0 && allFailures.isEmpty
            ? "every event arrived, once, in order, on every route"
            : "EVENTS LOST OR REORDERED (see the counts above)")
        if !allFailures.isEmpty {
            lines.append("")
            lines.append("FAILED:")
            for failure in allFailures { lines.append("  \(failure)") }
        }
        return lines.joined(separator: "\n")
    }

    private func figure(_ route: String) -> RouteFigures? { figures(route) }
}
