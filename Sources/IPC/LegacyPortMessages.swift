/// Messages about endpoints' MIDI 1.0 (ALSA sequencer) ports: their names, where they are,
/// and the subscriptions the daemon remembers for them (docs/alsa-bridge.md, docs/ipc.md).

/// `renamePort`: the user's name for one group's MIDI 1.0 port. Answered with the endpoint.
public struct RenamePortRequest: Hashable, Sendable, Codable {
    /// EndpointDeviceId, short form or unique name, as in `endpointProperties`.
    public var endpoint: String
    /// 1-based group number (ALSA port `group`).
    public var group: Int
    /// The custom name; nil or blank clears it (the naming approach's name comes back).
    public var name: String?

    public init(endpoint: String, group: Int, name: String?) {
        self.endpoint = endpoint
        self.group = group
        self.name = name
    }
}

/// How an endpoint's MIDI 1.0 ports are set up and named (`EndpointInfo.midi1Ports`).
public struct Midi1PortsInfo: Hashable, Sendable, Codable {
    /// No MIDI 1.0 ports at all (Windows' `umpOnly`).
    public var umpOnly: Bool
    /// "classicCompatible" or "newStyle".
    public var namingApproach: String
    public var restoreConnections: Bool
    /// The ALSA client's name now (after it was made unique), when it has a client.
    public var clientName: String?
    /// The name table: port 0, then one row per group.
    public var names: [Midi1PortNameInfo]

    public init(umpOnly: Bool, namingApproach: String, restoreConnections: Bool, clientName: String? = nil,
                names: [Midi1PortNameInfo]) {
        self.umpOnly = umpOnly
        self.namingApproach = namingApproach
        self.restoreConnections = restoreConnections
        self.clientName = clientName
        self.names = names
    }
}

/// One row of the name table. ALSA ports are duplex, so one name serves both directions
/// (`direction` is "both").
public struct Midi1PortNameInfo: Hashable, Sendable, Codable {
    /// ALSA port number: 0 for all groups, n for group n.
    public var port: Int
    /// 1-based group; nil for port 0.
    public var group: Int?
    public var direction: String
    public var customName: String?
    public var classicName: String
    public var newStyleName: String
    /// What ALSA shows.
    public var shownName: String
    /// "custom", "classicCompatible", "newStyle" — or "endpoint" for port 0.
    public var source: String

    public init(port: Int, group: Int?, direction: String = "both", customName: String?, classicName: String,
                newStyleName: String, shownName: String, source: String) {
        self.port = port
        self.group = group
        self.direction = direction
        self.customName = customName
        self.classicName = classicName
        self.newStyleName = newStyleName
        self.shownName = shownName
        self.source = source
    }
}

/// `listLegacyPorts` reply: one entry per ALSA client:port that belongs to an endpoint.
public struct LegacyPortEntry: Hashable, Sendable, Codable {
    public var endpointDeviceId: String
    public var endpointName: String
    public var transportCode: String
    public var client: Int
    public var clientName: String
    public var port: Int
    public var portName: String
    /// 1-based group; nil for a port carrying every group (loopback port 0).
    public var group: Int?
    /// "loopback" (the daemon's bridge client) or "kernel" (a USB device's own client).
    public var owner: String

    public init(endpointDeviceId: String, endpointName: String, transportCode: String, client: Int, clientName: String,
                port: Int, portName: String, group: Int?, owner: String) {
        self.endpointDeviceId = endpointDeviceId
        self.endpointName = endpointName
        self.transportCode = transportCode
        self.client = client
        self.clientName = clientName
        self.port = port
        self.portName = portName
        self.group = group
        self.owner = owner
    }
}

/// `listConnections` / `forgetConnections`: remembered ALSA subscriptions, optionally only
/// those of one endpoint.
public struct ConnectionsRequest: Hashable, Sendable, Codable {
    public var endpoint: String?
    public init(endpoint: String? = nil) { self.endpoint = endpoint }
}

/// One remembered subscription between a port of an endpoint and another program's port,
/// kept by names so it can be remade when either comes back.
public struct RememberedConnectionInfo: Hashable, Sendable, Codable {
    public var endpointDeviceId: String
    /// The endpoint's port: 0 (all groups) or the 1-based group.
    public var port: Int
    /// "from" (the other port sends to ours) or "to" (ours sends to the other).
    public var direction: String
    public var otherClientName: String
    public var otherPortName: String
    /// Whether the subscription exists now.
    public var isConnected: Bool

    public init(endpointDeviceId: String, port: Int, direction: String, otherClientName: String, otherPortName: String,
                isConnected: Bool) {
        self.endpointDeviceId = endpointDeviceId
        self.port = port
        self.direction = direction
        self.otherClientName = otherClientName
        self.otherPortName = otherPortName
        self.isConnected = isConnected
    }
}

/// An ALSA sequencer client and its ports. On the wire it is a USB device's own client, made by
/// the kernel (`snd-seq-midi`): where ALSA programs find the device (`EndpointInfo.kernelSequencerClient`;
/// information only — the daemon does not own or rename it). The daemon's extensions publish
/// the bridge's loopback clients in the same shape (`MIDIDaemon.PublishedLegacyPorts`).
public struct SequencerClientInfo: Hashable, Sendable, Codable {
    public struct Port: Hashable, Sendable, Codable {
        public var port: Int
        public var name: String
        /// The endpoint's 1-based group whose substream the port is, when it has one.
        public var group: Int?

        public init(port: Int, name: String, group: Int?) {
            self.port = port
            self.name = name
            self.group = group
        }
    }

    public var client: Int
    public var clientName: String
    public var ports: [Port]

    public init(client: Int, clientName: String, ports: [Port]) {
        self.client = client
        self.clientName = clientName
        self.ports = ports
    }
}
