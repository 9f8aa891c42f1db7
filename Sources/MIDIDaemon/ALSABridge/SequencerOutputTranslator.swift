import ALSASequencer
import UMP

/// UMP an endpoint receives → ALSA sequencer events, by the UMP specification's default
/// translation:
///
/// | UMP | ALSA event |
/// | --- | --- |
/// | type 2 (MIDI 1.0 channel voice) | NOTEON, NOTEOFF, KEYPRESS, CONTROLLER, PGMCHANGE, CHANPRESS, PITCHBEND |
/// | type 4 (MIDI 2.0 channel voice) | down-converted first (`MIDI2ToMIDI1Translator`: values shifted down, bank → CC 0/32 + program, RPN/NRPN → CC 101/100 or 99/98 + 6/38), then as type 2 |
/// | type 1 (system common / real time) | QFRAME, SONGPOS, SONGSEL, TUNE_REQUEST, CLOCK, START, CONTINUE, STOP, SENSING, RESET |
/// | type 3 (SysEx7) | one SYSEX event per complete message, F0 … F7 (assembled per group) |
/// | types 0, 5, D, F | nothing: no MIDI 1.0 form (utility, SysEx8/mixed data, flex data, stream) |
///
/// Nothing here allocates per message: the channel and system cases build enum values with
/// no storage, and SysEx is assembled in reused per-group buffers (the UMP module's
/// `SysEx7Assembler`, framing F0 … F7). Broken SysEx7 sequences follow `UMP.SysEx7Sequence`,
/// the rule the USB output follows too.
struct SequencerOutputTranslator {
    private let downConverter = MIDI2ToMIDI1Translator()
    private var sysEx: SysEx7Assembler
    /// SysEx messages dropped: interrupted by a new message on their group, or too long.
    private(set) var sysExDroppedMessages: UInt64 = 0
    /// SysEx packets dropped: a Continue or End with no message in progress, or malformed.
    private(set) var sysExStrayPackets: UInt64 = 0
    /// Packets with no MIDI 1.0 form (types 0, 5, D, F; MIDI 2.0 messages the down-conversion
    /// drops, such as per-note controllers).
    private(set) var untranslatable: UInt64 = 0

    init(maximumSysExSize: Int = 1 << 20) {
        sysEx = SysEx7Assembler(framing: .midi1Message, maximumSize: maximumSysExSize)
    }

    /// Translates one packet. `emit(group, event)` gets 0…4 events (a bank-select program
    /// change or a MIDI 2.0 RPN becomes several), with the packet's group (0-based).
    mutating func translate(_ packet: UMPPacket, emit: (UInt8, SequencerEvent) -> Void) {
        let group = UInt8(packet.word0 >> 24 & 0xF)
        switch packet.messageType {
        case .midi1ChannelVoice:
            if !Self.channelVoice(packet, group: group, emit) { untranslatable &+= 1 }
        case .midi2ChannelVoice:
            var produced = false
            downConverter.translate(packet) { midi1 in
                if Self.channelVoice(midi1, group: group, emit) { produced = true }
            }
            if !produced { untranslatable &+= 1 }
        case .systemCommonRealTime:
            guard let message = SystemMessage(packet) else {
                untranslatable &+= 1
                return
            }
            emit(group, Self.event(for: message))
        case .data64:
            sysEx.append(packet, problem: { problem in
                switch problem {
                case .interrupted, .tooLong: sysExDroppedMessages &+= 1
                case .continueWithoutStart, .endWithoutStart, .malformedPacket: sysExStrayPackets &+= 1
                }
            }, complete: { message in emit(group, .systemExclusive(message)) })
        default:
            untranslatable &+= 1
        }
    }

    /// Forgets SysEx messages in progress.
    mutating func reset() { sysEx.reset() }

    @inline(__always)
    private static func channelVoice(_ packet: UMPPacket, group: UInt8, _ emit: (UInt8, SequencerEvent) -> Void) -> Bool {
        guard let message = MIDI1ChannelVoiceMessage(packet) else { return false }
        let channel = UInt8(packet.word0 >> 16 & 0xF)
        let event: SequencerEvent
        switch message {
        case let .noteOff(note, velocity): event = .noteOff(channel: channel, note: note, velocity: velocity)
        case let .noteOn(note, velocity): event = .noteOn(channel: channel, note: note, velocity: velocity)
        case let .polyPressure(note, pressure): event = .keyPressure(channel: channel, note: note, pressure: pressure)
        case let .controlChange(index, value): event = .controlChange(channel: channel, controller: index, value: value)
        case let .programChange(program): event = .programChange(channel: channel, program: program)
        case let .channelPressure(pressure): event = .channelPressure(channel: channel, pressure: pressure)
        case let .pitchBend(value): event = .pitchBend(channel: channel, value: value & 0x3FFF)
        }
        emit(group, event)
        return true
    }

    @inline(__always)
    private static func event(for message: SystemMessage) -> SequencerEvent {
        switch message {
        case let .timeCodeQuarterFrame(byte): return .timeCodeQuarterFrame(byte & 0x7F)
        case let .songPositionPointer(beats): return .songPosition(beats & 0x3FFF)
        case let .songSelect(song): return .songSelect(song & 0x7F)
        case .tuneRequest: return .tuneRequest
        case .timingClock: return .timingClock
        case .start: return .start
        case .continue: return .continue
        case .stop: return .stop
        case .activeSensing: return .activeSensing
        case .reset: return .systemReset
        }
    }
}
