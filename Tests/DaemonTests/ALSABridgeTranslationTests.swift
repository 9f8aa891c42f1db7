import ALSASequencer
import IPC
import ServiceCore
import Testing
import UMP
@testable import MIDIDaemon

/// The bridge's translation between ALSA sequencer events and UMP, and its port layout —
/// platform-free, so they run on any machine. The VM tier (Tests/vm/groups/alsa-bridge) runs the
/// same bridge against the real kernel and alsa-utils.
@Suite struct ALSABridgeTranslationTests {
    // MARK: helpers

    func umpFrom(_ events: [SequencerEvent], port: Int = 1, group: UInt8 = 0,
                 translator: inout SequencerInputTranslator) -> [UMPPacket] {
        var packets: [UMPPacket] = []
        for event in events { translator.translate(event, portIndex: port, group: group) { packets.append($0) } }
        return packets
    }

    func umpFrom(_ events: [SequencerEvent], port: Int = 1, group: UInt8 = 0) -> [UMPPacket] {
        var translator = SequencerInputTranslator(portCount: 17)
        return umpFrom(events, port: port, group: group, translator: &translator)
    }

    func eventsFrom(_ packets: [UMPPacket], translator: inout SequencerOutputTranslator) -> [(UInt8, SequencerEvent)] {
        var events: [(UInt8, SequencerEvent)] = []
        for packet in packets { translator.translate(packet) { events.append(($0, $1)) } }
        return events
    }

    func eventsFrom(_ packets: [UMPPacket]) -> [(UInt8, SequencerEvent)] {
        var translator = SequencerOutputTranslator()
        return eventsFrom(packets, translator: &translator)
    }

    /// The payload of a run of SysEx7 packets, checking the complete/start/continue/end order.
    func sysExPayload(_ packets: [UMPPacket]) throws -> [UInt8] {
        var payload: [UInt8] = []
        for (index, packet) in packets.enumerated() {
            let sysex = try #require(SysEx7Packet(packet))
            let expected: UMPFormat = packets.count == 1 ? .complete
                : index == 0 ? .start : index == packets.count - 1 ? .end : .continue
            #expect(sysex.format == expected, "packet \(index) of \(packets.count)")
            payload += Array(sysex.bytes)
        }
        return payload
    }

    // MARK: ALSA → UMP

