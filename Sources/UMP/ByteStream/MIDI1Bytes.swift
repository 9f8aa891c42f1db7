/// UMP → MIDI 1.0 byte stream: the bytes a MIDI 1.0 port (or an ALSA sequencer event encoder)
/// would carry for a packet. Every status byte is sent (no running status), so the output of
/// each packet stands alone. Data bytes are masked to 7 bits, so a malformed packet can never
/// inject a status byte.
/// - Type 1 → the system common / real-time message (reserved statuses give nothing).
/// - Type 2 → the channel voice message.
/// - Type 3 → SysEx bytes with F0 added before a Complete/Start packet's bytes and F7 after a
///   Complete/End packet's bytes; Continue packets give only their bytes.
/// - Type 4 → down-translated with `MIDI2ToMIDI1Translator` (may be several messages, e.g. an RPN
///   becomes four control changes: at most 12 bytes).
/// - Every other type has no MIDI 1.0 form and gives nothing.
extension UMPPacket {
    /// Most bytes one packet can produce.
    public static let maxMIDI1ByteCount = 12

    /// Calls `write` with the MIDI 1.0 bytes of this packet; returns how many were written.
    @inlinable @discardableResult
    public func midi1Bytes(_ write: (UInt8) -> Void) -> Int {
        var count = 0
        func put(_ byte: UInt8) {
            write(byte)
            count += 1
        }
        switch messageType {
        case .systemCommonRealTime:
            let status = word0.byte(1)
            guard let dataCount = SystemMessage.dataByteCount(status: status) else { return 0 }
            put(status)
            if dataCount >= 1 { put(word0.byte(2) & 0x7F) }
            if dataCount >= 2 { put(word0.byte(3) & 0x7F) }
        case .midi1ChannelVoice:
            Self.channelVoiceBytes(word0, put)
        case .data64:
            guard let sysex = SysEx7Packet(self) else { return 0 }
            if sysex.format == .complete || sysex.format == .start { put(0xF0) }
            for byte in sysex.bytes { put(byte & 0x7F) }
            if sysex.format == .complete || sysex.format == .end { put(0xF7) }
        case .midi2ChannelVoice:
            MIDI2ToMIDI1Translator().translate(self) { Self.channelVoiceBytes($0.word0, put) }
        default:
            return 0
        }
        return count
    }

    /// Writes the MIDI 1.0 bytes into `buffer`; returns how many were written, or `nil` (and
    /// writes nothing) if `buffer` is shorter than they need. `maxMIDI1ByteCount` always fits.
    @inlinable
    public func midi1Bytes(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int? {
        var needed = 0
        midi1Bytes { _ in needed += 1 }
        guard needed <= buffer.count else { return nil }
        var index = 0
        midi1Bytes { byte in
            buffer[index] = byte
            index += 1
        }
        return index
    }

    /// The MIDI 1.0 bytes of this packet as an array (allocates; for tests and tools).
    public var midi1Bytes: [UInt8] {
        var bytes: [UInt8] = []
        midi1Bytes { bytes.append($0) }
        return bytes
    }

    @inlinable
    static func channelVoiceBytes(_ word0: UInt32, _ put: (UInt8) -> Void) {
        let status = word0.byte(1)
        guard let dataCount = MIDI1ChannelVoiceMessage.dataByteCount(opcode: status >> 4) else { return }
        put(status)
        put(word0.byte(2) & 0x7F)
        if dataCount == 2 { put(word0.byte(3) & 0x7F) }
    }
}
