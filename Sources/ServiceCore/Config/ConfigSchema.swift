/// The key names of the configuration file (docs/design.md §4, the Windows MIDI Services schema).
/// All keys are case-sensitive.
public enum ConfigSchema {
    /// Top-level section holding per-transport settings, keyed by transport id.
    public static let transportSettingsKey = "endpointTransportPluginSettings"
    /// The loopback transport's id, exactly as the file must spell it.
    public static let loopbackTransportId = "{942BF02D-93C0-4EA8-B03E-D51156CA75E1}"
    /// Under the transport: association id → pair.
    public static let createKey = "create"
    public static let endpointAKey = "endpointA"
    public static let endpointBKey = "endpointB"
    public static let groupCountKey = "groupCount"
    public static let nameKey = "name"
    public static let descriptionKey = "description"
    public static let uniqueIdentifierKey = "uniqueIdentifier"
    /// Windows' per-endpoint `umpOnly` (boolean): no MIDI 1.0 ports for this endpoint.
    public static let umpOnlyKey = "umpOnly"
    /// Per endpoint (Windows' `customProperties.midi1Ports` shape) and at the top level (the
    /// global defaults, Linux only): `namingApproach`, `restoreConnections`, and at the top
    /// level `umpOnly`.
    public static let midi1PortsKey = "midi1Ports"
    public static let namingApproachKey = "namingApproach"
    public static let restoreConnectionsKey = "restoreConnections"
    /// Allowed anywhere, any value, always ignored.
    public static let commentKey = "_comment"

    public static func endpointKey(_ side: LoopbackSide) -> String { side == .a ? endpointAKey : endpointBKey }

    /// Path of the loopback transport's `create` object.
    public static let createPath = JSONPath(keys: transportSettingsKey, loopbackTransportId, createKey)

    static let pairKeys = [endpointAKey, endpointBKey, groupCountKey]
    static let endpointKeys = [nameKey, descriptionKey, uniqueIdentifierKey, umpOnlyKey, midi1PortsKey]
    static let endpointMidi1PortsKeys = [namingApproachKey, restoreConnectionsKey]
    static let globalMidi1PortsKeys = [namingApproachKey, umpOnlyKey, restoreConnectionsKey]
    static let transportKeys = [createKey]
    static let topLevelKeys = [transportSettingsKey, midi1PortsKey]

    /// Words people write instead of the real key (the Windows documentation's own table says
    /// `uniqueId`).
    static let knownMisspellings = ["uniqueId": uniqueIdentifierKey, "uniqueID": uniqueIdentifierKey]

    /// A hint for an unknown key: the known key it differs from only by case, or a known
    /// misspelling of.
    static func suggestion(for key: String, among known: [String]) -> String? {
        if let exact = knownMisspellings[key], known.contains(exact) { return exact }
        return known.first { $0.lowercased() == key.lowercased() }
    }
}
