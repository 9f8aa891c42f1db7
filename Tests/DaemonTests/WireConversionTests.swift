import IPC
@testable import MIDIDaemon
import ServiceCore
import Testing

/// The core → wire mapping of what the daemon's extensions publish about an endpoint's MIDI 1.0
/// ports (WireConversions.swift): host tests of what the VM tier sees through ALSA.
@Suite("Core to wire: published legacy ports")
struct WireConversionTests {
    static let endpoint = MidiEndpoint(
        id: EndpointDeviceId(instance: "usb_1209_4d49_ser-0001"), transport: .usb,
        deviceInstanceId: .usb(vendorId: 0x1209, productId: 0x4D49, instance: "SER-0001"),
        nativeDataFormat: .byteStream, transportSupplied: TransportSuppliedInfo(name: "Pico Synth"))

    static let kernel = PublishedLegacyPorts(client: 24, clientName: "Pico Synth",
                                             ports: [.init(port: 0, name: "Pico Synth MIDI 1", group: 1),
                                                     .init(port: 1, name: "Pico Synth MIDI 2", group: nil)],
                                             owner: PublishedLegacyPorts.kernelOwner)

    @Test func everyPublishedPortIsOneListingRow() {
        let rows = MidiService.legacyPortEntries(Self.endpoint, published: Self.kernel)
        #expect(rows == [
            LegacyPortEntry(endpointDeviceId: Self.endpoint.id.rawValue, endpointName: "Pico Synth", transportCode: "USB",
                            client: 24, clientName: "Pico Synth", port: 0, portName: "Pico Synth MIDI 1", group: 1, owner: "kernel"),
            LegacyPortEntry(endpointDeviceId: Self.endpoint.id.rawValue, endpointName: "Pico Synth", transportCode: "USB",
                            client: 24, clientName: "Pico Synth", port: 1, portName: "Pico Synth MIDI 2", group: nil, owner: "kernel"),
        ])
    }

    @Test func onlyTheKernelsClientIsShownAsTheKernelSequencerClient() {
        #expect(MidiService.kernelClient(Self.kernel) == SequencerClientInfo(client: 24, clientName: "Pico Synth", ports: Self.kernel.ports))
        var loopback = Self.kernel
        loopback.owner = PublishedLegacyPorts.loopbackOwner
        #expect(MidiService.kernelClient(loopback) == nil)
    }
}
