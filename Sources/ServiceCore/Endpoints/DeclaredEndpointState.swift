import UMP

/// Everything an endpoint has declared about itself in-protocol through UMP stream messages
/// (docs/design.md §7), kept per EndpointDeviceId and persisted. Every part is optional: an endpoint
/// that never declared anything has an empty state.
public struct DeclaredEndpointState: Sendable, Equatable {
    /// The last Endpoint Info Notification, as the UMP module decodes it.
    public var endpointInfo: EndpointInfoNotification?
    /// The last Device Identity Notification, as the UMP module decodes it.
    public var deviceIdentity: DeviceIdentityNotification?
    /// From the (possibly multi-packet) Endpoint Name Notification.
    public var endpointName: String?
    /// From the (possibly multi-packet) Product Instance Id Notification.
    public var productInstanceId: String?
    /// From Function Block Info and Name Notifications, ordered by block number.
    public var functionBlocks: [DeclaredFunctionBlock]
    /// From the Stream Configuration Notification.
    public var streamConfiguration: DeclaredStreamConfiguration?

    public init(endpointInfo: EndpointInfoNotification? = nil, deviceIdentity: DeviceIdentityNotification? = nil,
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

extension DeviceIdentityNotification {
    /// The three SysEx manufacturer id bytes, first byte first (7 bits each): the layout of
    /// Windows' `MidiDeclaredDeviceIdentity`, the wire's `manufacturerId` and `endpoints.json`.
    public var manufacturerIdBytes: [UInt8] {
        [UInt8(manufacturerId >> 16 & 0x7F), UInt8(manufacturerId >> 8 & 0x7F), UInt8(manufacturerId & 0x7F)]
    }

    /// The four software revision level bytes, first byte first (7 bits each).
    public var softwareRevisionBytes: [UInt8] {
        [UInt8(softwareRevision >> 24 & 0x7F), UInt8(softwareRevision >> 16 & 0x7F),
         UInt8(softwareRevision >> 8 & 0x7F), UInt8(softwareRevision & 0x7F)]
    }

    /// From those bytes (missing ones are 0; 7 bits of each are kept, as the notification carries).
    public init(manufacturerIdBytes m: [UInt8], family: UInt16, familyModel: UInt16, softwareRevisionBytes r: [UInt8]) {
        func byte(_ bytes: [UInt8], _ i: Int) -> UInt32 { i < bytes.count ? UInt32(bytes[i] & 0x7F) : 0 }
        self.init(manufacturerId: byte(m, 0) << 16 | byte(m, 1) << 8 | byte(m, 2), family: family, familyModel: familyModel,
                  softwareRevision: byte(r, 0) << 24 | byte(r, 1) << 16 | byte(r, 2) << 8 | byte(r, 3))
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
