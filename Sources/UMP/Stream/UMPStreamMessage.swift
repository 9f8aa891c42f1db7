/// Message type 0xF, UMP Stream messages (M2-104-UM §7.1): 128 bits, groupless, about the
/// endpoint itself. Word 0: `1111 ff ssssssssss ................` — format (2 bits), status
/// (10 bits), 16 bits of per-status data.
public enum UMPStreamMessage: Hashable, Sendable {
    /// 0x000 — Endpoint Discovery.
    case endpointDiscovery(EndpointDiscovery)
    /// 0x001 — Endpoint Info Notification.
    case endpointInfoNotification(EndpointInfoNotification)
    /// 0x002 — Device Identity Notification.
    case deviceIdentityNotification(DeviceIdentityNotification)
    /// 0x003 — Endpoint Name Notification: up to 14 UTF-8 bytes of the name, zero padding removed.
    case endpointNameNotification(format: UMPFormat, text: UMPPacketBytes)
    /// 0x004 — Product Instance Id Notification: up to 14 bytes, zero padding removed.
    case productInstanceIdNotification(format: UMPFormat, text: UMPPacketBytes)
    /// 0x005 — Stream Configuration Request.
    case streamConfigurationRequest(StreamConfiguration)
    /// 0x006 — Stream Configuration Notification.
    case streamConfigurationNotification(StreamConfiguration)
    /// 0x010 — Function Block Discovery.
    case functionBlockDiscovery(FunctionBlockDiscovery)
    /// 0x011 — Function Block Info Notification.
    case functionBlockInfoNotification(FunctionBlockInfoNotification)
    /// 0x012 — Function Block Name Notification: up to 13 UTF-8 bytes, zero padding removed.
    case functionBlockNameNotification(format: UMPFormat, functionBlock: UInt8, text: UMPPacketBytes)
    /// 0x020 — Start of Clip.
    case startOfClip
    /// 0x021 — End of Clip.
    case endOfClip

    /// The spec's status values.
    public enum Status {
        public static let endpointDiscovery: UInt16 = 0x000
        public static let endpointInfoNotification: UInt16 = 0x001
        public static let deviceIdentityNotification: UInt16 = 0x002
        public static let endpointNameNotification: UInt16 = 0x003
        public static let productInstanceIdNotification: UInt16 = 0x004
        public static let streamConfigurationRequest: UInt16 = 0x005
        public static let streamConfigurationNotification: UInt16 = 0x006
        public static let functionBlockDiscovery: UInt16 = 0x010
        public static let functionBlockInfoNotification: UInt16 = 0x011
        public static let functionBlockNameNotification: UInt16 = 0x012
        public static let startOfClip: UInt16 = 0x020
        public static let endOfClip: UInt16 = 0x021
    }

    /// Text bytes per packet of each multi-packet notification, and the most a whole text may be.
    public static let endpointNameBytesPerPacket = 14
    public static let productInstanceIdBytesPerPacket = 14
    public static let functionBlockNameBytesPerPacket = 13
    public static let endpointNameMaxBytes = 98
    public static let productInstanceIdMaxBytes = 42
    public static let functionBlockNameMaxBytes = 91

    /// The 10-bit status of a stream packet.
    @inlinable
    public static func status(of packet: UMPPacket) -> UInt16 {
        UInt16(packet.word0.field(16, 10))
    }

    /// The 2-bit format of a stream packet.
    @inlinable
    public static func format(of packet: UMPPacket) -> UMPFormat {
        UMPFormat(rawValue: UInt8(packet.word0.field(26, 2))) ?? .complete
    }

    /// The status of this message.
    @inlinable
    public var status: UInt16 {
        switch self {
        case .endpointDiscovery: return Status.endpointDiscovery
        case .endpointInfoNotification: return Status.endpointInfoNotification
        case .deviceIdentityNotification: return Status.deviceIdentityNotification
        case .endpointNameNotification: return Status.endpointNameNotification
        case .productInstanceIdNotification: return Status.productInstanceIdNotification
        case .streamConfigurationRequest: return Status.streamConfigurationRequest
        case .streamConfigurationNotification: return Status.streamConfigurationNotification
        case .functionBlockDiscovery: return Status.functionBlockDiscovery
        case .functionBlockInfoNotification: return Status.functionBlockInfoNotification
        case .functionBlockNameNotification: return Status.functionBlockNameNotification
        case .startOfClip: return Status.startOfClip
        case .endOfClip: return Status.endOfClip
        }
    }

