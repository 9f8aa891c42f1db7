import MIDIRules

/// `findEndpoints`.
public struct EndpointQuery: Hashable, Sendable, Codable {
    public var filter: MidiEndpointDeviceInformationFilters
    public init(filter: MidiEndpointDeviceInformationFilters = .allStandardEndpoints) { self.filter = filter }
}

/// Names an endpoint: the full EndpointDeviceId, a short form (`loop_a_default`,
/// `diag_loopback_a`) or a unique endpoint name — the daemon resolves it.
public struct EndpointReference: Hashable, Sendable, Codable {
    public var endpoint: String
    public init(endpoint: String) { self.endpoint = endpoint }
}

/// `openEndpoint`: open a connection to an endpoint; UMP then flows in batches tagged with
/// the returned handle.
public struct OpenEndpointRequest: Hashable, Sendable, Codable {
    public var endpoint: String
    public init(endpoint: String) { self.endpoint = endpoint }
}

public struct OpenedConnection: Hashable, Sendable, Codable {
    public var connection: ConnectionHandle
    public var endpoint: EndpointInfo
    public init(connection: ConnectionHandle, endpoint: EndpointInfo) {
        self.connection = connection
        self.endpoint = endpoint
    }
}

/// `closeEndpoint`.
public struct CloseEndpointRequest: Hashable, Sendable, Codable {
    public var connection: ConnectionHandle
    public init(connection: ConnectionHandle) { self.connection = connection }
}

/// `renameEndpoint`: set (or, with `name == nil` or blank, clear) the user-supplied name; stored
/// in the state directory against the EndpointDeviceId.
public struct RenameEndpointRequest: Hashable, Sendable, Codable {
    public var endpoint: String
    /// The custom name; `nil` or blank clears it (the endpoint shows its declared or transport name).
    public var name: String?
    /// `nil` leaves the custom description as it is; `""` clears it; anything else sets it.
    public var description: String?
    public init(endpoint: String, name: String?, description: String? = nil) {
        self.endpoint = endpoint
        self.name = name
        self.description = description
    }
}

/// `subscribeEndpointEvents`: start a watcher. The daemon answers `subscribed`, then sends
/// `endpointAdded` for every current endpoint the filter admits, then `enumerationCompleted`,
/// then live changes — all tagged with the subscription id.
public struct SubscribeRequest: Hashable, Sendable, Codable {
    public var filter: MidiEndpointDeviceInformationFilters
    public init(filter: MidiEndpointDeviceInformationFilters = .allStandardEndpoints) { self.filter = filter }
}

public struct UnsubscribeRequest: Hashable, Sendable, Codable {
    public var subscription: SubscriptionID
    public init(subscription: SubscriptionID) { self.subscription = subscription }
}

public struct SubscriptionInfo: Hashable, Sendable, Codable {
    public var subscription: SubscriptionID
    public init(subscription: SubscriptionID) { self.subscription = subscription }
}

/// What the transport says about the endpoint (`MidiEndpointTransportSuppliedInfo`).
public struct TransportSuppliedDetails: Hashable, Sendable, Codable {
    public var name: String
    public var description: String?
    public var serialNumber: String?
    public var manufacturerName: String?
    public var vendorId: UInt16?
    public var productId: UInt16?

    public init(name: String, description: String? = nil, serialNumber: String? = nil,
                manufacturerName: String? = nil, vendorId: UInt16? = nil, productId: UInt16? = nil) {
        self.name = name
        self.description = description
        self.serialNumber = serialNumber
        self.manufacturerName = manufacturerName
        self.vendorId = vendorId
        self.productId = productId
    }
}

/// User customizations (`MidiEndpointUserSuppliedInfo`).
public struct UserSuppliedInfo: Hashable, Sendable, Codable {
    public var name: String?
    public var description: String?
    public init(name: String? = nil, description: String? = nil) {
        self.name = name
        self.description = description
    }
}

