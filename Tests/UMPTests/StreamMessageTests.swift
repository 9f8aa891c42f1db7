import Testing
@testable import UMP

/// UMP Stream messages (type F), bit layouts from M2-104-UM §7.1: word 0 is
/// `1111 ff ssssssssss` + 16 bits; format in bits 26–27, status in bits 16–25.
@Suite struct StreamMessageTests {
    @Test func endpointDiscoveryLayout() {
        let packet = UMPStreamMessage.endpointDiscovery(EndpointDiscovery()).packet
        // UMP version 1.1, filter bits 0–4 all set.
        #expect(packet.words == [0xF000_0101, 0x0000_001F, 0, 0])
        guard case .stream(.endpointDiscovery(let d)) = packet.message else {
            Issue.record("not decoded as Endpoint Discovery: \(packet.message)"); return
        }
        #expect(d.umpVersionMajor == 1 && d.umpVersionMinor == 1)
        #expect(d.filter == .all)
        let nameOnly = UMPStreamMessage.endpointDiscovery(EndpointDiscovery(filter: [.endpointName])).packet
        #expect(nameOnly.word1 == 0x0000_0004)
    }

    @Test func endpointInfoLayout() {
        let info = EndpointInfoNotification(staticFunctionBlocks: true, numberOfFunctionBlocks: 2,
                                supportsMIDI2Protocol: true, supportsMIDI1Protocol: true,
                                receivesJRTimestamps: true, transmitsJRTimestamps: false)
        let packet = UMPStreamMessage.endpointInfoNotification(info).packet
        // s=1, n=2 in bits 24–30, M2 bit 9, M1 bit 8, RXJR bit 1.
        #expect(packet.words == [0xF001_0101, 0x8200_0302, 0, 0])
        #expect(packet.message == .stream(.endpointInfoNotification(info)))

        let decoded = UMPStreamMessage(UMPPacket(0xF001_0101, 0x2000_0301, 0, 0))
        #expect(decoded == .endpointInfoNotification(EndpointInfoNotification(
            staticFunctionBlocks: false, numberOfFunctionBlocks: 32, supportsMIDI2Protocol: true,
            supportsMIDI1Protocol: true, receivesJRTimestamps: false, transmitsJRTimestamps: true)))
    }

    @Test func deviceIdentityLayout() {
        let identity = DeviceIdentityNotification(manufacturerId: 0x00_21_09, family: 0x1234, familyModel: 0x0081,
                                      softwareRevision: 0x01_02_03_04)
        let packet = UMPStreamMessage.deviceIdentityNotification(identity).packet
        // Family 0x1234 → LSB 0x34, MSB 0x24; model 0x81 → LSB 0x01, MSB 0x01.
        #expect(packet.words == [0xF002_0000, 0x0000_2109, 0x3424_0101, 0x0102_0304])
        #expect(packet.message == .stream(.deviceIdentityNotification(identity)))
    }

    @Test func streamConfigurationLayout() {
        let request = UMPStreamMessage.streamConfigurationRequest(
            StreamConfiguration(protocol: .midi2, receivesJRTimestamps: true))
        #expect(request.packet.words == [0xF005_0202, 0, 0, 0])
        let notification = UMPStreamMessage.streamConfigurationNotification(
            StreamConfiguration(protocol: .midi1, transmitsJRTimestamps: true))
        #expect(notification.packet.words == [0xF006_0101, 0, 0, 0])
        #expect(UMPStreamMessage(request.packet) == request)
        #expect(UMPStreamMessage(notification.packet) == notification)
    }

    @Test func functionBlockDiscoveryAndInfoLayout() {
        let discovery = UMPStreamMessage.functionBlockDiscovery(FunctionBlockDiscovery())
        #expect(discovery.packet.words == [0xF010_FF03, 0, 0, 0])
        #expect(UMPStreamMessage(discovery.packet) == discovery)

        let info = FunctionBlockInfoNotification(functionBlock: 1, isActive: true, uiHint: .sender, midi1: .unrestricted,
                                     direction: .bidirectional, firstGroup: 0, numberOfGroupsSpanned: 4,
                                     midiCIMessageVersion: 1, maxSysEx8Streams: 0)
        let packet = UMPStreamMessage.functionBlockInfoNotification(info).packet
        // a=1 (bit 15), fb=1 (bits 8–14), ui=10, m1=01, dir=11.
        #expect(packet.words == [0xF011_8127, 0x0004_0100, 0, 0])
        #expect(packet.message == .stream(.functionBlockInfoNotification(info)))
    }

    @Test func clipMessages() {
        #expect(UMPStreamMessage.startOfClip.packet.words == [0xF020_0000, 0, 0, 0])
        #expect(UMPStreamMessage.endOfClip.packet.words == [0xF021_0000, 0, 0, 0])
        #expect(UMPStreamMessage(UMPPacket(0xF021_0000, 0, 0, 0)) == .endOfClip)
    }

    @Test func unknownStreamStatusStaysRaw() {
        let packet = UMPPacket(0xF3FE_0000, 1, 2, 0)  // the service's ping request
        #expect(UMPStreamMessage(packet) == nil)
        #expect(packet.message == .unknown(packet))
    }

    @Test func shortEndpointNameIsOneCompletePacket() {
        let packets = UMPStreamText.endpointNamePackets("Hello")
        #expect(packets.map(\.words) == [[0xF003_4865, 0x6C6C_6F00, 0, 0]])
        guard case .stream(.endpointNameNotification(let format, let text)) = packets[0].message else {
            Issue.record("not an Endpoint Name Notification"); return
        }
        #expect(format == .complete)
        #expect(Array(text) == Array("Hello".utf8))
    }

    @Test func twentyCharacterNameSpansTwoPackets() {
        let packets = UMPStreamText.endpointNamePackets("ABCDEFGHIJKLMNOPQRST")
        // Start (format 01 → 0xF4…) carries 14 bytes, End (format 11 → 0xFC…) the other 6.
        #expect(packets.map(\.words) == [
            [0xF403_4142, 0x4344_4546, 0x4748_494A, 0x4B4C_4D4E],
            [0xFC03_4F50, 0x5152_5354, 0, 0],
        ])
        var assembler = UMPStreamTextAssembler()
        #expect(assembler.append(packets[0]) == nil)
        #expect(assembler.append(packets[1]) == .endpointName("ABCDEFGHIJKLMNOPQRST"))
    }

    @Test func longNameUsesContinuePacketsAndIsCutAt98Bytes() {
        let name = String(repeating: "x", count: 120)
        let packets = UMPStreamText.endpointNamePackets(name)
        #expect(packets.count == 7)
        #expect(packets.map { UMPStreamMessage.format(of: $0) } == [.start, .continue, .continue, .continue,
                                                                    .continue, .continue, .end])
        #expect(packets[2].word0 >> 24 == 0xF8)
        var assembler = UMPStreamTextAssembler()
        var result: UMPStreamTextAssembler.Text?
        for packet in packets { result = assembler.append(packet) }
        #expect(result == .endpointName(String(repeating: "x", count: 98)))
    }

    @Test func utf8IsNeverCutInsideACharacter() {
        // 49 two-byte characters = 98 bytes fit; a 50th does not, and no half character is sent.
        let name = String(repeating: "é", count: 50)
        #expect(UMPStreamText.truncatedUTF8(name, maxBytes: 98).count == 98)
        #expect(UMPStreamText.truncatedUTF8("aé", maxBytes: 2) == [0x61])
        var assembler = UMPStreamTextAssembler()
        var result: UMPStreamTextAssembler.Text?
        for packet in UMPStreamText.endpointNamePackets(name) { result = assembler.append(packet) }
        #expect(result == .endpointName(String(repeating: "é", count: 49)))
    }

    @Test func productInstanceIdSplitsAt14AndCutsAt42() {
        let packets = UMPStreamText.productInstanceIdPackets("SER-0001-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")
        #expect(packets.count == 3)
        #expect(packets.allSatisfy { UMPStreamMessage.status(of: $0) == 0x004 })
        var assembler = UMPStreamTextAssembler()
        var result: UMPStreamTextAssembler.Text?
        for packet in packets { result = assembler.append(packet) }
        #expect(result == .productInstanceId("SER-0001-ABCDEFGHIJKLMNOPQRSTUVWXYZ-012345"))
    }

    @Test func functionBlockNameCarries13BytesPerPacket() {
        let short = UMPStreamText.functionBlockNamePackets(functionBlock: 2, name: "Synth")
        #expect(short.map(\.words) == [[0xF012_0253, 0x796E_7468, 0, 0]])
        #expect(short[0].message == .stream(.functionBlockNameNotification(
            format: .complete, functionBlock: 2, text: UMPPacketBytes(Array("Synth".utf8)))))

        let name = String(repeating: "n", count: 100)
        let packets = UMPStreamText.functionBlockNamePackets(functionBlock: 5, name: name)
        #expect(packets.count == 7)  // 91 bytes / 13
        var assembler = UMPStreamTextAssembler()
        var result: UMPStreamTextAssembler.Text?
        for packet in packets { result = assembler.append(packet) }
        #expect(result == .functionBlockName(functionBlock: 5, name: String(repeating: "n", count: 91)))
    }

    @Test func emptyNameIsOneEmptyCompletePacket() {
        let packets = UMPStreamText.endpointNamePackets("")
        #expect(packets.map(\.words) == [[0xF003_0000, 0, 0, 0]])
        var assembler = UMPStreamTextAssembler()
        #expect(assembler.append(packets[0]) == .endpointName(""))
    }

    @Test func assemblerReportsBrokenSequencesAndKeepsGoing() {
        let first = UMPStreamText.endpointNamePackets("ABCDEFGHIJKLMNOPQRST")
        let second = UMPStreamText.endpointNamePackets("Second")
        var problems: [UMPStreamTextError] = []
        var assembler = UMPStreamTextAssembler()
        // End without Start.
        #expect(assembler.append(first[1]) { problems.append($0) } == nil)
        // Start, then a Complete interrupts it: the Complete still comes through.
        #expect(assembler.append(first[0]) { problems.append($0) } == nil)
        #expect(assembler.append(second[0]) { problems.append($0) } == .endpointName("Second"))
        #expect(problems == [
            .withoutStart("Endpoint Name Notification", format: .end),
            .interrupted("Endpoint Name Notification", discardedByteCount: 14),
        ])
    }

    @Test func namesOfDifferentKindsAndBlocksInterleave() {
        let endpoint = UMPStreamText.endpointNamePackets("Endpoint name that is long")
        let block0 = UMPStreamText.functionBlockNamePackets(functionBlock: 0, name: "Block zero name!")
        let block1 = UMPStreamText.functionBlockNamePackets(functionBlock: 1, name: "Block one name!!")
        var assembler = UMPStreamTextAssembler()
        var results: [UMPStreamTextAssembler.Text] = []
        for packet in [endpoint[0], block0[0], block1[0], block1[1], endpoint[1], block0[1]] {
            if let text = assembler.append(packet) { results.append(text) }
        }
        #expect(results == [
            .functionBlockName(functionBlock: 1, name: "Block one name!!"),
            .endpointName("Endpoint name that is long"),
            .functionBlockName(functionBlock: 0, name: "Block zero name!"),
        ])
    }
}
