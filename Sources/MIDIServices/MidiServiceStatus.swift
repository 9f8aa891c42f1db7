import IPC

/// The service's state (`midi service status`): what runs, where its files are, how its
/// configuration file fared, and who is connected. Wraps the wire's `ServiceStatus`.
public struct MidiServiceStatus: Sendable, Hashable {
    public struct Config: Sendable, Hashable {
        let wire: ConfigStatus

        /// loaded, missing, syntaxError, invalidEntries, unreadable.
        public var state: String { wire.state.rawValue }
        /// For a syntax error: line, column and reason.
        public var message: String? { wire.message }
        /// One line per problem, each naming its JSON path.
        public var issues: [String] { wire.issues }
        public var loopbackPairCount: Int { wire.loopbackPairCount }
    }

    /// Whether an optional part (ALSA bridge, udev) runs (`available`), and why not (`detail`).
    public typealias Feature = FeatureStatus

    /// The scheduler holding future-timestamped messages.
    public typealias Scheduler = SchedulerStatus

    public struct Connection: Sendable, Hashable {
        let wire: ConnectionStatus

        public var connection: UInt32 { wire.connection.rawValue }
        public var endpointDeviceId: String { wire.endpointId }
        public var messagesSent: UInt64 { wire.messagesSent }
        public var messagesReceived: UInt64 { wire.messagesReceived }
        /// Messages for this connection its client's full queue could not take.
        public var droppedOverflow: UInt64 { wire.droppedOverflow }
    }

    public struct Client: Sendable, Hashable {
        let wire: ClientStatus

        public var clientId: UInt32 { wire.clientId }
        public var name: String { wire.name }
        /// From SO_PEERCRED.
        public var pid: Int32 { wire.credentials.pid }
        public var uid: UInt32 { wire.credentials.uid }
        public var gid: UInt32 { wire.credentials.gid }
        public var protocolVersion: String { wire.protocolVersion }
        public var connections: [Connection] { wire.connections.map(Connection.init) }
        public var subscriptionCount: Int { wire.subscriptionCount }
        public var queuedBytes: Int { wire.queuedBytes }
        public var queueCapacityBytes: Int { wire.queueCapacityBytes }
        public var droppedMessages: UInt64 { wire.droppedMessages }
    }

    let wire: ServiceStatus

    init(_ wire: ServiceStatus) { self.wire = wire }

    public var serviceName: String { wire.serviceName }
    public var serviceVersion: String { wire.serviceVersion }
    public var protocolVersion: String { wire.protocolVersion }
    public var pid: Int32 { wire.pid }
    /// "user" or "system".
    public var mode: String { wire.mode }
    public var uptimeSeconds: Double { wire.uptimeSeconds }
    public var socketPath: String { wire.socketPath }
    public var configPath: String { wire.configPath }
    public var stateDirectory: String { wire.stateDirectory }
    public var config: Config { Config(wire: wire.config) }
    public var alsa: Feature { wire.alsa }
    public var udev: Feature { wire.udev }
    public var endpointCount: Int { wire.endpointCount }
    public var loopbackPairCount: Int { wire.loopbackPairCount }
    public var scheduler: Scheduler? { wire.scheduler }
    public var clients: [Client] { wire.clients.map(Client.init) }
}

// MARK: The console's spelling (`midi service status --json`)

extension MidiServiceStatus: Encodable {
    private enum CodingKeys: String, CodingKey {
        case serviceName, serviceVersion, protocolVersion, pid, mode, uptimeSeconds, socketPath, configPath, stateDirectory,
             config, alsa, udev, endpointCount, loopbackPairCount, scheduler, clients
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(serviceName, forKey: .serviceName)
        try c.encode(serviceVersion, forKey: .serviceVersion)
        try c.encode(protocolVersion, forKey: .protocolVersion)
        try c.encode(pid, forKey: .pid)
        try c.encode(mode, forKey: .mode)
        try c.encode(uptimeSeconds, forKey: .uptimeSeconds)
        try c.encode(socketPath, forKey: .socketPath)
        try c.encode(configPath, forKey: .configPath)
        try c.encode(stateDirectory, forKey: .stateDirectory)
        try c.encode(config, forKey: .config)
        try c.encode(alsa, forKey: .alsa)
        try c.encode(udev, forKey: .udev)
        try c.encode(endpointCount, forKey: .endpointCount)
        try c.encode(loopbackPairCount, forKey: .loopbackPairCount)
        try c.encodeIfPresent(scheduler, forKey: .scheduler)
        try c.encode(clients, forKey: .clients)
    }
}

extension MidiServiceStatus.Config: Encodable {
    /// The wire's spelling is the console's: the state's raw value is its word.
    public func encode(to encoder: Encoder) throws { try wire.encode(to: encoder) }
}

extension MidiServiceStatus.Connection: Encodable {
    private enum CodingKeys: String, CodingKey {
        case connection, endpointDeviceId, messagesSent, messagesReceived, droppedOverflow
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(connection, forKey: .connection)
        try c.encode(endpointDeviceId, forKey: .endpointDeviceId)
        try c.encode(messagesSent, forKey: .messagesSent)
        try c.encode(messagesReceived, forKey: .messagesReceived)
        try c.encode(droppedOverflow, forKey: .droppedOverflow)
    }
}

extension MidiServiceStatus.Client: Encodable {
    private enum CodingKeys: String, CodingKey {
        case clientId, name, pid, uid, gid, protocolVersion, connections, subscriptionCount, queuedBytes,
             queueCapacityBytes, droppedMessages
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(clientId, forKey: .clientId)
        try c.encode(name, forKey: .name)
        try c.encode(pid, forKey: .pid)
        try c.encode(uid, forKey: .uid)
        try c.encode(gid, forKey: .gid)
        try c.encode(protocolVersion, forKey: .protocolVersion)
        try c.encode(connections, forKey: .connections)
        try c.encode(subscriptionCount, forKey: .subscriptionCount)
        try c.encode(queuedBytes, forKey: .queuedBytes)
        try c.encode(queueCapacityBytes, forKey: .queueCapacityBytes)
        try c.encode(droppedMessages, forKey: .droppedMessages)
    }
}
