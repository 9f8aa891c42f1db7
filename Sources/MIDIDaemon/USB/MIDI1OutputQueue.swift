import UMP

/// The MIDI 1.0 byte stream waiting for one rawmidi output substream (one group of a USB
/// endpoint): UMP in, bytes out, in a fixed-size ring that is allocated once.
///
/// What goes in (the UMP specification's default translation, DESIGN.md §5):
/// - type 2 (MIDI 1.0 channel voice) as it is; type 4 (MIDI 2.0 channel voice) down-converted;
///   type 1 (system common / real time) as it is — all through `UMPPacket.midi1Bytes`;
/// - type 3 (SysEx7) reassembled into one `F0 … F7` message from its Complete, or Start,
///   Continue…, End packets.
/// - Everything else (utility, SysEx8, flex data, stream messages) has no MIDI 1.0 form.
///
/// The byte stream must stay well-formed whatever arrives, because a MIDI 1.0 device cannot be
/// told "that SysEx was cut": so
/// - real-time bytes may go anywhere, inside a SysEx too (MIDI 1.0 allows it);
/// - any other message arriving while a SysEx is open ends that SysEx with `F7` first (in MIDI
///   1.0 a status byte ends a SysEx anyway); the SysEx's later packets are then out of sequence
///   and dropped;
/// - a Continue or End with no SysEx open is dropped;
/// - when the ring is full, the packet is refused; if that cuts a SysEx, its remaining packets are
///   dropped and the `F7` it is owed is written before the next message.
struct MIDI1OutputQueue {
    /// What became of one packet.
    enum Outcome: Equatable {
        /// Its bytes are queued.
        case queued
        /// Queued, but it ended a SysEx that was still open (the device got a cut SysEx).
        case queuedAfterInterruptingSysEx
        /// No MIDI 1.0 form: nothing queued.
        case noMIDI1Form
        /// A SysEx Continue/End with no SysEx open, or the rest of a SysEx cut earlier: dropped.
        case sysExOutOfSequence
        /// No room: nothing queued.
        case full
    }

    private enum SysExState {
        case idle
        /// F0 and some bytes are queued; more are expected.
        case open
        /// A SysEx was cut (a packet of it did not fit): its F7 is still owed and its remaining
        /// packets are dropped.
        case owedTerminator
    }

    private var storage: [UInt8]
    private var head = 0
    private(set) var count = 0
    private var sysEx = SysExState.idle

    init(capacity: Int) {
        storage = [UInt8](repeating: 0, count: max(capacity, 32))
    }

    var capacity: Int { storage.count }
    var isEmpty: Bool { count == 0 }
    var freeSpace: Int { storage.count - count }

    /// Translates `packet` and queues its bytes, all or nothing.
    mutating func enqueue(_ packet: UMPPacket) -> Outcome {
        // At most 12 bytes for a message (an RPN becomes four control changes), 8 for a SysEx7
        // packet (F0 + 6 + F7): a 16-byte scratch area on the stack.
        var scratch: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &scratch) { buffer in
            var n = 0
            packet.midi1Bytes { byte in
                if n < buffer.count { buffer[n] = byte }
                n += 1
            }
            guard n > 0, n <= buffer.count else { return packet.messageType == .data64 ? sysExWithoutBytes(packet) : .noMIDI1Form }
            return place(packet, UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// A type-3 packet whose `midi1Bytes` are empty: a Continue with no data bytes, or a
    /// reserved status. A Continue must still follow the sequence rules.
    private mutating func sysExWithoutBytes(_ packet: UMPPacket) -> Outcome {
        guard let sysEx7 = SysEx7Packet(packet), sysEx7.format == .continue else { return .noMIDI1Form }
        return self.sysEx == .open ? .queued : .sysExOutOfSequence
    }

    private mutating func place(_ packet: UMPPacket, _ bytes: UnsafeRawBufferPointer) -> Outcome {
        if packet.messageType == .systemCommonRealTime, bytes[0] >= 0xF8 {
            // Real time: fits anywhere, leaves the SysEx state alone.
            guard freeSpace >= 1 else { return .full }
            append(bytes)
            return .queued
        }
        if packet.messageType == .data64, let sysEx7 = SysEx7Packet(packet) {
            switch sysEx7.format {
            case .continue, .end:
                switch sysEx {
                case .idle:
                    return .sysExOutOfSequence
                case .owedTerminator:
                    // The rest of a cut SysEx: drop it; its End is a good moment to pay the F7.
                    if sysEx7.format == .end, freeSpace >= 1 {
                        appendByte(0xF7)
                        sysEx = .idle
                    }
                    return .sysExOutOfSequence
                case .open:
                    guard freeSpace >= bytes.count else {
                        sysEx = .owedTerminator
                        return .full
                    }
                    append(bytes)
                    if sysEx7.format == .end { sysEx = .idle }
                    return .queued
                }
            case .start, .complete:
                break   // a new message: handled below like any other status
            }
        }
        // A new message (channel voice, system common, SysEx Start/Complete): a SysEx still
        // open or owed its terminator gets F7 first.
        let interrupting = sysEx == .open
        let prefix = sysEx == .idle ? 0 : 1
        guard freeSpace >= prefix + bytes.count else {
            if sysEx == .open { sysEx = .owedTerminator }
            return .full
        }
        if prefix == 1 { appendByte(0xF7) }
        append(bytes)
        if packet.messageType == .data64, let sysEx7 = SysEx7Packet(packet), sysEx7.format == .start {
            sysEx = .open
        } else {
            sysEx = .idle
        }
        return interrupting ? .queuedAfterInterruptingSysEx : .queued
    }

    private mutating func appendByte(_ byte: UInt8) {
        storage[(head + count) % storage.count] = byte
        count += 1
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        var index = 0
        while index < bytes.count {
            appendByte(bytes[index])
            index += 1
        }
    }

    /// Hands the oldest queued bytes (one contiguous run; call again after `consume` for the
    /// rest) to `body`, which returns how many it took.
    mutating func drain(_ body: (UnsafeRawBufferPointer) -> Int) -> Int {
        guard count > 0 else { return 0 }
        let run = min(count, storage.count - head)
        let taken = storage.withUnsafeBytes { all in
            body(UnsafeRawBufferPointer(rebasing: all[head..<(head + run)]))
        }
        let consumed = max(0, min(taken, run))
        head = (head + consumed) % storage.count
        count -= consumed
        if count == 0 { head = 0 }
        return consumed
    }

    /// Forgets everything queued and any SysEx in progress (the output was closed or lost).
    mutating func reset() {
        head = 0
        count = 0
        sysEx = .idle
    }
}