    /// Decodes a type-F packet; `nil` for another type or a status the spec does not define.
    public init?(_ packet: UMPPacket) {
        guard packet.messageType == .stream else { return nil }
        let w0 = packet.word0, w1 = packet.word1, w2 = packet.word2, w3 = packet.word3
        let format = Self.format(of: packet)
        switch Self.status(of: packet) {
        case Status.endpointDiscovery:
            self = .endpointDiscovery(EndpointDiscovery(
                umpVersionMajor: w0.byte(2), umpVersionMinor: w0.byte(3),
                filter: EndpointDiscoveryFilter(rawValue: w1.byte(3))))
        case Status.endpointInfoNotification:
            self = .endpointInfoNotification(EndpointInfoNotification(
                umpVersionMajor: w0.byte(2), umpVersionMinor: w0.byte(3),
                staticFunctionBlocks: w1.field(31, 1) != 0,
                numberOfFunctionBlocks: UInt8(w1.field(24, 7)),
                supportsMIDI2Protocol: w1.field(9, 1) != 0, supportsMIDI1Protocol: w1.field(8, 1) != 0,
                receivesJRTimestamps: w1.field(1, 1) != 0, transmitsJRTimestamps: w1.field(0, 1) != 0))
        case Status.deviceIdentityNotification:
            self = .deviceIdentityNotification(DeviceIdentityNotification(
                manufacturerId: w1 & 0x7F_7F7F,
                family: UInt16(w2.byte(1) & 0x7F) << 7 | UInt16(w2.byte(0) & 0x7F),
                familyModel: UInt16(w2.byte(3) & 0x7F) << 7 | UInt16(w2.byte(2) & 0x7F),
                softwareRevision: w3 & 0x7F7F_7F7F))
        case Status.endpointNameNotification:
            self = .endpointNameNotification(format: format, text: Self.text(packet, offset: 2))
        case Status.productInstanceIdNotification:
            self = .productInstanceIdNotification(format: format, text: Self.text(packet, offset: 2))
        case Status.streamConfigurationRequest, Status.streamConfigurationNotification:
            let configuration = StreamConfiguration(
                protocol: MIDIProtocol(rawValue: w0.byte(2)),
                receivesJRTimestamps: w0.field(1, 1) != 0, transmitsJRTimestamps: w0.field(0, 1) != 0)
            self = Self.status(of: packet) == Status.streamConfigurationRequest
                ? .streamConfigurationRequest(configuration) : .streamConfigurationNotification(configuration)
        case Status.functionBlockDiscovery:
            self = .functionBlockDiscovery(FunctionBlockDiscovery(
                functionBlock: w0.byte(2), filter: FunctionBlockDiscoveryFilter(rawValue: w0.byte(3))))
        case Status.functionBlockInfoNotification:
            self = .functionBlockInfoNotification(FunctionBlockInfoNotification(
                functionBlock: UInt8(w0.field(8, 7)), isActive: w0.field(15, 1) != 0,
                uiHint: FunctionBlockUIHint(rawValue: UInt8(w0.field(4, 2))) ?? .unknown,
                midi1: FunctionBlockMIDI1(rawValue: UInt8(w0.field(2, 2))) ?? .notMIDI1,
                direction: FunctionBlockDirection(rawValue: UInt8(w0.field(0, 2))) ?? .reserved,
                firstGroup: w1.byte(0), numberOfGroupsSpanned: w1.byte(1),
                midiCIMessageVersion: w1.byte(2), maxSysEx8Streams: w1.byte(3)))
        case Status.functionBlockNameNotification:
            self = .functionBlockNameNotification(format: format, functionBlock: w0.byte(2),
                                                  text: Self.text(packet, offset: 3))
        case Status.startOfClip:
            self = .startOfClip
        case Status.endOfClip:
            self = .endOfClip
        default:
            return nil
        }
    }

