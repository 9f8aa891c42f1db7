import IPC

/// Why an SDK call failed. Every case says what failed and, where it helps, where
/// (the socket path, the operation, the daemon's own message).
public enum MidiServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The daemon could not be reached at `socketPath` (no socket file, nobody listening,
    /// permission denied…). `errno` is the `connect` failure.
    case serviceNotReachable(socketPath: String, reason: String, errno: Int32)
    /// The daemon answered the handshake with a refusal (version mismatch, shutting down…).
    case connectionRefused(reason: String, message: String)
    /// The connection to the daemon was lost, or the session is reconnecting after a daemon
    /// restart; the operation was not carried out (or its answer never arrived).
    case disconnected(operation: String)
    /// The session (or the connection/watcher) was closed.
    case closed(what: String)
    /// The daemon did not answer `operation` within the timeout.
    case timedOut(operation: String, seconds: Double)
    /// The daemon refused the operation: its code, message and per-problem details.
    case operationFailed(operation: String, code: Code, message: String, details: [String])
    /// Something the caller passed is invalid; nothing was sent to the daemon.
    case invalidArgument(String)
    /// The daemon sent something this SDK cannot read (a bug or an incompatible daemon).
    case protocolViolation(String)
    /// A blocking call (a control operation) was made from the session's reader thread —
    /// i.e. from inside a message, watcher or connection callback. It would wait for an answer
    /// that only that thread can read, so it is refused instead of deadlocking.
    case calledFromCallback(operation: String)

    /// The daemon's error codes (docs/ipc.md).
    public enum Code: String, Sendable, Hashable, Codable {
        case invalidRequest, validationFailed, notFound, alreadyExists, notPermitted
        case unsupportedOperation, limitExceeded, internalError
    }

    public var description: String {
        switch self {
        case .serviceNotReachable(let path, let reason, _):
            return "the MIDI service is not reachable at \(path): \(reason) (is midisrv running? --socket or MIDI_SERVICES_SOCKET choose the socket)"
        case .connectionRefused(let reason, let message):
            return "the MIDI service refused the connection (\(reason)): \(message)"
        case .disconnected(let operation):
            return "\(operation): the connection to the MIDI service was lost"
        case .closed(let what):
            return "\(what) is closed"
        case .timedOut(let operation, let seconds):
            return "\(operation): the MIDI service did not answer within \(Self.format(seconds)) s"
        case .operationFailed(_, _, let message, let details):
            return details.isEmpty ? message : message + ": " + details.joined(separator: "; ")
        case .invalidArgument(let text):
            return text
        case .protocolViolation(let text):
            return "unexpected data from the MIDI service: \(text)"
        case .calledFromCallback(let operation):
            return "\(operation) cannot be called from a session callback (it would wait for an answer only the callback's thread can read); call it from another thread or task"
        }
    }

    /// The daemon's error code, when the daemon refused the operation.
    public var code: Code? {
        if case .operationFailed(_, let code, _, _) = self { return code }
        return nil
    }

    static func format(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }

    init(_ error: ControlError, operation: String) {
        let code = Code(rawValue: error.code.rawValue) ?? .internalError
        self = .operationFailed(operation: operation, code: code, message: error.message, details: error.details ?? [])
    }
}
