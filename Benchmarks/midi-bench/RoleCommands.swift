import ArgumentParser
import Glibc
import IPC

extension BenchPath: ExpressibleByArgument {}
extension BenchMode: ExpressibleByArgument {}

/// Where a role connects.
struct PathOptions: ParsableArguments {
    @Option(help: "relay (the baseline), ipc (daemon, raw protocol) or sdk (daemon, SDK to SDK).")
    var path: BenchPath

    @Option(help: ArgumentHelp("The relay's or midisrv's socket.", valueName: "path"))
    var socket: String

    @Option(help: ArgumentHelp("Endpoint to open on the daemon paths (id or short form).", valueName: "id"))
    var endpoint: String?

    @Option(name: .customLong("rt-priority"), help: ArgumentHelp("SCHED_FIFO priority for this role's main thread and, on the sdk path, the SDK's reader thread (MidiSession's opt-in); 0 = normal scheduling.", valueName: "n"))
    var rtPriority: Int32 = 0
}

/// What a role measures; sender and receiver must be given the same values.
struct MeasureOptions: ParsableArguments {
    @Option(help: "latency (paced single messages) or throughput (batches).")
    var mode: BenchMode

    @Option(help: "Messages measured (after the warm-up).")
    var count: Int = 20_000

    @Option(help: "Messages sent first and not measured.")
    var warmup: Int = 2_000

    @Option(name: .customLong("interval-us"), help: "Latency: microseconds between messages.")
    var intervalMicroseconds: Int = 200

    @Option(help: "Throughput: messages per sendMultipleMessages call.")
    var batch: Int = 1024

    @Option(help: "Throughput: most messages sent and not yet received (0 = unlimited).")
    var window: Int = 16_384

    @Option(help: ArgumentHelp("Throughput: shared progress file (receiver creates it).", valueName: "path"))
    var progress: String?

    @Option(name: .customLong("timeout-ms"), help: "Receiver: give up after this long without a message.")
    var timeoutMilliseconds: Int = 5000

    @Option(help: ArgumentHelp("Latency receiver: also write the raw samples (ns, UInt64) here.", valueName: "path"))
    var samples: String?

    func validate() throws {
        guard count > 0, warmup >= 0 else { throw ValidationError("--count must be positive and --warmup not negative") }
        guard intervalMicroseconds > 0 else { throw ValidationError("--interval-us must be positive") }
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
        guard window >= 0 else { throw ValidationError("--window must not be negative") }
        guard window == 0 || window >= batch else { throw ValidationError("--window must be at least --batch") }
        // Latency runs tell warm-up from measured messages by sequence number, which wraps at 2²².
        guard mode == .throughput || warmup + count < Int(SequenceCodec.modulus) else {
            throw ValidationError("a latency run sends at most \(SequenceCodec.modulus - 1) messages (warm-up included)")
        }
    }
}

struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "send",
        abstract: "Role: connect, send the measurement's messages, print a JSON result.")

    @OptionGroup var target: PathOptions
    @OptionGroup var measure: MeasureOptions

    func run() throws {
        do {
            try RoleScheduling.apply(target.rtPriority)
            let sender = try Links.sender(path: target.path, socket: target.socket, endpoint: target.endpoint,
                                          readerPriority: target.rtPriority)
            let result: SenderResult
            switch measure.mode {
            case .latency:
                result = try SenderLoops.latency(sender, path: target.path, count: measure.count, warmup: measure.warmup,
                                                 interval: UInt64(measure.intervalMicroseconds) * 1000)
            case .throughput:
                let progress = try measure.progress.map { (path) throws(BenchError) in try ProgressCounter(path: path, create: false) }
                result = try SenderLoops.throughput(sender, path: target.path, total: measure.warmup + measure.count,
                                                    batch: measure.batch, window: measure.window, progress: progress)
            }
            emitJSON(result)
        } catch {
            Console.error("midi-bench send (\(target.path.rawValue), \(measure.mode.rawValue)): \(error)")
            throw ExitCode(1)
        }
    }
}