    /// The text bytes of a name-carrying packet from `offset` to the end, without trailing zero padding.
    @inlinable
    static func text(_ packet: UMPPacket, offset: Int) -> UMPPacketBytes {
        var end = 16
        while end > offset, packet.byte(at: end - 1) == 0 { end -= 1 }
        return UMPPacketBytes(packet: packet, offset: offset, count: end - offset)
    }

    /// The packet for this message.
    public var packet: UMPPacket {
        let head = 0xF000_0000 | UInt32(status) << 16
        switch self {
        case .endpointDiscovery(let d):
            return UMPPacket(head | UInt32(d.umpVersionMajor) << 8 | UInt32(d.umpVersionMinor),
                             UInt32(d.filter.rawValue), 0, 0)
        case .endpointInfoNotification(let i):
            let w1 = (i.staticFunctionBlocks ? 1 << 31 : 0) | UInt32(i.numberOfFunctionBlocks & 0x7F) << 24
                | (i.supportsMIDI2Protocol ? 1 << 9 : 0) | (i.supportsMIDI1Protocol ? 1 << 8 : 0)
                | (i.receivesJRTimestamps ? 1 << 1 : 0) | (i.transmitsJRTimestamps ? 1 : 0)
            return UMPPacket(head | UInt32(i.umpVersionMajor) << 8 | UInt32(i.umpVersionMinor), w1, 0, 0)
        case .deviceIdentityNotification(let d):
            let w2 = UInt32(d.family & 0x7F) << 24 | UInt32((d.family >> 7) & 0x7F) << 16
                | UInt32(d.familyModel & 0x7F) << 8 | UInt32((d.familyModel >> 7) & 0x7F)
            return UMPPacket(head, d.manufacturerId & 0x7F_7F7F, w2, d.softwareRevision & 0x7F7F_7F7F)
        case .endpointNameNotification(let format, let text), .productInstanceIdNotification(let format, let text):
            return Self.textPacket(head: head, format: format, offset: 2, text: text)
        case .streamConfigurationRequest(let c), .streamConfigurationNotification(let c):
            return UMPPacket(head | UInt32(c.protocol.rawValue) << 8 | (c.receivesJRTimestamps ? 2 : 0)
                             | (c.transmitsJRTimestamps ? 1 : 0), 0, 0, 0)
        case .functionBlockDiscovery(let d):
            return UMPPacket(head | UInt32(d.functionBlock) << 8 | UInt32(d.filter.rawValue), 0, 0, 0)
        case .functionBlockInfoNotification(let f):
            let w0 = head | (f.isActive ? 1 << 15 : 0) | UInt32(f.functionBlock & 0x7F) << 8
                | UInt32(f.uiHint.rawValue) << 4 | UInt32(f.midi1.rawValue) << 2 | UInt32(f.direction.rawValue)
            let w1 = UInt32(f.firstGroup) << 24 | UInt32(f.numberOfGroupsSpanned) << 16
                | UInt32(f.midiCIMessageVersion) << 8 | UInt32(f.maxSysEx8Streams)
            return UMPPacket(w0, w1, 0, 0)
        case .functionBlockNameNotification(let format, let functionBlock, let text):
            return Self.textPacket(head: head | UInt32(functionBlock) << 8, format: format, offset: 3, text: text)
        case .startOfClip, .endOfClip:
            return UMPPacket(head, 0, 0, 0)
        }
    }

    @inlinable
    static func textPacket<C: Collection>(head: UInt32, format: UMPFormat, offset: Int, text: C) -> UMPPacket
    where C.Element == UInt8 {
        var packet = UMPPacket(head | UInt32(format.rawValue) << 26, 0, 0, 0)
        for (i, byte) in text.prefix(16 - offset).enumerated() { packet.setByte(at: offset + i, byte) }
        return packet
    }
}
