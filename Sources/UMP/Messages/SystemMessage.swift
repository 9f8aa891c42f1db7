/// Message type 0x1, System Common and System Real Time (M2-104-UM §7.6): the MIDI 1.0 system
/// messages other than SysEx, one per 32-bit packet.
/// Word 0: `0001 gggg ssssssss 0aaaaaaa 0bbbbbbb` — group, MIDI 1.0 status byte, two data bytes.
public enum SystemMessage: Hashable, Sendable {
    /// 0xF1 — MIDI Time Code Quarter Frame, data `0nnndddd`.
    case timeCodeQuarterFrame(UInt8)
    /// 0xF2 — Song Position Pointer, 14 bits (MIDI beats since the start of the song).
    case songPositionPointer(UInt16)
    /// 0xF3 — Song Select.
    case songSelect(UInt8)
    /// 0xF6 — Tune Request.
    case tuneRequest
    /// 0xF8 — Timing Clock.
    case timingClock
    /// 0xFA — Start.
    case start
    /// 0xFB — Continue.
    case `continue`
    /// 0xFC — Stop.
    case stop
    /// 0xFE — Active Sensing.
    case activeSensing
    /// 0xFF — Reset.
    case reset

    /// The MIDI 1.0 status byte.
    @inlinable
    public var status: UInt8 {
        switch self {
        case .timeCodeQuarterFrame: return 0xF1
        case .songPositionPointer: return 0xF2
        case .songSelect: return 0xF3
        case .tuneRequest: return 0xF6
        case .timingClock: return 0xF8
        case .start: return 0xFA
        case .continue: return 0xFB
        case .stop: return 0xFC
        case .activeSensing: return 0xFE
        case .reset: return 0xFF
        }
    }

    /// Number of MIDI 1.0 data bytes that follow the status byte (0, 1 or 2).
    @inlinable
    public static func dataByteCount(status: UInt8) -> Int? {
        switch status {
        case 0xF1, 0xF3: return 1
        case 0xF2: return 2
        case 0xF6, 0xF8, 0xFA, 0xFB, 0xFC, 0xFE, 0xFF: return 0
        default: return nil
        }
    }

    /// Builds the message from a MIDI 1.0 status byte and data bytes; `nil` for statuses that are
    /// not system common/real time messages carried by type 1 (F0, F4, F5, F7, F9, FD, < F0).
    @inlinable
    public init?(status: UInt8, data1: UInt8 = 0, data2: UInt8 = 0) {
        switch status {
        case 0xF1: self = .timeCodeQuarterFrame(data1 & 0x7F)
        case 0xF2: self = .songPositionPointer(UInt16(data2 & 0x7F) << 7 | UInt16(data1 & 0x7F))
        case 0xF3: self = .songSelect(data1 & 0x7F)
        case 0xF6: self = .tuneRequest
        case 0xF8: self = .timingClock
        case 0xFA: self = .start
        case 0xFB: self = .continue
        case 0xFC: self = .stop
        case 0xFE: self = .activeSensing
        case 0xFF: self = .reset
        default: return nil
        }
    }

    /// The two MIDI 1.0 data bytes as they sit in the packet (unused ones are 0).
    @inlinable
    public var dataBytes: (UInt8, UInt8) {
        switch self {
        case .timeCodeQuarterFrame(let v), .songSelect(let v): return (v & 0x7F, 0)
        case .songPositionPointer(let v): return (UInt8(v & 0x7F), UInt8((v >> 7) & 0x7F))
        default: return (0, 0)
        }
    }

    /// Decodes a type-1 packet; the group is `packet.group`. `nil` for other types or reserved statuses.
    @inlinable
    public init?(_ packet: UMPPacket) {
        guard packet.messageType == .systemCommonRealTime else { return nil }
        let w = packet.word0
        self.init(status: w.byte(1), data1: w.byte(2), data2: w.byte(3))
    }

    /// The packet for this message on `group` (0…15).
    @inlinable
    public func packet(group: UInt8) -> UMPPacket {
        let (d1, d2) = dataBytes
        return UMPPacket(0x1000_0000 | UInt32(group & 0xF) << 24 | UInt32(status) << 16
                         | UInt32(d1) << 8 | UInt32(d2))
    }
}
