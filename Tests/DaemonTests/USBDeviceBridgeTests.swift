import ALSASequencer
import Glibc
@testable import MIDIDaemon
import ServiceCore
import Testing
import UdevDevices
import UMP

/// The USB device bridge in-process: a real `MidiService` and `EventLoop`, pipes in place of
/// the rawmidi substreams (the kernel side is covered by the VM group usb-endpoints).
@Suite("USB device bridge")
struct USBDeviceBridgeTests {
    let id1 = usbId("usb_1209_4d49_ser-0001")

    // MARK: Endpoints and identities

    @Test func arrivalAddsOneEndpointAndRemovalRemovesIt() throws {
        let rig = USBBridgeRig()
        let device = try #require(rig.manager.cardArrived(usbCard()))
        #expect(device.id == id1)
        let endpoint = try #require(rig.service.endpoint(id1))
        #expect(endpoint.transport == .usb)
        #expect(endpoint.deviceInstanceId.rawValue == #"USB\VID_1209&PID_4D49\SER-0001"#)
        #expect(endpoint.groupTerminalBlocks.count == 4)
        #expect(rig.service.endpoints(matching: .allStandardEndpoints).map(\.id) == [id1])
        guard case .added(let added)? = rig.events.last else { Issue.record("no added event"); return }
        #expect(added.id == id1)
        #expect(rig.log.contains("USB MIDI device arrived", level: .info))

        // The same card reported again (a repeated change event) changes nothing.
        #expect(rig.manager.cardArrived(usbCard()) == nil)
        #expect(rig.events.count == 1)

        #expect(rig.manager.cardRemoved(devpath: usbCard().devpath) == id1)
        #expect(rig.service.endpoint(id1) == nil)
        guard case .removed(let removed)? = rig.events.last else { Issue.record("no removed event"); return }
        #expect(removed == id1)
        #expect(rig.manager.cardRemoved(devpath: usbCard().devpath) == nil)
    }

    @Test func twinsGetDistinctIdsAndTheFirstKeepsTheSerialId() throws {
        let rig = USBBridgeRig()
        let first = try #require(rig.manager.cardArrived(usbCard(card: 1, port: 0)))
        let twin = try #require(rig.manager.cardArrived(usbCard(card: 2, port: 2)))
        #expect(first.id == id1)
        #expect(twin.id == usbId("usb_1209_4d49_path_platform-dummy_hcd_2-usb-0_1_1_0"))
        #expect(rig.service.endpoint(twin.id)?.transportSupplied.serialNumber == "SER-0001")
        #expect(rig.log.contains("already held by an attached device"))

        // The holder leaves; the next arrival with that serial gets the serial id.
        rig.manager.cardRemoved(devpath: usbCard(card: 1, port: 0).devpath)
        let third = try #require(rig.manager.cardArrived(usbCard(card: 1, port: 1)))
        #expect(third.id == id1)
        #expect(rig.service.endpoint(twin.id) != nil)
    }

    @Test func placeholderAndMissingSerialsGivePortPathIds() throws {
        let rig = USBBridgeRig()
        let zero = try #require(rig.manager.cardArrived(usbCard(card: 1, pid: 0x4D51, serial: "0000", port: 1)))
        #expect(zero.id == usbId("usb_1209_4d51_path_platform-dummy_hcd_1-usb-0_1_1_0"))
        #expect(zero.identity.deviceInstanceId.rawValue == #"USB\VID_1209&PID_4D51\platform-dummy_hcd_1-usb-0_1_1_0"#)
        let none = try #require(rig.manager.cardArrived(usbCard(card: 2, pid: 0x4D50, serial: nil, port: 2)))
        #expect(none.id == usbId("usb_1209_4d50_path_platform-dummy_hcd_2-usb-0_1_1_0"))
        #expect(rig.log.contains("the device reports no serial number"))
        // Same socket again: same id.
        rig.manager.cardRemoved(devpath: usbCard(card: 2, port: 2).devpath)
        #expect(rig.manager.cardArrived(usbCard(card: 4, pid: 0x4D50, serial: nil, port: 2))?.id == none.id)
    }

