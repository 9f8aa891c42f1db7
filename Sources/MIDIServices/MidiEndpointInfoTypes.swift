import IPC

// The parts of `MidiEndpointDeviceInformation`, named as in the Windows SDK. Plain values,
// Codable so that `midi … --json` prints them as they are.

/// Which endpoints a listing or watcher includes (`MidiEndpointDeviceInformationFilters`),
/// with the Windows bit values.
public struct MidiEndpointDeviceInformationFilters: OptionSet, Sendable, Hashable, Codable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Endpoints whose native format is UMP (loopbacks, MIDI 2.0 devices).
    public static let includeClientUMPFormatNative = Self(rawValue: 0x0000_0001)
    /// Endpoints whose native format is the MIDI 1.0 byte stream (USB MIDI 1.0 devices).
    public static let includeClientByteFormatNative = Self(rawValue: 0x0000_0002)
    public static let includeVirtualDeviceResponder = Self(rawValue: 0x0000_0100)
    /// The diagnostic loopbacks A and B (not listed unless asked for).
    public static let includeDiagnosticLoopback = Self(rawValue: 0x0001_0000)
    /// The ping endpoint (internal; not listed unless asked for).
    public static let includeDiagnosticPing = Self(rawValue: 0x0002_0000)

    /// What applications normally show: every endpoint except the diagnostic ones.
    public static let allStandardEndpoints: Self = [.includeClientUMPFormatNative, .includeClientByteFormatNative,
                                                    .includeVirtualDeviceResponder]
    public static let all: Self = [.allStandardEndpoints, .includeDiagnosticLoopback, .includeDiagnosticPing]

    var wire: EndpointFilter { EndpointFilter(rawValue: rawValue) }
}

/// `MidiEndpointDevicePurpose`.
public enum MidiEndpointDevicePurpose: String, Sendable, Hashable, Codable {
    case normalMessageEndpoint, virtualDeviceResponder, diagnosticLoopback, diagnosticPing
}

/// `MidiEndpointNativeDataFormat`.
public enum MidiEndpointNativeDataFormat: String, Sendable, Hashable, Codable {
    case unknown, byteStream, universalMIDIPacket
}

/// What the transport says about an endpoint (`MidiEndpointTransportSuppliedInfo`).
public struct MidiEndpointTransportSuppliedInfo: Sendable, Hashable, Codable {
    public var name: String
    public var description: String?
    /// USB `iSerialNumber`, or the unique identifier of a loopback endpoint.
    public var serialNumber: String?
    public var manufacturerName: String?
    /// USB vendor/product ids; nil when the transport has none.
    public var vendorId: UInt16?
    public var productId: UInt16?
    /// `LOOP`, `DIAG`, `USB`.
    public var transportCode: String
}

/// The user's customizations (`MidiEndpointUserSuppliedInfo`), stored by the service.
public struct MidiEndpointUserSuppliedInfo: Sendable, Hashable, Codable {
    public var name: String?
    public var description: String?
}

/// Device Identity notification (`MidiDeclaredDeviceIdentity`).
public struct MidiDeclaredDeviceIdentity: Sendable, Hashable, Codable {
    /// SysEx manufacturer id, 1 or 3 bytes.
    public var manufacturerId: [UInt8]
    public var deviceFamily: UInt16
    public var deviceFamilyModel: UInt16
    public var softwareRevisionLevel: [UInt8]
}

/// What the endpoint declared in-protocol (`MidiDeclaredEndpointInfo`); only what was captured.
public struct MidiDeclaredEndpointInfo: Sendable, Hashable, Codable {
    public var name: String?
    public var productInstanceId: String?
    public var umpVersionMajor: UInt8?
    public var umpVersionMinor: UInt8?
    public var supportsMIDI10Protocol: Bool?
    public var supportsMIDI20Protocol: Bool?
    public var supportsSendingJitterReductionTimestamps: Bool?
    public var supportsReceivingJitterReductionTimestamps: Bool?
    public var hasStaticFunctionBlocks: Bool?
    public var declaredFunctionBlockCount: UInt8?
    /// Stream Configuration: 1 = MIDI 1.0, 2 = MIDI 2.0.
    public var configuredProtocol: UInt8?
}

/// Direction of a function block or group terminal block, seen from the endpoint.
public enum MidiBlockDirection: String, Sendable, Hashable, Codable {
    case input, output, bidirectional
}

/// `MidiFunctionBlock`, as declared by Function Block Info/Name notifications.
public struct MidiFunctionBlock: Sendable, Hashable, Codable {
    public var number: UInt8
    public var name: String?
    public var isActive: Bool
    public var direction: MidiBlockDirection
    /// 0-based.
    public var firstGroupIndex: UInt8
    public var groupCount: UInt8
    public var uiHint: UInt8?
    public var midi10Connection: UInt8?
    public var midiCIMessageVersionFormat: UInt8?
    public var maxSystemExclusive8Streams: UInt8?
}

