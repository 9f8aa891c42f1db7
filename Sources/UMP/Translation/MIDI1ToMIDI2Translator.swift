/// Translates MIDI 1.0 Channel Voice messages (type 2) to MIDI 2.0 Channel Voice messages
/// (type 4), following the default translation of M2-104-UM Appendix D:
/// - values are scaled up with the min-centre-max rule (`MIDIValueScaling`);
/// - Note On with velocity 0 becomes Note Off with velocity 0x8000 (MIDI 1.0's default
///   release velocity 64, scaled);
/// - Bank Select (CC 0 / CC 32) is held and sent with the next Program Change as its bank,
///   Bank Valid set; the held bank is then cleared. A bank with only one of CC 0 or CC 32
///   received uses 0 for the other half;
/// - RPN (CC 101/100) and NRPN (CC 99/98) selection and Data Entry (CC 6 / CC 38) become
///   Registered / Assignable Controller messages with the 14-bit data scaled to 32 bits. As the
///   spec says, a Data Entry MSB is held until the matching LSB (CC 38) arrives, another CC 6
///   arrives, or a new parameter number is selected; `flush` sends what is held. A CC 38 on its
///   own reuses the last MSB. Data Entry with no parameter selected, or after RPN Null (7F/7F),
///   is dropped. Reset All Controllers (CC 121) also deselects the parameter, and is passed on;
/// - every other control change (including Data Increment/Decrement, CC 96/97) becomes a MIDI 2.0
///   Control Change with its value scaled.
/// Every other message type passes through unchanged.
///
/// State is kept per group and channel (256 small records, allocated once at `init`);
/// `translate` never allocates.
public struct MIDI1ToMIDI2Translator: Sendable {
    @usableFromInline
    struct ChannelState: Sendable {
        var bankMSB: UInt8? = nil
        var bankLSB: UInt8? = nil
        /// The parameter number selected by CC 99/98 or CC 101/100.
        var parameter: Parameter = .none
        var parameterMSB: UInt8 = 0
        var parameterLSB: UInt8 = 0
        /// Last Data Entry MSB for this parameter, and whether it still waits to be sent.
        var dataMSB: UInt8? = nil
        var dataPending = false
    }

    @usableFromInline
    enum Parameter: Sendable { case none, registered, assignable }

    @usableFromInline var channels: [ChannelState]

    public init() {
        channels = Array(repeating: ChannelState(), count: 256)
    }

    /// Forgets every held bank, parameter number and data entry.
    public mutating func reset() {
        for i in channels.indices { channels[i] = ChannelState() }
    }

    /// Translates one packet; `emit` receives 0…2 packets.
    public mutating func translate(_ packet: UMPPacket, emit: (UMPPacket) -> Void) {
        guard packet.messageType == .midi1ChannelVoice else {
            emit(packet)
            return
        }
        guard let message = MIDI1ChannelVoiceMessage(packet) else { return }
        let group = UInt8(packet.word0.field(24, 4)), channel = UInt8(packet.word0.field(16, 4))
        let slot = Int(group) << 4 | Int(channel)
        func send(_ m: MIDI2ChannelVoiceMessage) { emit(m.packet(group: group, channel: channel)) }
        switch message {
        case .noteOff(let note, let velocity):
            send(.noteOff(note: note, velocity: MIDIValueScaling.upscale7To16(velocity), attributeType: .none, attribute: 0))
        case .noteOn(let note, 0):
            send(.noteOff(note: note, velocity: 0x8000, attributeType: .none, attribute: 0))
        case .noteOn(let note, let velocity):
            send(.noteOn(note: note, velocity: MIDIValueScaling.upscale7To16(velocity), attributeType: .none, attribute: 0))
        case .polyPressure(let note, let pressure):
            send(.polyPressure(note: note, value: MIDIValueScaling.upscale7To32(pressure)))
        case .programChange(let program):
            var bank: MIDIBank? = nil
            if channels[slot].bankMSB != nil || channels[slot].bankLSB != nil {
                bank = MIDIBank(msb: channels[slot].bankMSB ?? 0, lsb: channels[slot].bankLSB ?? 0)
            }
            channels[slot].bankMSB = nil
            channels[slot].bankLSB = nil
            send(.programChange(program: program, bank: bank))
        case .channelPressure(let pressure):
            send(.channelPressure(value: MIDIValueScaling.upscale7To32(pressure)))
        case .pitchBend(let value):
            send(.pitchBend(value: MIDIValueScaling.upscale14To32(value)))
        case .controlChange(let index, let value):
            controlChange(index: index, value: value, slot: slot, send)
        }
    }

