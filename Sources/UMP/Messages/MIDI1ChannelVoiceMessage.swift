/// Message type 0x2, MIDI 1.0 Channel Voice Messages (M2-104-UM §7.3): a MIDI 1.0 channel message
/// in 32 bits. Word 0: `0010 gggg ssss cccc 0aaaaaaa 0bbbbbbb` — group, opcode, channel, data.
/// Values are MIDI 1.0 resolution (7 bits, pitch bend 14).
public enum MIDI1ChannelVoiceMessage: Hashable, Sendable {
    /// 0x8 — Note Off.
    case noteOff(note: UInt8, velocity: UInt8)
    /// 0x9 — Note On (velocity 0 means Note Off in MIDI 1.0; it is kept as sent here).
    case noteOn(note: UInt8, velocity: UInt8)
    /// 0xA — Poly Pressure (polyphonic key pressure).
    case polyPressure(note: UInt8, pressure: UInt8)
    /// 0xB — Control Change.
    case controlChange(index: UInt8, value: UInt8)
    /// 0xC — Program Change.
    case programChange(program: UInt8)
    /// 0xD — Channel Pressure.
    case channelPressure(pressure: UInt8)
    /// 0xE — Pitch Bend, 14 bits, centre 0x2000.
    case pitchBend(value: UInt16)

    /// The opcode nibble (the MIDI 1.0 status byte's top nibble).
    @inlinable
    public var opcode: UInt8 {
        switch self {
        case .noteOff: return 0x8
        case .noteOn: return 0x9
        case .polyPressure: return 0xA
        case .controlChange: return 0xB
        case .programChange: return 0xC
        case .channelPressure: return 0xD
        case .pitchBend: return 0xE
        }
    }

    /// Number of MIDI 1.0 data bytes for a channel voice opcode (0x8…0xE), `nil` otherwise.
    @inlinable
    public static func dataByteCount(opcode: UInt8) -> Int? {
        switch opcode {
        case 0x8, 0x9, 0xA, 0xB, 0xE: return 2
        case 0xC, 0xD: return 1
        default: return nil
        }
    }

    /// Builds the message from an opcode (0x8…0xE) and data bytes (top bits are masked off).
    @inlinable
    public init?(opcode: UInt8, data1: UInt8, data2: UInt8) {
        let a = data1 & 0x7F, b = data2 & 0x7F
        switch opcode {
        case 0x8: self = .noteOff(note: a, velocity: b)
        case 0x9: self = .noteOn(note: a, velocity: b)
        case 0xA: self = .polyPressure(note: a, pressure: b)
        case 0xB: self = .controlChange(index: a, value: b)
        case 0xC: self = .programChange(program: a)
        case 0xD: self = .channelPressure(pressure: a)
        case 0xE: self = .pitchBend(value: UInt16(b) << 7 | UInt16(a))
        default: return nil
        }
    }

    /// The two data bytes as they sit in the packet (and on a MIDI 1.0 wire).
    @inlinable
    public var dataBytes: (UInt8, UInt8) {
        switch self {
        case .noteOff(let n, let v), .noteOn(let n, let v), .polyPressure(let n, let v),
             .controlChange(let n, let v):
            return (n & 0x7F, v & 0x7F)
        case .programChange(let p), .channelPressure(let p):
            return (p & 0x7F, 0)
        case .pitchBend(let v):
            return (UInt8(v & 0x7F), UInt8((v >> 7) & 0x7F))
        }
    }

    /// Decodes a type-2 packet; group and channel are in `packet.group` / `channel(of:)`.
    @inlinable
    public init?(_ packet: UMPPacket) {
        guard packet.messageType == .midi1ChannelVoice else { return nil }
        let w = packet.word0
        self.init(opcode: UInt8(w.field(20, 4)), data1: w.byte(2), data2: w.byte(3))
    }

    /// The packet for this message on `group` and `channel` (0…15 each).
    @inlinable
    public func packet(group: UInt8, channel: UInt8) -> UMPPacket {
        let (a, b) = dataBytes
        return UMPPacket(0x2000_0000 | UInt32(group & 0xF) << 24 | UInt32(opcode) << 20
                         | UInt32(channel & 0xF) << 16 | UInt32(a) << 8 | UInt32(b))
    }
}
