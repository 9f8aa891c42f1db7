/// A packet decoded by message type (M2-104-UM §2.1.4, Table 2). Obtained with
/// `UMPMessage(packet)` or `packet.message`; turned back into a packet with `.packet`.
/// Groups and channels are wire values, 0…15. Anything the spec reserves (message types 6–C and
/// E, reserved statuses and opcodes) is kept as the raw packet in `.unknown`, so nothing is lost.
public enum UMPMessage: Hashable, Sendable {
    /// Type 0x0.
    case utility(UtilityMessage)
    /// Type 0x1.
    case system(group: UInt8, SystemMessage)
    /// Type 0x2.
    case midi1ChannelVoice(group: UInt8, channel: UInt8, MIDI1ChannelVoiceMessage)
    /// Type 0x3.
    case sysEx7(group: UInt8, SysEx7Packet)
    /// Type 0x4.
    case midi2ChannelVoice(group: UInt8, channel: UInt8, MIDI2ChannelVoiceMessage)
    /// Type 0x5.
    case data128(group: UInt8, Data128Message)
    /// Type 0xD (header decoded, payload raw).
    case flexData(FlexDataMessage)
    /// Type 0xF.
    case stream(UMPStreamMessage)
    /// A reserved message type, or a reserved status within a defined one.
    case unknown(UMPPacket)

    /// Decodes `packet`.
    @inlinable
    public init(_ packet: UMPPacket) {
        let group = UInt8(packet.word0.field(24, 4))
        let channel = UInt8(packet.word0.field(16, 4))
        switch packet.messageType {
        case .utility:
            if let m = UtilityMessage(packet) { self = .utility(m); return }
        case .systemCommonRealTime:
            if let m = SystemMessage(packet) { self = .system(group: group, m); return }
        case .midi1ChannelVoice:
            if let m = MIDI1ChannelVoiceMessage(packet) { self = .midi1ChannelVoice(group: group, channel: channel, m); return }
        case .data64:
            if let m = SysEx7Packet(packet) { self = .sysEx7(group: group, m); return }
        case .midi2ChannelVoice:
            if let m = MIDI2ChannelVoiceMessage(packet) { self = .midi2ChannelVoice(group: group, channel: channel, m); return }
        case .data128:
            if let m = Data128Message(packet) { self = .data128(group: group, m); return }
        case .flexData:
            if let m = FlexDataMessage(packet) { self = .flexData(m); return }
        case .stream:
            if let m = UMPStreamMessage(packet) { self = .stream(m); return }
        default:
            break
        }
        self = .unknown(packet)
    }

    /// The packet for this message.
    @inlinable
    public var packet: UMPPacket {
        switch self {
        case .utility(let m): return m.packet
        case .system(let g, let m): return m.packet(group: g)
        case .midi1ChannelVoice(let g, let c, let m): return m.packet(group: g, channel: c)
        case .sysEx7(let g, let m): return m.packet(group: g)
        case .midi2ChannelVoice(let g, let c, let m): return m.packet(group: g, channel: c)
        case .data128(let g, let m): return m.packet(group: g)
        case .flexData(let m): return m.packet
        case .stream(let m): return m.packet
        case .unknown(let p): return p
        }
    }
}

extension UMPPacket {
    /// Builds the packet for `message`.
    @inlinable
    public init(_ message: UMPMessage) {
        self = message.packet
    }

    /// The packet decoded by message type.
    @inlinable
    public var message: UMPMessage { UMPMessage(self) }

    /// The channel (0…15) of channel voice messages (types 2 and 4), else `nil`.
    @inlinable
    public var channel: UInt8? {
        switch messageType {
        case .midi1ChannelVoice, .midi2ChannelVoice: return UInt8(truncatingIfNeeded: (word0 >> 16) & 0xF)
        default: return nil
        }
    }
}
