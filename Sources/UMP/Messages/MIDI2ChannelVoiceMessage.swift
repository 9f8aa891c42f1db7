/// Message type 0x4, MIDI 2.0 Channel Voice Messages (M2-104-UM §7.4): 64 bits.
/// Word 0: `0100 gggg oooo cccc aaaaaaaa bbbbbbbb` — group, opcode, channel, two index bytes;
/// word 1: the data (32-bit value, or velocity + attribute for notes).
public enum MIDI2ChannelVoiceMessage: Hashable, Sendable {
    /// 0x0 — Registered Per-Note Controller.
    case registeredPerNoteController(note: UInt8, index: UInt8, value: UInt32)
    /// 0x1 — Assignable Per-Note Controller.
    case assignablePerNoteController(note: UInt8, index: UInt8, value: UInt32)
    /// 0x2 — Registered Controller (the MIDI 2.0 form of RPN): bank and index 7 bits each.
    case registeredController(bank: UInt8, index: UInt8, value: UInt32)
    /// 0x3 — Assignable Controller (the MIDI 2.0 form of NRPN).
    case assignableController(bank: UInt8, index: UInt8, value: UInt32)
    /// 0x4 — Relative Registered Controller: a signed (two's complement) change.
    case relativeRegisteredController(bank: UInt8, index: UInt8, value: Int32)
    /// 0x5 — Relative Assignable Controller.
    case relativeAssignableController(bank: UInt8, index: UInt8, value: Int32)
    /// 0x6 — Per-Note Pitch Bend, centre 0x8000_0000.
    case perNotePitchBend(note: UInt8, value: UInt32)
    /// 0x8 — Note Off with a 16-bit velocity and an optional attribute.
    case noteOff(note: UInt8, velocity: UInt16, attributeType: NoteAttributeType, attribute: UInt16)
    /// 0x9 — Note On. Velocity 0 is a real velocity, not a Note Off.
    case noteOn(note: UInt8, velocity: UInt16, attributeType: NoteAttributeType, attribute: UInt16)
    /// 0xA — Poly Pressure.
    case polyPressure(note: UInt8, value: UInt32)
    /// 0xB — Control Change, 32-bit value.
    case controlChange(index: UInt8, value: UInt32)
    /// 0xC — Program Change; `bank` is `nil` when the Bank Valid flag is clear.
    case programChange(program: UInt8, bank: MIDIBank?)
    /// 0xD — Channel Pressure.
    case channelPressure(value: UInt32)
    /// 0xE — Pitch Bend, centre 0x8000_0000.
    case pitchBend(value: UInt32)
    /// 0xF — Per-Note Management.
    case perNoteManagement(note: UInt8, options: PerNoteManagementOptions)

    /// The opcode nibble.
    @inlinable
    public var opcode: UInt8 {
        switch self {
        case .registeredPerNoteController: return 0x0
        case .assignablePerNoteController: return 0x1
        case .registeredController: return 0x2
        case .assignableController: return 0x3
        case .relativeRegisteredController: return 0x4
        case .relativeAssignableController: return 0x5
        case .perNotePitchBend: return 0x6
        case .noteOff: return 0x8
        case .noteOn: return 0x9
        case .polyPressure: return 0xA
        case .controlChange: return 0xB
        case .programChange: return 0xC
        case .channelPressure: return 0xD
        case .pitchBend: return 0xE
        case .perNoteManagement: return 0xF
        }
    }

