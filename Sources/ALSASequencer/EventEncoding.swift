import CALSA

extension SequencerEvent {
    /// Fills the type and data of `ev` for every fixed-length MIDI event.
    ///
    /// SysEx is variable-length and needs its bytes pinned while alsa-lib copies them, so the
    /// output path encodes it itself; announcements, subscription notices and `.other` are the
    /// kernel's to send and are refused here.
    func encodeFixed(into ev: inout snd_seq_event_t) throws(ALSAError) {
        switch self {
        case let .noteOn(channel, note, velocity):
            try Self.validate(channel: channel, "note on")
            try Self.validate7(note, "note on", "note")
            try Self.validate7(velocity, "note on", "velocity")
            calsa_ev_set_note(&ev, EventTypeCode.noteOn, channel, note, velocity)
        case let .noteOff(channel, note, velocity):
            try Self.validate(channel: channel, "note off")
            try Self.validate7(note, "note off", "note")
            try Self.validate7(velocity, "note off", "velocity")
            calsa_ev_set_note(&ev, EventTypeCode.noteOff, channel, note, velocity)
        case let .keyPressure(channel, note, pressure):
            try Self.validate(channel: channel, "key pressure")
            try Self.validate7(note, "key pressure", "note")
            try Self.validate7(pressure, "key pressure", "pressure")
            calsa_ev_set_note(&ev, EventTypeCode.keyPressure, channel, note, pressure)
        case let .controlChange(channel, controller, value):
            try Self.validate(channel: channel, "control change")
            try Self.validate7(controller, "control change", "controller")
            try Self.validate7(value, "control change", "value")
            calsa_ev_set_control(&ev, EventTypeCode.controller, channel, UInt32(controller), Int32(value))
        case let .programChange(channel, program):
            try Self.validate(channel: channel, "program change")
            try Self.validate7(program, "program change", "program")
            calsa_ev_set_control(&ev, EventTypeCode.programChange, channel, 0, Int32(program))
        case let .channelPressure(channel, pressure):
            try Self.validate(channel: channel, "channel pressure")
            try Self.validate7(pressure, "channel pressure", "pressure")
            calsa_ev_set_control(&ev, EventTypeCode.channelPressure, channel, 0, Int32(pressure))
        case let .pitchBend(channel, value):
            try Self.validate(channel: channel, "pitch bend")
            try Self.validate14(value, "pitch bend", "value")
            calsa_ev_set_control(&ev, EventTypeCode.pitchBend, channel, 0, Int32(value) - 8192)
        case let .controlChange14(channel, controller, value):
            try Self.validate(channel: channel, "14-bit control change")
            guard controller < 32 else {
                throw .invalidArgument("encode 14-bit control change: controller \(controller) is not an MSB controller 0…31")
            }
            try Self.validate14(value, "14-bit control change", "value")
            calsa_ev_set_control(&ev, EventTypeCode.control14, channel, UInt32(controller), Int32(value))
        case let .nonRegisteredParameter(channel, parameter, value):
            try Self.validate(channel: channel, "NRPN")
            try Self.validate14(parameter, "NRPN", "parameter")
            try Self.validate14(value, "NRPN", "value")
            calsa_ev_set_control(&ev, EventTypeCode.nonRegisteredParameter, channel, UInt32(parameter), Int32(value))
        case let .registeredParameter(channel, parameter, value):
            try Self.validate(channel: channel, "RPN")
            try Self.validate14(parameter, "RPN", "parameter")
            try Self.validate14(value, "RPN", "value")
            calsa_ev_set_control(&ev, EventTypeCode.registeredParameter, channel, UInt32(parameter), Int32(value))
        case let .songPosition(beats):
            try Self.validate14(beats, "song position", "position")
            calsa_ev_set_control(&ev, EventTypeCode.songPosition, 0, 0, Int32(beats))
        case let .songSelect(song):
            try Self.validate7(song, "song select", "song")
            calsa_ev_set_control(&ev, EventTypeCode.songSelect, 0, 0, Int32(song))
        case let .timeCodeQuarterFrame(byte):
            try Self.validate7(byte, "MTC quarter frame", "data byte")
            calsa_ev_set_control(&ev, EventTypeCode.quarterFrame, 0, 0, Int32(byte))
        case .tuneRequest: calsa_ev_set_plain(&ev, EventTypeCode.tuneRequest)
        case .timingClock: calsa_ev_set_plain(&ev, EventTypeCode.clock)
        case .start: calsa_ev_set_plain(&ev, EventTypeCode.start)
        case .continue: calsa_ev_set_plain(&ev, EventTypeCode.continue)
        case .stop: calsa_ev_set_plain(&ev, EventTypeCode.stop)
        case .activeSensing: calsa_ev_set_plain(&ev, EventTypeCode.sensing)
        case .systemReset: calsa_ev_set_plain(&ev, EventTypeCode.reset)
        case .systemExclusive:
            throw .invalidArgument("encode SysEx: variable-length events go through the SysEx output path")
        case .portSubscribed, .portUnsubscribed, .clientStarted, .clientExited, .clientChanged,
             .portStarted, .portExited, .portChanged, .other:
            throw .invalidArgument("send \(self): only MIDI events can be sent")
        }
    }

    @inline(__always)
    private static func validate(channel: UInt8, _ message: @autoclosure () -> String) throws(ALSAError) {
        if channel > 15 { throw .invalidArgument("encode \(message()): channel \(channel) is outside 0…15") }
    }

    @inline(__always)
    private static func validate7(_ value: UInt8, _ message: @autoclosure () -> String,
                                  _ field: @autoclosure () -> String) throws(ALSAError) {
        if value > 127 { throw .invalidArgument("encode \(message()): \(field()) \(value) is outside 0…127") }
    }

    @inline(__always)
    private static func validate14(_ value: UInt16, _ message: @autoclosure () -> String,
                                   _ field: @autoclosure () -> String) throws(ALSAError) {
        if value > 16383 { throw .invalidArgument("encode \(message()): \(field()) \(value) is outside 0…16383") }
    }
}
