import Testing
import ServiceCore
import UMP

@Suite("Metadata capture from UMP stream messages")
struct MetadataCaptureTests {
    /// "Hello Synth Endpoint!" (21 bytes) as an Endpoint Name Notification Start + End, built by
    /// hand from M2-104-UM §7.1.4 so that the test does not trust the UMP encoder.
    static let helloName = [
        UMPPacket(0xF403_4865, 0x6C6C_6F20, 0x5379_6E74, 0x6820_456E),   // Start: "He" "llo " "Synt" "h En"
        UMPPacket(0xFC03_6470, 0x6F69_6E74, 0x2100_0000, 0x0000_0000),   // End:   "dp" "oint" "!"
    ]

    @Test("a multi-packet Endpoint Name sent through A renames A (not B) and raises updated(.name)")
    func endpointNameRenamesSender() throws {
        let (service, _) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let onB = RecordingReceiver()
        _ = try service.openConnection(to: ids.b, receiver: onB)
        let a = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        let log = EventLog(service)

        #expect(service.send(Self.helloName[0], timestamp: 0, from: a).succeeded)
        #expect(service.endpoint(ids.a)?.displayName == "Perm Loopback 1A")    // not complete yet
        #expect(log.events.isEmpty)
        #expect(service.send(Self.helloName[1], timestamp: 0, from: a).succeeded)

        #expect(service.endpoint(ids.a)?.displayName == "Hello Synth Endpoint!")
        #expect(service.endpoint(ids.a)?.declared.endpointName == "Hello Synth Endpoint!")
        #expect(service.endpoint(ids.b)?.displayName == "Perm Loopback 1B")
        #expect(log.updates.count == 1)
        #expect(log.updates.first?.0.id == ids.a)
        #expect(log.updates.first?.1 == [.name, .declaredEndpointName])
        // The notification still flows to the other side like any message.
        #expect(onB.packets == Self.helloName)

        // The same name again changes nothing and says nothing.
        for packet in Self.helloName { _ = service.send(packet, timestamp: 0, from: a) }
        #expect(log.updates.count == 1)

        // A custom name wins over the declared one; the declared one is still kept.
        try service.setCustomName("Mine", for: ids.a)
        #expect(service.endpoint(ids.a)?.displayName == "Mine")
        // Changing it back in-protocol works ("change it back later using the same type of message").
        for packet in UMPStreamText.endpointNamePackets("Perm Loopback 1A") { _ = service.send(packet, timestamp: 0, from: a) }
        #expect(service.endpoint(ids.a)?.declared.endpointName == "Perm Loopback 1A")
    }

    @Test("three-packet names (start, continue, end) assemble, on diagnostic loopbacks too")
    func continuePackets() throws {
        let (service, _) = makeService()
        let a = try service.openConnection(to: .diagnosticsLoopbackB, receiver: RecordingReceiver())
        let name = "A rather long endpoint name, over 28 bytes"
        let packets = UMPStreamText.endpointNamePackets(name)
        #expect(packets.count == 3)
        #expect(packets.map { $0.word0 >> 26 & 3 } == [1, 2, 3])
        for packet in packets { _ = service.send(packet, timestamp: 0, from: a) }
        #expect(service.endpoint(.diagnosticsLoopbackB)?.displayName == name)
        #expect(service.endpoint(.diagnosticsLoopbackA)?.declared.endpointName == nil)
    }

