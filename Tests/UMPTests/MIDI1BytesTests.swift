import Testing
@testable import UMP

/// UMP → MIDI 1.0 bytes, and round trips through the byte stream parser.
@Suite struct MIDI1BytesTests {
    @Test func systemAndChannelMessages() {
        #expect(UMPPacket(0x10F2_3424).midi1Bytes == [0xF2, 0x34, 0x24])
        #expect(UMPPacket(0x10F1_3500).midi1Bytes == [0xF1, 0x35])
        #expect(UMPPacket(0x10F8_0000).midi1Bytes == [0xF8])
        #expect(UMPPacket(0x10F6_0000).midi1Bytes == [0xF6])
        #expect(UMPPacket(0x2593_3C64).midi1Bytes == [0x93, 60, 100])
        #expect(UMPPacket(0x25C3_2A00).midi1Bytes == [0xC3, 42])
        #expect(UMPPacket(0x25D3_0900).midi1Bytes == [0xD3, 9])
    }

    @Test func nothingForTypesWithoutAMIDI1Form() {
        #expect(UMPPacket(0x0010_1234).midi1Bytes.isEmpty)
        #expect(UMPStreamMessage.endpointDiscovery(EndpointDiscovery()).packet.midi1Bytes.isEmpty)
        #expect(UMPPacket(0x5001_0000, 0, 0, 0).midi1Bytes.isEmpty)
        #expect(UMPPacket(0xD010_0000, 0, 0, 0).midi1Bytes.isEmpty)
        #expect(UMPPacket(0x10F4_0000).midi1Bytes.isEmpty)  // undefined system common
        #expect(UMPPacket(0x2003_3C64).midi1Bytes.isEmpty)  // reserved opcode
    }

    @Test func dataBytesAreMaskedSoNoStatusIsInjected() {
        #expect(UMPPacket(0x2090_BCE4).midi1Bytes == [0x90, 0x3C, 0x64])
        #expect(SysEx7Packet.packet(group: 0, format: .complete, bytes: [0xF7, 0x90]).midi1Bytes == [0xF0, 0x77, 0x10, 0xF7])
        #expect(UMPPacket(0x3002_F790, 0).midi1Bytes == [0xF0, 0x77, 0x10, 0xF7])
    }

    @Test func sysExFramingIsAddedBack() {
        let packets = SysEx7.packets(group: 0, payload: sysExPayload(13))
        #expect(packets.map(\.midi1Bytes) == [
            [0xF0] + sysExPayload(6), Array(sysExPayload(13)[6..<12]), [sysExPayload(13)[12], 0xF7],
        ])
        #expect(SysEx7.packets(group: 0, payload: []).flatMap(\.midi1Bytes) == [0xF0, 0xF7])
    }

    @Test func midi2MessagesAreDownTranslated() {
        let noteOn = MIDI2ChannelVoiceMessage.noteOn(note: 60, velocity: 0x8208, attributeType: .none, attribute: 0)
        #expect(noteOn.packet(group: 0, channel: 2).midi1Bytes == [0x92, 60, 0x41])
        let rpn = MIDI2ChannelVoiceMessage.registeredController(bank: 0, index: 0, value: 0x8004_0020)
        #expect(rpn.packet(group: 0, channel: 0).midi1Bytes == [0xB0, 101, 0, 0xB0, 100, 0, 0xB0, 6, 0x40, 0xB0, 38, 0x01])
        #expect(rpn.packet(group: 0, channel: 0).midi1Bytes.count == UMPPacket.maxMIDI1ByteCount)
    }

    @Test func bufferVariantWritesOrRefuses() {
        let packet = MIDI2ChannelVoiceMessage.programChange(program: 3, bank: MIDIBank(msb: 1, lsb: 2))
            .packet(group: 0, channel: 0)
        var storage = [UInt8](repeating: 0xAA, count: 12)
        let written = storage.withUnsafeMutableBufferPointer { packet.midi1Bytes(into: $0) }
        #expect(written == 8)
        #expect(Array(storage.prefix(8)) == [0xB0, 0, 1, 0xB0, 32, 2, 0xC0, 3])
        var small = [UInt8](repeating: 0xAA, count: 7)
        #expect(small.withUnsafeMutableBufferPointer { packet.midi1Bytes(into: $0) } == nil)
        #expect(small == [UInt8](repeating: 0xAA, count: 7))
    }

    /// Every MIDI 1.0 channel voice message on every channel: UMP → bytes → UMP is the identity.
    @Test func everyChannelVoiceMessageRoundTrips() {
        var mismatches = 0
        for opcode in UInt8(0x8)...0xE {
            for channel in UInt8(0)..<16 {
                for data1 in stride(from: UInt8(0), through: 0x7F, by: 7) {
                    for data2 in [UInt8(0), 1, 0x40, 0x7F] {
                        guard let message = MIDI1ChannelVoiceMessage(opcode: opcode, data1: data1, data2: data2) else {
                            mismatches += 1; continue
                        }
                        let packet = message.packet(group: 9, channel: channel)
                        if parse(packet.midi1Bytes, group: 9) != [packet] { mismatches += 1 }
                    }
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func systemAndSysExRoundTrip() {
        var packets: [UMPPacket] = [
            SystemMessage.timeCodeQuarterFrame(0x71).packet(group: 4),
            SystemMessage.songPositionPointer(0x3FFF).packet(group: 4),
            SystemMessage.songSelect(0x7F).packet(group: 4),
            SystemMessage.tuneRequest.packet(group: 4),
        ]
        for rt in [SystemMessage.timingClock, .start, .continue, .stop, .activeSensing, .reset] {
            packets.append(rt.packet(group: 4))
        }
        for size in [0, 6, 7, 12, 100, 1000] {
            packets += SysEx7.packets(group: 4, payload: sysExPayload(size))
        }
        #expect(parse(bytes(of: packets), group: 4) == packets)
    }

    @Test func bytesToUMPToBytesIsTheIdentityForAWellFormedStream() {
        let stream: [UInt8] = [0x90, 60, 100, 0x80, 60, 64, 0xB1, 7, 100, 0xC2, 5, 0xE3, 0, 0x40, 0xF8,
                               0xF0] + sysExPayload(20) + [0xF7, 0xF2, 0, 8, 0xFF]
        #expect(bytes(of: parse(stream)) == stream)
    }
}
