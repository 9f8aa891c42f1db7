import IPC

/// An endpoint's MIDI 1.0 ports (its ALSA sequencer client and ports): settings and the name
/// table (docs/alsa-bridge.md, "Naming"). Present for loopback endpoints. Wraps the wire's
/// `Midi1PortsInfo`.
public struct MidiEndpointMidi1Ports: Sendable, Hashable {
    let wire: Midi1PortsInfo

    /// No MIDI 1.0 ports at all (Windows' `UMPOnly`).
    public var umpOnly: Bool { wire.umpOnly }
    public var namingApproach: Midi1PortNamingApproach {
        Midi1PortNamingApproach(rawValue: wire.namingApproach) ?? .useGlobalDefault
    }
    /// Whether ALSA subscriptions of these ports are remembered and remade.
    public var restoreConnections: Bool { wire.restoreConnections }
    /// The ALSA client's name now, when it has a client.
    public var clientName: String? { wire.clientName }
    /// Port 0, then one entry per group.
    public var names: [MidiMidi1PortName] { wire.names.map(MidiMidi1PortName.init) }
}

/// One row of the name table: the custom, classic and new-style names of a port and the one
/// ALSA shows. ALSA ports are duplex: one name for both directions.
public struct MidiMidi1PortName: Sendable, Hashable {
    let wire: Midi1PortNameInfo

    /// ALSA port number: 0 for all groups, n for group n.
    public var port: Int { wire.port }
    /// 1-based group; nil for port 0.
    public var group: Int? { wire.group }
    public var customName: String? { wire.customName }
    public var classicName: String { wire.classicName }
    public var newStyleName: String { wire.newStyleName }
    public var shownName: String { wire.shownName }
    /// "custom", "classicCompatible", "newStyle", or "endpoint" for port 0.
    public var source: String { wire.source }
}

/// One ALSA sequencer client:port that belongs to an endpoint (`midi enumerate legacy-endpoints`):
/// the endpoint's id, name and transport, the client and port numbers and names, the 1-based
/// group (nil when the port carries every group, a loopback's port 0), and the owner — "loopback"
/// (the service's own client) or "kernel" (a sound card's client).
public typealias MidiLegacyPortInfo = LegacyPortEntry

/// A subscription between a port of an endpoint and another program's port that the service
/// remembers by names and remakes (`midi connections`).
public typealias MidiRememberedConnection = RememberedConnectionInfo

/// A USB device's own ALSA sequencer client (made by the kernel) and its ports.
public typealias MidiKernelSequencerClient = SequencerClientInfo

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
        return list
    }

    /// The remembered ALSA subscriptions of one endpoint, or of all when nil.
    public static func rememberedConnections(endpointDeviceId: String? = nil,
                                             session: MidiSession? = nil) throws(MidiServiceError) -> [MidiRememberedConnection] {
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.listConnections(ConnectionsRequest(endpoint: endpointDeviceId)), operation: "list connections")
        guard case .connections(let list) = reply else { throw .protocolViolation("list connections: unexpected \(reply.kind) reply") }
        return list
    }

    /// Forgets the remembered subscriptions of one endpoint, or all when nil; returns them.
    /// The subscriptions that exist now stay until someone removes them.
    @discardableResult
    public static func forgetConnections(endpointDeviceId: String? = nil,
                                         session: MidiSession? = nil) throws(MidiServiceError) -> [MidiRememberedConnection] {
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.forgetConnections(ConnectionsRequest(endpoint: endpointDeviceId)), operation: "forget connections")
        guard case .connections(let list) = reply else { throw .protocolViolation("forget connections: unexpected \(reply.kind) reply") }
        return list
    }
}

// MARK: The console's spelling

extension MidiEndpointMidi1Ports: Encodable {
    private enum CodingKeys: String, CodingKey {
        case umpOnly, namingApproach, restoreConnections, clientName, names
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(umpOnly, forKey: .umpOnly)
        try c.encode(namingApproach, forKey: .namingApproach)
        try c.encode(restoreConnections, forKey: .restoreConnections)
        try c.encodeIfPresent(clientName, forKey: .clientName)
        try c.encode(names, forKey: .names)
    }
}

extension MidiMidi1PortName: Encodable {
    private enum CodingKeys: String, CodingKey {
        case port, group, customName, classicName, newStyleName, shownName, source
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(port, forKey: .port)
        try c.encodeIfPresent(group, forKey: .group)
        try c.encodeIfPresent(customName, forKey: .customName)
        try c.encode(classicName, forKey: .classicName)
        try c.encode(newStyleName, forKey: .newStyleName)
        try c.encode(shownName, forKey: .shownName)
        try c.encode(source, forKey: .source)
    }
}
