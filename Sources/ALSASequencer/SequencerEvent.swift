/// One sequencer event as a Swift value: the MIDI 1.0 messages ALSA carries, the subscription
/// notices, and the System Announce notices.
///
/// Value ranges follow the MIDI 1.0 specification, not ALSA's storage types: channels are
/// 0…15, data bytes 0…127, 14-bit values 0…16383. Pitch bend is the MIDI 14-bit value with
/// centre 8192 (ALSA stores −8192…8191; the wrapper converts both ways). On input, values
/// outside those ranges are masked to their MIDI width, as the kernel's own MIDI encoder
/// (snd-seq-midi) does when it writes such an event to a MIDI port. On output, an out-of-range
/// value is refused with `EINVAL` and a message saying which field.
///
/// Only `.systemExclusive` holds heap storage; building any other case allocates nothing.
public enum SequencerEvent: Hashable, Sendable {
    case noteOn(channel: UInt8, note: UInt8, velocity: UInt8)
    case noteOff(channel: UInt8, note: UInt8, velocity: UInt8)
    /// Polyphonic key pressure (aftertouch).
    case keyPressure(channel: UInt8, note: UInt8, pressure: UInt8)
    case controlChange(channel: UInt8, controller: UInt8, value: UInt8)
    case programChange(channel: UInt8, program: UInt8)
    case channelPressure(channel: UInt8, pressure: UInt8)
    /// 0…16383, centre 8192.
    case pitchBend(channel: UInt8, value: UInt16)
    /// ALSA's 14-bit controller event (`SND_SEQ_EVENT_CONTROL14`): controller 0…31 is the MSB
    /// number (its LSB partner is controller + 32); value 0…16383.
    case controlChange14(channel: UInt8, controller: UInt8, value: UInt16)
    /// ALSA's NRPN event (`SND_SEQ_EVENT_NONREGPARAM`): 14-bit parameter and value.
    case nonRegisteredParameter(channel: UInt8, parameter: UInt16, value: UInt16)
    /// ALSA's RPN event (`SND_SEQ_EVENT_REGPARAM`): 14-bit parameter and value.
    case registeredParameter(channel: UInt8, parameter: UInt16, value: UInt16)

    /// A System Exclusive chunk, bytes as on the wire. A whole message starts with 0xF0 and ends
    /// with 0xF7; the kernel and other clients may deliver a long message as several chunks
    /// (the first starting with 0xF0, the last ending with 0xF7), and this is one such chunk.
    case systemExclusive([UInt8])

    /// Song Position Pointer, in MIDI beats (0…16383).
    case songPosition(UInt16)
    case songSelect(UInt8)
    /// MTC Quarter Frame: the data byte (message type in bits 6…4, value in bits 3…0).
    case timeCodeQuarterFrame(UInt8)
    case tuneRequest
    case timingClock
    case start
    case `continue`
    case stop
    case activeSensing
    case systemReset

    /// The connection sender → destination was made (delivered to both ends' clients).
    case portSubscribed(sender: Address, destination: Address)
    case portUnsubscribed(sender: Address, destination: Address)

    /// System Announce (0:1) notices.
    case clientStarted(ClientID)
    case clientExited(ClientID)
    case clientChanged(ClientID)
    case portStarted(Address)
    case portExited(Address)
    case portChanged(Address)

    /// Any other event type (queue control, user events, `SND_SEQ_EVENT_NOTE`, …), by its
    /// `snd_seq_event_type_t` number. Received only; sending it is refused.
    case other(type: UInt8)
}

/// An event read from the sequencer, with where it came from and where it was delivered.
public struct ReceivedEvent: Hashable, Sendable {
    public var event: SequencerEvent
    /// The sending client and port.
    public var source: Address
    /// The port of this client the event arrived on.
    public var destination: Address

    public init(event: SequencerEvent, source: Address, destination: Address) {
        self.event = event
        self.source = source
        self.destination = destination
    }
}
