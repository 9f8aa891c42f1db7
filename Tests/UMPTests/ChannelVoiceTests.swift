import Testing
@testable import UMP

/// Builder → packet → decoder round trips, with word layouts from M2-104-UM §7.2–7.6.
@Suite struct ChannelVoiceTests {
    @Test func utilityMessages() {
        let cases: [(UtilityMessage, UInt32)] = [
            (.noop, 0x0000_0000),
            (.jrClock(senderClockTime: 0x1234), 0x0010_1234),
            (.jrTimestamp(senderClockTimestamp: 0xBEEF), 0x0020_BEEF),
            (.deltaClockstampTicksPerQuarterNote(ticksPerQuarterNote: 480), 0x0030_01E0),
            (.deltaClockstamp(ticks: 0xF_FFFF), 0x004F_FFFF),
        ]
        for (message, word) in cases {
            #expect(message.packet.words == [word])
            #expect(UMPPacket(word).message == .utility(message))
        }
        #expect(UMPPacket(0x0050_0000).message == .unknown(UMPPacket(0x0050_0000)))
    }

    @Test func systemMessages() {
        let cases: [(SystemMessage, UInt32)] = [
            (.timeCodeQuarterFrame(0x35), 0x12F1_3500),
            (.songPositionPointer(0x1234), 0x12F2_3424),  // LSB 0x34, MSB 0x24
            (.songSelect(7), 0x12F3_0700),
            (.tuneRequest, 0x12F6_0000),
            (.timingClock, 0x12F8_0000),
            (.start, 0x12FA_0000),
            (.continue, 0x12FB_0000),
            (.stop, 0x12FC_0000),
            (.activeSensing, 0x12FE_0000),
            (.reset, 0x12FF_0000),
        ]
        for (message, word) in cases {
            #expect(message.packet(group: 2).words == [word])
            #expect(UMPPacket(word).message == .system(group: 2, message))
        }
        for reserved: UInt32 in [0xF0, 0xF4, 0xF5, 0xF7, 0xF9, 0xFD, 0x90] {
            let packet = UMPPacket(0x1000_0000 | reserved << 16)
            #expect(packet.message == .unknown(packet))
        }
    }

