import ALSASequencer

/// Carries a sequence number in a MIDI 1.0 Note On as the ALSA sequencer sees it, for the ALSA
/// runs (`midi-bench alsa`): channel (4 bits), note (7) and velocity (7) hold the low 18 bits.
///
/// 18 bits, not `SequenceCodec`'s 22: an ALSA event has no UMP group (the bridge maps port 0 to
/// group 1), so the group's 4 bits are not available. The receiver widens what it reads back to
/// the 22-bit numbering `SequenceChecker` follows, by taking the number nearest to the one it
/// expects — exact while fewer than 2¹⁷ events in a row go missing. Velocity 0 is fine: the
/// bridge keeps a Note On with velocity 0 a Note On (docs/alsa-bridge.md), as does Midi Through.
enum ALSASequenceCodec {
    static let bits = 18
    static let modulus: UInt32 = 1 << 18
    static let mask: UInt32 = modulus - 1

    @inline(__always)
    static func event(_ sequence: UInt32) -> SequencerEvent {
        let s = sequence & mask
        return .noteOn(channel: UInt8(truncatingIfNeeded: s >> 14), note: UInt8(truncatingIfNeeded: (s >> 7) & 0x7F),
                       velocity: UInt8(truncatingIfNeeded: s & 0x7F))
    }

    /// The low 18 bits an event carries, or `nil` when it is not one of ours.
    @inline(__always)
    static func low(of event: SequencerEvent) -> UInt32? {
        guard case let .noteOn(channel, note, velocity) = event else { return nil }
        return UInt32(channel & 0xF) << 14 | UInt32(note & 0x7F) << 7 | UInt32(velocity & 0x7F)
    }

    /// The 22-bit sequence number (`SequenceCodec`'s numbering) with these low 18 bits that is
    /// nearest to `expected`.
    @inline(__always)
    static func widen(_ low: UInt32, near expected: UInt32) -> UInt32 {
        let forward = (low &- expected) & mask
        let distance = forward < modulus / 2 ? Int64(forward) : Int64(forward) - Int64(modulus)
        return UInt32(truncatingIfNeeded: Int64(expected) + distance) & SequenceCodec.mask
    }
}
