import Testing
@testable import UMP

/// One-line descriptions: groups and channels 1-based, everything else wire values.
@Suite struct DescriptionTests {
    @Test func channelVoice() {
        #expect(UMPPacket(0x4092_3C00, 0x8208_0000).humanDescription == "G1 CH3 Note On  n=60 v=0x8208 (MIDI 2.0)")
        #expect(UMPPacket(0x2F8F_3C40).humanDescription == "G16 CH16 Note Off n=60 v=64 (MIDI 1.0)")
        #expect(UMPPacket(0x20B0_0764).humanDescription == "G1 CH1 Control Change cc=7 v=100 (MIDI 1.0)")
        #expect(MIDI2ChannelVoiceMessage.programChange(program: 5, bank: MIDIBank(msb: 1, lsb: 2))
                .packet(group: 0, channel: 0).humanDescription == "G1 CH1 Program Change p=5 bank=1:2 (MIDI 2.0)")
        #expect(MIDI2ChannelVoiceMessage.noteOn(note: 60, velocity: 0xFFFF, attributeType: .pitch7_9, attribute: 0x7800)
                .packet(group: 0, channel: 0).humanDescription == "G1 CH1 Note On  n=60 v=0xFFFF attr=3:0x7800 (MIDI 2.0)")
    }

    @Test func systemUtilityAndSysEx() {
        #expect(UMPPacket(0x13F8_0000).humanDescription == "G4 Timing Clock")
        #expect(UMPPacket(0x0020_00FF).humanDescription == "JR Timestamp t=0x00FF")
        #expect(UMPPacket(0x0000_0000).humanDescription == "NOOP")
        #expect(UMPPacket(0x3004_7E7F, 0x0601_0000).humanDescription == "G1 SysEx7 Complete [4] 7E 7F 06 01")
        #expect(UMPPacket(0x3000_0000, 0).humanDescription == "G1 SysEx7 Complete [0]")
    }

    @Test func streamMessages() {
        #expect(UMPStreamMessage.endpointDiscovery(EndpointDiscovery()).packet.humanDescription
                == "Endpoint Discovery v1.1 filter=0x1F")
        #expect(UMPStreamText.endpointNamePackets("Loop A")[0].humanDescription
                == "Endpoint Name Notification Complete \"Loop A\"")
        let info = FunctionBlockInfoNotification(functionBlock: 0, direction: .bidirectional, firstGroup: 0, numberOfGroupsSpanned: 4)
        #expect(UMPStreamMessage.functionBlockInfoNotification(info).packet.humanDescription
                .hasPrefix("Function Block Info Notification FB0 active bidirectional G1-G4"))
    }

    @Test func rawWordsAndReserved() {
        #expect(UMPPacket(0x4092_3C00, 0x8208_0000).description == "[40923C00 82080000]")
        #expect(UMPPacket(0x6000_0001).humanDescription == "Type 6 (reserved) [60000001]")
        #expect(UMPPacket(0x0050_0000).humanDescription == "Type 0 (reserved status) [00500000]")
    }
}
