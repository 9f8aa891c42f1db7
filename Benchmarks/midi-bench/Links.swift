import IPC
import POSIX

/// Connects one end of a path: the relay's socket, or the daemon's (raw IPC or SDK) with the
/// endpoint opened. Setup is control-rate and may allocate; the returned links do not.
enum Links {
    /// `readerPriority`: on the SDK path, the session's reader thread asks for SCHED_FIFO at it
    /// (0: normal scheduling).
    static func sender(path: BenchPath, socket: String, endpoint: String?, readerPriority: Int32 = 0) throws(BenchError) -> BenchSender {
        switch path {
        case .relay: return try relayLink(socket)
        case .ipc: return try ipcLink(socket, endpoint: endpoint, role: "sender")
        case .sdk: return try SDKLink.sender(socketPath: socket, endpoint: try required(endpoint), readerPriority: readerPriority)
        }
    }

    static func receiver(path: BenchPath, socket: String, endpoint: String?, readerPriority: Int32 = 0) throws(BenchError) -> BenchReceiver {
        switch path {
        case .relay: return try relayLink(socket)
        case .ipc: return try ipcLink(socket, endpoint: endpoint, role: "receiver")
        case .sdk: return try SDKLink.receiver(socketPath: socket, endpoint: try required(endpoint), readerPriority: readerPriority)
        }
    }

    private static func required(_ endpoint: String?) throws(BenchError) -> String {
        guard let endpoint else { throw .protocolFailure("--endpoint is required on the daemon paths") }
        return endpoint
    }

    private static func relayLink(_ socketPath: String) throws(BenchError) -> SocketLink {
        let path: SocketPath
        do { path = try SocketPath(socketPath) } catch { throw .protocolFailure("bad socket path \(socketPath): \(error)") }
        let socket: SeqPacketSocket
        do { socket = try SeqPacketSocket.connected(to: path) } catch { throw .system(error) }
        return try SocketLink(socket: socket, connection: ConnectionHandle(0))
    }

    private static func ipcLink(_ socketPath: String, endpoint: String?, role: String) throws(BenchError) -> SocketLink {
        let control = try DaemonControl(socketPath: socketPath, clientName: "midi-bench \(role)")
        let handle = try control.openEndpoint(try required(endpoint))
        return try SocketLink(socket: control.socket, connection: handle)
    }
}
