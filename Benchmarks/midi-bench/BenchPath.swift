import UMP

/// Which path a send/receive role measures.
enum BenchPath: String, CaseIterable, Codable, Sendable {
    /// The baseline: `midi-bench relay`, a process that only forwards frames between two
    /// SOCK_SEQPACKET connections — same socket type, same UMP batch frames, no MIDI logic.
    case relay
    /// Through `midisrv`, with the bench speaking the IPC protocol itself (no SDK): separates
    /// what the daemon costs from what the SDK adds.
    case ipc
    /// Through `midisrv`, SDK to SDK (`MidiSession` + `MidiEndpointConnection`): what an
    /// application sees. The figure the targets apply to.
    case sdk

    var label: String {
        switch self {
        case .relay: return "baseline relay"
        case .ipc: return "daemon, raw IPC"
        case .sdk: return "daemon, SDK↔SDK"
        }
    }
}

/// The sending end of a path.
protocol BenchSender: AnyObject {
    /// Sends `messages` as one batch (`sendMultipleMessages`); returns once the whole batch is
    /// handed to the socket (waiting while it is full — never dropping).
    func send(_ messages: UnsafeBufferPointer<TimestampedUMP>) throws(BenchError)
    /// Losses the far side reported so far (the daemon's send reports); 0 on the relay.
    var reportedLosses: Int { get }
    /// Waits briefly for late reports, then disconnects.
    func finish() throws(BenchError)
}

/// What a receiving role does with each message.
protocol MessageSink: AnyObject {
    /// One message and the time it arrived (CLOCK_MONOTONIC ns) — evaluated only when the
    /// sink needs it, so a throughput run does not read the clock per message.
    func take(_ message: TimestampedUMP, arrival: @autoclosure () -> UInt64)
    /// Whether everything expected has arrived.
    var isDone: Bool { get }
    /// How many messages a complete run delivers, when that is fixed: a receiver that is
    /// called per message need not ask `isDone` before that many have arrived.
    var expectedMessageCount: Int? { get }
}

/// The receiving end of a path.
protocol BenchReceiver: AnyObject {
    /// Delivers messages to `sink` until it is done, or until nothing arrived for
    /// `idleTimeout` nanoseconds after the first message (or `startTimeout` before it).
    /// Calls `ready` once messages sent from now on are sure to reach the sink.
    func run(_ sink: MessageSink, ready: () -> Void, startTimeout: UInt64, idleTimeout: UInt64) throws(BenchError)
    func close()
}
