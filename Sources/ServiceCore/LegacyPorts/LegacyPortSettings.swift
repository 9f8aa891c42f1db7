/// How an endpoint's MIDI 1.0 ports (its ALSA sequencer client and ports) are named
/// (docs/alsa-bridge.md, "Naming"). The values are the Windows configuration's
/// `midi1Ports.namingApproach` words; `"default"` there means "the global default".
public enum LegacyPortNamingApproach: String, Sendable, Hashable, CaseIterable {
    /// Names stay put: the client and port 0 carry the name the user gave (the custom name from
    /// `endpoint rename`, else the name from the configuration file or `loopback create`),
    /// group ports are "Group n". In-protocol notifications (Endpoint Name, Function Block
    /// Name) never rename anything — legacy programs find ports by name.
    case classicCompatible
    /// Names follow what the endpoint declares: the display name (custom, else declared, else
    /// the given name) and "Group n (<function block name>)".
    case newStyle

    /// What applies when neither the endpoint nor the configuration file says otherwise.
    public static let builtInDefault: LegacyPortNamingApproach = .classicCompatible

    /// The configuration file's word for "use the global default".
    public static let defaultWord = "default"
}

/// What one endpoint asks for its MIDI 1.0 ports, as written in the configuration file or a
/// create request; `nil` means "the global default".
public struct LegacyPortOptions: Hashable, Sendable {
    /// Windows' `umpOnly`: publish no MIDI 1.0 ports (no ALSA client) for this endpoint.
    public var umpOnly: Bool?
    public var namingApproach: LegacyPortNamingApproach?
    /// Remember and remake ALSA subscriptions to and from this endpoint's ports.
    public var restoreConnections: Bool?

    public init(umpOnly: Bool? = nil, namingApproach: LegacyPortNamingApproach? = nil, restoreConnections: Bool? = nil) {
        self.umpOnly = umpOnly
        self.namingApproach = namingApproach
        self.restoreConnections = restoreConnections
    }

    public var isEmpty: Bool { umpOnly == nil && namingApproach == nil && restoreConnections == nil }

    /// Every unset option taken from `defaults`.
    public func resolved(with defaults: LegacyPortSettings) -> LegacyPortSettings {
        LegacyPortSettings(umpOnly: umpOnly ?? defaults.umpOnly,
                           namingApproach: namingApproach ?? defaults.namingApproach,
                           restoreConnections: restoreConnections ?? defaults.restoreConnections)
    }
}

/// The MIDI 1.0 port settings in force for an endpoint — or, as `MidiService.legacyPortDefaults`,
/// the global defaults (the configuration file's top-level `midi1Ports`).
public struct LegacyPortSettings: Hashable, Sendable {
    public var umpOnly: Bool
    public var namingApproach: LegacyPortNamingApproach
    public var restoreConnections: Bool

    public init(umpOnly: Bool = false, namingApproach: LegacyPortNamingApproach = .builtInDefault,
                restoreConnections: Bool = true) {
        self.umpOnly = umpOnly
        self.namingApproach = namingApproach
        self.restoreConnections = restoreConnections
    }

    /// No configuration: MIDI 1.0 ports published, stable names, connections restored.
    public static let builtIn = LegacyPortSettings()
}