struct ReceiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "receive",
        abstract: "Role: connect, print \"ready\", take the measurement's messages, print a JSON result.")

    @OptionGroup var target: PathOptions
    @OptionGroup var measure: MeasureOptions

    func run() throws {
        do {
            try RoleScheduling.apply(target.rtPriority)
            let progress = try measure.progress.map { (path) throws(BenchError) in try ProgressCounter(path: path, create: true) }
            let receiver = try Links.receiver(path: target.path, socket: target.socket, endpoint: target.endpoint,
                                              readerPriority: target.rtPriority)
            let idle = UInt64(measure.timeoutMilliseconds) * 1_000_000
            var cpuStart: UInt64 = 0
            let ready = { cpuStart = CPUTime.ownNanoseconds(); emitReady() }
            let result: ReceiverResult
            switch measure.mode {
            case .latency:
                let sink = LatencySink(warmup: measure.warmup, count: measure.count)
                try receiver.run(sink, ready: ready, startTimeout: 4 * idle, idleTimeout: idle)
                receiver.close()
                if let samples = measure.samples { try sink.samples.write(to: samples) }
                let checker = sink.checker
                result = ReceiverResult(path: target.path, mode: .latency, expected: sink.expected, received: checker.received,
                                        lost: checker.lost(sent: sink.expected), outOfOrder: checker.outOfOrder,
                                        foreign: checker.foreign, latency: sink.samples.summary(),
                                        badTimestamps: sink.badTimestamps, measuredMessages: sink.samples.count,
                                        measureStart: 0, lastArrival: 0, cpuNanoseconds: CPUTime.ownNanoseconds() &- cpuStart)
            case .throughput:
                let sink = ThroughputSink(total: measure.warmup + measure.count, warmup: measure.warmup, progress: progress)
                try receiver.run(sink, ready: ready, startTimeout: 4 * idle, idleTimeout: idle)
                receiver.close()
                let checker = sink.checker
                result = ReceiverResult(path: target.path, mode: .throughput, expected: sink.expected, received: checker.received,
                                        lost: checker.lost(sent: sink.expected), outOfOrder: checker.outOfOrder,
                                        foreign: checker.foreign, latency: nil, badTimestamps: 0,
                                        measuredMessages: sink.measuredMessages, measureStart: sink.measureStart,
                                        lastArrival: sink.lastArrival, cpuNanoseconds: CPUTime.ownNanoseconds() &- cpuStart)
            }
            emitJSON(result)
        } catch {
            Console.error("midi-bench receive (\(target.path.rawValue), \(measure.mode.rawValue)): \(error)")
            throw ExitCode(1)
        }
    }
}

struct RelayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "relay",
        abstract: "The baseline: forward frames between two SOCK_SEQPACKET clients, nothing else.")

    @Option(help: ArgumentHelp("Socket to listen on.", valueName: "path"))
    var socket: String

    @Option(name: .customLong("timeout-ms"), help: "Give up when a client has not connected within this time.")
    var timeoutMilliseconds: Int32 = 20_000

    @Option(name: .customLong("rt-priority"), help: ArgumentHelp("SCHED_FIFO priority of the relay's thread; 0 = normal scheduling.", valueName: "n"))
    var rtPriority: Int32 = 0

    func run() throws {
        do {
            try RoleScheduling.apply(rtPriority)
            let relay = try Relay(socketPath: socket)
            emitReady()
            try relay.acceptPeers(timeoutMilliseconds: timeoutMilliseconds)
            try relay.run()
            relay.close()
            unlink(socket)
            emitJSON(RelayResult(forwardedFrames: relay.forwarded, cpuNanoseconds: CPUTime.ownNanoseconds()))
        } catch {
            Console.error("midi-bench relay: \(error)")
            unlink(socket)
            throw ExitCode(1)
        }
    }
}

struct PairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pair",
        abstract: "Create a transient loopback pair on a running midisrv and print its A and B ids (for running roles by hand).")

    @Option(help: ArgumentHelp("midisrv's socket.", valueName: "path"))
    var socket: String

    @Option(help: "Pair name (the endpoints are \"<name> (A)\" and \"<name> (B)\").")
    var name: String = "Bench Loopback"

    @Option(name: .customLong("unique-id"), help: "Unique identifier of both sides.")
    var uniqueIdentifier: String = "BENCH"

    func run() throws {
        do {
            let control = try DaemonControl(socketPath: socket, clientName: "midi-bench pair")
            defer { control.close() }
            let (a, b) = try control.createLoopbackPair(name: name, uniqueIdentifier: uniqueIdentifier)
            Console.out(a)
            Console.out(b)
        } catch {
            Console.error("midi-bench pair: \(error)")
            throw ExitCode(1)
        }
    }
}

/// A role's `--rt-priority`: its main thread at SCHED_FIFO, or an error saying why not (the
/// loaded comparison must not silently measure normal scheduling).
enum RoleScheduling {
    static func apply(_ priority: Int32) throws(BenchError) {
        guard priority != 0 else { return }
        let outcome = RealtimeScheduling.requestForCurrentThread(priority: priority)
        guard case .granted = outcome else { throw .protocolFailure("--rt-priority \(priority): \(outcome)") }
    }
}
