import IPC

/// The service's state (`midi service status`): what runs, where its files are, how its
/// configuration file fared, and who is connected.
public struct MidiServiceStatus: Sendable, Hashable, Codable {
    public struct Config: Sendable, Hashable, Codable {
        /// loaded, missing, syntaxError, invalidEntries, unreadable.
        public var state: String
        /// For a syntax error: line, column and reason.
        public var message: String?
        /// One line per problem, each naming its JSON path.
        public var issues: [String]
        public var loopbackPairCount: Int
    }

    /// Whether an optional part (ALSA bridge, udev) runs, and why not.
    public struct Feature: Sendable, Hashable, Codable {
        public var available: Bool
        public var detail: String
    }

    public struct Scheduler: Sendable, Hashable, Codable {
        public var queued: Int
        public var capacity: Int
        public var maximumLookAheadNanoseconds: UInt64
        public var refused: UInt64
    }

    public struct Connection: Sendable, Hashable, Codable {
        public var connection: UInt32
        public var endpointDeviceId: String
        public var messagesSent: UInt64
        public var messagesReceived: UInt64
        /// Messages for this connection its client's full queue could not take.
        public var droppedOverflow: UInt64
    }

    public struct Client: Sendable, Hashable, Codable {
        public var clientId: UInt32
        public var name: String
        /// From SO_PEERCRED.
        public var pid: Int32
        public var uid: UInt32
        public var gid: UInt32
        public var protocolVersion: String
        public var connections: [Connection]
        public var subscriptionCount: Int
        public var queuedBytes: Int
        public var queueCapacityBytes: Int
        public var droppedMessages: UInt64
    }

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
    public var config: Config
    public var alsa: Feature
    public var udev: Feature
    public var endpointCount: Int
    public var loopbackPairCount: Int
    public var scheduler: Scheduler?
    public var clients: [Client]

    init(_ s: ServiceStatus) {
        serviceName = s.serviceName
        serviceVersion = s.serviceVersion
        protocolVersion = s.protocolVersion
        pid = s.pid
        mode = s.mode
        uptimeSeconds = s.uptimeSeconds
        socketPath = s.socketPath
        configPath = s.configPath
        stateDirectory = s.stateDirectory
        config = Config(state: s.config.state.rawValue, message: s.config.message, issues: s.config.issues,
                        loopbackPairCount: s.config.loopbackPairCount)
        alsa = Feature(available: s.alsa.available, detail: s.alsa.detail)
        udev = Feature(available: s.udev.available, detail: s.udev.detail)
        endpointCount = s.endpointCount
        loopbackPairCount = s.loopbackPairCount
        scheduler = s.scheduler.map {
            Scheduler(queued: $0.queued, capacity: $0.capacity, maximumLookAheadNanoseconds: $0.maximumLookAheadNanoseconds,
                      refused: $0.refused)
        }
        clients = s.clients.map { c in
            Client(clientId: c.clientId, name: c.name, pid: c.credentials.pid, uid: c.credentials.uid, gid: c.credentials.gid,
                   protocolVersion: c.protocolVersion,
                   connections: c.connections.map {
                       Connection(connection: $0.connection.rawValue, endpointDeviceId: $0.endpointId, messagesSent: $0.messagesSent,
                                  messagesReceived: $0.messagesReceived, droppedOverflow: $0.droppedOverflow)
                   },
                   subscriptionCount: c.subscriptionCount, queuedBytes: c.queuedBytes,
                   queueCapacityBytes: c.queueCapacityBytes, droppedMessages: c.droppedMessages)
        }
    }
}