    @Test func channelVoiceEventsBecomeType2OnThePortsGroup() {
        let packets = umpFrom([
            .noteOn(channel: 0, note: 60, velocity: 100), .noteOff(channel: 1, note: 61, velocity: 0),
            .keyPressure(channel: 2, note: 62, pressure: 33), .controlChange(channel: 3, controller: 7, value: 99),
            .programChange(channel: 4, program: 5), .channelPressure(channel: 5, pressure: 70),
            .pitchBend(channel: 15, value: 0x1515), .noteOn(channel: 9, note: 36, velocity: 0),
        ], port: 3, group: 2)
        #expect(packets == [
            UMPPacket(0x2290_3C64), UMPPacket(0x2281_3D00), UMPPacket(0x22A2_3E21), UMPPacket(0x22B3_0763),
            UMPPacket(0x22C4_0500), UMPPacket(0x22D5_4600), UMPPacket(0x22EF_152A), UMPPacket(0x2299_2400),
        ])
    }

    @Test func alsaOnlyControllerEventsExpandToControlChanges() {
        let packets = umpFrom([
            .controlChange14(channel: 0, controller: 7, value: 0x2001),      // MSB 0x40, LSB 0x01
            .nonRegisteredParameter(channel: 1, parameter: 0x0105, value: 0x3FFF),
            .registeredParameter(channel: 2, parameter: 0x0000, value: 0x0180),
        ])
        #expect(packets == [
            UMPPacket(0x20B0_0740), UMPPacket(0x20B0_2701),
            UMPPacket(0x20B1_6302), UMPPacket(0x20B1_6205), UMPPacket(0x20B1_067F), UMPPacket(0x20B1_267F),
            UMPPacket(0x20B2_6500), UMPPacket(0x20B2_6400), UMPPacket(0x20B2_0603), UMPPacket(0x20B2_2600),
        ])
    }

    @Test func systemEventsBecomeType1() {
        let packets = umpFrom([
            .songPosition(0x1234), .songSelect(3), .timeCodeQuarterFrame(0x25), .tuneRequest,
            .timingClock, .start, .continue, .stop, .activeSensing, .systemReset,
        ], group: 4)
        #expect(packets == [
            UMPPacket(0x14F2_3424), UMPPacket(0x14F3_0300), UMPPacket(0x14F1_2500), UMPPacket(0x14F6_0000),
            UMPPacket(0x14F8_0000), UMPPacket(0x14FA_0000), UMPPacket(0x14FB_0000), UMPPacket(0x14FC_0000),
            UMPPacket(0x14FE_0000), UMPPacket(0x14FF_0000),
        ])
    }

    @Test func noticesAndUnknownEventsAreNotTranslated() {
        var translator = SequencerInputTranslator(portCount: 17)
        var packets: [UMPPacket] = []
        let notices: [SequencerEvent] = [
            .portSubscribed(sender: Address(client: ClientID(130), port: PortID(0)), destination: Address(client: ClientID(128), port: PortID(1))),
            .clientStarted(ClientID(131)), .other(type: 5),
        ]
        for event in notices {
            #expect(!translator.translate(event, portIndex: 1, group: 0) { packets.append($0) })
        }
        #expect(packets.isEmpty)
        #expect(translator.ignoredEvents == 1)
    }

    @Test func sysExOfSixBytesIsOneCompletePacket() throws {
        let packets = umpFrom([.systemExclusive([0xF0, 1, 2, 3, 4, 5, 6, 0xF7])], group: 1)
        #expect(packets == [UMPPacket(0x3106_0102, 0x0304_0506)])
    }

    @Test func longSysExInSeveralEventsIsOneStartContinueEndSequence() throws {
        let payload = (0..<1000).map { UInt8(($0 * 13 + 1) & 0x7F) }
        let message = [0xF0] + payload + [0xF7]
        // The way the kernel's MIDI ports deliver it: 256-byte chunks, F0 only in the first.
        let chunks = stride(from: 0, to: message.count, by: 256).map {
            SequencerEvent.systemExclusive(Array(message[$0..<min($0 + 256, message.count)]))
        }
        #expect(chunks.count == 4)
        let packets = umpFrom(chunks, port: 5, group: 4)
        #expect(packets.count == SysEx7.packetCount(forPayloadSize: 1000))
        #expect(packets.allSatisfy { $0.group == 4 })
        #expect(try sysExPayload(packets) == payload)
    }

    @Test func sysExChunksOnTwoPortsStayApart() throws {
        let a = [UInt8](repeating: 0x11, count: 20), b = [UInt8](repeating: 0x22, count: 20)
        var translator = SequencerInputTranslator(portCount: 17)
        var byGroup: [UInt8: [UMPPacket]] = [:]
        let events: [(Int, UInt8, SequencerEvent)] = [
            (1, 0, .systemExclusive([0xF0] + a[0..<10])), (2, 1, .systemExclusive([0xF0] + b[0..<10])),
            (1, 0, .systemExclusive(Array(a[10...]) + [0xF7])), (2, 1, .systemExclusive(Array(b[10...]) + [0xF7])),
        ]
        for (port, group, event) in events {
            translator.translate(event, portIndex: port, group: group) { byGroup[$0.group ?? 99, default: []].append($0) }
        }
        #expect(try sysExPayload(byGroup[0] ?? []) == a)
        #expect(try sysExPayload(byGroup[1] ?? []) == b)
    }

    @Test func aChannelMessageEndsAnUnfinishedSysExAsOnACable() throws {
        let packets = umpFrom([.systemExclusive([0xF0, 1, 2, 3, 4, 5, 6, 7]), .noteOn(channel: 0, note: 60, velocity: 1)])
        #expect(packets.count == 3)
        #expect(try sysExPayload(Array(packets.prefix(2))) == [1, 2, 3, 4, 5, 6, 7])
        #expect(packets.last == UMPPacket(0x2090_3C01))
    }

    // MARK: UMP → ALSA

    @Test func type2BecomesTheSameEvents() {
        let events = eventsFrom([
            UMPPacket(0x2290_3C64), UMPPacket(0x2281_3D00), UMPPacket(0x22A2_3E21), UMPPacket(0x22B3_0763),
            UMPPacket(0x22C4_0500), UMPPacket(0x22D5_4600), UMPPacket(0x22EF_152A),
        ])
        #expect(events.map(\.0) == Array(repeating: 2, count: 7))
        #expect(events.map(\.1) == [
            .noteOn(channel: 0, note: 60, velocity: 100), .noteOff(channel: 1, note: 61, velocity: 0),
            .keyPressure(channel: 2, note: 62, pressure: 33), .controlChange(channel: 3, controller: 7, value: 99),
            .programChange(channel: 4, program: 5), .channelPressure(channel: 5, pressure: 70),
            .pitchBend(channel: 15, value: 0x1515),
        ])
    }

    @Test func midi2NoteOnVelocity0x8208BecomesVelocity65() {
        let events = eventsFrom([UMPPacket(0x4090_3C00, 0x8208_0000)])
        #expect(events.count == 1)
        #expect(events.first?.0 == 0)
        #expect(events.first?.1 == .noteOn(channel: 0, note: 60, velocity: 0x41))
    }

    @Test func midi2MessagesAreDownConverted() {
        // Program change with bank valid → CC 0, CC 32, program; 32-bit CC → 7 bits; pitch bend 32 → 14.
        let events = eventsFrom([
            UMPPacket(0x43C2_0001, 0x0500_0203),
            UMPPacket(0x43B2_0700, 0x8208_2082),
            UMPPacket(0x43E2_0000, 0x8004_0020),
            UMPPacket(0x4392_3C00, 0x0000_0000),      // velocity 0 → 1, never a note off
        ]).map(\.1)
        #expect(events == [
            .controlChange(channel: 2, controller: 0, value: 2), .controlChange(channel: 2, controller: 32, value: 3),
            .programChange(channel: 2, program: 5), .controlChange(channel: 2, controller: 7, value: 0x41),
            .pitchBend(channel: 2, value: 0x2001), .noteOn(channel: 2, note: 60, velocity: 1),
        ])
    }

    @Test func type1BecomesSystemEvents() {
        let events = eventsFrom([
            UMPPacket(0x14F2_3424), UMPPacket(0x14F3_0300), UMPPacket(0x14F1_2500), UMPPacket(0x14F6_0000),
            UMPPacket(0x14F8_0000), UMPPacket(0x14FA_0000), UMPPacket(0x14FB_0000), UMPPacket(0x14FC_0000),
            UMPPacket(0x14FE_0000), UMPPacket(0x14FF_0000),
        ])
        #expect(events.allSatisfy { $0.0 == 4 })
        #expect(events.map(\.1) == [
            .songPosition(0x1234), .songSelect(3), .timeCodeQuarterFrame(0x25), .tuneRequest,
            .timingClock, .start, .continue, .stop, .activeSensing, .systemReset,
        ])
    }

    @Test func sysExPacketsBecomeOneWholeEventPerGroup() {
        let long = (0..<1000).map { UInt8($0 & 0x7F) }
        let short: [UInt8] = [1, 2, 3]
        // Interleave two groups' packets: each group assembles its own message.
        let a = SysEx7.packets(group: 0, payload: long), b = SysEx7.packets(group: 5, payload: short)
        var interleaved = [a[0], b[0]]
        interleaved += a.dropFirst()
        let events = eventsFrom(interleaved)
        #expect(events.count == 2)
        #expect(events[0].0 == 5 && events[0].1 == .systemExclusive([0xF0] + short + [0xF7]))
        #expect(events[1].0 == 0 && events[1].1 == .systemExclusive([0xF0] + long + [0xF7]))
    }

    @Test func brokenSysExSequencesAreDroppedAndCounted() {
        var translator = SequencerOutputTranslator(maximumSysExSize: 64)
        let end = SysEx7Packet.packet(group: 0, format: .end, bytes: [1, 2])
        let start = SysEx7Packet.packet(group: 0, format: .start, bytes: [1, 2, 3, 4, 5, 6])
        let complete = SysEx7Packet.packet(group: 0, format: .complete, bytes: [9])
        var events = eventsFrom([end, start, complete], translator: &translator)
        // End without start dropped; the Start interrupted by a Complete dropped; the Complete kept.
        #expect(events.map(\.1) == [.systemExclusive([0xF0, 9, 0xF7])])
        #expect(translator.sysExStrayPackets == 1)
        #expect(translator.sysExDroppedMessages == 1)
        // Longer than the limit: dropped up to its End; the next message is fine.
        events = eventsFrom(SysEx7.packets(group: 0, payload: [UInt8](repeating: 1, count: 100))
                            + SysEx7.packets(group: 0, payload: [2]), translator: &translator)
        #expect(events.map(\.1) == [.systemExclusive([0xF0, 2, 0xF7])])
        #expect(translator.sysExDroppedMessages == 2)
    }

    @Test func sysExBufferIsReusedFromMessageToMessage() {
        var assembler = SysEx7Assembler(framing: .midi1Message)
        var addresses: [UnsafeRawPointer?] = []
        for round in 0..<3 {
            for packet in SysEx7.packets(group: 3, payload: [UInt8](repeating: UInt8(round), count: 500)) {
                assembler.append(packet) { (message: [UInt8]) in
                    addresses.append(message.withUnsafeBytes { $0.baseAddress })
                }
            }
        }
        #expect(addresses.count == 3)
        #expect(Set(addresses.map { $0.map(UInt.init(bitPattern:)) }).count == 1, "the group's buffer is one allocation, reused")
    }

    @Test func messagesWithoutAMIDI1FormAreNotEmitted() {
        var translator = SequencerOutputTranslator()
        let packets = [
            UMPPacket(0x0000_0000),                                  // NOOP
            UMPPacket(0xF001_0101, 0, 0, 0),                         // stream message
            UMPPacket(0x50_00_00_00, 0, 0, 0),                       // SysEx8
            UMPPacket(0xD010_0000, 0, 0, 0),                         // flex data
            UMPPacket(0x4000_3C00, 0x1234_5678),                     // per-note controller (no MIDI 1.0 form)
        ]
        #expect(eventsFrom(packets, translator: &translator).isEmpty)
        #expect(translator.untranslatable == 5)
    }

    @Test func everyMIDI1EventSurvivesTheRoundTrip() {
        var input = SequencerInputTranslator(portCount: 17)
        var output = SequencerOutputTranslator()
        var originals: [SequencerEvent] = []
        for channel: UInt8 in [0, 9, 15] {
            for value: UInt8 in [0, 1, 63, 64, 65, 126, 127] {
                originals += [.noteOn(channel: channel, note: value, velocity: 127 - value),
                              .noteOff(channel: channel, note: value, velocity: value),
                              .keyPressure(channel: channel, note: value, pressure: value),
                              .controlChange(channel: channel, controller: value, value: 127 - value),
                              .programChange(channel: channel, program: value),
                              .channelPressure(channel: channel, pressure: value)]
            }
            for bend: UInt16 in [0, 1, 0x1FFF, 0x2000, 0x2001, 0x3FFF] { originals.append(.pitchBend(channel: channel, value: bend)) }
        }
        originals += [.songPosition(0), .songPosition(0x3FFF), .songSelect(127), .timeCodeQuarterFrame(0x7F), .tuneRequest,
                      .timingClock, .start, .continue, .stop, .activeSensing, .systemReset,
                      .systemExclusive([0xF0, 0xF7]), .systemExclusive([0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7])]
        var back: [SequencerEvent] = []
        for event in originals {
            input.translate(event, portIndex: 7, group: 6) { packet in
                output.translate(packet) { group, event in
                    #expect(group == 6)
                    back.append(event)
                }
            }
        }
        #expect(back == originals)
    }

    // MARK: Port layout

    func loopbackEndpoint(name: String, groupCount: Int = 16, functionBlocks: [DeclaredFunctionBlock] = [],
                          customName: String? = nil, approach: LegacyPortNamingApproach = .builtInDefault,
                          umpOnly: Bool = false) -> MidiEndpoint {
        var declared = DeclaredEndpointState()
        declared.functionBlocks = functionBlocks
        var customization = EndpointCustomization()
        customization.name = customName
        return MidiEndpoint(id: EndpointDeviceId(instance: "loop_a_test"), transport: .loopback,
                            deviceInstanceId: .loopbackTransport,
                            transportSupplied: TransportSuppliedInfo(name: name), declared: declared,
                            customization: customization, groupCount: groupCount, loopbackSide: .a,
                            legacyPorts: LegacyPortSettings(umpOnly: umpOnly, namingApproach: approach))
    }

    @Test func portZeroIsTheEndpointThenOnePortPerGroup() {
        let layout = BridgePortLayout(endpoint: loopbackEndpoint(name: "Perm Loopback 1A"))
        #expect(layout.clientName == "Perm Loopback 1A")
        #expect(layout.portNames == ["Perm Loopback 1A"] + (1...16).map { "Group \($0)" })
        #expect(layout.group(forPort: PortID(0)) == 0)
        #expect(layout.group(forPort: PortID(1)) == 0)
        #expect(layout.group(forPort: PortID(3)) == 2)
        #expect(layout.group(forPort: PortID(16)) == 15)
        #expect(layout.group(forPort: PortID(17)) == nil)
        #expect(layout.port(forGroup: 2) == PortID(3))

        let small = BridgePortLayout(endpoint: loopbackEndpoint(name: "Small", groupCount: 4))
        #expect(small.portNames.count == 5)
        #expect(small.group(forPort: PortID(5)) == nil)
        #expect(small.port(forGroup: 4) == nil, "group 5 of a 4-group pair appears on port 0 only")
    }

    @Test func functionBlockNamesNameTheGroupPortsTheyCoverUnderNewStyle() {
        let blocks = [
            DeclaredFunctionBlock(number: 1, name: "Pads", isActive: true, firstGroup: 1, groupCount: 3),
            DeclaredFunctionBlock(number: 0, name: "Keys", isActive: true, firstGroup: 0, groupCount: 2),
            DeclaredFunctionBlock(number: 2, name: "", isActive: true, firstGroup: 5, groupCount: 1),
            DeclaredFunctionBlock(number: 3, name: String(repeating: "x", count: 80), firstGroup: 7, groupCount: 1),
        ]
        let layout = BridgePortLayout(endpoint: loopbackEndpoint(name: "Synth", functionBlocks: blocks, customName: "My Synth",
                                                                 approach: .newStyle))
        #expect(layout.clientName == "My Synth")
        #expect(layout.portNames[0] == "My Synth")
        #expect(layout.portNames[1] == "Group 1 (Keys)")
        #expect(layout.portNames[2] == "Group 2 (Keys)", "block 0 comes before block 1 for group 2")
        #expect(layout.portNames[3] == "Group 3 (Pads)")
        #expect(layout.portNames[5] == "Group 5")
        #expect(layout.portNames[6] == "Group 6", "a block without a name leaves the group's name alone")
        #expect(layout.portNames[8] == "Group 8 (" + String(repeating: "x", count: 53) + ")")
    }

    @Test func onlyLoopbackSidesAreBridged() {
        #expect(ALSABridge.isBridged(loopbackEndpoint(name: "X")))
        #expect(!ALSABridge.isBridged(loopbackEndpoint(name: "X", umpOnly: true)), "a UMP-only side has no client")
        let diagnostic = MidiEndpoint(id: .diagnosticsLoopbackA, transport: .diagnostics, deviceInstanceId: .diagnosticsTransport,
                                      purpose: .diagnosticLoopback, transportSupplied: TransportSuppliedInfo(name: "Service Test Loopback A"))
        #expect(!ALSABridge.isBridged(diagnostic))
    }
}