    @Test func midi1ChannelVoiceMessages() {
        let cases: [(MIDI1ChannelVoiceMessage, UInt32)] = [
            (.noteOff(note: 60, velocity: 64), 0x2583_3C40),
            (.noteOn(note: 60, velocity: 100), 0x2593_3C64),
            (.polyPressure(note: 61, pressure: 5), 0x25A3_3D05),
            (.controlChange(index: 7, value: 127), 0x25B3_077F),
            (.programChange(program: 42), 0x25C3_2A00),
            (.channelPressure(pressure: 9), 0x25D3_0900),
            (.pitchBend(value: 0x2001), 0x25E3_0140),  // LSB 0x01, MSB 0x40
        ]
        for (message, word) in cases {
            #expect(message.packet(group: 5, channel: 3).words == [word])
            #expect(UMPPacket(word).message == .midi1ChannelVoice(group: 5, channel: 3, message))
        }
        // Opcodes below 8 and 0xF are not channel voice messages.
        #expect(UMPPacket(0x2073_3C40).message == .unknown(UMPPacket(0x2073_3C40)))
        #expect(UMPPacket(0x20F3_3C40).message == .unknown(UMPPacket(0x20F3_3C40)))
        // Out-of-range data is masked, never spilling into other fields.
        #expect(MIDI1ChannelVoiceMessage.noteOn(note: 0xFF, velocity: 0x80).packet(group: 0x1F, channel: 0x1F).word0
                == 0x2F9F_7F00)
    }

    @Test func midi2ChannelVoiceMessages() {
        let cases: [(MIDI2ChannelVoiceMessage, UInt32, UInt32)] = [
            (.registeredPerNoteController(note: 60, index: 200, value: 0xDEAD_BEEF), 0x4103_3CC8, 0xDEAD_BEEF),
            (.assignablePerNoteController(note: 60, index: 3, value: 7), 0x4113_3C03, 7),
            (.registeredController(bank: 0, index: 6, value: 0x8000_0000), 0x4123_0006, 0x8000_0000),
            (.assignableController(bank: 0x7F, index: 0x7F, value: 1), 0x4133_7F7F, 1),
            (.relativeRegisteredController(bank: 1, index: 2, value: -1), 0x4143_0102, 0xFFFF_FFFF),
            (.relativeAssignableController(bank: 1, index: 2, value: 5), 0x4153_0102, 5),
            (.perNotePitchBend(note: 64, value: 0x8000_0000), 0x4163_4000, 0x8000_0000),
            (.noteOff(note: 60, velocity: 0x8000, attributeType: .none, attribute: 0), 0x4183_3C00, 0x8000_0000),
            (.noteOn(note: 60, velocity: 0x8208, attributeType: .pitch7_9, attribute: 0x7900), 0x4193_3C03, 0x8208_7900),
            (.polyPressure(note: 60, value: 0x1234_5678), 0x41A3_3C00, 0x1234_5678),
            (.controlChange(index: 74, value: 0xFFFF_FFFF), 0x41B3_4A00, 0xFFFF_FFFF),
            (.programChange(program: 5, bank: nil), 0x41C3_0000, 0x0500_0000),
            (.programChange(program: 5, bank: MIDIBank(msb: 1, lsb: 2)), 0x41C3_0001, 0x0500_0102),
            (.channelPressure(value: 0x4000_0000), 0x41D3_0000, 0x4000_0000),
            (.pitchBend(value: 0x8000_0000), 0x41E3_0000, 0x8000_0000),
            (.perNoteManagement(note: 60, options: [.detachControllers, .resetControllers]), 0x41F3_3C03, 0),
        ]
        for (message, w0, w1) in cases {
            let packet = message.packet(group: 1, channel: 3)
            #expect(packet.words == [w0, w1], "\(message)")
            #expect(UMPPacket(w0, w1).message == .midi2ChannelVoice(group: 1, channel: 3, message))
        }
        #expect(UMPPacket(0x4073_0000, 0).message == .unknown(UMPPacket(0x4073_0000, 0)))
    }

    @Test func packetInitFromMessageRoundTrips() {
        let message = UMPMessage.midi2ChannelVoice(group: 0, channel: 2,
            .noteOn(note: 60, velocity: 0x8208, attributeType: .none, attribute: 0))
        let packet = UMPPacket(message)
        #expect(packet.words == [0x4092_3C00, 0x8208_0000])
        #expect(packet.message == message)
    }

    @Test func data128Messages() {
        let sysex8 = Data128Message.sysEx8Packet(group: 3, format: .start, streamId: 9, bytes: Array(UInt8(1)...13))
        #expect(sysex8.words == [0x531E_0901, 0x0203_0405, 0x0607_0809, 0x0A0B_0C0D])
        guard case .data128(3, .sysEx8(.start, 9, let bytes)) = sysex8.message else {
            Issue.record("not SysEx8: \(sysex8.message)"); return
        }
        #expect(Array(bytes) == Array(UInt8(1)...13))

        let empty = Data128Message.sysEx8Packet(group: 0, format: .complete, streamId: 0, bytes: [UInt8]())
        #expect(empty.word0 == 0x5001_0000)
        #expect(UMPPacket(0x5000_0000, 0, 0, 0).message == .unknown(UMPPacket(0x5000_0000, 0, 0, 0)))

        let header = MixedDataSetHeader(mdsId: 2, validByteCount: 0x0100, numberOfChunks: 3, chunkNumber: 1,
                                        manufacturerId: 0x0041, deviceId: 0x0010, subId1: 0x0102, subId2: 0x0304)
        let headerPacket = Data128Message.mixedDataSetHeader(header).packet(group: 1)
        #expect(headerPacket.words == [0x5182_0100, 0x0003_0001, 0x0041_0010, 0x0102_0304])
        #expect(headerPacket.message == .data128(group: 1, .mixedDataSetHeader(header)))

        let payload = Data128Message.mixedDataSetPayload(mdsId: 2, bytes: UMPPacketBytes(Array(UInt8(0xA0)...0xAD)))
        #expect(payload.packet(group: 1).words == [0x5192_A0A1, 0xA2A3_A4A5, 0xA6A7_A8A9, 0xAAAB_ACAD])
        #expect(payload.packet(group: 1).message == .data128(group: 1, payload))
    }

    @Test func flexDataHeader() {
        // Set Tempo (bank 0, status 0): group 2, Complete, address group.
        let packet = UMPPacket(0xD210_0000, 0x02FA_F080, 0, 0)
        guard case .flexData(let flex) = packet.message else { Issue.record("not flex data"); return }
        #expect(flex.group == 2 && flex.format == .complete && flex.address == .group)
        #expect(flex.statusBank == 0 && flex.status == 0 && flex.word1 == 0x02FA_F080)
        #expect(flex.packet == packet)

        let text = FlexDataMessage(group: 0, format: .end, address: .channel, channel: 9, statusBank: 1, status: 3,
                                   word1: 0x4142_4344)
        #expect(text.packet.word0 == 0xD0C9_0103)
        #expect(FlexDataMessage(text.packet) == text)
    }
}
