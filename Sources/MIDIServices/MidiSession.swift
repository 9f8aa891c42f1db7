import Foundation
import Glibc
import IPC
import Synchronization

/// An application's session with the MIDI service (`MidiSession`): one socket connection to
/// `midisrv`, one reader thread, any number of endpoint connections and watchers.
///
/// ```swift
/// let session = try MidiSession.create(name: "My App")
/// let connection = try session.createEndpointConnection(endpointDeviceId: "loop_a_default")
/// connection.messageReceived = { print($0.packet.humanDescription) }
/// try connection.open()
/// _ = connection.sendSingleMessageWords(timestamp: 0, 0x2090_3C40)
/// session.close()
/// ```
///
/// If the service restarts, the session reconnects by itself (retrying after 50 ms, backing
/// off to once a second), handshakes again, re-opens its connections and re-subscribes its
/// watchers; see `MidiEndpointConnection`. A session lives until `close()`.
public final class MidiSession: Sendable {
    /// The name given at creation; the service shows it in `midi service status`.
    public let name: String
    /// Identifies this session in the process (`SessionId`).
    public let sessionId: UUID
    let client: ServiceClient

    private init(name: String, client: ServiceClient) {
        self.name = name
        self.client = client
        sessionId = UUID()
    }

    /// Connects to the service (`Create`). The socket is `socketPath` when given, else
    /// `$MIDI_SERVICES_SOCKET`, else the user's or the system daemon's socket
    /// (`MidiServiceSocket.resolve`). Blocking control calls of this session wait at most
    /// `requestTimeout` seconds for the service.
    ///
    /// Throws `.serviceNotReachable` when no daemon listens there, `.connectionRefused` when it
    /// refuses the handshake.
    ///
    /// `readerThreadRealtimePriority`: 0 (the default) leaves the session's reader thread —
    /// the one that calls `messageReceived` — at normal scheduling; 1…99 asks for SCHED_FIFO at
    /// that priority (`MidiSession.recommendedRealtimePriority` is the daemon's), so that on a
    /// busy machine incoming messages reach the callback without waiting behind other work.
    /// Granted when the process may (root, CAP_SYS_NICE, or an `RLIMIT_RTPRIO` that allows it);
    /// otherwise the thread keeps normal scheduling and `readerThreadScheduling` says why. Keep
    /// the callback short when you ask for it: it then runs ahead of every normal thread.
    public static func create(name: String, socketPath: String? = nil, requestTimeout: Double = 10,
                              readerThreadRealtimePriority: Int32 = 0) throws(MidiServiceError) -> MidiSession {
        guard requestTimeout > 0 else { throw .invalidArgument("the request timeout must be positive") }
        guard readerThreadRealtimePriority == 0 || RealtimeScheduling.priorityRange.contains(readerThreadRealtimePriority) else {
            throw .invalidArgument("the reader thread's real-time priority must be 0 (normal scheduling) or 1…99, not \(readerThreadRealtimePriority)")
        }
        let path = MidiServiceSocket.resolve(explicit: socketPath)
        let client = try ServiceClient(socketPath: path, clientName: name, requestTimeout: requestTimeout,
                                       readerPriority: readerThreadRealtimePriority)
        return MidiSession(name: name, client: client)
    }

    /// The SCHED_FIFO priority the daemon's event loop asks for by default (20), a sensible
    /// value for `readerThreadRealtimePriority`.
    public static let recommendedRealtimePriority: Int32 = RealtimeScheduling.defaultPriority

    /// How the reader thread is scheduled: "SCHED_FIFO priority 20", "normal scheduling
    /// (real-time priority 0)", or "normal scheduling: SCHED_FIFO 20 refused: " and why.
    public var readerThreadScheduling: String { client.readerScheduling.description }

    /// The socket this session talks to.
    public var socketPath: String { client.socketPath }
    /// False once closed.
    public var isOpen: Bool { !client.isClosed }
    /// Whether the service is reachable right now (false while reconnecting).
    public var isConnected: Bool { client.isConnected }

    /// What the service said in the handshake (refreshed by each reconnection).
    public var serviceInfo: MidiServiceInfo {
        let welcome = client.welcome
        return MidiServiceInfo(serviceName: welcome.serviceName, serviceVersion: welcome.serviceVersion,
                               protocolVersion: welcome.version.description, servicePid: welcome.daemonPid,
                               clientId: welcome.clientId)
    }

    /// Called on the reader thread when the service goes away / is back (after connections
    /// re-opened). Connection-level callbacks fire as well.
    public var serviceDisconnected: (@Sendable () -> Void)? {
        get { client.linkHandlers.withLock { $0.disconnected } }
        set { client.linkHandlers.withLock { $0.disconnected = newValue } }
    }

    public var serviceReconnected: (@Sendable () -> Void)? {
        get { client.linkHandlers.withLock { $0.reconnected } }
        set { client.linkHandlers.withLock { $0.reconnected = newValue } }
    }

    // MARK: Connections

    /// A new, not yet opened connection to an endpoint (`CreateEndpointConnection`):
    /// `endpointDeviceId` may be the full id, a short form (`loop_a_default`,
    /// `diag_loopback_a`) or a unique endpoint name. Set handlers, then `open()`.
    public func createEndpointConnection(endpointDeviceId: String) throws(MidiServiceError) -> MidiEndpointConnection {
        guard !client.isClosed else { throw .closed(what: "the MIDI session \"\(name)\"") }
        guard !endpointDeviceId.allSatisfy(\.isWhitespace) else {
            throw .invalidArgument("an endpoint id, short form or name is required")
        }
        let connection = MidiEndpointConnection(client: client, endpointDeviceId: endpointDeviceId)
        client.register(connection)
        return connection
    }

    /// Closes and forgets a connection (`DisconnectEndpointConnection`).
    public func disconnectEndpointConnection(_ connectionId: UUID) {
        connections[connectionId]?.close()
    }

    /// The session's connections that are not closed, by `connectionId`.
    public var connections: [UUID: MidiEndpointConnection] {
        let all = client.registry.withLock { Array($0.connections.values) }
        return Dictionary(uniqueKeysWithValues: all.map { ($0.connectionId, $0) })
    }

    /// Closes every connection and watcher of the session and the socket. Idempotent. Must not
    /// be relied on from `deinit`: a session lives until closed.
    public func close() {
        client.close()
    }

    // MARK: The process-wide client

    private static let shared = Mutex<MidiSession?>(nil)

    /// The client for calls that take an optional session: the given one, else a lazily
    /// created process-wide session on the default socket (re-created if it was closed).
    static func client(for session: MidiSession?) throws(MidiServiceError) -> ServiceClient {
        if let session {
            guard session.isOpen else { throw .closed(what: "the MIDI session \"\(session.name)\"") }
            return session.client
        }
        return try shared.withLock { (existing) throws(MidiServiceError) -> ServiceClient in
            if let existing, existing.isOpen { return existing.client }
            let created = try MidiSession.create(name: processName())
            existing = created
            return created.client
        }
    }

    static func processName() -> String {
        let arguments = CommandLine.arguments
        guard let first = arguments.first, !first.isEmpty else { return "MIDIServices client" }
        return String(first.split(separator: "/").last ?? Substring(first))
    }
}

/// The service a session is connected to, from the handshake.
public struct MidiServiceInfo: Sendable, Hashable, Codable {
    public var serviceName: String
    public var serviceVersion: String
    public var protocolVersion: String
    public var servicePid: Int32
    /// The service's number for this session (as `midi service status` lists clients).
    public var clientId: UInt32
}
