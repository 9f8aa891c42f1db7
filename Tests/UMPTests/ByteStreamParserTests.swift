import Testing
@testable import UMP

/// MIDI 1.0 byte stream → UMP (types 1, 2, 3).
@Suite struct ByteStreamParserTests {
    @Test func channelMessagesAndRunningStatus() {
        // Note On, then two more under running status (the last one velocity 0), then Program
        // Change with running status.
        let packets = parse([0x93, 60, 100, 62, 90, 60, 0, 0xC3, 5, 6], group: 1)
        #expect(packets.map(\.word0) == [0x2193_3C64, 0x2193_3E5A, 0x2193_3C00, 0x21C3_0500, 0x21C3_0600])
    }

    @Test func pitchBendAndChannelPressure() {
        #expect(parse([0xE0, 0x01, 0x40, 0xD5, 0x33]).map(\.word0) == [0x20E0_0140, 0x20D5_3300])
    }

    @Test func systemCommonMessages() {
        let packets = parse([0xF1, 0x35, 0xF2, 0x34, 0x24, 0xF3, 0x07, 0xF6])
        #expect(packets.map(\.word0) == [0x10F1_3500, 0x10F2_3424, 0x10F3_0700, 0x10F6_0000])
        #expect(packets[1].message == .system(group: 0, .songPositionPointer(0x1234)))
    }

    @Test func systemCommonClearsRunningStatus() {
        // After the Tune Request, 60 100 have no status: dropped.
        #expect(parse([0x90, 60, 100, 0xF6, 60, 100]).map(\.word0) == [0x2090_3C64, 0x10F6_0000])
        // After Song Select completes, further data bytes are stray too.
        #expect(parse([0xF3, 1, 2, 3]).map(\.word0) == [0x10F3_0100])
    }

    @Test func realTimeInsideARunningStatusMessage() {
        // Clock between status and data, and between the two data bytes; running status survives.
        let packets = parse([0x90, 0xF8, 60, 0xFE, 100, 61, 0xFA, 101])
        #expect(packets.map(\.word0) == [0x10F8_0000, 0x10FE_0000, 0x2090_3C64, 0x10FA_0000, 0x2090_3D65])
    }

    @Test func allRealTimeMessagesAndUndefinedOnes() {
        let packets = parse([0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF])
        #expect(packets.map { $0.word0 >> 16 } == [0x10F8, 0x10FA, 0x10FB, 0x10FC, 0x10FE, 0x10FF])
    }

