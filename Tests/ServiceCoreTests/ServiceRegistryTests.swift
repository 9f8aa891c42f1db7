import Testing
import ServiceCore
import UMP

@Suite("Endpoint lookup, observers and device endpoints")
struct ServiceRegistryTests {
    @Test("user input resolves by full id, short form, or unique name")
    func resolve() throws {
        let (service, _) = makeService()
        let one = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        #expect(try service.resolveEndpoint(one.a.rawValue.uppercased()) == one.a)
        #expect(try service.resolveEndpoint("loop_b_3263827") == one.b)
        #expect(try service.resolveEndpoint("midiu_loop_b_3263827") == one.b)
        #expect(try service.resolveEndpoint("diag_loopback_a") == .diagnosticsLoopbackA)
        #expect(try service.resolveEndpoint("perm loopback 1a") == one.a)
        #expect(try service.resolveEndpoint("  Service Test Ping (Internal) ") == .diagnosticsPing)

        // Renamed: the new display name resolves; the old transport name still does, as long
        // as no display name claims it.
        try service.setCustomName("Keys", for: one.a)
        #expect(try service.resolveEndpoint("KEYS") == one.a)
        #expect(try service.resolveEndpoint("Perm Loopback 1A") == one.a)

        try service.setCustomName("Keys", for: one.b)
        do {
            _ = try service.resolveEndpoint("keys")
            Issue.record("expected ambiguity")
        } catch {
            #expect(error == .ambiguous("keys", candidates: [one.a, one.b]))
            #expect(error.description.contains(one.a.rawValue))
        }
        #expect(throws: EndpointResolutionError.notFound("loop_a_nothing")) { try service.resolveEndpoint("loop_a_nothing") }
        #expect(throws: EndpointResolutionError.empty) { try service.resolveEndpoint("  ") }
    }

    @Test("observers can be removed")
    func observers() throws {
        let (service, _) = makeService()
        var seen = 0
        let token = service.addObserver { _ in seen += 1 }
        try service.setCustomName("a", for: .diagnosticsPing)
        service.removeObserver(token)
        try service.setCustomName("b", for: .diagnosticsPing)
        #expect(seen == 1)
    }

    final class FakeDevice: EndpointDevice {
        var sent: [TimestampedUMP] = []
        var accepting = true
        func transmit(_ message: TimestampedUMP) -> Bool {
            guard accepting else { return false }
            sent.append(message)
            return true
        }
    }

    @Test("a device endpoint: clients' messages go to the device, the device's to every client")
    func deviceEndpoint() throws {
        let (service, clock) = makeService()
        let device = FakeDevice()
        let id = EndpointDeviceId(instance: "usb_1209_4d49_ser-0001")
        let descriptor = DeviceEndpointDescriptor(
            id: id, transport: .usb, deviceInstanceId: .usb(vendorId: 0x1209, productId: 0x4D49, instance: "SER-0001"),
            nativeDataFormat: .byteStream,
            transportSupplied: TransportSuppliedInfo(name: "Pico Synth", serialNumber: "SER-0001",
                                                     vendorId: 0x1209, productId: 0x4D49, manufacturer: "pid.codes"),
            groupTerminalBlocks: [GroupTerminalBlock(number: 1, name: "In", direction: .input, firstGroup: 0, groupCount: 1,
                                                     protocol: .midi1Message64),
                                  GroupTerminalBlock(number: 2, name: "Out", direction: .output, firstGroup: 0, groupCount: 1,
                                                     protocol: .midi1Message64)],
            groupCount: 1)
        let handle = try service.addDeviceEndpoint(descriptor, device: device)
        #expect(throws: DeviceEndpointError.duplicateEndpointId(id)) { try service.addDeviceEndpoint(descriptor, device: device) }
        #expect(service.endpoints().map(\.id) == [id])
        #expect(service.endpoints(matching: .includeClientUMPFormatNative).isEmpty)
        #expect(service.endpoint(id)?.deviceInstanceId.rawValue == #"USB\VID_1209&PID_4D49\SER-0001"#)

        let app1 = RecordingReceiver(), app2 = RecordingReceiver()
        let c1 = try service.openConnection(to: id, receiver: app1)
        _ = try service.openConnection(to: id, receiver: app2)
        #expect(service.send(midi1NoteOn, timestamp: 0, from: c1).succeeded)
        #expect(device.sent == [TimestampedUMP(timestamp: clock.time, packet: midi1NoteOn)])
        #expect(app1.messages.isEmpty && app2.messages.isEmpty)

        #expect(service.receiveFromDevice(TimestampedUMP(timestamp: 0, packet: midi1NoteOn), on: handle).succeeded)
        #expect(app1.messages == [TimestampedUMP(timestamp: clock.time, packet: midi1NoteOn)])
        #expect(app2.messages == app1.messages)

        device.accepting = false
        #expect(service.send(midi1NoteOn, timestamp: 0, from: c1).receiverOverflows == 1)

        let log = EventLog(service)
        #expect(service.removeDeviceEndpoint(id))
        #expect(log.events == [.removed(id)])
        #expect(!service.receiveFromDevice(TimestampedUMP(timestamp: 0, packet: midi1NoteOn), on: handle).succeeded)
        #expect(service.send(midi1NoteOn, timestamp: 0, from: c1).status.contains(.connectionClosedOrInvalid))
    }
}
