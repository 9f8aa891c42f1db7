/// The parts both reports share (`midi-bench all`'s `BenchReport`, `midi-bench alsa`'s
/// `ALSAReport`): what a run of rounds was asked to do, the figures of one path or route over
/// its rounds, and the table that puts paths side by side with ratios against a baseline.

/// The measurement settings of a run of rounds, as both coordinators take them.
struct MeasurementSettings: Codable {
    var rounds: Int
    var latencyCount: Int
    var latencyWarmup: Int
    var intervalMicroseconds: Int
    var throughputCount: Int
    var throughputWarmup: Int
    var batch: Int
    var window: Int

    /// The header line under the machine line: "5 rounds, paths interleaved in each; latency:
    /// 20,000 messages in all, one every 200 µs, …; throughput (median round): …". `sides` names
    /// the columns ("paths", "routes"), `preface` says what is sent (may be empty), `messages`
    /// and `throughputUnits` name what is counted, `pacing` adds to the latency pacing.
    func described(sides: String, preface: String = "", messages: String, pacing: String = "", throughputUnits: String) -> String {
        "\(rounds) rounds, \(sides) interleaved in each; \(preface)"
            + "latency: \(Format.grouped(latencyCount)) \(messages) in all, \(pacing)one every \(intervalMicroseconds) µs, after \(Format.grouped(latencyWarmup)) warm-up per round; "
            + "throughput (median round): \(Format.grouped(throughputCount)) \(throughputUnits) per round in batches of \(batch), window \(Format.grouped(window)), after \(Format.grouped(throughputWarmup)) warm-up"
    }
}

/// One path's (or route's) figures over all rounds: every round's latency summary, the merged
/// latency of all rounds, and every round's throughput.
protocol RoundFigures {
    /// All rounds' latency samples merged.
    var latency: LatencySummary? { get }
    /// Each latency round's summary.
    var latencyRounds: [LatencySummary] { get }
    /// Each throughput round's rate (messages or events per second).
    var roundRates: [Double] { get }
}

extension RoundFigures {
    /// A latency percentile of each round, the median round's: one round spoilt by a burst of
    /// load elsewhere on the machine moves it little (it does move the merged figure).
    func medianRound(_ percentile: (LatencySummary) -> UInt64) -> Double? {
        latencyRounds.map(percentile).sorted().medianRound.map { Double($0) }
    }
    /// The rounds' rates, ascending.
    var rates: [Double] { roundRates.sorted() }
    /// The median round's rate.
    var medianRate: Double? { rates.medianRound }
}

/// A report's table: a label column, one column per path or route, and ratio columns (a subject
/// over a baseline) at the right.
struct ComparisonTable<Figures> {
    struct Ratio {
        var title: String
        var subject: Figures
        var base: Figures
    }

    private let columns: [Figures]
    private let ratios: [Ratio]
    private let labelWidth: Int
    private let columnWidth: Int
    private let ratioWidth: Int
    private(set) var lines: [String] = []

    init(columns: [(title: String, figures: Figures)], ratios: [Ratio], labelWidth: Int, columnWidth: Int, ratioWidth: Int = 16) {
        self.columns = columns.map(\.figures)
        self.ratios = ratios
        self.labelWidth = labelWidth
        self.columnWidth = columnWidth
        self.ratioWidth = ratioWidth
        var header = Format.pad("", labelWidth, right: false)
        for column in columns { header += Format.pad(column.title, columnWidth) }
        for ratio in ratios { header += Format.pad(ratio.title, ratioWidth) }
        lines.append(header)
    }

    /// A row of figures; with `ratio`, subject/base in each ratio column ("—" where one is missing).
    mutating func row(_ label: String, _ value: (Figures) -> Double?, _ text: (Double) -> String, ratio: Bool) {
        var line = Format.pad(label, labelWidth, right: false)
        for figures in columns { line += Format.pad(value(figures).map(text) ?? "—", columnWidth) }
        if ratio {
            for pair in ratios {
                if let a = value(pair.subject), let b = value(pair.base), b > 0 {
                    line += Format.pad(Format.ratio(a / b), ratioWidth)
                } else {
                    line += Format.pad("—", ratioWidth)
                }
            }
        }
        lines.append(line)
    }

    /// A row of text, no ratios.
    mutating func textRow(_ label: String, _ text: (Figures) -> String) {
        var line = Format.pad(label, labelWidth, right: false)
        for figures in columns { line += Format.pad(text(figures), columnWidth) }
        lines.append(line)
    }
}

extension ComparisonTable where Figures: RoundFigures {
    /// p50/p99/p99.9 of all rounds merged, the median round's p50 and p99, min and max.
    mutating func latencyRows() {
        let us: (Double) -> String = { String(format: "%.1f", $0 / 1000) }
        row("latency p50 (µs)", { $0.latency.map { Double($0.p50) } }, us, ratio: true)
        row("latency p99 (µs)", { $0.latency.map { Double($0.p99) } }, us, ratio: true)
        row("latency p99.9 (µs)", { $0.latency.map { Double($0.p999) } }, us, ratio: true)
        row("  p50, median round", { $0.medianRound(\.p50) }, us, ratio: true)
        row("  p99, median round", { $0.medianRound(\.p99) }, us, ratio: true)
        row("latency min (µs)", { $0.latency.map { Double($0.min) } }, us, ratio: false)
        row("latency max (µs)", { $0.latency.map { Double($0.max) } }, us, ratio: false)
    }

    /// The median round's rate and the rounds' range.
    mutating func throughputRows(_ label: String) {
        row(label, { $0.medianRate }, { Format.rate($0) }, ratio: true)
        textRow("  rounds min–max") { figures in
            let rates = figures.rates
            guard let low = rates.first, let high = rates.last else { return "—" }
            return "\(Format.compact(low))–\(Format.compact(high))"
        }
    }
}

/// One target of an issue, judged on a report's figures.
struct TargetVerdict: Codable {
    var name: String
    var measured: String
    var target: String
    /// nil: could not be judged (a figure is missing).
    var pass: Bool?

    /// A ratio target: `measured` = subject/base, passing when `passes` holds.
    static func ratio(_ name: String, _ subject: Double?, over base: Double?, target: String,
                      _ passes: (Double) -> Bool) -> TargetVerdict {
        let value: Double? = if let subject, let base, base > 0 { subject / base } else { nil }
        return TargetVerdict(name: name, measured: value.map { Format.ratio($0) + " baseline" } ?? "n/a",
                             target: target, pass: value.map(passes))
    }

    /// "  PASS  name  measured  target …", one line per verdict.
    static func rendered(_ verdicts: [TargetVerdict]) -> [String] {
        verdicts.map { verdict in
            let mark = verdict.pass.map { $0 ? "PASS" : "MISS" } ?? "N/A "
            return "  \(mark)  \(Format.pad(verdict.name, 24, right: false)) \(Format.pad(verdict.measured, 24, right: false)) target \(verdict.target)"
        }
    }
}

extension Array where Element: Comparable {
    /// The median of per-round figures sorted ascending: the middle one, the lower middle one
    /// for an even count (a real round, never an average of two); nil when there is none.
    var medianRound: Element? { isEmpty ? nil : self[(count - 1) / 2] }
}
