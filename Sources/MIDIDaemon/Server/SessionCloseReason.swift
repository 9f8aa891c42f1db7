/// Why the daemon closes a client session. `SessionServer.close` decides by the case (a shutdown
/// does not flush the queue; a plain disconnect is logged as such), never by comparing log text;
/// `description` is the text the log shows.
enum SessionCloseReason: CustomStringConvertible {
    /// The client closed its end.
    case disconnected
    /// The daemon is stopping: every session closes without flushing what is queued.
    case serviceShuttingDown
    /// The client did not say hello within the handshake timeout (in whole seconds).
    case noHello(timeoutSeconds: UInt64)
    case receiveFailed(any Error)
    case sendFailed(any Error)
    /// The client stopped reading and its outgoing queue reached its bound.
    case outgoingQueueFull(queuedBytes: Int)
    case malformedFrame(any Error)
    /// The daemon refused the client (version, credentials, too many…): the refusal's message.
    case refused(String)

    /// Whether closing first sends what is still queued (e.g. a refusal): not on shutdown, where
    /// every client goes at once and none may hold the daemon up.
    var flushesQueue: Bool {
        if case .serviceShuttingDown = self { false } else { true }
    }

    var description: String {
        switch self {
        case .disconnected: "disconnected"
        case .serviceShuttingDown: "service shutting down"
        case .noHello(let seconds): "no hello within \(seconds) s"
        case .receiveFailed(let error): "receive failed: \(error)"
        case .sendFailed(let error): "send failed: \(error)"
        case .outgoingQueueFull(let bytes): "outgoing queue full (\(bytes) bytes): the client is not reading"
        case .malformedFrame(let error): "malformed frame: \(error)"
        case .refused(let message): message
        }
    }
}
