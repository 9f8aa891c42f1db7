import ALSASequencer
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
        try CommandFailure.reported("midi-bench send (\(target.path.rawValue), \(measure.mode.rawValue))") {
            try RoleScheduling.apply(target.rtPriority)
            let sender = try Links.sender(path: target.path, socket: target.socket, endpoint: target.endpoint,
                                          readerPriority: target.rtPriority)
            switch measure.mode {
            case .latency:
                emitJSON(try SenderLoops.latency(sender, path: target.path, count: measure.count, warmup: measure.warmup,
                                                 interval: UInt64(measure.intervalMicroseconds) * 1000))
            case .throughput:
                let progress = try measure.progress.map { (path) throws(BenchError) in try ProgressCounter(path: path, create: false) }
                emitJSON(try SenderLoops.throughput(sender, path: target.path, total: measure.warmup + measure.count,
                                                    batch: measure.batch, window: measure.window, progress: progress))
            }
        }
    }
}

struct ReceiveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "receive",
        abstract: "Role: connect, print \"ready\", take the measurement's messages, print a JSON result.")

    @OptionGroup var target: PathOptions
    @OptionGroup var measure: MeasureOptions

    func run() throws {
        try CommandFailure.reported("midi-bench receive (\(target.path.rawValue), \(measure.mode.rawValue))") {
            try RoleScheduling.apply(target.rtPriority)
            let progress = try measure.progress.map { (path) throws(BenchError) in try ProgressCounter(path: path, create: true) }
            let receiver = try Links.receiver(path: target.path, socket: target.socket, endpoint: target.endpoint,
                                              readerPriority: target.rtPriority)
            let idle = UInt64(measure.timeoutMilliseconds) * 1_000_000
            var cpuStart: UInt64 = 0
            /// Takes the run's messages into `sink`; the CPU from ready to the end is the run's.
            func receive(into sink: some MessageSink) throws -> UInt64 {
                try receiver.run(sink, ready: { cpuStart = CPUTime.ownNanoseconds(); emitReady() },
                                 startTimeout: 4 * idle, idleTimeout: idle)
                receiver.close()
                return CPUTime.ownNanoseconds() &- cpuStart
            }
            switch measure.mode {
            case .latency:
                let sink = LatencySink(warmup: measure.warmup, count: measure.count)
                let cpu = try receive(into: sink)
                if let samples = measure.samples { try sink.samples.write(to: samples) }
                emitJSON(ReceiverResult(path: target.path, mode: .latency, expected: sink.expected, badTimestamps: sink.badTimestamps,
                                        arrivals: Arrivals(sink.checker, sent: sink.expected, latency: sink.samples.summary(),
                                                           measuredMessages: sink.samples.count, cpuNanoseconds: cpu)))
            case .throughput:
                let sink = ThroughputSink(total: measure.warmup + measure.count, warmup: measure.warmup, progress: progress)
                let cpu = try receive(into: sink)
                emitJSON(ReceiverResult(path: target.path, mode: .throughput, expected: sink.expected, badTimestamps: 0,
                                        arrivals: Arrivals(sink.checker, sent: sink.expected, latency: nil,
                                                           measuredMessages: sink.measuredMessages, measureStart: sink.measureStart,
                                                           lastArrival: sink.lastArrival, cpuNanoseconds: cpu)))
            }
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
        defer { unlink(socket) }
        try CommandFailure.reported("midi-bench relay") {
            try RoleScheduling.apply(rtPriority)
            let relay = try Relay(socketPath: socket)
            emitReady()
            try relay.acceptPeers(timeoutMilliseconds: timeoutMilliseconds)
            try relay.run()
            relay.close()
            emitJSON(RelayResult(forwardedFrames: relay.forwarded, cpuNanoseconds: CPUTime.ownNanoseconds()))
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
        try CommandFailure.reported("midi-bench pair") {
            let control = try DaemonControl(socketPath: socket, clientName: "midi-bench pair")
            defer { control.close() }
            let (a, b) = try control.createLoopbackPair(name: name, uniqueIdentifier: uniqueIdentifier)
            Console.out(a)
            Console.out(b)
        }
    }
}

/// How every `midi-bench` command ends when something fails: one line on stderr, "<command>:
/// <what went wrong>", and exit status 1 (the coordinators read a role's status and stderr).
enum CommandFailure {
    static func reported(_ command: @autoclosure () -> String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ALSAError {
            Console.error("\(command()): \(BenchError.alsa(error))")
            throw ExitCode(1)
        } catch {
            Console.error("\(command()): \(error)")
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

    /// Runs `body` with the calling thread at SCHED_FIFO `priority` (0: as it is), then puts it
    /// back to normal scheduling: for a coordinator that measures in its own thread
    /// (`alsa-loaded`) only in the real-time condition.
    static func during<T>(_ priority: Int32, _ body: () throws -> T) throws -> T {
        guard priority != 0 else { return try body() }
        try apply(priority)
        defer {
            var parameter = sched_param(sched_priority: 0)
            _ = pthread_setschedparam(pthread_self(), SCHED_OTHER, &parameter)
        }
        return try body()
    }
}
