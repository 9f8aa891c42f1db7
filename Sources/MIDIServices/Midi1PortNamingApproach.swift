/// How an endpoint's MIDI 1.0 ports (its ALSA sequencer client and ports) are named — the
/// Windows SDK's `Midi1PortNameSelection`, with the configuration file's words as raw values.
/// docs/alsa-bridge.md, "Naming", has the rules.
public enum Midi1PortNamingApproach: String, Sendable, Hashable, Codable, CaseIterable {
    /// The service's global default (`classicCompatible` unless the configuration file says otherwise).
    case useGlobalDefault = "default"
    /// Stable names: only names a user gave (custom, configured or created), "Group n" ports;
    /// in-protocol Endpoint Name and Function Block Name notifications rename nothing.
    case classicCompatible
    /// Names follow the endpoint's display name and its function block names.
    case newStyle
}