/// Device Identity notification (`MidiDeclaredDeviceIdentity`).
public struct DeclaredDeviceIdentity: Hashable, Sendable, Codable {
    public var manufacturerId: [UInt8]
    public var deviceFamily: UInt16
    public var deviceFamilyModel: UInt16
    public var softwareRevisionLevel: [UInt8]
    public init(manufacturerId: [UInt8], deviceFamily: UInt16, deviceFamilyModel: UInt16, softwareRevisionLevel: [UInt8]) {
        self.manufacturerId = manufacturerId
        self.deviceFamily = deviceFamily
        self.deviceFamilyModel = deviceFamilyModel
        self.softwareRevisionLevel = softwareRevisionLevel
    }
}

/// What the endpoint declared in-protocol (Endpoint Info / Name / Product Instance Id /
/// Stream Configuration notifications) — `MidiDeclaredEndpointInfo`. All optional: only what
/// was captured.
public struct DeclaredEndpointInfo: Hashable, Sendable, Codable {
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
    public var deviceIdentity: DeclaredDeviceIdentity?

    public init(name: String? = nil, productInstanceId: String? = nil, umpVersionMajor: UInt8? = nil,
                umpVersionMinor: UInt8? = nil, supportsMIDI10Protocol: Bool? = nil, supportsMIDI20Protocol: Bool? = nil,
                supportsSendingJitterReductionTimestamps: Bool? = nil, supportsReceivingJitterReductionTimestamps: Bool? = nil,
                hasStaticFunctionBlocks: Bool? = nil, declaredFunctionBlockCount: UInt8? = nil,
                configuredProtocol: UInt8? = nil, deviceIdentity: DeclaredDeviceIdentity? = nil) {
        self.name = name
        self.productInstanceId = productInstanceId
        self.umpVersionMajor = umpVersionMajor
        self.umpVersionMinor = umpVersionMinor
        self.supportsMIDI10Protocol = supportsMIDI10Protocol
        self.supportsMIDI20Protocol = supportsMIDI20Protocol
        self.supportsSendingJitterReductionTimestamps = supportsSendingJitterReductionTimestamps
        self.supportsReceivingJitterReductionTimestamps = supportsReceivingJitterReductionTimestamps
        self.hasStaticFunctionBlocks = hasStaticFunctionBlocks
        self.declaredFunctionBlockCount = declaredFunctionBlockCount
        self.configuredProtocol = configuredProtocol
        self.deviceIdentity = deviceIdentity
    }
}

/// Direction of a function block or group terminal block, seen from the endpoint.
public enum BlockDirection: String, Hashable, Sendable, Codable {
    case input, output, bidirectional
}

/// `MidiFunctionBlock` as declared by Function Block Info/Name notifications.
public struct FunctionBlockInfo: Hashable, Sendable, Codable {
    public var number: UInt8
    public var name: String?
    public var isActive: Bool
    public var direction: BlockDirection
    /// 0-based first group.
    public var firstGroup: UInt8
    public var groupCount: UInt8
    /// 0 = unknown, 1 = receiver, 2 = sender, 3 = both.
    public var uiHint: UInt8?
    /// 0 = not MIDI 1.0, 1 = MIDI 1.0 unrestricted, 2 = MIDI 1.0 restricted to 31.25 kb/s.
    public var midi10: UInt8?
    public var midiCIMessageVersion: UInt8?
    public var maxSysEx8Streams: UInt8?

    public init(number: UInt8, name: String? = nil, isActive: Bool, direction: BlockDirection, firstGroup: UInt8,
                groupCount: UInt8, uiHint: UInt8? = nil, midi10: UInt8? = nil, midiCIMessageVersion: UInt8? = nil,
                maxSysEx8Streams: UInt8? = nil) {
        self.number = number
        self.name = name
        self.isActive = isActive
        self.direction = direction
        self.firstGroup = firstGroup
        self.groupCount = groupCount
        self.uiHint = uiHint
        self.midi10 = midi10
        self.midiCIMessageVersion = midiCIMessageVersion
        self.maxSysEx8Streams = maxSysEx8Streams
    }
}

/// `MidiGroupTerminalBlock`: for USB MIDI 1.0, one per active rawmidi substream.
public struct GroupTerminalBlockInfo: Hashable, Sendable, Codable {
    public var number: UInt8
    public var name: String?
    public var direction: BlockDirection
    public var firstGroup: UInt8
    public var groupCount: UInt8
    /// "midi1" / "midi2" / nil when unknown.
    public var `protocol`: String?

