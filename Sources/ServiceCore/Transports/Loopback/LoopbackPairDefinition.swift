import MIDIRules

/// One side of a loopback pair as the user or the config file defines it
/// (`MidiLoopbackEndpointDefinition`).
public struct LoopbackSideDefinition: Sendable, Equatable {
    /// Required, non-blank. Becomes the transport-supplied name and the ALSA client name.
    public var name: String
    /// Optional; becomes the transport-supplied description.
    public var description: String
    /// Makes the EndpointDeviceId stable: `loop_a_<id>` / `loop_b_<id>`. Callers build it with
    /// `UniqueIdentifier(stripping:)` (CLI/SDK) or `UniqueIdentifier(validating:)` (config file).
    public var uniqueIdentifier: UniqueIdentifier
    /// Its MIDI 1.0 (ALSA) ports, with the global defaults already applied.
    public var legacyPorts: LegacyPortSettings

    public init(name: String, description: String = "", uniqueIdentifier: UniqueIdentifier,
                legacyPorts: LegacyPortSettings = .builtIn) {
        self.name = name
        self.description = description
        self.uniqueIdentifier = uniqueIdentifier
        self.legacyPorts = legacyPorts
    }
}

/// A loopback pair to create (`MidiLoopbackEndpointCreationConfig` plus the Linux `groupCount`).
public struct LoopbackPairDefinition: Sendable, Equatable {
    /// Identifies the pair; never the empty GUID (`AssociationId` cannot hold it).
    public var associationId: AssociationId
    public var endpointA: LoopbackSideDefinition
    public var endpointB: LoopbackSideDefinition
    /// UMP groups (and ALSA group ports) of the pair, 1…16.
    public var groupCount: Int

    public static let defaultGroupCount = LoopbackPairRules.defaultGroupCount
    public static let groupCountRange = LoopbackPairRules.groupCountRange

    public init(associationId: AssociationId, endpointA: LoopbackSideDefinition,
                endpointB: LoopbackSideDefinition, groupCount: Int = LoopbackPairDefinition.defaultGroupCount) {
        self.associationId = associationId
        self.endpointA = endpointA
        self.endpointB = endpointB
        self.groupCount = groupCount
    }

    public func endpoint(_ side: LoopbackSide) -> LoopbackSideDefinition {
        side == .a ? endpointA : endpointB
    }

    /// The EndpointDeviceId side `side` will have.
    public func endpointId(_ side: LoopbackSide) -> EndpointDeviceId {
        .loopback(side: side, uniqueIdentifier: endpoint(side).uniqueIdentifier)
    }
}

/// Where a pair came from, which decides who may remove it (docs/design.md §3).
public enum LoopbackOrigin: String, Sendable, Equatable, CaseIterable {
    /// Created through the CLI/SDK; lives until the daemon stops; removable through the API.
    case transient
    /// From the config file; removed only when the file no longer has it.
    case configured
}

/// A pair as listed by `MidiService.loopbackPairs`.
public struct RegisteredLoopbackPair: Sendable, Equatable {
    public var definition: LoopbackPairDefinition
    public var origin: LoopbackOrigin
    public var isMuted: Bool

    public var associationId: AssociationId { definition.associationId }
    public var endpointA: LoopbackSideDefinition { definition.endpointA }
    public var endpointB: LoopbackSideDefinition { definition.endpointB }
    public var groupCount: Int { definition.groupCount }
    public var endpointIdA: EndpointDeviceId { definition.endpointId(.a) }
    public var endpointIdB: EndpointDeviceId { definition.endpointId(.b) }
}
