import CALSA

/// `snd_seq_event_type_t` numbers as `UInt8`, the width of `snd_seq_event_t.type`.
///
/// alsa-lib declares them in a C enum that Swift imports as a 32-bit struct; converting once
/// here keeps the encoder and decoder free of casts.
enum EventTypeCode {
    static let note = UInt8(SND_SEQ_EVENT_NOTE.rawValue)
    static let noteOn = UInt8(SND_SEQ_EVENT_NOTEON.rawValue)
    static let noteOff = UInt8(SND_SEQ_EVENT_NOTEOFF.rawValue)
    static let keyPressure = UInt8(SND_SEQ_EVENT_KEYPRESS.rawValue)
    static let controller = UInt8(SND_SEQ_EVENT_CONTROLLER.rawValue)
    static let programChange = UInt8(SND_SEQ_EVENT_PGMCHANGE.rawValue)
    static let channelPressure = UInt8(SND_SEQ_EVENT_CHANPRESS.rawValue)
    static let pitchBend = UInt8(SND_SEQ_EVENT_PITCHBEND.rawValue)
    static let control14 = UInt8(SND_SEQ_EVENT_CONTROL14.rawValue)
    static let nonRegisteredParameter = UInt8(SND_SEQ_EVENT_NONREGPARAM.rawValue)
    static let registeredParameter = UInt8(SND_SEQ_EVENT_REGPARAM.rawValue)
    static let songPosition = UInt8(SND_SEQ_EVENT_SONGPOS.rawValue)
    static let songSelect = UInt8(SND_SEQ_EVENT_SONGSEL.rawValue)
    static let quarterFrame = UInt8(SND_SEQ_EVENT_QFRAME.rawValue)
    static let start = UInt8(SND_SEQ_EVENT_START.rawValue)
    static let `continue` = UInt8(SND_SEQ_EVENT_CONTINUE.rawValue)
    static let stop = UInt8(SND_SEQ_EVENT_STOP.rawValue)
    static let clock = UInt8(SND_SEQ_EVENT_CLOCK.rawValue)
    static let tuneRequest = UInt8(SND_SEQ_EVENT_TUNE_REQUEST.rawValue)
    static let reset = UInt8(SND_SEQ_EVENT_RESET.rawValue)
    static let sensing = UInt8(SND_SEQ_EVENT_SENSING.rawValue)
    static let clientStart = UInt8(SND_SEQ_EVENT_CLIENT_START.rawValue)
    static let clientExit = UInt8(SND_SEQ_EVENT_CLIENT_EXIT.rawValue)
    static let clientChange = UInt8(SND_SEQ_EVENT_CLIENT_CHANGE.rawValue)
    static let portStart = UInt8(SND_SEQ_EVENT_PORT_START.rawValue)
    static let portExit = UInt8(SND_SEQ_EVENT_PORT_EXIT.rawValue)
    static let portChange = UInt8(SND_SEQ_EVENT_PORT_CHANGE.rawValue)
    static let portSubscribed = UInt8(SND_SEQ_EVENT_PORT_SUBSCRIBED.rawValue)
    static let portUnsubscribed = UInt8(SND_SEQ_EVENT_PORT_UNSUBSCRIBED.rawValue)
    static let sysex = UInt8(SND_SEQ_EVENT_SYSEX.rawValue)
}