    @Test func customNameSurvivesReplugAndARestartedService() throws {
        let store = InMemoryStateStore()
        do {
            let rig = USBBridgeRig(store: store)
            rig.manager.cardArrived(usbCard())
            try rig.service.setCustomName("Stage Keys", for: id1)
            rig.manager.cardRemoved(devpath: usbCard().devpath)
            rig.manager.cardArrived(usbCard(card: 5))
            #expect(rig.service.endpoint(id1)?.displayName == "Stage Keys")
            guard case .added(let added)? = rig.events.last else { Issue.record("no added event"); return }
            #expect(added.displayName == "Stage Keys")   // restored before `added`
            rig.manager.stop()
        }
        let restarted = USBBridgeRig(store: store)
        restarted.manager.cardArrived(usbCard())
        #expect(restarted.service.endpoint(id1)?.displayName == "Stage Keys")
        #expect(restarted.service.endpoint(id1)?.transportSupplied.name == "Test Synth")
    }

    // MARK: Device I/O

    @Test func umpOnGroupGGoesToOutputSubstreamG() throws {
        let rig = USBBridgeRig()
        rig.manager.cardArrived(usbCard())
        let sender = try rig.service.openConnection(to: id1, receiver: CollectingReceiver())
        #expect(rig.service.send(UMPPacket(0x2090_3C40), timestamp: 0, from: sender).succeeded)
        #expect(rig.service.send(UMPPacket(0x4191_3E00, 0xFFFF_0000), timestamp: 0, from: sender).succeeded)
        for packet in SysEx7.packets(group: 1, payload: Array(1...10)) {
            #expect(rig.service.send(packet, timestamp: 0, from: sender).succeeded)
        }
        // Groupless and unmapped messages are accepted and go nowhere.
        #expect(rig.service.send(UMPPacket(0x0010_0001), timestamp: 0, from: sender).succeeded)
        #expect(rig.service.send(UMPPacket(0x2590_3C40), timestamp: 0, from: sender).succeeded)
        try rig.turn()
        #expect(rig.ports.output(card: 1, 0)?.take() == [0x90, 0x3C, 0x40])
        #expect(rig.ports.output(card: 1, 1)?.take() == [0x91, 0x3E, 0x7F, 0xF0] + Array(1...10) + [0xF7])
        let device = try #require(rig.manager.devices.first)
        #expect(device.droppedWithoutGroup == 1)
        #expect(device.droppedNoOutputForGroup == 1)
    }