    @Test("endpoint info, device identity, product instance id, stream configuration and function blocks are captured")
    func everyNotification() throws {
        let (service, _) = makeService()
        let a = try service.openConnection(to: .diagnosticsLoopbackA, receiver: RecordingReceiver())
        let log = EventLog(service)
        func send(_ packet: UMPPacket) { #expect(service.send(packet, timestamp: 0, from: a).succeeded) }

        // Endpoint Info: UMP 1.1, static, 2 blocks, M2 + M1, RXJR.
        send(UMPPacket(0xF001_0101, 0x8200_0302, 0, 0))
        // Device Identity: SysEx id 00 21 09, family 0x0123 (LSB 0x23, MSB 0x02), model 0x0456, revision 1.2.3.4.
        send(UMPPacket(0xF002_0000, 0x0000_2109, 0x2302_5608, 0x0102_0304))
        // Stream Configuration Notification: MIDI 2.0, TXJR.
        send(UMPPacket(0xF006_0201, 0, 0, 0))
        // Function Block Info: active, block 1, UI hint sender (2), MIDI 1 restricted (2), output (2);
        // first group 4, 2 groups, MIDI-CI version 1, 3 SysEx8 streams.
        send(UMPPacket(0xF011_8000 | 0x0100 | 0x20 | 0x08 | 0x02, 0x0402_0103, 0, 0))
        for packet in UMPStreamText.functionBlockNamePackets(functionBlock: 1, name: "Drum Machine Outputs") { send(packet) }
        for packet in UMPStreamText.productInstanceIdPackets("SN-000123") { send(packet) }
        // Requests are not declarations.
        send(UMPStreamMessage.endpointDiscovery(EndpointDiscovery()).packet)
        send(UMPStreamMessage.streamConfigurationRequest(StreamConfiguration(protocol: .midi1)).packet)

        let declared = try #require(service.endpoint(.diagnosticsLoopbackA)?.declared)
        #expect(declared.endpointInfo == EndpointInfoNotification(
            umpVersionMajor: 1, umpVersionMinor: 1, staticFunctionBlocks: true, numberOfFunctionBlocks: 2,
            supportsMIDI2Protocol: true, supportsMIDI1Protocol: true, receivesJRTimestamps: true, transmitsJRTimestamps: false))
        let identity = try #require(declared.deviceIdentity)
        #expect(identity.manufacturerIdBytes == [0x00, 0x21, 0x09])
        #expect(identity.family == 0x02 << 7 | 0x23 && identity.familyModel == 0x08 << 7 | 0x56)
        #expect(identity.softwareRevisionBytes == [1, 2, 3, 4])
        #expect(declared.streamConfiguration == DeclaredStreamConfiguration(
            protocol: 0x02, receiveJitterReductionTimestamps: false, sendJitterReductionTimestamps: true))
        #expect(declared.productInstanceId == "SN-000123")
        #expect(declared.functionBlocks == [DeclaredFunctionBlock(
            number: 1, name: "Drum Machine Outputs", isActive: true, direction: .output, uiHint: .sender,
            midi10: .restricted31250, firstGroup: 4, groupCount: 2, midiCIMessageVersionFormat: 1, maxSysEx8Streams: 3)])
        #expect(log.updates.map(\.1) == [.declaredEndpointInfo, .deviceIdentity, .streamConfiguration,
                                         .functionBlocks, .functionBlocks, .productInstanceId])
        #expect(service.endpoint(.diagnosticsLoopbackA)?.displayName == "Service Test Loopback A")
    }

    @Test("a function block name before its info keeps the name when the info arrives; blocks stay ordered")
    func functionBlockOrder() throws {
        let (service, _) = makeService()
        let a = try service.openConnection(to: .diagnosticsLoopbackA, receiver: RecordingReceiver())
        for packet in UMPStreamText.functionBlockNamePackets(functionBlock: 3, name: "Three") { _ = service.send(packet, timestamp: 0, from: a) }
        _ = service.send(UMPStreamMessage.functionBlockInfoNotification(
            FunctionBlockInfoNotification(functionBlock: 3, direction: .input, firstGroup: 2)).packet, timestamp: 0, from: a)
        _ = service.send(UMPStreamMessage.functionBlockInfoNotification(
            FunctionBlockInfoNotification(functionBlock: 0, direction: .bidirectional, firstGroup: 0)).packet, timestamp: 0, from: a)
        let blocks = try #require(service.endpoint(.diagnosticsLoopbackA)?.declared.functionBlocks)
        #expect(blocks.map(\.number) == [0, 3])
        #expect(blocks[1].name == "Three")
        #expect(blocks[1].direction == .input && blocks[1].firstGroup == 2 && blocks[1].isActive)
    }

    @Test("messages dropped by a muted pair are not captured; out-of-sequence text is counted")
    func mutedAndMalformed() throws {
        let (service, _) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let a = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
        try service.setMuted(associationId: try seedPair1().associationId, true)
        for packet in Self.helloName { _ = service.send(packet, timestamp: 0, from: a) }
        #expect(service.endpoint(ids.a)?.declared.endpointName == nil)
        try service.setMuted(associationId: try seedPair1().associationId, false)

        _ = service.send(Self.helloName[1], timestamp: 0, from: a)       // End without Start
        #expect(service.counters.malformedStreamText == 1)
        #expect(service.endpoint(ids.a)?.declared.endpointName == nil)
    }

    @Test("a scheduled notification is captured when it is delivered")
    func scheduledCapture() throws {
        let (service, clock) = makeService()
        let a = try service.openConnection(to: .diagnosticsLoopbackA, receiver: RecordingReceiver())
        let due = clock.time + 20_000_000
        for packet in UMPStreamText.endpointNamePackets("Later") { _ = service.send(packet, timestamp: due, from: a) }
        #expect(service.endpoint(.diagnosticsLoopbackA)?.declared.endpointName == nil)
        service.deliverDue(now: due)
        #expect(service.endpoint(.diagnosticsLoopbackA)?.displayName == "Later")
    }

    @Test("declared metadata is persisted and restored by a new service, for endpoints that appear later")
    func persisted() throws {
        let store = InMemoryStateStore()
        do {
            let (service, _) = makeService(store: store)
            let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
            let a = try service.openConnection(to: ids.a, receiver: RecordingReceiver())
            for packet in Self.helloName { _ = service.send(packet, timestamp: 0, from: a) }
            _ = service.send(UMPPacket(0xF011_8000 | 0x0100 | 0x02, 0x0402_0103, 0, 0), timestamp: 0, from: a)
            _ = service.send(UMPPacket(0xF002_0000, 0x0000_2109, 0x2302_5608, 0x0102_0304), timestamp: 0, from: a)
        }
        let (service, _) = makeService(store: store)
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let endpoint = try #require(service.endpoint(ids.a))
        #expect(endpoint.displayName == "Hello Synth Endpoint!")
        #expect(endpoint.declared.functionBlocks.first?.firstGroup == 4)
        #expect(endpoint.declared.functionBlocks.first?.direction == .output)
        #expect(endpoint.declared.deviceIdentity?.manufacturerIdBytes[1] == 0x21)
        #expect(endpoint.declared.deviceIdentity?.softwareRevisionBytes[3] == 4)

        // Clearing the declared info falls back to the transport name and is saved too.
        try service.clearDeclaredInfo(for: ids.a)
        #expect(service.endpoint(ids.a)?.displayName == "Perm Loopback 1A")
        let third = MidiService(clock: ManualServiceClock(), stateStore: store)
        let again = try third.createLoopbackPair(try seedPair1(), origin: .transient)
        #expect(third.endpoint(again.a)?.declared.isEmpty == true)
    }

    @Test("a device's own notifications describe the device endpoint")
    func deviceCapture() throws {
        final class Sink: EndpointDevice { func transmit(_ message: TimestampedUMP) -> Bool { true } }
        let (service, _) = makeService()
        let id = EndpointDeviceId(instance: "usb_1209_4d49_ser-0001")
        let handle = try service.addDeviceEndpoint(DeviceEndpointDescriptor(
            id: id, transport: .usb, deviceInstanceId: .usb(vendorId: 0x1209, productId: 0x4D49, instance: "SER-0001"),
            nativeDataFormat: .universalMIDIPacket, transportSupplied: TransportSuppliedInfo(name: "Pico"),
            groupTerminalBlocks: [], groupCount: 16), device: Sink())
        for packet in UMPStreamText.endpointNamePackets("Pico MIDI 2") {
            _ = service.receiveFromDevice(TimestampedUMP(timestamp: 0, packet: packet), on: handle)
        }
        #expect(service.endpoint(id)?.displayName == "Pico MIDI 2")
    }
}
