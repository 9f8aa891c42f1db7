import Testing
@testable import UMP

/// MIDI 1.0 ⇄ MIDI 2.0 channel voice translation (M2-104-UM Appendix D).
@Suite struct TranslationTests {
    func up(_ packets: [UMPPacket], flush: Bool = false) -> [UMPPacket] {
        var translator = MIDI1ToMIDI2Translator()
        var out: [UMPPacket] = []
        for packet in packets { translator.translate(packet) { out.append($0) } }
        if flush { translator.flush { out.append($0) } }
        return out
    }

    func down(_ packets: [UMPPacket]) -> [UMPPacket] {
        let translator = MIDI2ToMIDI1Translator()
        var out: [UMPPacket] = []
        for packet in packets { translator.translate(packet) { out.append($0) } }
        return out
    }

    func m2(_ m: MIDI2ChannelVoiceMessage, group: UInt8 = 0, channel: UInt8 = 0) -> UMPPacket {
        m.packet(group: group, channel: channel)
    }

    func cc(_ index: UInt8, _ value: UInt8, group: UInt8 = 0, channel: UInt8 = 0) -> UMPPacket {
        MIDI1ChannelVoiceMessage.controlChange(index: index, value: value).packet(group: group, channel: channel)
    }

    @Test func notesScaleUp() {
        let out = up([MIDI1ChannelVoiceMessage.noteOn(note: 60, velocity: 0x41).packet(group: 0, channel: 2),
                      MIDI1ChannelVoiceMessage.noteOff(note: 60, velocity: 0x7F).packet(group: 0, channel: 2)])
        #expect(out == [m2(.noteOn(note: 60, velocity: 0x8208, attributeType: .none, attribute: 0), channel: 2),
                        m2(.noteOff(note: 60, velocity: 0xFFFF, attributeType: .none, attribute: 0), channel: 2)])
        #expect(out[0].humanDescription == "G1 CH3 Note On  n=60 v=0x8208 (MIDI 2.0)")
    }

    @Test func noteOnVelocityZeroBecomesNoteOff() {
        let out = up([MIDI1ChannelVoiceMessage.noteOn(note: 60, velocity: 0).packet(group: 1, channel: 0)])
        #expect(out == [m2(.noteOff(note: 60, velocity: 0x8000, attributeType: .none, attribute: 0), group: 1)])
    }

    @Test func midi2NoteOnNeverBecomesVelocityZero() {
        for velocity: UInt16 in [0, 1, 0x01FF] {
            let out = down([m2(.noteOn(note: 60, velocity: velocity, attributeType: .pitch7_9, attribute: 0x1234))])
            #expect(out == [MIDI1ChannelVoiceMessage.noteOn(note: 60, velocity: 1).packet(group: 0, channel: 0)])
        }
        // Note Off velocity 0 stays 0.
        #expect(down([m2(.noteOff(note: 1, velocity: 0, attributeType: .none, attribute: 0))])
                == [MIDI1ChannelVoiceMessage.noteOff(note: 1, velocity: 0).packet(group: 0, channel: 0)])
    }

    @Test func controllersPressureAndPitchBend() {
        let input = [
            MIDI1ChannelVoiceMessage.polyPressure(note: 60, pressure: 0x40).packet(group: 2, channel: 5),
            MIDI1ChannelVoiceMessage.controlChange(index: 74, value: 0x41).packet(group: 2, channel: 5),
            MIDI1ChannelVoiceMessage.channelPressure(pressure: 0x7F).packet(group: 2, channel: 5),
            MIDI1ChannelVoiceMessage.pitchBend(value: 0x2001).packet(group: 2, channel: 5),
        ]
        let expected = [
            m2(.polyPressure(note: 60, value: 0x8000_0000), group: 2, channel: 5),
            m2(.controlChange(index: 74, value: 0x8208_2082), group: 2, channel: 5),
            m2(.channelPressure(value: 0xFFFF_FFFF), group: 2, channel: 5),
            m2(.pitchBend(value: 0x8004_0020), group: 2, channel: 5),
        ]
        #expect(up(input) == expected)
        #expect(down(expected) == input)
    }

    /// MIDI 1 → 2 → 1 returns every 7-bit controller value and every 14-bit pitch bend.
    @Test func everyValueRoundTripsThroughMIDI2() {
        var mismatches = 0
        for v in UInt8(0)...0x7F {
            let input = [MIDI1ChannelVoiceMessage.controlChange(index: 7, value: v).packet(group: 0, channel: 0),
                         MIDI1ChannelVoiceMessage.channelPressure(pressure: v).packet(group: 0, channel: 0),
                         MIDI1ChannelVoiceMessage.polyPressure(note: v, pressure: v).packet(group: 0, channel: 0),
                         MIDI1ChannelVoiceMessage.noteOff(note: v, velocity: v).packet(group: 0, channel: 0)]
            if down(up(input)) != input { mismatches += 1 }
            if v > 0 {
                let on = [MIDI1ChannelVoiceMessage.noteOn(note: 60, velocity: v).packet(group: 0, channel: 0)]
                if down(up(on)) != on { mismatches += 1 }
            }
        }
        for v in UInt16(0)...0x3FFF {
            let bend = [MIDI1ChannelVoiceMessage.pitchBend(value: v).packet(group: 0, channel: 0)]
            if down(up(bend)) != bend { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func programChangeWithBankDown() {
        let out = down([m2(.programChange(program: 10, bank: MIDIBank(msb: 0x79, lsb: 0x03)), channel: 9)])
        #expect(out.map(\.word0) == [0x20B9_0079, 0x20B9_2003, 0x20C9_0A00])
        #expect(down([m2(.programChange(program: 10, bank: nil), channel: 9)]).map(\.word0) == [0x20C9_0A00])
    }

    @Test func bankSelectAndProgramChangeUp() {
        let out = up([cc(0, 0x79, channel: 9), cc(32, 3, channel: 9),
                      MIDI1ChannelVoiceMessage.programChange(program: 10).packet(group: 0, channel: 9),
                      // The held bank is used once; the next Program Change has none.
                      MIDI1ChannelVoiceMessage.programChange(program: 11).packet(group: 0, channel: 9),
                      // Only CC 0: LSB taken as 0.
                      cc(0, 2, channel: 9),
                      MIDI1ChannelVoiceMessage.programChange(program: 12).packet(group: 0, channel: 9)])
        #expect(out == [
            m2(.programChange(program: 10, bank: MIDIBank(msb: 0x79, lsb: 3)), channel: 9),
            m2(.programChange(program: 11, bank: nil), channel: 9),
            m2(.programChange(program: 12, bank: MIDIBank(msb: 2, lsb: 0)), channel: 9),
        ])
    }

    @Test func bankIsHeldPerGroupAndChannel() {
        let out = up([cc(0, 5, group: 1, channel: 0), cc(32, 6, group: 1, channel: 0),
                      MIDI1ChannelVoiceMessage.programChange(program: 1).packet(group: 0, channel: 0),
                      MIDI1ChannelVoiceMessage.programChange(program: 1).packet(group: 1, channel: 1),
                      MIDI1ChannelVoiceMessage.programChange(program: 1).packet(group: 1, channel: 0)])
        #expect(out == [m2(.programChange(program: 1, bank: nil)),
                        m2(.programChange(program: 1, bank: nil), group: 1, channel: 1),
                        m2(.programChange(program: 1, bank: MIDIBank(msb: 5, lsb: 6)), group: 1)])
    }

    @Test func registeredControllerDown() {
        // Pitch bend sensitivity (RPN 0/0) = 0x2001 in 14 bits.
        let out = down([m2(.registeredController(bank: 0, index: 0, value: 0x8004_0020), channel: 1)])
        #expect(out.map(\.word0) == [0x20B1_6500, 0x20B1_6400, 0x20B1_0640, 0x20B1_2601])
        let nrpn = down([m2(.assignableController(bank: 0x12, index: 0x34, value: 0xFFFF_FFFF))])
        #expect(nrpn.map(\.word0) == [0x20B0_6312, 0x20B0_6234, 0x20B0_067F, 0x20B0_267F])
    }

    @Test func rpnSequenceUp() {
        let out = up([cc(101, 0), cc(100, 0), cc(6, 0x40), cc(38, 0x01)])
        #expect(out == [m2(.registeredController(bank: 0, index: 0, value: 0x8004_0020))])
    }

    @Test func nrpnSequenceUp() {
        let out = up([cc(99, 0x12), cc(98, 0x34), cc(6, 0x7F), cc(38, 0x7F)])
        #expect(out == [m2(.assignableController(bank: 0x12, index: 0x34, value: 0xFFFF_FFFF))])
    }

    @Test func parameterRoundTripsBothWays() {
        let values: [UInt16] = [0, 1, 0x7F, 0x80, 0x2000, 0x2001, 0x3FFF]
        for v in values {
            let rpn = m2(.registeredController(bank: 1, index: 2, value: MIDIValueScaling.upscale14To32(v)), channel: 4)
            #expect(up(down([rpn])) == [rpn])
            let nrpn = m2(.assignableController(bank: 3, index: 4, value: MIDIValueScaling.upscale14To32(v)), group: 15)
            #expect(up(down([nrpn])) == [nrpn])
        }
        let program = m2(.programChange(program: 9, bank: MIDIBank(msb: 1, lsb: 127)), channel: 15)
        #expect(up(down([program])) == [program])
    }

    @Test func dataEntryMSBAloneIsSentOnTheSpecsTriggers() {
        // CC 6 waits for CC 38; a second CC 6 sends the first with LSB 0.
        #expect(up([cc(101, 0), cc(100, 0), cc(6, 12)]).isEmpty)
        #expect(up([cc(101, 0), cc(100, 0), cc(6, 12), cc(6, 13)])
                == [m2(.registeredController(bank: 0, index: 0, value: MIDIValueScaling.upscale14To32(12 << 7)))])
        // A new parameter number sends it too.
        #expect(up([cc(101, 0), cc(100, 0), cc(6, 12), cc(101, 0), cc(100, 1), cc(6, 2), cc(38, 0)]) == [
            m2(.registeredController(bank: 0, index: 0, value: MIDIValueScaling.upscale14To32(12 << 7))),
            m2(.registeredController(bank: 0, index: 1, value: MIDIValueScaling.upscale14To32(2 << 7))),
        ])
        // And flush sends whatever still waits.
        #expect(up([cc(101, 0), cc(100, 0), cc(6, 12, channel: 3)], flush: true).isEmpty)
        #expect(up([cc(101, 0, channel: 3), cc(100, 0, channel: 3), cc(6, 12, channel: 3)], flush: true)
                == [m2(.registeredController(bank: 0, index: 0, value: MIDIValueScaling.upscale14To32(12 << 7)), channel: 3)])
    }

    @Test func lsbAloneReusesTheLastMSB() {
        let out = up([cc(101, 0), cc(100, 1), cc(6, 0x40), cc(38, 0), cc(38, 0x10)])
        #expect(out == [m2(.registeredController(bank: 0, index: 1, value: MIDIValueScaling.upscale14To32(0x2000))),
                        m2(.registeredController(bank: 0, index: 1, value: MIDIValueScaling.upscale14To32(0x2010)))])
    }

    @Test func dataEntryWithoutParameterOrAfterNullIsDropped() {
        #expect(up([cc(6, 1), cc(38, 1)]).isEmpty)
        #expect(up([cc(101, 0x7F), cc(100, 0x7F), cc(6, 1), cc(38, 1)]).isEmpty)
        // Reset All Controllers deselects the parameter and is passed on.
        let out = up([cc(101, 0), cc(100, 0), cc(121, 0), cc(6, 1), cc(38, 1)])
        #expect(out == [m2(.controlChange(index: 121, value: 0))])
    }

    @Test func messagesWithoutMIDI1FormAreDroppedAndOthersPassThrough() {
        let dropped = [
            m2(.registeredPerNoteController(note: 1, index: 2, value: 3)),
            m2(.assignablePerNoteController(note: 1, index: 2, value: 3)),
            m2(.relativeRegisteredController(bank: 1, index: 2, value: -3)),
            m2(.relativeAssignableController(bank: 1, index: 2, value: 3)),
            m2(.perNotePitchBend(note: 1, value: 3)),
            m2(.perNoteManagement(note: 1, options: .resetControllers)),
        ]
        #expect(down(dropped).isEmpty)
        let others = [SystemMessage.timingClock.packet(group: 0), UMPPacket(0x0010_1234),
                      UMPStreamMessage.endOfClip.packet] + SysEx7.packets(group: 0, payload: [1, 2, 3])
        #expect(down(others) == others)
        #expect(up(others) == others)
    }
}