    @Test func bytesFromInputSubstreamGArriveAsUMPOnGroupG() throws {
        let rig = USBBridgeRig()
        rig.manager.cardArrived(usbCard())
        try rig.turn()
        #expect(rig.ports.state.inputOpens == 0)   // nobody listens: the substreams stay free
        let receiver = CollectingReceiver()
        _ = try rig.service.openConnection(to: id1, receiver: receiver)
        try rig.turn()                             // the iteration hook opens the inputs
        #expect(rig.ports.state.inputOpens == 2)
        let in0 = try #require(rig.ports.input(card: 1, 0))
        let in1 = try #require(rig.ports.input(card: 1, 1))
        in0.send([0x90, 0x3C, 0x40, 0xF8, 0x3E, 0x41])
        in1.send([0xF0, 0x7D, 1, 2, 3, 4, 5, 6, 7])   // SysEx split across reads
        try rig.turn(2)
        in1.send([0xF7, 0xB0, 0x07])
        try rig.turn(2)
        in1.send([0x7F])
        try rig.turn(2)
        #expect(receiver.packets == [
            UMPPacket(0x2090_3C40), UMPPacket(0x10F8_0000), UMPPacket(0x2090_3E41),
            UMPPacket(0x3116_7D01, 0x0203_0405), UMPPacket(0x3132_0607, 0),
            UMPPacket(0x21B0_077F),
        ])
        // Stamped with the service's arrival time.
        #expect(receiver.messages.allSatisfy { $0.timestamp == rig.clock.time })
    }

    @Test func futureTimestampsReachTheDeviceThroughTheScheduler() throws {
        let rig = USBBridgeRig()
        rig.manager.cardArrived(usbCard())
        let sender = try rig.service.openConnection(to: id1, receiver: CollectingReceiver())
        let due = rig.clock.time + 500_000_000
        #expect(rig.service.send(UMPPacket(0x2090_3C40), timestamp: due, from: sender).succeeded)
        try rig.turn()
        #expect(rig.ports.output(card: 1, 0) == nil)      // not opened: nothing was due
        #expect(rig.service.scheduledMessageCount == 1)
        rig.clock.advance(by: 500_000_000)
        rig.service.deliverDue()
        try rig.turn()
        #expect(rig.ports.output(card: 1, 0)?.take() == [0x90, 0x3C, 0x40])
    }

    @Test func substreamsAreHeldOnlyWhileConnectionsAreOpen() throws {
        let rig = USBBridgeRig()
        rig.manager.cardArrived(usbCard())
        let connection = try rig.service.openConnection(to: id1, receiver: CollectingReceiver())
        #expect(rig.service.send(UMPPacket(0x2090_3C40), timestamp: 0, from: connection).succeeded)
        try rig.turn()
        let out0 = try #require(rig.ports.output(card: 1, 0))
        let device = try #require(rig.manager.devices.first)
        #expect(device.inputs.allSatisfy { $0.isOpen })
        #expect(device.outputs[0].isOpen)
        #expect(!device.outputs[1].isOpen)            // never written to: never opened

        // The device has not taken the bytes yet: the output waits for them before closing.
        rig.service.closeConnection(connection)
        try rig.turn()
        #expect(device.inputs.allSatisfy { !$0.isOpen })
        #expect(device.outputs[0].isOpen)
        #expect(out0.take() == [0x90, 0x3C, 0x40])
        try rig.turn()
        #expect(device.outputs[0].isOpen)              // drained, but not quiet for long enough
        rig.advanceBridgeTime(by: USBOutputPort.idleCloseDelay)
        try rig.turn()
        #expect(!device.outputs[0].isOpen)
        #expect(out0.closedDiscarding == false)
    }

    @Test func anUnfinishedSysExKeepsItsOutputOpenAcrossConnections() throws {
        let rig = USBBridgeRig()
        rig.manager.cardArrived(usbCard())
        let parts = SysEx7.packets(group: 0, payload: Array(1...14))   // start, continue, end
        let first = try rig.service.openConnection(to: id1, receiver: CollectingReceiver())
        #expect(rig.service.send(parts[0], timestamp: 0, from: first).succeeded)
        try rig.turn()
        rig.service.closeConnection(first)
        let out0 = try #require(rig.ports.output(card: 1, 0))
        #expect(out0.take() == [0xF0, 1, 2, 3, 4, 5, 6])
        rig.advanceBridgeTime(by: USBOutputPort.idleCloseDelay * 2)
        try rig.turn()
        let device = try #require(rig.manager.devices.first)
        #expect(device.outputs[0].isOpen)              // the SysEx is not finished
        let second = try rig.service.openConnection(to: id1, receiver: CollectingReceiver())
        #expect(rig.service.send(parts[1], timestamp: 0, from: second).succeeded)
        #expect(rig.service.send(parts[2], timestamp: 0, from: second).succeeded)
        rig.service.closeConnection(second)
        try rig.turn()
        #expect(out0.take() == [7, 8, 9, 10, 11, 12, 13, 14, 0xF7])
        #expect(rig.ports.state.outputOpens == 1)      // one open for the whole SysEx
        rig.advanceBridgeTime(by: USBOutputPort.idleCloseDelay)
        try rig.turn()
        #expect(!device.outputs[0].isOpen)
    }

    @Test func aBusyInputIsRetriedAndABusyOutputRefusesMessages() throws {
        let rig = USBBridgeRig()
        rig.manager.cardArrived(usbCard())
        let busyIn = RawMIDISubstreamAddress(card: 1, device: 0, subdevice: 1)
        let busyOut = RawMIDISubstreamAddress(card: 1, device: 0, subdevice: 0)
        rig.ports.state.busyInputs = [busyIn]
        rig.ports.state.busyOutputs = [busyOut]
        let connection = try rig.service.openConnection(to: id1, receiver: CollectingReceiver())
        try rig.turn()
        let device = try #require(rig.manager.devices.first)
        #expect(device.inputs[0].isOpen)
        #expect(!device.inputs[1].isOpen)
        #expect(rig.log.contains("cannot open input hw:1,0,1", level: .warning))
        #expect(rig.log.contains("another program has it open"))

        let refused = rig.service.send(UMPPacket(0x2090_3C40), timestamp: 0, from: connection)
        #expect(refused.succeeded)                     // accepted by the service…
        #expect(refused.receiverOverflows == 1)        // …but the device could not take it
        #expect(rig.log.contains("cannot open output hw:1,0,0", level: .warning))

        // Freed: the input comes back after the retry interval; the output on the next message
        // after its own.
        rig.ports.state.busyInputs = []
        rig.ports.state.busyOutputs = []
        try rig.turn()
        #expect(!device.inputs[1].isOpen)
        rig.advanceBridgeTime(by: USBInputPort.retryInterval)
        try rig.turn()
        #expect(device.inputs[1].isOpen)
        #expect(rig.log.contains("input hw:1,0,1 for group 2 is open now", level: .info))
        rig.advanceBridgeTime(by: USBOutputPort.retryInterval)
        #expect(rig.service.send(UMPPacket(0x2090_3C40), timestamp: 0, from: connection).receiverOverflows == 0)
        try rig.turn()
        #expect(rig.ports.output(card: 1, 0)?.take() == [0x90, 0x3C, 0x40])
    }

    @Test func aDeviceThatTakesNothingFillsItsQueueAndTheSenderIsTold() throws {
        let rig = USBBridgeRig()
        rig.ports.state.outputAccepting = 0
        rig.manager.cardArrived(usbCard())
        let connection = try rig.service.openConnection(to: id1, receiver: CollectingReceiver())
        // 64 KiB hold 21 845 three-byte messages; the next ones are refused, each reported.
        let fitting = USBOutputPort.queueCapacity / 3
        var overflows = 0
        for index in 0..<(fitting + 10) {
            overflows += rig.service.send(UMPPacket(0x2090_3C40), timestamp: 0, from: connection).receiverOverflows
            if index % 1000 == 0 { try rig.turn() }
        }
        try rig.turn()
        #expect(overflows == 10)
        // The device starts taking again: the queue empties, in order, whole messages only.
        let sink = try #require(rig.ports.output(card: 1, 0))
        sink.accepting = .max
        var bytes: [UInt8] = []
        for _ in 0..<200 {
            try rig.turn()
            bytes += sink.take()
        }
        #expect(bytes.count == fitting * 3)
        #expect(bytes.prefix(6) == [0x90, 0x3C, 0x40, 0x90, 0x3C, 0x40])
    }

    @Test func unplugReleasesSubstreamsAndClosesConnections() throws {
        let rig = USBBridgeRig()
        rig.manager.cardArrived(usbCard())
        let connection = try rig.service.openConnection(to: id1, receiver: CollectingReceiver())
        #expect(rig.service.send(UMPPacket(0x2190_3C40), timestamp: 0, from: connection).succeeded)
        try rig.turn()
        let in0 = try #require(rig.ports.input(card: 1, 0))
        rig.manager.cardRemoved(devpath: usbCard().devpath)
        #expect(in0.isClosed)
        #expect(rig.service.send(UMPPacket(0x2190_3C40), timestamp: 0, from: connection).status.contains(.connectionClosedOrInvalid))
        #expect(rig.log.contains("USB MIDI device removed"))
        #expect(rig.log.contains("sent 1 messages (3 bytes)"))
        // The output is closed on a detached thread (the kernel may wait for a gone device).
        let out1 = try #require(rig.ports.output(card: 1, 1))
        for _ in 0..<200 where !out1.isClosed { usleep(5_000) }
        #expect(out1.isClosed)
        #expect(out1.closedDiscarding == true)
    }
}
