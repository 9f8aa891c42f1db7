import IPC

/// An endpoint's MIDI 1.0 ports (its ALSA sequencer client and ports): settings and the name
/// table (docs/alsa-bridge.md, "Naming"). Present for loopback endpoints.
public struct MidiEndpointMidi1Ports: Sendable, Hashable, Codable {
    /// No MIDI 1.0 ports at all (Windows' `UMPOnly`).
    public var umpOnly: Bool
    public var namingApproach: Midi1PortNamingApproach
    /// Whether ALSA subscriptions of these ports are remembered and remade.
    public var restoreConnections: Bool
    /// The ALSA client's name now, when it has a client.
    public var clientName: String?
    /// Port 0, then one entry per group.
    public var names: [MidiMidi1PortName]

    init(_ info: Midi1PortsInfo) {
        umpOnly = info.umpOnly
        namingApproach = Midi1PortNamingApproach(rawValue: info.namingApproach) ?? .useGlobalDefault
        restoreConnections = info.restoreConnections
        clientName = info.clientName
        names = info.names.map(MidiMidi1PortName.init)
    }
}

/// One row of the name table: the custom, classic and new-style names of a port and the one
/// ALSA shows. ALSA ports are duplex: one name for both directions.
public struct MidiMidi1PortName: Sendable, Hashable, Codable {
    /// ALSA port number: 0 for all groups, n for group n.
    public var port: Int
    /// 1-based group; nil for port 0.
    public var group: Int?
    public var customName: String?
    public var classicName: String
    public var newStyleName: String
    public var shownName: String
    /// "custom", "classicCompatible", "newStyle", or "endpoint" for port 0.
    public var source: String

    init(_ info: Midi1PortNameInfo) {
        port = info.port
        group = info.group
        customName = info.customName
        classicName = info.classicName
        newStyleName = info.newStyleName
        shownName = info.shownName
        source = info.source
    }
}

/// One ALSA sequencer client:port that belongs to an endpoint (`midi enumerate legacy-endpoints`).
public struct MidiLegacyPortInfo: Sendable, Hashable, Codable {
    public var endpointDeviceId: String
    public var endpointName: String
    public var transportCode: String
    public var client: Int
    public var clientName: String
    public var port: Int
    public var portName: String
    /// 1-based group; nil when the port carries every group (a loopback's port 0).
    public var group: Int?
    /// "loopback" (the service's own client) or "kernel" (a sound card's client).
    public var owner: String

    init(_ entry: LegacyPortEntry) {
        endpointDeviceId = entry.endpointDeviceId
        endpointName = entry.endpointName
        transportCode = entry.transportCode
        client = entry.client
        clientName = entry.clientName
        port = entry.port
        portName = entry.portName
        group = entry.group
        owner = entry.owner
    }
}

/// A subscription between a port of an endpoint and another program's port that the service
/// remembers by names and remakes (`midi connections`).
public struct MidiRememberedConnection: Sendable, Hashable, Codable {
    public var endpointDeviceId: String
    /// The endpoint's port: 0 (all groups) or the 1-based group.
    public var port: Int
    /// "from" (the other port sends to ours) or "to" (ours sends to the other).
    public var direction: String
    public var otherClientName: String
    public var otherPortName: String
    public var isConnected: Bool

    init(_ info: RememberedConnectionInfo) {
        endpointDeviceId = info.endpointDeviceId
        port = info.port
        direction = info.direction
        otherClientName = info.otherClientName
        otherPortName = info.otherPortName
        isConnected = info.isConnected
    }
}

extension MidiEndpointDeviceInformation {
    /// Sets (or, with nil, clears) the user's name for the MIDI 1.0 port of `group` (1-based)
    /// of an endpoint. Stored against the EndpointDeviceId and group; ALSA shows it at once,
    /// under every naming approach. Returns the endpoint as it is now.
    @discardableResult
    public static func updateMidi1PortName(endpointDeviceId: String, group: Int, name: String?,
                                           session: MidiSession? = nil) throws(MidiServiceError) -> MidiEndpointDeviceInformation {
        guard (1...16).contains(group) else { throw .invalidArgument("group \(group) is out of range: groups are 1 to 16") }
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.renamePort(RenamePortRequest(endpoint: endpointDeviceId, group: group, name: name)),
                                       operation: "rename port of \(endpointDeviceId)")
        guard case .endpoint(let info) = reply else { throw .protocolViolation("rename port: unexpected \(reply.kind) reply") }
        return MidiEndpointDeviceInformation(info)
    }

    /// Forgets every piece of in-protocol information captured for an endpoint (declared name,
    /// endpoint info, device identity, function blocks). Returns the endpoint as it is now.
    @discardableResult
    public static func clearDeclaredInfo(endpointDeviceId: String,
                                         session: MidiSession? = nil) throws(MidiServiceError) -> MidiEndpointDeviceInformation {
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.clearDeclaredInfo(EndpointReference(endpoint: endpointDeviceId)),
                                       operation: "clear declared info of \(endpointDeviceId)")
        guard case .endpoint(let info) = reply else { throw .protocolViolation("clear declared info: unexpected \(reply.kind) reply") }
        return MidiEndpointDeviceInformation(info)
    }

    /// Every ALSA client:port that belongs to an endpoint, in the service's order.
    public static func findAllLegacyPorts(session: MidiSession? = nil) throws(MidiServiceError) -> [MidiLegacyPortInfo] {
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.listLegacyPorts, operation: "list legacy ports")
        guard case .legacyPorts(let list) = reply else { throw .protocolViolation("list legacy ports: unexpected \(reply.kind) reply") }
        return list.map(MidiLegacyPortInfo.init)
    }

    /// The remembered ALSA subscriptions of one endpoint, or of all when nil.
    public static func rememberedConnections(endpointDeviceId: String? = nil,
                                             session: MidiSession? = nil) throws(MidiServiceError) -> [MidiRememberedConnection] {
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.listConnections(ConnectionsRequest(endpoint: endpointDeviceId)), operation: "list connections")
        guard case .connections(let list) = reply else { throw .protocolViolation("list connections: unexpected \(reply.kind) reply") }
        return list.map(MidiRememberedConnection.init)
    }

    /// Forgets the remembered subscriptions of one endpoint, or all when nil; returns them.
    /// The subscriptions that exist now stay until someone removes them.
    @discardableResult
    public static func forgetConnections(endpointDeviceId: String? = nil,
                                         session: MidiSession? = nil) throws(MidiServiceError) -> [MidiRememberedConnection] {
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.forgetConnections(ConnectionsRequest(endpoint: endpointDeviceId)), operation: "forget connections")
        guard case .connections(let list) = reply else { throw .protocolViolation("forget connections: unexpected \(reply.kind) reply") }
        return list.map(MidiRememberedConnection.init)
    }
}

/// A USB device's own ALSA sequencer client (made by the kernel) and its ports.
public struct MidiKernelSequencerClient: Sendable, Hashable, Codable {
    public struct Port: Sendable, Hashable, Codable {
        public var port: Int
        public var name: String
        /// The endpoint's 1-based group whose substream the port is, when it has one.
        public var group: Int?
    }

    public var client: Int
    public var clientName: String
    public var ports: [Port]

    init(_ info: KernelSequencerClientInfo) {
        client = info.client
        clientName = info.clientName
        ports = info.ports.map { Port(port: $0.port, name: $0.name, group: $0.group) }
    }
}
