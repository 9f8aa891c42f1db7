import ALSASequencer
import UMP

/// ALSA sequencer events written to one client's ports → UMP, by the UMP specification's
/// default translation: channel voice → type 2, system common / real time → type 1, SysEx →
/// type 3 (complete / start / continue / end, up to 6 bytes each, F0/F7 not carried).
///
/// Each event is turned back into the MIDI 1.0 bytes it stands for and fed through a
/// `MIDI1StreamParser` of its own port. That is what makes SysEx right whatever way the
/// sender cut it: ALSA may deliver a long message as several SYSEX events (the first starting
/// with F0, the last ending with F7 — snd-seq-midi uses 256-byte chunks), and the parser keeps
/// the message open across them, so the UMP side sees one correct Start…End sequence. It also
/// means a channel message arriving in the middle of an unfinished SysEx ends that SysEx, as
/// on a MIDI 1.0 cable. No allocation: the parsers are fixed-size values.
struct SequencerInputTranslator {
    /// One parser per port (0…groupCount); ports 0 and 1 both send on group 1 but are separate
    /// streams from ALSA's point of view.
    private var parsers: [MIDI1StreamParser]

    /// Events with no MIDI 1.0 byte form (ALSA's NOTE-with-duration, queue control, user
    /// events…), ignored.
    private(set) var ignoredEvents: UInt64 = 0

    init(portCount: Int) {
        parsers = Array(repeating: MIDI1StreamParser(), count: max(portCount, 1))
    }

    /// Translates `event`, written to port `portIndex` (0…), into UMP packets on `group`.
    /// Returns false for events that carry no MIDI message (subscription and announcement
    /// notices, ALSA-only event types).
    @discardableResult
    mutating func translate(_ event: SequencerEvent, portIndex: Int, group: UInt8, emit: (UMPPacket) -> Void) -> Bool {
        guard portIndex >= 0, portIndex < parsers.count else { return false }
        switch event {
        case let .noteOn(channel, note, velocity):
            feed(portIndex, group, 0x90 | channel, note, velocity, emit)
        case let .noteOff(channel, note, velocity):
            feed(portIndex, group, 0x80 | channel, note, velocity, emit)
        case let .keyPressure(channel, note, pressure):
            feed(portIndex, group, 0xA0 | channel, note, pressure, emit)
        case let .controlChange(channel, controller, value):
            feed(portIndex, group, 0xB0 | channel, controller, value, emit)
        case let .programChange(channel, program):
            feed(portIndex, group, 0xC0 | channel, program, emit)
        case let .channelPressure(channel, pressure):
            feed(portIndex, group, 0xD0 | channel, pressure, emit)
        case let .pitchBend(channel, value):
            feed(portIndex, group, 0xE0 | channel, UInt8(value & 0x7F), UInt8(value >> 7 & 0x7F), emit)
        case let .controlChange14(channel, controller, value):
            // As alsa-lib's MIDI encoder (seq/seq_midi_event.c, extra_decode_ctrl14): an MSB
            // controller 0…31 becomes the MSB/LSB pair; another number carries the low 7 bits.
            if controller < 32 {
                feed(portIndex, group, 0xB0 | channel, controller, UInt8(value >> 7 & 0x7F), emit)
                feed(portIndex, group, 0xB0 | channel, controller + 32, UInt8(value & 0x7F), emit)
            } else {
                feed(portIndex, group, 0xB0 | channel, controller, UInt8(value & 0x7F), emit)
            }
        case let .nonRegisteredParameter(channel, parameter, value):
            parameterControllers(portIndex, group, channel, numberMSB: 99, numberLSB: 98, parameter, value, emit)
        case let .registeredParameter(channel, parameter, value):
            parameterControllers(portIndex, group, channel, numberMSB: 101, numberLSB: 100, parameter, value, emit)
        case let .systemExclusive(bytes):
            // Bytes as the sender cut them: F0 … [F7]; a continuation chunk has no F0.
            var index = 0
            while index < bytes.count {
                parsers[portIndex].feed(bytes[index], group: group, emit: emit)
                index += 1
            }
        case let .songPosition(beats):
            feed(portIndex, group, 0xF2, UInt8(beats & 0x7F), UInt8(beats >> 7 & 0x7F), emit)
        case let .songSelect(song):
            feed(portIndex, group, 0xF3, song, emit)
        case let .timeCodeQuarterFrame(byte):
            feed(portIndex, group, 0xF1, byte, emit)
        case .tuneRequest: feed(portIndex, group, 0xF6, emit)
        case .timingClock: feed(portIndex, group, 0xF8, emit)
        case .start: feed(portIndex, group, 0xFA, emit)
        case .continue: feed(portIndex, group, 0xFB, emit)
        case .stop: feed(portIndex, group, 0xFC, emit)
        case .activeSensing: feed(portIndex, group, 0xFE, emit)
        case .systemReset: feed(portIndex, group, 0xFF, emit)
        case .other:
            ignoredEvents &+= 1
            return false
        case .portSubscribed, .portUnsubscribed, .clientStarted, .clientExited, .clientChanged,
             .portStarted, .portExited, .portChanged:
            return false
        }
        return true
    }

    /// RPN / NRPN as the four controllers a MIDI 1.0 device expects (number MSB, number LSB,
    /// data entry MSB, data entry LSB) — what alsa-lib's encoder writes for them.
    private mutating func parameterControllers(_ port: Int, _ group: UInt8, _ channel: UInt8,
                                               numberMSB: UInt8, numberLSB: UInt8,
                                               _ parameter: UInt16, _ value: UInt16, _ emit: (UMPPacket) -> Void) {
        let status = 0xB0 | channel
        feed(port, group, status, numberMSB, UInt8(parameter >> 7 & 0x7F), emit)
        feed(port, group, status, numberLSB, UInt8(parameter & 0x7F), emit)
        feed(port, group, status, 6, UInt8(value >> 7 & 0x7F), emit)
        feed(port, group, status, 38, UInt8(value & 0x7F), emit)
    }

    @inline(__always)
    private mutating func feed(_ port: Int, _ group: UInt8, _ status: UInt8, _ emit: (UMPPacket) -> Void) {
        parsers[port].feed(status, group: group, emit: emit)
    }

    /// Channel voice messages (status below 0xF0) go through the parser as whole messages
    /// (`feedChannelVoice`, the same result as their bytes one by one); system common bytes
    /// one by one.
    @inline(__always)
    private mutating func feed(_ port: Int, _ group: UInt8, _ status: UInt8, _ data1: UInt8, _ emit: (UMPPacket) -> Void) {
        if status < 0xF0 {
            parsers[port].feedChannelVoice(status: status, data1, 0, group: group, emit: emit)
            return
        }
        parsers[port].feed(status, group: group, emit: emit)
        parsers[port].feed(data1 & 0x7F, group: group, emit: emit)
    }

    @inline(__always)
    private mutating func feed(_ port: Int, _ group: UInt8, _ status: UInt8, _ data1: UInt8, _ data2: UInt8,
                               _ emit: (UMPPacket) -> Void) {
        if status < 0xF0 {
            parsers[port].feedChannelVoice(status: status, data1, data2, group: group, emit: emit)
            return
        }
        parsers[port].feed(status, group: group, emit: emit)
        parsers[port].feed(data1 & 0x7F, group: group, emit: emit)
        parsers[port].feed(data2 & 0x7F, group: group, emit: emit)
    }
}