    /// Sends every Data Entry MSB still waiting for its LSB (with LSB 0). Call it when the input
    /// goes quiet or ends, so that a CC 6 sent without a CC 38 is not held for ever.
    public mutating func flush(emit: (UMPPacket) -> Void) {
        for slot in channels.indices where channels[slot].dataPending {
            let group = UInt8(slot >> 4), channel = UInt8(slot & 0xF)
            sendPending(slot: slot) { emit($0.packet(group: group, channel: channel)) }
        }
    }

    private mutating func controlChange(index: UInt8, value: UInt8, slot: Int,
                                        _ send: (MIDI2ChannelVoiceMessage) -> Void) {
        switch index {
        case 0: channels[slot].bankMSB = value
        case 32: channels[slot].bankLSB = value
        case 99, 98, 101, 100:
            sendPending(slot: slot, send)
            let kind: Parameter = index >= 100 ? .registered : .assignable
            if channels[slot].parameter != kind {
                channels[slot].parameter = kind
                channels[slot].parameterMSB = 0
                channels[slot].parameterLSB = 0
            }
            if index == 99 || index == 101 {
                channels[slot].parameterMSB = value
            } else {
                channels[slot].parameterLSB = value
            }
            channels[slot].dataMSB = nil
        case 6:
            guard isParameterSelected(slot) else { return }
            sendPending(slot: slot, send)
            channels[slot].dataMSB = value
            channels[slot].dataPending = true
        case 38:
            guard isParameterSelected(slot), let msb = channels[slot].dataMSB else { return }
            channels[slot].dataPending = false
            sendParameter(slot: slot, data: UInt16(msb) << 7 | UInt16(value), send)
        case 121:
            // Reset All Controllers also resets RPN/NRPN to null (RP-015).
            sendPending(slot: slot, send)
            channels[slot].parameter = .none
            channels[slot].dataMSB = nil
            send(.controlChange(index: index, value: MIDIValueScaling.upscale7To32(value)))
        default:
            send(.controlChange(index: index, value: MIDIValueScaling.upscale7To32(value)))
        }
    }

    private func isParameterSelected(_ slot: Int) -> Bool {
        let state = channels[slot]
        switch state.parameter {
        case .none: return false
        case .registered: return !(state.parameterMSB == 0x7F && state.parameterLSB == 0x7F)  // RPN Null
        case .assignable: return true
        }
    }

    private mutating func sendPending(slot: Int, _ send: (MIDI2ChannelVoiceMessage) -> Void) {
        guard channels[slot].dataPending, let msb = channels[slot].dataMSB else { return }
        channels[slot].dataPending = false
        sendParameter(slot: slot, data: UInt16(msb) << 7, send)
    }

    private func sendParameter(slot: Int, data: UInt16, _ send: (MIDI2ChannelVoiceMessage) -> Void) {
        let state = channels[slot]
        let value = MIDIValueScaling.upscale14To32(data)
        switch state.parameter {
        case .registered:
            send(.registeredController(bank: state.parameterMSB, index: state.parameterLSB, value: value))
        case .assignable:
            send(.assignableController(bank: state.parameterMSB, index: state.parameterLSB, value: value))
        case .none:
            return
        }
    }
}