    public init(number: UInt8, name: String? = nil, direction: BlockDirection, firstGroup: UInt8,
                groupCount: UInt8, protocol: String? = nil) {
        self.number = number
        self.name = name
        self.direction = direction
        self.firstGroup = firstGroup
        self.groupCount = groupCount
        self.protocol = `protocol`
    }
}

/// Loopback-specific facts of an endpoint.
public struct LoopbackEndpointDetails: Hashable, Sendable, Codable {
    public var associationId: String
    /// "A" or "B".
    public var side: String
    public var uniqueIdentifier: String
    public var isPersistent: Bool
    public var isMuted: Bool
    public var pairedEndpointId: String?

    public init(associationId: String, side: String, uniqueIdentifier: String, isPersistent: Bool,
                isMuted: Bool, pairedEndpointId: String? = nil) {
        self.associationId = associationId
        self.side = side
        self.uniqueIdentifier = uniqueIdentifier
        self.isPersistent = isPersistent
        self.isMuted = isMuted
        self.pairedEndpointId = pairedEndpointId
    }
}

/// Everything the SDK's `MidiEndpointDeviceInformation` shows about one endpoint.
/// Fields a newer daemon adds are optional, so older clients keep decoding.
public struct EndpointInfo: Hashable, Sendable, Codable {
    /// Full EndpointDeviceId, lower case.
    public var id: String
    /// The name to show: user-supplied, else declared in-protocol, else transport-supplied.
    public var name: String
    /// `LOOP`, `DIAG`, `USB`.
    public var transportCode: String
    public var deviceInstanceId: String
    public var purpose: MidiEndpointDevicePurpose
    public var nativeDataFormat: MidiEndpointNativeDataFormat
    public var transportSupplied: TransportSuppliedDetails
    public var userSupplied: UserSuppliedInfo?
    public var declared: DeclaredEndpointInfo?
    public var functionBlocks: [FunctionBlockInfo]?
    public var groupTerminalBlocks: [GroupTerminalBlockInfo]?
    public var loopback: LoopbackEndpointDetails?
    /// The ALSA sequencer client publishing this endpoint, when there is one.
    public var alsaClient: Int?
    /// Connections currently open on it, across all clients.
    public var openConnectionCount: Int?
    /// Its MIDI 1.0 ports: settings and name table (loopback endpoints).
    public var midi1Ports: Midi1PortsInfo?
    /// A USB device's own ALSA sequencer client (made by the kernel; `alsaClient` is its
    /// number) and its ports, for information.
    public var kernelSequencerClient: SequencerClientInfo?

    public init(id: String, name: String, transportCode: String, deviceInstanceId: String,
                purpose: MidiEndpointDevicePurpose, nativeDataFormat: MidiEndpointNativeDataFormat,
                transportSupplied: TransportSuppliedDetails, userSupplied: UserSuppliedInfo? = nil,
                declared: DeclaredEndpointInfo? = nil, functionBlocks: [FunctionBlockInfo]? = nil,
                groupTerminalBlocks: [GroupTerminalBlockInfo]? = nil, loopback: LoopbackEndpointDetails? = nil,
                alsaClient: Int? = nil, openConnectionCount: Int? = nil, midi1Ports: Midi1PortsInfo? = nil,
                kernelSequencerClient: SequencerClientInfo? = nil) {
        self.id = id
        self.name = name
        self.transportCode = transportCode
        self.deviceInstanceId = deviceInstanceId
        self.purpose = purpose
        self.nativeDataFormat = nativeDataFormat
        self.transportSupplied = transportSupplied
        self.userSupplied = userSupplied
        self.declared = declared
        self.functionBlocks = functionBlocks
        self.groupTerminalBlocks = groupTerminalBlocks
        self.loopback = loopback
        self.alsaClient = alsaClient
        self.openConnectionCount = openConnectionCount
        self.midi1Ports = midi1Ports
        self.kernelSequencerClient = kernelSequencerClient
    }
}

extension MidiEndpointDeviceInformationFilters {
    /// Whether this filter admits `endpoint` (`admits(purpose:nativeDataFormat:)`).
    public func admits(_ endpoint: EndpointInfo) -> Bool {
        admits(purpose: endpoint.purpose, nativeDataFormat: endpoint.nativeDataFormat)
    }
}
