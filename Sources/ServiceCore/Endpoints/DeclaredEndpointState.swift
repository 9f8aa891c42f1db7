import UMP

/// Everything an endpoint has declared about itself in-protocol through UMP stream messages
/// (docs/design.md §7), kept per EndpointDeviceId and persisted. Every part is optional: an endpoint
/// that never declared anything has an empty state.
public struct DeclaredEndpointState: Sendable, Equatable {
    /// From the Endpoint Info Notification.
    public var endpointInfo: CapturedEndpointInfo?
    /// From the Device Identity Notification.
    public var deviceIdentity: CapturedDeviceIdentity?
    /// From the (possibly multi-packet) Endpoint Name Notification.
    public var endpointName: String?
    /// From the (possibly multi-packet) Product Instance Id Notification.
    public var productInstanceId: String?
    /// From Function Block Info and Name Notifications, ordered by block number.
    public var functionBlocks: [DeclaredFunctionBlock]
    /// From the Stream Configuration Notification.
    public var streamConfiguration: DeclaredStreamConfiguration?

    public init(endpointInfo: CapturedEndpointInfo? = nil, deviceIdentity: CapturedDeviceIdentity? = nil,
                endpointName: String? = nil, productInstanceId: String? = nil,
                functionBlocks: [DeclaredFunctionBlock] = [],
                streamConfiguration: DeclaredStreamConfiguration? = nil) {
        self.endpointInfo = endpointInfo
        self.deviceIdentity = deviceIdentity
        self.endpointName = endpointName
        self.productInstanceId = productInstanceId
        self.functionBlocks = functionBlocks
        self.streamConfiguration = streamConfiguration
    }

    public var isEmpty: Bool {
        endpointInfo == nil && deviceIdentity == nil && endpointName == nil && productInstanceId == nil
            && functionBlocks.isEmpty && streamConfiguration == nil
    }

    /// The function block numbered `number`, if declared.
    public func functionBlock(_ number: UInt8) -> DeclaredFunctionBlock? {
        functionBlocks.first { $0.number == number }
    }

    /// Inserts or edits block `number`, keeping the list ordered by number.
    mutating func updateFunctionBlock(_ number: UInt8, _ edit: (inout DeclaredFunctionBlock) -> Void) {
        if let index = functionBlocks.firstIndex(where: { $0.number == number }) {
            edit(&functionBlocks[index])
        } else {
            var block = DeclaredFunctionBlock(number: number)
            edit(&block)
            let at = functionBlocks.firstIndex(where: { $0.number > number }) ?? functionBlocks.endIndex
            functionBlocks.insert(block, at: at)
        }
    }
}

/// Endpoint Info Notification fields (M2-104-UM §7.1.2, `MidiDeclaredEndpointInfo`).
public struct CapturedEndpointInfo: Sendable, Equatable {
    public var umpVersionMajor: UInt8
    public var umpVersionMinor: UInt8
    public var hasStaticFunctionBlocks: Bool
    /// Number of function blocks the endpoint declares (0…32).
    public var functionBlockCount: UInt8
    public var supportsMidi2Protocol: Bool
    public var supportsMidi1Protocol: Bool
    public var supportsReceivingJitterReductionTimestamps: Bool
    public var supportsSendingJitterReductionTimestamps: Bool

    public init(umpVersionMajor: UInt8 = 1, umpVersionMinor: UInt8 = 1, hasStaticFunctionBlocks: Bool = false,
                functionBlockCount: UInt8 = 0, supportsMidi2Protocol: Bool = false,
                supportsMidi1Protocol: Bool = false,
                supportsReceivingJitterReductionTimestamps: Bool = false,
                supportsSendingJitterReductionTimestamps: Bool = false) {
        self.umpVersionMajor = umpVersionMajor
        self.umpVersionMinor = umpVersionMinor
        self.hasStaticFunctionBlocks = hasStaticFunctionBlocks
        self.functionBlockCount = functionBlockCount
        self.supportsMidi2Protocol = supportsMidi2Protocol
        self.supportsMidi1Protocol = supportsMidi1Protocol
        self.supportsReceivingJitterReductionTimestamps = supportsReceivingJitterReductionTimestamps
        self.supportsSendingJitterReductionTimestamps = supportsSendingJitterReductionTimestamps
    }
}

