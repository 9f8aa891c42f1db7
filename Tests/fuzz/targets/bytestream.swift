// Fuzz target: the MIDI 1.0 byte-stream parser (UMP.MIDI1StreamParser — rawmidi ports of USB
// devices, ALSA raw events) and the way back (UMPPacket.midi1Bytes), plus the MIDI 1.0 ↔ 2.0
// translators. Input: byte 0 picks the mode and the group; the rest is a byte stream (mode 0)
// or UMP words (mode 1).
//
// Invariants, mode 0 (bytes → UMP):
// - only types 1, 2 and 3 come out, all in the group asked for;
// - SysEx7 packets follow the grammar complete | start continue* end, 0–6 bytes each;
// - writing the packets back as MIDI 1.0 bytes and parsing those again gives the same packets
//   (real-time ones may move relative to SysEx packets: the parser holds 6 SysEx bytes).
// Mode 1 (UMP → bytes): no packet gives more than maxMIDI1ByteCount bytes; a packet's bytes
// (SysEx parts aside) parse back to packets that write the same bytes; MIDI 1.0 channel voice messages that carry no
// translator state survive MIDI 1.0 → 2.0 → 1.0 unchanged.
import UMP

func fuzz(_ input: UnsafeRawBufferPointer) {
    var cursor = InputCursor(input)
    let selector = cursor.u8()
    let group = selector & 0x0F
    if selector & 0x10 == 0 {
        checkParser(cursor.rest(), group: group)
    } else {
        var words: [UInt32] = []
        while cursor.remaining >= 4 {
            words.append(UInt32(cursor.u8()) | UInt32(cursor.u8()) << 8 | UInt32(cursor.u8()) << 16 | UInt32(cursor.u8()) << 24)
        }
        checkPackets(words)
    }
}

/// Parses `bytes`, then an F7 so that a SysEx still open is finished (its last bytes are held
/// until the parser knows whether more follow).
func parse(_ bytes: [UInt8], group: UInt8) -> [UMPPacket] {
    var parser = MIDI1StreamParser()
    var packets: [UMPPacket] = []
    parser.feed(bytes, group: group) { packets.append($0) }
    parser.feed(0xF7, group: group) { packets.append($0) }
    return packets
}

func checkParser(_ bytes: [UInt8], group: UInt8) {
    let packets = parse(bytes, group: group)
    var inSysEx = false
    for packet in packets {
        invariant(packet.group == group, "packet \(packet) not in group \(group)")
        switch packet.messageType {
        case .systemCommonRealTime, .midi1ChannelVoice:
            break
        case .data64:
            guard let sysex = SysEx7Packet(packet) else { invariant(false, "malformed SysEx7 packet \(packet)"); return }
            invariant(sysex.bytes.count <= SysEx7Packet.maxBytesPerPacket, "SysEx7 packet of \(sysex.bytes.count) bytes")
            invariant(sysex.bytes.allSatisfy { $0 < 0x80 }, "SysEx7 packet carries a status byte")
            switch sysex.format {
            case .complete: invariant(!inSysEx, "complete inside a SysEx")
            case .start: invariant(!inSysEx, "start inside a SysEx"); inSysEx = true
            case .continue: invariant(inSysEx, "continue outside a SysEx")
            case .end: invariant(inSysEx, "end outside a SysEx"); inSysEx = false
            }
        default:
            invariant(false, "the parser made a type-\(packet.messageType.rawValue) packet")
        }
    }
    invariant(!inSysEx, "a SysEx left open after F7")
    var written: [UInt8] = []
    for packet in packets { packet.midi1Bytes { written.append($0) } }
    // Real-time packets may move relative to SysEx packets (the parser holds six SysEx bytes
    // until it knows whether more follow; a real-time byte in between goes out at once), so
    // each of the two streams is compared on its own.
    let again = parse(written, group: group)
    invariant(again.filter(isRealTime) == packets.filter(isRealTime) && again.filter { !isRealTime($0) } == packets.filter { !isRealTime($0) },
              "bytes → UMP → bytes → UMP changed \(packets) into \(again)")
}

func isRealTime(_ packet: UMPPacket) -> Bool {
    packet.messageType == .systemCommonRealTime && (packet.word0 >> 16) & 0xFF >= 0xF8
}

func checkPackets(_ words: [UInt32]) {
    var index = 0
    var translator = MIDI1ToMIDI2Translator()
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: UMPPacket.maxMIDI1ByteCount)
    defer { buffer.deallocate() }
    while index < words.count {
        let count = UMPMessageType.wordCount(forWord0: words[index])
        guard index + count <= words.count, let packet = UMPPacket(words: words[index..<index + count]) else { break }
        index += count
        var bytes: [UInt8] = []
        let written = packet.midi1Bytes { bytes.append($0) }
        invariant(written == bytes.count && written <= UMPPacket.maxMIDI1ByteCount, "\(packet): \(written) MIDI 1.0 bytes")
        invariant(packet.midi1Bytes(into: buffer) == written, "midi1Bytes(into:) disagrees for \(packet)")
        // A packet's bytes stand alone (every status byte is written, data masked to 7 bits):
        // they parse to packets that write the same bytes. Not for SysEx Start/Continue/End,
        // which are parts of a message by design.
        if let sysex = SysEx7Packet(packet), sysex.format != .complete {
        } else {
            var rewritten: [UInt8] = []
            for again in parse(bytes, group: 0) { again.midi1Bytes { rewritten.append($0) } }
            invariant(rewritten == bytes, "\(packet) → \(bytes) → UMP → \(rewritten)")
        }
        checkStatelessTranslation(packet, &translator)
    }
}

/// Note on (velocity > 0), note off, poly pressure, channel pressure and pitch bend carry no
/// translator state: MIDI 1.0 → 2.0 → 1.0 must give the message back exactly.
func checkStatelessTranslation(_ packet: UMPPacket, _ translator: inout MIDI1ToMIDI2Translator) {
    guard packet.messageType == .midi1ChannelVoice else { return }
    let opcode = (packet.word0 >> 20) & 0xF
    let data = packet.word0 & 0x7F7F
    let canonical = UMPPacket(packet.word0 & 0xFFFF_0000 | data)
    switch opcode {
    case 0x8, 0xA, 0xD, 0xE: break
    case 0x9 where data & 0x7F != 0: break
    default: return
    }
    var up: [UMPPacket] = []
    translator.translate(canonical) { up.append($0) }
    invariant(up.count == 1 && up[0].messageType == .midi2ChannelVoice, "\(canonical) → \(up)")
    var down: [UMPPacket] = []
    MIDI2ToMIDI1Translator().translate(up[0]) { down.append($0) }
    let expected = opcode == 0xD ? UMPPacket(canonical.word0 & 0xFFFF_FF00) : canonical
    invariant(down == [expected], "\(canonical) → \(up[0]) → \(down)")
}
