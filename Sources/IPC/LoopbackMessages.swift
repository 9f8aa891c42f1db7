/// One side of a loopback pair to create (`MidiLoopbackEndpointDefinition`).
public struct LoopbackEndpointDefinition: Hashable, Sendable, Codable {
    public var name: String
    public var description: String?
    /// Optional from the CLI/SDK (the daemon generates one); characters outside
    /// `A-Z a-z 0-9 - _` are stripped by the daemon, as on Windows.
    public var uniqueIdentifier: String?
    /// Windows' `umpOnly`: no MIDI 1.0 (ALSA) ports. Absent: the global default.
    public var umpOnly: Bool?
    /// "classicCompatible", "newStyle" or "default"; absent: the global default.
    public var namingApproach: String?
    /// Remember and remake ALSA subscriptions of this endpoint's ports; absent: the default.
    public var restoreConnections: Bool?

    public init(name: String, description: String? = nil, uniqueIdentifier: String? = nil,
                umpOnly: Bool? = nil, namingApproach: String? = nil, restoreConnections: Bool? = nil) {
        self.name = name
        self.description = description
        self.uniqueIdentifier = uniqueIdentifier
        self.umpOnly = umpOnly
        self.namingApproach = namingApproach
        self.restoreConnections = restoreConnections
    }
}

/// `createLoopbackPair` (`MidiLoopbackEndpointCreationConfig` + `--persist`).
public struct CreateLoopbackPairRequest: Hashable, Sendable, Codable {
    /// `{GUID}`; the daemon generates one when absent.
    public var associationId: String?
    public var endpointA: LoopbackEndpointDefinition
    public var endpointB: LoopbackEndpointDefinition
    /// Also write the pair into the config file (so it survives restarts). Default false:
    /// a transient pair that lives until the daemon stops.
    public var persist: Bool?
    /// ALSA ports per side, 1…16 (default 16).
    public var groupCount: Int?

    public init(associationId: String? = nil, endpointA: LoopbackEndpointDefinition,
                endpointB: LoopbackEndpointDefinition, persist: Bool? = nil, groupCount: Int? = nil) {
        self.associationId = associationId
        self.endpointA = endpointA
        self.endpointB = endpointB
        self.persist = persist
        self.groupCount = groupCount
    }
}

/// Names a pair for remove/mute/unmute.
public struct LoopbackPairReference: Hashable, Sendable, Codable {
    /// `{GUID}`, braces and case optional.
    public var associationId: String
    /// `removeLoopbackPair` only: also remove a pair that comes from the configuration file,
    /// deleting its entry from the file. Without it such a pair is refused (`notPermitted`).
    public var persist: Bool?
    public init(associationId: String, persist: Bool? = nil) {
        self.associationId = associationId
        self.persist = persist
    }
}

/// One side of an existing pair, as listings show it.
public struct LoopbackEndpointSummary: Hashable, Sendable, Codable {
    /// Full EndpointDeviceId.
    public var id: String
    public var name: String
    public var description: String?
    public var uniqueIdentifier: String

    public init(id: String, name: String, description: String? = nil, uniqueIdentifier: String) {
        self.id = id
        self.name = name
        self.description = description
        self.uniqueIdentifier = uniqueIdentifier
    }
}

/// A loopback pair (`midi loopback list`).
public struct LoopbackPairInfo: Hashable, Sendable, Codable {
    public var associationId: String
    public var endpointA: LoopbackEndpointSummary
    public var endpointB: LoopbackEndpointSummary
    /// From the config file (cannot be removed through the API).
    public var isPersistent: Bool
    public var isMuted: Bool
    public var groupCount: Int?

    public init(associationId: String, endpointA: LoopbackEndpointSummary, endpointB: LoopbackEndpointSummary,
                isPersistent: Bool, isMuted: Bool, groupCount: Int? = nil) {
        self.associationId = associationId
        self.endpointA = endpointA
        self.endpointB = endpointB
        self.isPersistent = isPersistent
        self.isMuted = isMuted
        self.groupCount = groupCount
    }
}
