/// The order rule of the SysEx7 packets on one group (M2-104-UM §7.7: a message is one Complete
/// packet, or Start, Continue…, End; messages on one group may not overlap, while other message
/// types may come between their packets) — written once, for every output that turns SysEx7
/// into MIDI 1.0: `SysEx7Assembler` (whole messages: the ALSA bridge, SDK applications) and the
/// USB rawmidi queue (`MIDIDaemon`'s `MIDI1OutputQueue`, a byte stream).
///
/// **The decision for broken sequences**, the same for both:
/// - a Continue or End with no message in progress is dropped (`withoutStart`);
/// - a Start or Complete while a message is in progress *abandons* it and begins its own
///   (`begins(abandoning: .inMessage)`): a new message is never lost to an earlier broken one;
/// - a message the output cannot take whole (too long for an assembler, no room in a queue) is
///   dropped up to its End (`dropRest()`, then `droppedRest`).
///
/// What each output does with an abandoned message differs only by what it is, not by rule: an
/// assembler has emitted nothing yet, so abandoning costs nothing; a byte stream has already
/// sent F0 and part of the message, so it ends it with F7 — the only way MIDI 1.0 has to end a
/// message. For the same reason a byte stream ends an open message when any other non-real-time
/// message is sent on its group (in MIDI 1.0 a status byte ends a SysEx), while whole-message
/// outputs let UMP interleave other messages between SysEx7 packets, as the spec allows.
public struct SysEx7Sequence: Hashable, Sendable {
    public enum State: Hashable, Sendable {
        /// No message in progress.
        case idle
        /// A Start has been taken; Continue or End packets are expected.
        case inMessage
        /// The message in progress is being dropped up to its End.
        case droppingRest
    }

    /// What one packet means in the sequence.
    public enum Step: Hashable, Sendable {
        /// A Start or Complete: a message begins (a Complete also ends it). `abandoning` is the
        /// state it found: `.inMessage` or `.droppingRest` when a message was in progress and is
        /// abandoned, `.idle` otherwise.
        case begins(abandoning: State)
        /// A Continue of the message in progress.
        case continues
        /// The End of the message in progress.
        case ends
        /// A Continue or End of a message being dropped (`dropRest`); after an End the group
        /// is idle again.
        case droppedRest
        /// A Continue or End with no message in progress: out of sequence, dropped.
        case withoutStart
    }

    public private(set) var state: State = .idle

    public init() {}

    /// Takes one packet's status and returns what it means; the state moves on.
    public mutating func advance(_ format: UMPFormat) -> Step {
        switch format {
        case .complete, .start:
            let found = state
            state = format == .start ? .inMessage : .idle
            return .begins(abandoning: found)
        case .continue, .end:
            switch state {
            case .idle:
                return .withoutStart
            case .droppingRest:
                if format == .end { state = .idle }
                return .droppedRest
            case .inMessage:
                if format == .end { state = .idle }
                return format == .end ? .ends : .continues
            }
        }
    }

    /// The message in progress cannot be taken: its remaining packets are dropped up to its End.
    /// Nothing changes when no message is in progress.
    public mutating func dropRest() {
        if state == .inMessage { state = .droppingRest }
    }

    /// Forgets any message in progress.
    public mutating func reset() {
        state = .idle
    }
}
