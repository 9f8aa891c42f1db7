/// Which endpoints a listing or watcher returns (`MidiEndpointDeviceInformationFilter`, same
/// bit values as Windows). The default lists every normal endpoint and hides the diagnostics.
public struct MidiEndpointDeviceInformationFilter: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Normal endpoints that speak UMP natively (loopbacks, MIDI 2.0 devices).
    public static let includeClientUmpFormatNative = Self(rawValue: 0x0000_0001)
    /// Normal endpoints that speak MIDI 1.0 byte streams natively (USB MIDI 1.0 devices).
    public static let includeClientByteFormatNative = Self(rawValue: 0x0000_0002)
    /// Reserved for virtual device responders (not implemented on Linux yet; selects nothing).
    public static let includeVirtualDeviceResponder = Self(rawValue: 0x0000_0100)
    /// "Service Test Loopback A" and "B".
    public static let includeDiagnosticLoopback = Self(rawValue: 0x0001_0000)
    /// "Service Test Ping (Internal)".
    public static let includeDiagnosticPing = Self(rawValue: 0x0002_0000)

    /// Windows' default: every normal endpoint, no diagnostics.
    public static let standard: Self = [.includeClientUmpFormatNative, .includeClientByteFormatNative]
    /// Everything, diagnostics included.
    public static let allTypes = Self(rawValue: 0xFFFF_FFFF)
}
