import UMP

/// The MIDI 1.0 byte stream waiting for one rawmidi output substream (one group of a USB
/// endpoint): UMP in, bytes out, in a fixed-size ring that is allocated once.
///
/// What goes in (the UMP specification's default translation, docs/design.md §5):
/// - type 2 (MIDI 1.0 channel voice) as it is; type 4 (MIDI 2.0 channel voice) down-converted;
///   type 1 (system common / real time) as it is — all through `UMPPacket.midi1Bytes`;
/// - type 3 (SysEx7) reassembled into one `F0 … F7` message from its Complete, or Start,
///   Continue…, End packets.
/// - Everything else (utility, SysEx8, flex data, stream messages) has no MIDI 1.0 form.
///
/// The byte stream must stay well-formed whatever arrives, because a MIDI 1.0 device cannot be
/// told "that SysEx was cut". This queue streams a SysEx as its packets come instead of
/// assembling it; the order of its packets is judged by `UMP.SysEx7Sequence`, the rule the ALSA
/// bridge's `SysEx7Assembler` follows too (an interrupted message is abandoned and the new one
/// begins), in the only form a byte stream allows — the abandoned message is ended with `F7`,
/// because its bytes have already gone out:
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

    private var storage: [UInt8]
    private var head = 0
    private(set) var count = 0
    /// Where the SysEx on this group stands: `.inMessage` once F0 and some bytes are queued;
    /// `.droppingRest` once a packet of it did not fit.
    private var sequence = SysEx7Sequence()
    /// An F0 has gone out whose F7 has not: the message was cut (no room) or its End dropped.
    /// Paid before the next message, or at the cut message's End when there is room.
    private var owesTerminator = false

    init(capacity: Int) {
        storage = [UInt8](repeating: 0, count: max(capacity, 32))
    }

    var capacity: Int { storage.count }
    /// A SysEx has been started (or cut and owes its F7) and not ended.
    var isInsideSysEx: Bool { sequence.state != .idle || owesTerminator }
    var isEmpty: Bool { count == 0 }
    var freeSpace: Int { storage.count - count }

    /// Translates `packet` and queues its bytes, all or nothing.
    ///
    /// The bytes are those of `UMPPacket.midi1Bytes` (the UMP module's default translation);
    /// they are produced here into a stack buffer through a pointer, because `midi1Bytes` keeps
    /// its count in a captured variable, which unoptimised builds put on the heap — and this
    /// runs for every message sent to a USB device.
    mutating func enqueue(_ packet: UMPPacket) -> Outcome {
        // At most 12 bytes for a message (an RPN becomes four control changes), 8 for a SysEx7
        // packet (F0 + 6 + F7).
        var scratch: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &scratch) { buffer in
            let n = Self.encode(packet, into: buffer)
            guard n > 0 else { return packet.messageType == .data64 ? sysExWithoutBytes(packet) : .noMIDI1Form }
            return place(packet, UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// The MIDI 1.0 bytes of `packet` (see `UMPPacket.midi1Bytes`); returns their count.
    /// `buffer` holds at least 16 bytes.
    static func encode(_ packet: UMPPacket, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let word0 = packet.word0
        let status = UInt8(truncatingIfNeeded: word0 >> 16)
        let data1 = UInt8(truncatingIfNeeded: word0 >> 8) & 0x7F
        let data2 = UInt8(truncatingIfNeeded: word0) & 0x7F
        switch packet.messageType {
        case .systemCommonRealTime:
            guard let count = SystemMessage.dataByteCount(status: status) else { return 0 }
            buffer[0] = status
            buffer[1] = data1
            buffer[2] = data2
            return 1 + count
        case .midi1ChannelVoice:
            return channelVoice(word0, into: buffer, at: 0)
        case .data64:
            guard let sysEx = SysEx7Packet(packet) else { return 0 }
            var n = 0
            if sysEx.format == .complete || sysEx.format == .start {
                buffer[0] = 0xF0
                n = 1
            }
            // Data bytes 0…5 are bytes 2…7 of the packet: word 0's low half, then word 1.
            let count = Int((word0 >> 16) & 0xF)
            var i = 0
            while i < count {
                let byte = i < 2 ? UInt8(truncatingIfNeeded: word0 >> (8 * UInt32(1 - i)))
                                 : UInt8(truncatingIfNeeded: packet.word1 >> (8 * UInt32(5 - i)))
                buffer[n] = byte & 0x7F
                n += 1
                i += 1
            }
            if sysEx.format == .complete || sysEx.format == .end {
                buffer[n] = 0xF7
                n += 1
            }
            return n
        case .midi2ChannelVoice:
            // 0…4 MIDI 1.0 channel voice packets. The closure captures only the buffer pointer
            // (a constant), and the running count sits in the buffer's last byte.
            buffer[15] = 0
            MIDI2ToMIDI1Translator().translate(packet) { translated in
                let at = Int(buffer[15])
                guard at <= 12 else { return }
                buffer[15] = UInt8(at + channelVoice(translated.word0, into: buffer, at: at))
            }
            return Int(buffer[15])
        default:
            return 0
        }
    }

    /// A MIDI 1.0 channel voice message's 2 or 3 bytes at `offset`; returns how many.
    private static func channelVoice(_ word0: UInt32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        let status = UInt8(truncatingIfNeeded: word0 >> 16)
        guard let count = MIDI1ChannelVoiceMessage.dataByteCount(opcode: status >> 4) else { return 0 }
        buffer[offset] = status
        buffer[offset + 1] = UInt8(truncatingIfNeeded: word0 >> 8) & 0x7F
        if count == 2 { buffer[offset + 2] = UInt8(truncatingIfNeeded: word0) & 0x7F }
        return 1 + count
    }

    /// A type-3 packet that gives no bytes: a Continue with no data bytes, or a
    /// reserved status. A Continue must still follow the sequence rules.
    private mutating func sysExWithoutBytes(_ packet: UMPPacket) -> Outcome {
        guard let sysEx7 = SysEx7Packet(packet), sysEx7.format == .continue else { return .noMIDI1Form }
        return sequence.state == .inMessage ? .queued : .sysExOutOfSequence
    }

    private mutating func place(_ packet: UMPPacket, _ bytes: UnsafeRawBufferPointer) -> Outcome {
        if packet.messageType == .systemCommonRealTime, bytes[0] >= 0xF8 {
            // Real time: fits anywhere, leaves the SysEx state alone.
            guard freeSpace >= 1 else { return .full }
            append(bytes)
            return .queued
        }
        if packet.messageType == .data64, let sysEx7 = SysEx7Packet(packet),
           sysEx7.format == .continue || sysEx7.format == .end {
            if sequence.state == .inMessage, freeSpace < bytes.count {
                // This packet does not fit: the message is cut, its F7 owed.
                sequence.dropRest()
                owesTerminator = true
                return .full
            }
            switch sequence.advance(sysEx7.format) {
            case .continues, .ends:
                append(bytes)
                return .queued
            case .droppedRest:
                // The rest of a cut SysEx: its End is a good moment to pay the F7.
                if sysEx7.format == .end, owesTerminator, freeSpace >= 1 {
                    appendByte(0xF7)
                    owesTerminator = false
                }
                return .sysExOutOfSequence
            case .withoutStart, .begins:
                return .sysExOutOfSequence
            }
        }
        // A new message (channel voice, system common, SysEx Start/Complete): a SysEx still
        // open, or owed its terminator, gets F7 first.
        let interrupting = sequence.state == .inMessage
        let prefix = interrupting || owesTerminator ? 1 : 0
        guard freeSpace >= prefix + bytes.count else {
            if interrupting {
                sequence.dropRest()
                owesTerminator = true
            }
            return .full
        }
        if prefix == 1 {
            appendByte(0xF7)
            owesTerminator = false
        }
        append(bytes)
        if packet.messageType == .data64, let sysEx7 = SysEx7Packet(packet) {
            _ = sequence.advance(sysEx7.format)   // Start: in a message; Complete: idle
        } else {
            sequence.reset()   // the status byte ended any SysEx: its later packets are out of sequence
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
        sequence.reset()
        owesTerminator = false
    }
}
