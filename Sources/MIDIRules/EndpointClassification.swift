/// What kind of endpoint one is, and which endpoints a listing or watcher shows — the same for
/// the service (`MidiService.endpoints(matching:)`), the wire (`EndpointInfo`, `EndpointQuery`,
/// `SubscribeRequest`) and the SDK, which hands these types out under their Windows names.
/// The raw values are the wire's and the console's JSON words; the filter bits are Windows'.

/// What an endpoint is for (`MidiEndpointDevicePurpose`).
public enum MidiEndpointDevicePurpose: String, Hashable, Sendable, Codable, CaseIterable {
    case normalMessageEndpoint
    /// Reserved for virtual device responders (not implemented on Linux yet: no endpoint has it).
    case virtualDeviceResponder
    /// "Service Test Loopback A" and "B".
    case diagnosticLoopback
    /// "Service Test Ping (Internal)".
    case diagnosticPing
}

/// The data format an endpoint speaks natively (`MidiEndpointNativeDataFormat`): loopbacks and
/// diagnostics are UMP; USB MIDI 1.0 devices are byte streams the service translates.
public enum MidiEndpointNativeDataFormat: String, Hashable, Sendable, Codable, CaseIterable {
    case unknown
    case byteStream
    case universalMIDIPacket
}

/// Which endpoints a listing or watcher includes (`MidiEndpointDeviceInformationFilters`), with
/// the Windows bit values.
public struct MidiEndpointDeviceInformationFilters: OptionSet, Hashable, Sendable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Normal endpoints whose native format is UMP (loopbacks, MIDI 2.0 devices).
    public static let includeClientUMPFormatNative = Self(rawValue: 0x0000_0001)
    /// Normal endpoints whose native format is the MIDI 1.0 byte stream (USB MIDI 1.0 devices).
    public static let includeClientByteFormatNative = Self(rawValue: 0x0000_0002)
    /// Virtual device responders (none on Linux yet: selects nothing).
    public static let includeVirtualDeviceResponder = Self(rawValue: 0x0000_0100)
    /// The diagnostic loopbacks A and B (not listed unless asked for).
    public static let includeDiagnosticLoopback = Self(rawValue: 0x0001_0000)
    /// The ping endpoint (internal; not listed unless asked for).
    public static let includeDiagnosticPing = Self(rawValue: 0x0002_0000)

    /// What applications normally show (Windows' default): every endpoint except the diagnostic ones.
    public static let allStandardEndpoints: Self = [.includeClientUMPFormatNative, .includeClientByteFormatNative,
                                                    .includeVirtualDeviceResponder]
    /// Everything, diagnostics included.
    public static let all: Self = [.allStandardEndpoints, .includeDiagnosticLoopback, .includeDiagnosticPing]

    /// Whether this filter admits an endpoint of `purpose` and `nativeDataFormat` — the rule the
    /// service applies to listings and watcher subscriptions (and a client may apply locally).
    public func admits(purpose: MidiEndpointDevicePurpose, nativeDataFormat: MidiEndpointNativeDataFormat) -> Bool {
        switch purpose {
        case .diagnosticLoopback: return contains(.includeDiagnosticLoopback)
        case .diagnosticPing: return contains(.includeDiagnosticPing)
        case .virtualDeviceResponder: return contains(.includeVirtualDeviceResponder)
        case .normalMessageEndpoint:
            return nativeDataFormat == .byteStream
                ? contains(.includeClientByteFormatNative) : contains(.includeClientUMPFormatNative)
        }
    }
}