    @Test func undefinedSystemCommonIsIgnoredAndClearsRunningStatus() {
        #expect(parse([0x90, 60, 100, 0xF4, 61, 101, 0xF5, 0x90, 62, 102]).map(\.word0)
                == [0x2090_3C64, 0x2090_3E66])
    }

    @Test func strayDataBytesAreIgnored() {
        #expect(parse([0x01, 0x02, 0x7F, 0x80, 60, 64]).map(\.word0) == [0x2080_3C40])
        // An EOX with no SysEx open is ignored too.
        #expect(parse([0xF7, 0x10, 0xB0, 7, 100]).map(\.word0) == [0x20B0_0764])
    }

    @Test func realTimeInsideSysEx() {
        let payload = sysExPayload(12)
        var stream: [UInt8] = [0xF0]
        for (i, byte) in payload.enumerated() {
            stream.append(byte)
            if i % 5 == 0 { stream.append(0xF8) }
        }
        stream.append(0xF7)
        let packets = parse(stream)
        let clocks = packets.filter { $0.messageType == .systemCommonRealTime }
        let sysex = packets.filter { $0.messageType == .data64 }
        #expect(clocks.count == 3 && clocks.allSatisfy { $0.word0 == 0x10F8_0000 })
        #expect(sysex == SysEx7.packets(group: 0, payload: payload))
        // The first clock comes out before any SysEx packet: it is not delayed by the buffering.
        #expect(packets.first?.word0 == 0x10F8_0000)
    }

    @Test(arguments: [0, 1, 5, 6, 7, 12, 13, 100, 1000])
    func sysExOfAnyLength(size: Int) {
        let payload = sysExPayload(size)
        let packets = parse([0xF0] + payload + [0xF7], group: 7)
        #expect(packets == SysEx7.packets(group: 7, payload: payload))
        var assembler = SysEx7Assembler()
        #expect(packets.compactMap { assembler.append($0) } == [payload])
    }

    @Test func sysExPacketFormatsForKnownSizes() {
        func formats(_ n: Int) -> [UMPFormat] { parse([0xF0] + sysExPayload(n) + [0xF7]).compactMap { SysEx7Packet($0)?.format } }
        #expect(formats(0) == [.complete])
        #expect(formats(6) == [.complete])
        #expect(formats(7) == [.start, .end])
        #expect(formats(12) == [.start, .end])
        #expect(formats(13) == [.start, .continue, .end])
        #expect(parse([0xF0, 0xF7]).map(\.words) == [[0x3000_0000, 0]])
        #expect(parse([0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7]).map(\.words) == [[0x3004_7E7F, 0x0601_0000]])
    }

    @Test func statusByteEndsAnUnterminatedSysEx() {
        let packets = parse([0xF0, 1, 2, 3, 0x90, 60, 100])
        #expect(packets.map(\.words) == [[0x3003_0102, 0x0300_0000], [0x2090_3C64]])
        // A new F0 ends the previous SysEx and opens another.
        let two = parse([0xF0, 1, 2, 3, 4, 5, 6, 7, 0xF0, 9, 0xF7])
        #expect(two.compactMap { SysEx7Packet($0)?.format } == [.start, .end, .complete])
    }

    @Test func sysExClearsRunningStatus() {
        #expect(parse([0x90, 60, 100, 0xF0, 1, 0xF7, 61, 101]).map(\.word0) == [0x2090_3C64, 0x3001_0100])
    }

    @Test func interleavedRealTimeAndSysExAndNotes() {
        let stream: [UInt8] = [0xF8, 0x90, 60, 0xF8, 100, 0xF0, 0x7D, 0xFE, 1, 2, 3, 4, 5, 0xF8, 6, 7, 0xF7, 0xFC,
                               0x90, 60, 0]
        let packets = parse(stream)
        #expect(packets.map { $0.humanDescription } == [
            "G1 Timing Clock", "G1 Timing Clock", "G1 CH1 Note On  n=60 v=100 (MIDI 1.0)", "G1 Active Sensing",
            "G1 Timing Clock", "G1 SysEx7 Start [6] 7D 01 02 03 04 05", "G1 SysEx7 End [2] 06 07", "G1 Stop",
            "G1 CH1 Note On  n=60 v=0 (MIDI 1.0)",
        ])
    }

    @Test func byteByByteFeedingMatchesBulk() {
        let stream: [UInt8] = [0xB0, 101, 0, 100, 0, 6, 12, 0xF0] + sysExPayload(40) + [0xF7, 0xE1, 0, 0x40]
        var parser = MIDI1StreamParser()
        var packets: [UMPPacket] = []
        for byte in stream { parser.feed(byte, group: 3) { packets.append($0) } }
        #expect(packets == parse(stream, group: 3))
        #expect(packets.count == 3 + 7 + 1)
    }

    @Test func resetForgetsRunningStatusAndPartialMessages() {
        var parser = MIDI1StreamParser()
        var packets: [UMPPacket] = []
        parser.feed([0x90, 60], group: 0) { packets.append($0) }
        parser.reset()
        parser.feed([100, 61, 101], group: 0) { packets.append($0) }
        #expect(packets.isEmpty)
    }

    /// `feedChannelVoice` (the ALSA bridge's whole-event path) must leave the same packets and
    /// the same state as the message's bytes fed one by one: checked after every prefix of a
    /// stream with SysEx cut open, running status, program change and pitch bend, by what the
    /// same continuation then produces.
    @Test func wholeChannelMessageMatchesItsBytes() {
        let messages: [(UInt8, UInt8, UInt8)] = [(0x93, 60, 100), (0xC2, 7, 99), (0xE1, 0x7F, 0x40), (0xD5, 0x33, 0x44), (0x80, 200, 255)]
        let prefixes: [[UInt8]] = [[], [0xF0, 1, 2, 3], [0xF0] + sysExPayload(9), [0x90, 60], [0xF2, 1], [0xB0, 7, 100]]
        let continuation: [UInt8] = [61, 62, 0xF0, 5, 0xF7, 63, 64]
        for prefix in prefixes {
            for (status, data1, data2) in messages {
                var bytewise = MIDI1StreamParser(), whole = MIDI1StreamParser()
                var fromBytes: [UMPPacket] = [], fromWhole: [UMPPacket] = []
                bytewise.feed(prefix, group: 2) { fromBytes.append($0) }
                whole.feed(prefix, group: 2) { fromWhole.append($0) }
                let isTwoByte = status & 0xF0 == 0xC0 || status & 0xF0 == 0xD0
                bytewise.feed([status, data1 & 0x7F] + (isTwoByte ? [] : [data2 & 0x7F]), group: 2) { fromBytes.append($0) }
                whole.feedChannelVoice(status: status, data1, data2, group: 2) { fromWhole.append($0) }
                #expect(fromWhole == fromBytes, "after \(prefix), message \(status) \(data1) \(data2)")
                bytewise.feed(continuation, group: 2) { fromBytes.append($0) }
                whole.feed(continuation, group: 2) { fromWhole.append($0) }
                #expect(fromWhole == fromBytes, "state after \(prefix), message \(status) \(data1) \(data2)")
            }
        }
    }
}
