/// Message type 0x0, Utility Messages (M2-104-UM §7.2): 32 bits, groupless.
/// Word 0: `0000 rrrr ssss dddddddddddddddddddd` — reserved, status, 20 data bits.
public enum UtilityMessage: Hashable, Sendable {
    /// Status 0x0 — NOOP.
    case noop
    /// Status 0x1 — JR Clock: the sender's clock time in units of 1/31250 s.
    case jrClock(senderClockTime: UInt16)
    /// Status 0x2 — JR Timestamp: when the following message was sent, same units.
    case jrTimestamp(senderClockTimestamp: UInt16)
    /// Status 0x3 — Delta Clockstamp Ticks Per Quarter Note.
    case deltaClockstampTicksPerQuarterNote(ticksPerQuarterNote: UInt16)
    /// Status 0x4 — Delta Clockstamp: ticks since the last event (20 bits).
    case deltaClockstamp(ticks: UInt32)

    /// The status nibble (bits 20–23).
    public var status: UInt8 {
        switch self {
        case .noop: return 0x0
        case .jrClock: return 0x1
        case .jrTimestamp: return 0x2
        case .deltaClockstampTicksPerQuarterNote: return 0x3
        case .deltaClockstamp: return 0x4
        }
    }

    /// Decodes a type-0 packet; `nil` for another type or a reserved status.
    @inlinable
    public init?(_ packet: UMPPacket) {
        let w = packet.word0
        guard packet.messageType == .utility else { return nil }
        switch w.field(20, 4) {
        case 0x0: self = .noop
        case 0x1: self = .jrClock(senderClockTime: UInt16(truncatingIfNeeded: w))
        case 0x2: self = .jrTimestamp(senderClockTimestamp: UInt16(truncatingIfNeeded: w))
        case 0x3: self = .deltaClockstampTicksPerQuarterNote(ticksPerQuarterNote: UInt16(truncatingIfNeeded: w))
        case 0x4: self = .deltaClockstamp(ticks: w.field(0, 20))
        default: return nil
        }
    }

    /// The packet for this message.
    @inlinable
    public var packet: UMPPacket {
        let data: UInt32
        switch self {
        case .noop: data = 0
        case .jrClock(let t): data = UInt32(t)
        case .jrTimestamp(let t): data = UInt32(t)
        case .deltaClockstampTicksPerQuarterNote(let t): data = UInt32(t)
        case .deltaClockstamp(let ticks): data = ticks & 0xF_FFFF
        }
        return UMPPacket(UInt32(status) << 20 | data)
    }
}
