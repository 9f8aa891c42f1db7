/// Translates MIDI 2.0 Channel Voice messages (type 4) to MIDI 1.0 Channel Voice messages
/// (type 2), following the default translation of M2-104-UM Appendix D:
/// - values are scaled down by dropping low bits (16→7, 32→7, 32→14);
/// - a Note On whose velocity scales to 0 is sent with velocity 1 (0 would mean Note Off);
///   note attributes are dropped;
/// - Registered Controller → CC 101 (bank), CC 100 (index), CC 6 (data MSB), CC 38 (data LSB);
///   Assignable Controller → the same with CC 99 / CC 98;
/// - Program Change with Bank Valid → CC 0 (bank MSB), CC 32 (bank LSB), Program Change;
/// - messages with no MIDI 1.0 equivalent (per-note controllers, per-note pitch bend, per-note
///   management, relative controllers) are dropped.
/// Every other message type passes through unchanged.
///
/// The translator keeps no state: every RPN/NRPN is sent with its full parameter number, so the
/// result is right however it is interleaved with other senders. It never allocates.
public struct MIDI2ToMIDI1Translator: Sendable {
    public init() {}

    /// Translates one packet; `emit` receives 0…4 packets.
    @inlinable
    public func translate(_ packet: UMPPacket, emit: (UMPPacket) -> Void) {
        guard packet.messageType == .midi2ChannelVoice else {
            emit(packet)
            return
        }
        guard let message = MIDI2ChannelVoiceMessage(packet) else { return }
        let group = UInt8(packet.word0.field(24, 4)), channel = UInt8(packet.word0.field(16, 4))
        func send(_ m: MIDI1ChannelVoiceMessage) { emit(m.packet(group: group, channel: channel)) }
        switch message {
        case .noteOff(let note, let velocity, _, _):
            send(.noteOff(note: note, velocity: MIDIValueScaling.downscale16To7(velocity)))
        case .noteOn(let note, let velocity, _, _):
            send(.noteOn(note: note, velocity: max(1, MIDIValueScaling.downscale16To7(velocity))))
        case .polyPressure(let note, let value):
            send(.polyPressure(note: note, pressure: MIDIValueScaling.downscale32To7(value)))
        case .controlChange(let index, let value):
            send(.controlChange(index: index, value: MIDIValueScaling.downscale32To7(value)))
        case .registeredController(let bank, let index, let value):
            sendParameter(numberMSB: 101, numberLSB: 100, bank: bank, index: index, value: value, send)
        case .assignableController(let bank, let index, let value):
            sendParameter(numberMSB: 99, numberLSB: 98, bank: bank, index: index, value: value, send)
        case .programChange(let program, let bank):
            if let bank {
                send(.controlChange(index: 0, value: bank.msb & 0x7F))
                send(.controlChange(index: 32, value: bank.lsb & 0x7F))
            }
            send(.programChange(program: program))
        case .channelPressure(let value):
            send(.channelPressure(pressure: MIDIValueScaling.downscale32To7(value)))
        case .pitchBend(let value):
            send(.pitchBend(value: MIDIValueScaling.downscale32To14(value)))
        case .registeredPerNoteController, .assignablePerNoteController, .relativeRegisteredController,
             .relativeAssignableController, .perNotePitchBend, .perNoteManagement:
            return
        }
    }

    @inlinable
    func sendParameter(numberMSB: UInt8, numberLSB: UInt8, bank: UInt8, index: UInt8, value: UInt32,
                       _ send: (MIDI1ChannelVoiceMessage) -> Void) {
        let data = MIDIValueScaling.downscale32To14(value)
        send(.controlChange(index: numberMSB, value: bank & 0x7F))
        send(.controlChange(index: numberLSB, value: index & 0x7F))
        send(.controlChange(index: 6, value: UInt8(data >> 7)))
        send(.controlChange(index: 38, value: UInt8(data & 0x7F)))
    }
}
