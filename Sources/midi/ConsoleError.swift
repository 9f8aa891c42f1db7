import MIDIServices

/// The exit statuses of `midi` (docs/console.md).
enum ConsoleStatus: Int32 {
    case success = 0
    /// Invalid input, or the service refused the operation.
    case failure = 1
    /// Command-line usage (argument-parser's errors: unknown option, missing argument…).
    case usage = 2
    /// The service is not reachable (not running, wrong socket, no permission) or stopped answering.
    case serviceUnreachable = 3
    /// No such endpoint or loopback pair.
    case notFound = 4
    /// `monitor` ended by its timeout before the requested messages arrived.
    case timedOut = 5
}

/// A failure to report as one line on stderr.
struct ConsoleError: Error {
    var message: String
    var status: ConsoleStatus

    init(_ message: String, status: ConsoleStatus = .failure) {
        self.message = message
        self.status = status
    }

    init(_ error: MidiServiceError) {
        message = error.description
        switch error {
        case .serviceNotReachable, .connectionRefused, .disconnected, .timedOut:
            status = .serviceUnreachable
        case .operationFailed(_, let code, _, _) where code == .notFound:
            status = .notFound
        default:
            status = .failure
        }
    }
}