    /// Decodes a type-4 packet; `nil` for another type or the reserved opcode 0x7.
    /// Group and channel are `packet.group` and `UMPMessage.channel(of:)`.
    @inlinable
    public init?(_ packet: UMPPacket) {
        guard packet.messageType == .midi2ChannelVoice else { return nil }
        let w0 = packet.word0, data = packet.word1
        let a = w0.byte(2) & 0x7F, b = w0.byte(3)
        let b7 = b & 0x7F
        switch w0.field(20, 4) {
        case 0x0: self = .registeredPerNoteController(note: a, index: b, value: data)
        case 0x1: self = .assignablePerNoteController(note: a, index: b, value: data)
        case 0x2: self = .registeredController(bank: a, index: b7, value: data)
        case 0x3: self = .assignableController(bank: a, index: b7, value: data)
        case 0x4: self = .relativeRegisteredController(bank: a, index: b7, value: Int32(bitPattern: data))
        case 0x5: self = .relativeAssignableController(bank: a, index: b7, value: Int32(bitPattern: data))
        case 0x6: self = .perNotePitchBend(note: a, value: data)
        case 0x8:
            self = .noteOff(note: a, velocity: UInt16(truncatingIfNeeded: data >> 16),
                            attributeType: NoteAttributeType(rawValue: b), attribute: UInt16(truncatingIfNeeded: data))
        case 0x9:
            self = .noteOn(note: a, velocity: UInt16(truncatingIfNeeded: data >> 16),
                           attributeType: NoteAttributeType(rawValue: b), attribute: UInt16(truncatingIfNeeded: data))
        case 0xA: self = .polyPressure(note: a, value: data)
        case 0xB: self = .controlChange(index: a, value: data)
        case 0xC:
            let bank = (b & 0x01) != 0
                ? MIDIBank(msb: data.byte(2) & 0x7F, lsb: data.byte(3) & 0x7F) : nil
            self = .programChange(program: data.byte(0) & 0x7F, bank: bank)
        case 0xD: self = .channelPressure(value: data)
        case 0xE: self = .pitchBend(value: data)
        case 0xF: self = .perNoteManagement(note: a, options: PerNoteManagementOptions(rawValue: b & 0x03))
        default: return nil
        }
    }

    /// The packet for this message on `group` and `channel` (0…15 each). Fields wider than the
    /// spec allows are masked so they never spill into neighbouring fields.
    @inlinable
    public func packet(group: UInt8, channel: UInt8) -> UMPPacket {
        var a: UInt8 = 0, b: UInt8 = 0
        let data: UInt32
        switch self {
        case .registeredPerNoteController(let n, let i, let v), .assignablePerNoteController(let n, let i, let v):
            a = n; b = i; data = v
        case .registeredController(let bank, let i, let v), .assignableController(let bank, let i, let v):
            a = bank; b = i & 0x7F; data = v
        case .relativeRegisteredController(let bank, let i, let v), .relativeAssignableController(let bank, let i, let v):
            a = bank; b = i & 0x7F; data = UInt32(bitPattern: v)
        case .perNotePitchBend(let n, let v), .polyPressure(let n, let v):
            a = n; data = v
        case .noteOff(let n, let vel, let type, let attr), .noteOn(let n, let vel, let type, let attr):
            a = n; b = type.rawValue; data = UInt32(vel) << 16 | UInt32(attr)
        case .controlChange(let i, let v):
            a = i; data = v
        case .programChange(let program, let bank):
            b = bank == nil ? 0 : 1
            data = UInt32(program & 0x7F) << 24
                | UInt32((bank?.msb ?? 0) & 0x7F) << 8 | UInt32((bank?.lsb ?? 0) & 0x7F)
        case .channelPressure(let v), .pitchBend(let v):
            data = v
        case .perNoteManagement(let n, let options):
            a = n; b = options.rawValue & 0x03; data = 0
        }
        let w0 = 0x4000_0000 | UInt32(group & 0xF) << 24 | UInt32(opcode) << 20 | UInt32(channel & 0xF) << 16
            | UInt32(a & 0x7F) << 8 | UInt32(b)
        return UMPPacket(w0, data)
    }
}

/// Bank Select for a MIDI 2.0 Program Change: the MIDI 1.0 Bank Select MSB (CC 0) and LSB (CC 32).
public struct MIDIBank: Hashable, Sendable {
    public var msb: UInt8
    public var lsb: UInt8
    @inlinable public init(msb: UInt8, lsb: UInt8) {
        self.msb = msb
        self.lsb = lsb
    }
}

/// Attribute Type of a MIDI 2.0 Note On/Off (M2-104-UM §7.4.1). Values the spec does not define
/// are kept as they were received.
public struct NoteAttributeType: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// 0x00 — no attribute data.
    public static let none = NoteAttributeType(rawValue: 0x00)
    /// 0x01 — manufacturer specific.
    public static let manufacturerSpecific = NoteAttributeType(rawValue: 0x01)
    /// 0x02 — profile specific.
    public static let profileSpecific = NoteAttributeType(rawValue: 0x02)
    /// 0x03 — Pitch 7.9 (7 bits of note number, 9 of fraction).
    public static let pitch7_9 = NoteAttributeType(rawValue: 0x03)
}

/// Option flags of Per-Note Management (M2-104-UM §7.4.10).
public struct PerNoteManagementOptions: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// S — reset (set to default) the per-note controllers of this note.
    public static let resetControllers = PerNoteManagementOptions(rawValue: 0x01)
    /// D — detach per-note controllers from previously received notes of this number.
    public static let detachControllers = PerNoteManagementOptions(rawValue: 0x02)
}
