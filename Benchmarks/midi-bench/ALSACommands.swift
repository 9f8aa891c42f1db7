import ALSASequencer
import ArgumentParser
import Foundation
import Glibc
import POSIX

/// Where one ALSA run's events go: written to `to`, read back from `from`.
struct ALSARouteOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where the sender writes: client:port, client, or a client name (e.g. \"Bench ALSA (A)\"); 14:0 is Midi Through.", valueName: "address"))
    var to: String

    @Option(help: ArgumentHelp("Where the receiver reads: the same forms (B's client for a loopback, 14:0 again for Midi Through).", valueName: "address"))
    var from: String

    @Option(help: "Label of the route in the result.")
    var route: String = "route"

    @Option(name: .customLong("timeout-ms"), help: "Give up on an event (latency) or on a full window (throughput) after this long.")
    var timeoutMilliseconds: Int32 = 5000

    func ends() throws(BenchError) -> ALSAEnds {
        let probe: SequencerClient
        do { probe = try SequencerClient(name: "midi-bench probe") } catch { throw .alsa(error) }
        let destination = try ALSAAddressArgument.resolve(to, using: probe)
        let source = try ALSAAddressArgument.resolve(from, using: probe)
        return try ALSAEnds(to: destination, from: source, label: route)
    }
}

struct ALSALatencyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alsa-latency",
        abstract: "One ALSA latency run: paced MIDI 1.0 events from a sender client to a receiver client along a route; prints a JSON result.")

    @OptionGroup var target: ALSARouteOptions

    @Option(help: "Events measured (after the warm-up).")
    var count: Int = 2_000

    @Option(help: "Events sent first and not measured.")
    var warmup: Int = 200

    @Option(name: .customLong("interval-us"), help: "Microseconds between events (one in flight at a time).")
    var intervalMicroseconds: Int = 500

    func validate() throws {
        guard count > 0, warmup >= 0, intervalMicroseconds > 0 else { throw ValidationError("--count and --interval-us must be positive, --warmup not negative") }
    }

    func run() throws {
        try CommandFailure.reported("midi-bench alsa-latency") {
            let ends = try target.ends()
            let samples = SampleBuffer(capacity: count)
            emitJSON(try ALSALoops.latency(ends, route: target.route, count: count, warmup: warmup,
                                           interval: UInt64(intervalMicroseconds) * 1000,
                                           timeoutMilliseconds: target.timeoutMilliseconds, samples: samples))
        }
    }
}

struct ALSAThroughputCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alsa-throughput",
        abstract: "One ALSA throughput run: batches of MIDI 1.0 events along a route, every one checked in order; prints a JSON result.")

    @OptionGroup var target: ALSARouteOptions

    @Option(help: "Events measured (after the warm-up).")
    var count: Int = 100_000

    @Option(help: "Events sent first and not measured.")
    var warmup: Int = 10_000

    @Option(help: "Events per drain of the sender's output buffer.")
    var batch: Int = 64

    @Option(help: "Most events sent and not yet received: keep it below the smallest FIFO on the route (the bridge's clients take 1,000).")
    var window: Int = 512

    func validate() throws {
        guard count > 0, warmup >= 0, batch > 0, window >= batch else { throw ValidationError("--count and --batch must be positive, --window at least --batch") }
    }

    func run() throws {
        try CommandFailure.reported("midi-bench alsa-throughput") {
            let ends = try target.ends()
            emitJSON(try ALSALoops.throughput(ends, route: target.route, total: warmup + count, warmup: warmup,
                                              batch: batch, window: window, timeoutMilliseconds: target.timeoutMilliseconds))
        }
    }
}