/// `MidiGroupTerminalBlock`: for a USB MIDI 1.0 device one per active port, spanning one group.
public struct MidiGroupTerminalBlock: Sendable, Hashable, Codable {
    public var number: UInt8
    public var name: String?
    public var direction: MidiBlockDirection
    /// 0-based. "Port N of a device" = EndpointDeviceId + this group.
    public var firstGroupIndex: UInt8
    public var groupCount: UInt8
    /// "midi1", "midi2", or nil when unknown.
    public var `protocol`: String?
}

/// Loopback facts of a loopback endpoint.
public struct MidiLoopbackEndpointInfo: Sendable, Hashable, Codable {
    /// `{GUID}` of the pair.
    public var associationId: String
    /// "A" or "B".
    public var side: String
    public var uniqueId: String
    /// From the configuration file (cannot be removed through the API).
    public var isPersistent: Bool
    public var isMuted: Bool
    public var pairedEndpointDeviceId: String?
}

// MARK: From the wire

extension MidiEndpointDeviceInformation {
    init(_ info: EndpointInfo) {
        endpointDeviceId = info.id
        name = info.name
        deviceInstanceId = info.deviceInstanceId
        transportCode = info.transportCode
        endpointPurpose = MidiEndpointDevicePurpose(rawValue: info.purpose.rawValue) ?? .normalMessageEndpoint
        nativeDataFormat = MidiEndpointNativeDataFormat(rawValue: info.nativeDataFormat.rawValue) ?? .unknown
        let transport = info.transportSupplied
        transportSuppliedInfo = MidiEndpointTransportSuppliedInfo(
            name: transport.name, description: transport.description, serialNumber: transport.serialNumber,
            manufacturerName: transport.manufacturerName, vendorId: transport.vendorId, productId: transport.productId,
            transportCode: info.transportCode)
        userSuppliedInfo = MidiEndpointUserSuppliedInfo(name: info.userSupplied?.name, description: info.userSupplied?.description)
        midi1Ports = info.midi1Ports.map(MidiEndpointMidi1Ports.init)
        kernelSequencerClient = info.kernelSequencerClient.map(MidiKernelSequencerClient.init)
        declaredEndpointInfo = info.declared.map {
            MidiDeclaredEndpointInfo(name: $0.name, productInstanceId: $0.productInstanceId, umpVersionMajor: $0.umpVersionMajor,
                                     umpVersionMinor: $0.umpVersionMinor, supportsMIDI10Protocol: $0.supportsMIDI10Protocol,
                                     supportsMIDI20Protocol: $0.supportsMIDI20Protocol,
                                     supportsSendingJitterReductionTimestamps: $0.supportsSendingJitterReductionTimestamps,
                                     supportsReceivingJitterReductionTimestamps: $0.supportsReceivingJitterReductionTimestamps,
                                     hasStaticFunctionBlocks: $0.hasStaticFunctionBlocks,
                                     declaredFunctionBlockCount: $0.declaredFunctionBlockCount,
                                     configuredProtocol: $0.configuredProtocol)
        }
        declaredDeviceIdentity = info.declared?.deviceIdentity.map {
            MidiDeclaredDeviceIdentity(manufacturerId: $0.manufacturerId, deviceFamily: $0.deviceFamily,
                                       deviceFamilyModel: $0.deviceFamilyModel, softwareRevisionLevel: $0.softwareRevisionLevel)
        }
        functionBlocks = (info.functionBlocks ?? []).map {
            MidiFunctionBlock(number: $0.number, name: $0.name, isActive: $0.isActive,
                              direction: MidiBlockDirection(rawValue: $0.direction.rawValue) ?? .bidirectional,
                              firstGroupIndex: $0.firstGroup, groupCount: $0.groupCount, uiHint: $0.uiHint,
                              midi10Connection: $0.midi10, midiCIMessageVersionFormat: $0.midiCIMessageVersion,
                              maxSystemExclusive8Streams: $0.maxSysEx8Streams)
        }
        groupTerminalBlocks = (info.groupTerminalBlocks ?? []).map {
            MidiGroupTerminalBlock(number: $0.number, name: $0.name,
                                   direction: MidiBlockDirection(rawValue: $0.direction.rawValue) ?? .bidirectional,
                                   firstGroupIndex: $0.firstGroup, groupCount: $0.groupCount, protocol: $0.protocol)
        }
        loopbackInfo = info.loopback.map {
            MidiLoopbackEndpointInfo(associationId: $0.associationId, side: $0.side, uniqueId: $0.uniqueIdentifier,
                                     isPersistent: $0.isPersistent, isMuted: $0.isMuted,
                                     pairedEndpointDeviceId: $0.pairedEndpointId)
        }
        alsaClientNumber = info.alsaClient
        openConnectionCount = info.openConnectionCount
    }
}