/// Device Identity Notification fields (M2-104-UM §7.1.3, `MidiDeclaredDeviceIdentity`).
/// Every byte is 7-bit, as in the MIDI 1.0 Identity Reply.
public struct CapturedDeviceIdentity: Sendable, Equatable {
    public var systemExclusiveIdByte1: UInt8
    public var systemExclusiveIdByte2: UInt8
    public var systemExclusiveIdByte3: UInt8
    public var deviceFamilyLsb: UInt8
    public var deviceFamilyMsb: UInt8
    public var deviceFamilyModelNumberLsb: UInt8
    public var deviceFamilyModelNumberMsb: UInt8
    public var softwareRevisionLevelByte1: UInt8
    public var softwareRevisionLevelByte2: UInt8
    public var softwareRevisionLevelByte3: UInt8
    public var softwareRevisionLevelByte4: UInt8

    public init(systemExclusiveIdByte1: UInt8 = 0, systemExclusiveIdByte2: UInt8 = 0,
                systemExclusiveIdByte3: UInt8 = 0, deviceFamilyLsb: UInt8 = 0, deviceFamilyMsb: UInt8 = 0,
                deviceFamilyModelNumberLsb: UInt8 = 0, deviceFamilyModelNumberMsb: UInt8 = 0,
                softwareRevisionLevelByte1: UInt8 = 0, softwareRevisionLevelByte2: UInt8 = 0,
                softwareRevisionLevelByte3: UInt8 = 0, softwareRevisionLevelByte4: UInt8 = 0) {
        self.systemExclusiveIdByte1 = systemExclusiveIdByte1
        self.systemExclusiveIdByte2 = systemExclusiveIdByte2
        self.systemExclusiveIdByte3 = systemExclusiveIdByte3
        self.deviceFamilyLsb = deviceFamilyLsb
        self.deviceFamilyMsb = deviceFamilyMsb
        self.deviceFamilyModelNumberLsb = deviceFamilyModelNumberLsb
        self.deviceFamilyModelNumberMsb = deviceFamilyModelNumberMsb
        self.softwareRevisionLevelByte1 = softwareRevisionLevelByte1
        self.softwareRevisionLevelByte2 = softwareRevisionLevelByte2
        self.softwareRevisionLevelByte3 = softwareRevisionLevelByte3
        self.softwareRevisionLevelByte4 = softwareRevisionLevelByte4
    }
}

/// Stream Configuration Notification fields (M2-104-UM §7.1.6, `MidiDeclaredStreamConfiguration`).
public struct DeclaredStreamConfiguration: Sendable, Equatable {
    /// 0x01 = MIDI 1.0 protocol, 0x02 = MIDI 2.0 protocol; other values are kept as sent.
    public var `protocol`: UInt8
    public var receiveJitterReductionTimestamps: Bool
    public var sendJitterReductionTimestamps: Bool

    public init(protocol: UInt8, receiveJitterReductionTimestamps: Bool = false,
                sendJitterReductionTimestamps: Bool = false) {
        self.protocol = `protocol`
        self.receiveJitterReductionTimestamps = receiveJitterReductionTimestamps
        self.sendJitterReductionTimestamps = sendJitterReductionTimestamps
    }
}

/// A function block as declared by Function Block Info and Name Notifications
/// (M2-104-UM §7.1.8–9, `MidiFunctionBlock`). A name that arrives before the info leaves
/// the info fields at their defaults until the info arrives. The enums are the UMP module's.
public struct DeclaredFunctionBlock: Sendable, Equatable {
    /// Block number, 0…31.
    public var number: UInt8
    /// Empty until a Function Block Name Notification arrives.
    public var name: String
    public var isActive: Bool
    public var direction: FunctionBlockDirection
    public var uiHint: FunctionBlockUIHint
    /// Whether the block represents a MIDI 1.0 port (Windows `RepresentsMidi10Connection`).
    public var midi10: FunctionBlockMIDI1
    /// First group index (0…15).
    public var firstGroup: UInt8
    /// Number of groups spanned.
    public var groupCount: UInt8
    public var midiCIMessageVersionFormat: UInt8
    public var maxSysEx8Streams: UInt8

    public init(number: UInt8, name: String = "", isActive: Bool = false,
                direction: FunctionBlockDirection = .bidirectional, uiHint: FunctionBlockUIHint = .unknown,
                midi10: FunctionBlockMIDI1 = .notMIDI1, firstGroup: UInt8 = 0, groupCount: UInt8 = 1,
                midiCIMessageVersionFormat: UInt8 = 0, maxSysEx8Streams: UInt8 = 0) {
        self.number = number
        self.name = name
        self.isActive = isActive
        self.direction = direction
        self.uiHint = uiHint
        self.midi10 = midi10
        self.firstGroup = firstGroup
        self.groupCount = groupCount
        self.midiCIMessageVersionFormat = midiCIMessageVersionFormat
        self.maxSysEx8Streams = maxSysEx8Streams
    }
}
