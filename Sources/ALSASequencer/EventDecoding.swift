import CALSA

extension SequencerEvent {
    /// Decodes an event alsa-lib handed out of its input buffer.
    ///
    /// Reads the fixed fields only, so no case but `.systemExclusive` allocates; SysEx bytes are
    /// copied out because the pointer is only valid until the next `snd_seq_event_input`.
    init(decoding ev: UnsafePointer<snd_seq_event_t>) {
        let type = ev.pointee.type
        let data = ev.pointee.data
        switch type {
        case EventTypeCode.noteOn:
            self = .noteOn(channel: data.note.channel & 0x0F, note: data.note.note & 0x7F,
                           velocity: data.note.velocity & 0x7F)
        case EventTypeCode.noteOff:
            self = .noteOff(channel: data.note.channel & 0x0F, note: data.note.note & 0x7F,
                            velocity: data.note.velocity & 0x7F)
        case EventTypeCode.keyPressure:
            self = .keyPressure(channel: data.note.channel & 0x0F, note: data.note.note & 0x7F,
                                pressure: data.note.velocity & 0x7F)
        case EventTypeCode.controller:
            self = .controlChange(channel: data.control.channel & 0x0F,
                                  controller: UInt8(truncatingIfNeeded: data.control.param) & 0x7F,
                                  value: UInt8(truncatingIfNeeded: data.control.value) & 0x7F)
        case EventTypeCode.programChange:
            self = .programChange(channel: data.control.channel & 0x0F,
                                  program: UInt8(truncatingIfNeeded: data.control.value) & 0x7F)
        case EventTypeCode.channelPressure:
            self = .channelPressure(channel: data.control.channel & 0x0F,
                                    pressure: UInt8(truncatingIfNeeded: data.control.value) & 0x7F)
        case EventTypeCode.pitchBend:
            // ALSA: −8192…8191 around 0. MIDI: 0…16383 around 8192.
            self = .pitchBend(channel: data.control.channel & 0x0F,
                              value: UInt16(truncatingIfNeeded: data.control.value &+ 8192) & 0x3FFF)
        case EventTypeCode.control14:
            self = .controlChange14(channel: data.control.channel & 0x0F,
                                    controller: UInt8(truncatingIfNeeded: data.control.param) & 0x7F,
                                    value: UInt16(truncatingIfNeeded: data.control.value) & 0x3FFF)
        case EventTypeCode.nonRegisteredParameter:
            self = .nonRegisteredParameter(channel: data.control.channel & 0x0F,
                                           parameter: UInt16(truncatingIfNeeded: data.control.param) & 0x3FFF,
                                           value: UInt16(truncatingIfNeeded: data.control.value) & 0x3FFF)
        case EventTypeCode.registeredParameter:
            self = .registeredParameter(channel: data.control.channel & 0x0F,
                                        parameter: UInt16(truncatingIfNeeded: data.control.param) & 0x3FFF,
                                        value: UInt16(truncatingIfNeeded: data.control.value) & 0x3FFF)
        case EventTypeCode.sysex:
            self = .systemExclusive(Self.copyVariableData(ev))
        case EventTypeCode.songPosition:
            self = .songPosition(UInt16(truncatingIfNeeded: data.control.value) & 0x3FFF)
        case EventTypeCode.songSelect:
            self = .songSelect(UInt8(truncatingIfNeeded: data.control.value) & 0x7F)
        case EventTypeCode.quarterFrame:
            self = .timeCodeQuarterFrame(UInt8(truncatingIfNeeded: data.control.value) & 0x7F)
        case EventTypeCode.tuneRequest: self = .tuneRequest
        case EventTypeCode.clock: self = .timingClock
        case EventTypeCode.start: self = .start
        case EventTypeCode.continue: self = .continue
        case EventTypeCode.stop: self = .stop
        case EventTypeCode.sensing: self = .activeSensing
        case EventTypeCode.reset: self = .systemReset
        case EventTypeCode.portSubscribed:
            self = .portSubscribed(sender: Address(data.connect.sender), destination: Address(data.connect.dest))
        case EventTypeCode.portUnsubscribed:
            self = .portUnsubscribed(sender: Address(data.connect.sender), destination: Address(data.connect.dest))
        case EventTypeCode.clientStart: self = .clientStarted(ClientID(data.addr.client))
        case EventTypeCode.clientExit: self = .clientExited(ClientID(data.addr.client))
        case EventTypeCode.clientChange: self = .clientChanged(ClientID(data.addr.client))
        case EventTypeCode.portStart: self = .portStarted(Address(data.addr))
        case EventTypeCode.portExit: self = .portExited(Address(data.addr))
        case EventTypeCode.portChange: self = .portChanged(Address(data.addr))
        default:
            self = .other(type: type)
        }
    }

    /// The bytes of a variable-length event, or none if the event is not variable-length.
    private static func copyVariableData(_ ev: UnsafePointer<snd_seq_event_t>) -> [UInt8] {
        guard calsa_ev_is_variable(ev) != 0, let pointer = calsa_ev_ext_ptr(ev) else { return [] }
        let length = Int(calsa_ev_ext_len(ev))
        return [UInt8](UnsafeRawBufferPointer(start: pointer, count: length))
    }
}
