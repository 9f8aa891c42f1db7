import Testing
import UMP

/// SysEx7 as the UMP specification defines it (M2-104-UM §7.7, "64-bit Data Messages"), checked
/// against the specification's own tables rather than against this code's behaviour:
/// - the Status field (word 0 bits 20–23): 0x0 Complete System Exclusive message in one UMP,
///   0x1 Start, 0x2 Continue, 0x3 End; 0x4–0xF are reserved;
/// - the Number of Bytes field (bits 16–19): 0…6 valid bytes in the packet;
/// - a MIDI 1.0 System Exclusive message F0 <n data bytes> F7 travels as the n data bytes, six a
///   packet, without F0 and F7: n ≤ 6 one Complete packet, else Start, Continue…, End.
@Suite struct SysEx7SpecTableTests {
    /// The Status table.
    static let statusTable: [(status: UInt32, format: UMPFormat?)] = [
        (0x0, .complete), (0x1, .start), (0x2, .continue), (0x3, .end),
        (0x4, nil), (0x5, nil), (0x6, nil), (0x7, nil), (0x8, nil), (0x9, nil),
        (0xA, nil), (0xB, nil), (0xC, nil), (0xD, nil), (0xE, nil), (0xF, nil),
    ]

    @Test func statusFieldIsTheSpecTable() {
        for row in Self.statusTable {
            let packet = UMPPacket(0x3000_0000 | row.status << 20 | 2 << 16 | 0x0102, 0)
            #expect(SysEx7Packet(packet)?.format == row.format, "status 0x\(String(row.status, radix: 16))")
        }
    }

    @Test func numberOfBytesIsZeroToSix() {
        for count in UInt32(0)...15 {
            let packet = UMPPacket(0x3000_0000 | count << 16 | 0x0102, 0x0304_0506)
            let decoded = SysEx7Packet(packet)
            if count <= 6 {
                #expect(decoded.map { Array($0.bytes) } == Array([1, 2, 3, 4, 5, 6].prefix(Int(count))), "count \(count)")
            } else {
                #expect(decoded == nil, "count \(count) is not a valid Number of Bytes")
            }
        }
    }

    /// The Identity Request (MIDI 1.0 Universal SysEx, F0 7E 7F 06 01 F7): four data bytes, one
    /// Complete packet, F0/F7 not carried.
    @Test func identityRequestIsOneCompletePacket() {
        let midi1: [UInt8] = [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7]
        var parser = MIDI1StreamParser()
        var packets: [UMPPacket] = []
        parser.feed(midi1, group: 0) { packets.append($0) }
        #expect(packets.map(\.words) == [[0x3004_7E7F, 0x0601_0000]])
        var assembler = SysEx7Assembler(framing: .midi1Message)
        var back: [[UInt8]] = []
        for packet in packets { assembler.append(packet) { back.append($0) } }
        #expect(back == [midi1])
        #expect(packets[0].midi1Bytes == midi1)
    }

    /// MIDI 1.0 bytes → UMP → MIDI 1.0 bytes for every payload length around the packet
    /// boundaries: the packet count and statuses are the spec's, both ways back (assembled, as
    /// the ALSA bridge emits it, and streamed packet by packet, as a USB device gets it) give the
    /// original message.
    @Test(arguments: [0, 1, 5, 6, 7, 11, 12, 13, 18, 19, 100])
    func midi1BytesRoundTrip(payloadSize: Int) {
        let payload = (0..<payloadSize).map { UInt8($0 % 0x7F) }
        let midi1 = [0xF0] + payload + [0xF7]
        var parser = MIDI1StreamParser()
        var packets: [UMPPacket] = []
        parser.feed(midi1, group: 5) { packets.append($0) }

        let expectedCount = max(1, (payloadSize + 5) / 6)
        let statuses = packets.map { $0.word0 >> 20 & 0xF }
        if expectedCount == 1 {
            #expect(statuses == [0x0])
        } else {
            #expect(statuses == [0x1] + Array(repeating: 0x2, count: expectedCount - 2) + [0x3])
        }
        #expect(packets.map { $0.word0 >> 16 & 0xF }
                == (0..<expectedCount).map { UInt32(min(6, payloadSize - 6 * $0)) })
        #expect(packets.allSatisfy { $0.word0 >> 24 == 0x35 })   // type 3, group 6 (index 5)

        var assembler = SysEx7Assembler(framing: .midi1Message)
        var assembled: [[UInt8]] = []
        for packet in packets { assembler.append(packet, problem: { Issue.record("\($0)") }) { assembled.append($0) } }
        #expect(assembled == [midi1])
        #expect(packets.flatMap(\.midi1Bytes) == midi1)
    }
}

/// `SysEx7Sequence`, the one rule for packet order (every MIDI 1.0 output uses it), as a full
/// state × status table.
@Suite struct SysEx7SequenceTests {
    typealias State = SysEx7Sequence.State
    typealias Step = SysEx7Sequence.Step

    static let table: [(from: State, format: UMPFormat, step: Step, to: State)] = [
        (.idle, .complete, .begins(abandoning: .idle), .idle),
        (.idle, .start, .begins(abandoning: .idle), .inMessage),
        (.idle, .continue, .withoutStart, .idle),
        (.idle, .end, .withoutStart, .idle),
        (.inMessage, .complete, .begins(abandoning: .inMessage), .idle),
        (.inMessage, .start, .begins(abandoning: .inMessage), .inMessage),
        (.inMessage, .continue, .continues, .inMessage),
        (.inMessage, .end, .ends, .idle),
        (.droppingRest, .complete, .begins(abandoning: .droppingRest), .idle),
        (.droppingRest, .start, .begins(abandoning: .droppingRest), .inMessage),
        (.droppingRest, .continue, .droppedRest, .droppingRest),
        (.droppingRest, .end, .droppedRest, .idle),
    ]

    static func sequence(in state: State) -> SysEx7Sequence {
        var sequence = SysEx7Sequence()
        switch state {
        case .idle: break
        case .inMessage: _ = sequence.advance(.start)
        case .droppingRest:
            _ = sequence.advance(.start)
            sequence.dropRest()
        }
        return sequence
    }

    @Test func everyStateAndStatus() {
        #expect(Self.table.count == 12)
        for row in Self.table {
            var sequence = Self.sequence(in: row.from)
            #expect(sequence.state == row.from)
            #expect(sequence.advance(row.format) == row.step, "\(row.from) + \(row.format.name)")
            #expect(sequence.state == row.to, "\(row.from) + \(row.format.name)")
        }
    }

    @Test func dropRestOnlyAffectsAMessageInProgress() {
        var sequence = SysEx7Sequence()
        sequence.dropRest()
        #expect(sequence.state == .idle)
        _ = sequence.advance(.start)
        sequence.dropRest()
        #expect(sequence.state == .droppingRest)
        sequence.reset()
        #expect(sequence.state == .idle)
    }
}
