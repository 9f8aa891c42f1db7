/// `serviceStatus` (`midi service status`).
public struct ServiceStatus: Hashable, Sendable, Codable {
    public var serviceName: String
    public var serviceVersion: String
    public var protocolVersion: String
    public var pid: Int32
    /// "user" or "system".
    public var mode: String
    public var uptimeSeconds: Double
    public var socketPath: String
    public var configPath: String
    public var stateDirectory: String
    public var config: ConfigStatus
    /// ALSA sequencer bridge.
    public var alsa: FeatureStatus
    /// udev monitor for USB devices.
    public var udev: FeatureStatus
    public var endpointCount: Int
    public var loopbackPairCount: Int
    public var scheduler: SchedulerStatus?
    public var clients: [ClientStatus]

    public init(serviceName: String, serviceVersion: String, protocolVersion: String, pid: Int32, mode: String,
                uptimeSeconds: Double, socketPath: String, configPath: String, stateDirectory: String,
                config: ConfigStatus, alsa: FeatureStatus, udev: FeatureStatus, endpointCount: Int,
                loopbackPairCount: Int, scheduler: SchedulerStatus? = nil, clients: [ClientStatus]) {
        self.serviceName = serviceName
        self.serviceVersion = serviceVersion
        self.protocolVersion = protocolVersion
        self.pid = pid
        self.mode = mode
        self.uptimeSeconds = uptimeSeconds
        self.socketPath = socketPath
        self.configPath = configPath
        self.stateDirectory = stateDirectory
        self.config = config
        self.alsa = alsa
        self.udev = udev
        self.endpointCount = endpointCount
        self.loopbackPairCount = loopbackPairCount
        self.scheduler = scheduler
        self.clients = clients
    }
}

/// How the config file fared at the last (re)load.
public struct ConfigStatus: Hashable, Sendable, Codable {
    public enum State: String, Hashable, Sendable, Codable {
        /// Parsed; every entry valid.
        case loaded
        /// No file at the path: only diagnostics (and transient pairs).
        case missing
        /// Did not parse: running with diagnostics only; `message` says line, column, reason.
        case syntaxError
        /// Parsed; some entries failed validation (`issues`), the rest were created.
        case invalidEntries
        /// Could not be read (permissions…).
        case unreadable
    }
    public var state: State
    public var message: String?
    /// One line per problem, each naming its JSON path; warnings (unknown keys) included.
    public var issues: [String]
    public var loopbackPairCount: Int

    public init(state: State, message: String? = nil, issues: [String] = [], loopbackPairCount: Int = 0) {
        self.state = state
        self.message = message
        self.issues = issues
        self.loopbackPairCount = loopbackPairCount
    }
}

/// Whether an optional part of the daemon runs, and why not.
public struct FeatureStatus: Hashable, Sendable, Codable {
    public var available: Bool
    public var detail: String
    public init(available: Bool, detail: String) {
        self.available = available
        self.detail = detail
    }
}

/// The scheduler holding future-timestamped messages.
public struct SchedulerStatus: Hashable, Sendable, Codable {
    public var queued: Int
    public var capacity: Int
    public var maximumLookAheadNanoseconds: UInt64
    /// Messages refused since start (too far ahead, or queue full).
    public var refused: UInt64
    public init(queued: Int, capacity: Int, maximumLookAheadNanoseconds: UInt64, refused: UInt64) {
        self.queued = queued
        self.capacity = capacity
        self.maximumLookAheadNanoseconds = maximumLookAheadNanoseconds
        self.refused = refused
    }
}

/// One connected client process.
public struct ClientStatus: Hashable, Sendable, Codable {
    public var clientId: UInt32
    public var name: String
    /// From SO_PEERCRED, not from the client's hello.
    public var credentials: PeerCredentials
    public var protocolVersion: String
    public var connections: [ConnectionStatus]
    public var subscriptionCount: Int
    /// Bytes waiting in this client's outgoing queue, and its bound.
    public var queuedBytes: Int
    public var queueCapacityBytes: Int
    /// Messages that could not be queued for this client because its queue was full.
    public var droppedMessages: UInt64

    public init(clientId: UInt32, name: String, credentials: PeerCredentials, protocolVersion: String,
                connections: [ConnectionStatus], subscriptionCount: Int, queuedBytes: Int,
                queueCapacityBytes: Int, droppedMessages: UInt64) {
        self.clientId = clientId
        self.name = name
        self.credentials = credentials
        self.protocolVersion = protocolVersion
        self.connections = connections
        self.subscriptionCount = subscriptionCount
        self.queuedBytes = queuedBytes
        self.queueCapacityBytes = queueCapacityBytes
        self.droppedMessages = droppedMessages
    }
}

/// One open endpoint connection of a client.
public struct ConnectionStatus: Hashable, Sendable, Codable {
    public var connection: ConnectionHandle
    public var endpointId: String
    /// Messages this connection sent into the service.
    public var messagesSent: UInt64
    /// Messages delivered to this connection (queued for the client).
    public var messagesReceived: UInt64
    /// Messages meant for this connection that its client's full queue could not take.
    public var droppedOverflow: UInt64

    public init(connection: ConnectionHandle, endpointId: String, messagesSent: UInt64,
                messagesReceived: UInt64, droppedOverflow: UInt64) {
        self.connection = connection
        self.endpointId = endpointId
        self.messagesSent = messagesSent
        self.messagesReceived = messagesReceived
        self.droppedOverflow = droppedOverflow
    }
}