/// The coordinator of the ALSA comparison: a temporary midisrv with one transient loopback pair
/// ("Bench ALSA"), whose bridge clients are the route app → A → B → app, against two baselines:
/// Midi Through (snd-seq-dummy's kernel client 14, app → 14:0 → app: no process hop at all) and
/// a user-space relay client in its own process (`alsa-relay`: the same process hop as the
/// bridge, none of its work). Routes are interleaved in every round; latency samples of all
/// rounds are merged, throughput is the median round. Needs the ALSA sequencer and
/// snd-seq-dummy: `scripts/bench --vm` runs it in the VM tier.
struct ALSACommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alsa",
        abstract: "Compare the daemon's ALSA bridge (app → loopback A → B → app) with Midi Through (app → 14:0 → app) and a user-space relay client: latency and lossless throughput.",
        discussion: "Needs /dev/snd/seq and snd-seq-dummy (client 14); scripts/bench --vm runs it in a VM. Exit status: 0 when everything ran and nothing was lost; 1 otherwise.")

    @Option(help: "Rounds; each runs both routes once per measurement, interleaved.")
    var rounds: Int = 3

    @Option(name: .customLong("latency-count"), help: "Latency samples per route, over all rounds (after the warm-ups).")
    var latencyCount: Int = 6_000

    @Option(name: .customLong("latency-warmup"), help: "Latency warm-up events per route and round.")
    var latencyWarmup: Int = 200

    @Option(name: .customLong("interval-us"), help: "Latency: microseconds between events.")
    var intervalMicroseconds: Int = 500

    @Option(name: .customLong("throughput-count"), help: "Throughput: events measured per route and round (after the warm-up).")
    var throughputCount: Int = 100_000

    @Option(name: .customLong("throughput-warmup"), help: "Throughput warm-up events per route and round.")
    var throughputWarmup: Int = 10_000

    @Option(help: "Throughput: events per drain of the sender's output buffer.")
    var batch: Int = 64

    @Option(help: "Throughput: most events sent and not yet received (below the bridge clients' 1,000-event FIFO).")
    var window: Int = 512

    @Option(help: ArgumentHelp("The Midi Through port.", valueName: "address"))
    var through: String = "14:0"

    @Option(help: ArgumentHelp("midisrv to start (default: next to midi-bench).", valueName: "path"))
    var midisrv: String?

    @Option(help: ArgumentHelp("Commit to print in the header.", valueName: "id"))
    var commit: String = "unknown"

    @Option(help: ArgumentHelp("What the machine is, for the header (scripts/bench --vm says KVM or TCG).", valueName: "text"))
    var environment: String = "environment not given"

    @Option(help: ArgumentHelp("Also write the report as JSON here.", valueName: "path"))
    var json: String?

    func validate() throws {
        guard rounds >= 1, latencyCount >= rounds, throughputCount > 0 else { throw ValidationError("--rounds, --latency-count (at least --rounds) and --throughput-count must be positive") }
        guard batch > 0, window >= batch else { throw ValidationError("--batch must be positive and --window at least --batch") }
    }

    func run() throws {
        let availability = SequencerAvailability.check()
        guard availability.isAvailable else {
            Console.error("midi-bench alsa: no usable ALSA sequencer (\(availability)); this runs where /dev/snd/seq and snd-seq-dummy exist — scripts/bench --vm")
            throw ExitCode(1)
        }
        let own = AllCommand.ownExecutable()
        let daemonExecutable = midisrv ?? (own as NSString).deletingLastPathComponent + "/midisrv"
        var template = Array("/tmp/midi-bench-alsa-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError.system(.current("mkdtemp")) }
        let scratch = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: scratch) }

        var report = ALSAReport(date: ISO8601DateFormatter().string(from: Date()), commit: commit, environment: environment,
                                cpus: sysconf(Int32(_SC_NPROCESSORS_ONLN)), kernel: AllCommand.kernel(),
                                loadBefore: AllCommand.loadAverage(), loadAfter: "",
                                settings: .init(rounds: rounds, latencyCount: latencyCount, latencyWarmup: latencyWarmup,
                                                intervalMicroseconds: intervalMicroseconds, throughputCount: throughputCount,
                                                throughputWarmup: throughputWarmup, batch: batch, window: window))
        do {
            let rig = try ALSARig(own: own, daemonExecutable: daemonExecutable, scratch: scratch)
            defer { rig.stop() }
            let throughAddress = try ALSAAddressArgument.resolve(through, using: rig.probe)
            let through = ALSARig.Route(name: "through", label: "Midi Through (\(throughAddress))", to: throughAddress, from: throughAddress)
            Console.error("midi-bench alsa: \(rig.bridge.label); \(through.label); \(rig.userRelay.label)")

            var bridge = ALSAReport.RouteFigures(route: "bridge", label: rig.bridge.label)
            var midiThrough = ALSAReport.RouteFigures(route: "through", label: through.label)
            var userRelay = ALSAReport.RouteFigures(route: "relay", label: rig.userRelay.label)
            var samples: [String: [UInt64]] = [:]
            var forwarderCPU: [String: UInt64?] = ["bridge": 0, "relay": 0]   // nil once a reading failed
            let forwarderPID = ["bridge": rig.daemon.pid, "relay": rig.relay.pid]
            let routes = [rig.bridge, through, rig.userRelay]
            func record(_ route: String, _ body: (inout ALSAReport.RouteFigures) -> Void) {
                switch route {
                case "bridge": body(&bridge)
                case "relay": body(&userRelay)
                default: body(&midiThrough)
                }
            }
            let perRound = latencyCount / rounds
            for round in 1...rounds {
                for route in routes {
                    progress("round \(round)/\(rounds): latency, \(route.name)…")
                    do {
                        let result = try ALSARig.latencyRound(route, count: perRound, warmup: latencyWarmup,
                                                              intervalMicroseconds: intervalMicroseconds,
                                                              samples: &samples[route.name, default: []])
                        record(route.name) { $0.latencyRuns.append(result) }
                    } catch {
                        record(route.name) { $0.failures.append("latency round \(round): \(error)") }
                    }
                }
                for route in routes {
                    progress("round \(round)/\(rounds): throughput, \(route.name)…")
                    do {
                        let ends = try ALSAEnds(to: route.to, from: route.from, label: route.name)
                        let pid = forwarderPID[route.name]
                        let cpuBefore = pid.flatMap { CPUTime.nanoseconds(pid: $0) }
                        let result = try ALSALoops.throughput(ends, route: route.name, total: throughputWarmup + throughputCount,
                                                              warmup: throughputWarmup, batch: batch, window: window,
                                                              timeoutMilliseconds: 5000)
                        record(route.name) { $0.throughputRuns.append(result) }
                        if let pid, let spent = forwarderCPU[route.name] ?? nil {
                            if let before = cpuBefore, let after = CPUTime.nanoseconds(pid: pid) {
                                forwarderCPU[route.name] = spent + (after &- before)
                            } else {
                                forwarderCPU[route.name] = .some(nil)
                            }
                        }
                    } catch {
                        record(route.name) { $0.failures.append("throughput round \(round): \(error)") }
                    }
                }
            }
            for route in ["bridge", "relay"] {
                record(route) { figures in
                    let events = figures.throughputRuns.reduce(0) { $0 + $1.sent }
                    if let spent = forwarderCPU[route] ?? nil, events > 0 { figures.forwarderCPUPerEvent = Double(spent) / Double(events) }
                }
            }
            for route in ["bridge", "through", "relay"] {
                record(route) { figures in figures.latency = samples[route].map { LatencySummary(sorted: $0.sorted()) } }
            }
            report.routes = [midiThrough, userRelay, bridge]
        } catch {
            report.failures.append("\(error)")
        }
        report.loadAfter = AllCommand.loadAverage()
        print(report.rendered())
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            do { try encoder.encode(report).write(to: URL(fileURLWithPath: json)) } catch {
                Console.error("midi-bench alsa: cannot write \(json): \(error)")
            }
        }
        let failed = !report.failures.isEmpty || report.routes.contains { !$0.failures.isEmpty }
        if report.lostEvents > 0 || failed { throw ExitCode(1) }
    }

    private func progress(_ text: String) { Console.error("midi-bench alsa: \(text)") }
}
