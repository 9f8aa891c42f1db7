import ALSASequencer
@testable import MIDIDaemon
import ServiceCore
import Testing
import UdevDevices

/// One USB MIDI card → one aggregate endpoint descriptor (`USBEndpointPlan`).
@Suite("USB endpoint plan")
struct USBEndpointPlanTests {
    @Test func serialDeviceWithTwoInAndTwoOut() {
        let card = usbCard(card: 3)
        let identity = USBEndpointIdentity.serialBased(vendorId: 0x1209, productId: 0x4D49, serial: "SER-0001")
        let plan = USBEndpointPlan(card: card, identity: identity)
        let d = plan.descriptor
        #expect(d.id.rawValue == #"\\?\swd#midisrv#midiu_usb_1209_4d49_ser-0001#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(d.deviceInstanceId.rawValue == #"USB\VID_1209&PID_4D49\SER-0001"#)
        #expect(d.transport == .usb)
        #expect(d.nativeDataFormat == .byteStream)
        #expect(d.transportSupplied == TransportSuppliedInfo(name: "Test Synth", description: "", serialNumber: "SER-0001",
                                                             vendorId: 0x1209, productId: 0x4D49, manufacturer: "Acme"))
        #expect(d.groupCount == 2)
        // Inputs (the device sends) first, block-relative direction "output"; then outputs, "input".
        let blocks = d.groupTerminalBlocks.map { "\($0.number) \($0.direction) g\($0.firstGroup)x\($0.groupCount) \($0.name)" }
        #expect(blocks == ["1 output g0x1 Test Synth MIDI 1", "2 output g1x1 Test Synth MIDI 2",
                           "3 input g0x1 Test Synth MIDI 1", "4 input g1x1 Test Synth MIDI 2"])
        #expect(d.groupTerminalBlocks.allSatisfy { $0.protocol == .midi1Message64 })
        #expect(plan.inputs.map(\.address) == [RawMIDISubstreamAddress(card: 3, device: 0, subdevice: 0),
                                               RawMIDISubstreamAddress(card: 3, device: 0, subdevice: 1)])
        #expect(plan.outputs.map(\.address.name) == ["hw:3,0,0", "hw:3,0,1"])
    }

    @Test func oneInThreeOutNoProductName() {
        let card = usbCard(vid: 0x1209, pid: 0x4D50, serial: nil, product: nil, inputs: 1, outputs: 3)
        let identity = USBEndpointIdentity.pathBased(vendorId: 0x1209, productId: 0x4D50, pathTag: card.pathTag,
                                                     serialAssessment: .missing)
        let d = USBEndpointPlan(card: card, identity: identity).descriptor
        #expect(d.transportSupplied.name == "USB MIDI Device 1209:4d50")
        #expect(d.transportSupplied.serialNumber == nil)
        #expect(d.groupCount == 3)
        #expect(d.groupTerminalBlocks.map(\.direction) == [.output, .input, .input, .input])
        #expect(d.groupTerminalBlocks.map(\.firstGroup) == [0, 0, 1, 2])
        #expect(d.groupTerminalBlocks.map(\.number) == [1, 2, 3, 4])
    }

    @Test func substreamsOfSeveralRawMidiDevicesAndMoreThanSixteen() {
        var card = usbCard(inputs: 10, outputs: 1)
        let second = RawMidiDeviceInfo(
            device: 1, node: "/dev/snd/midiC1D1", name: "Big",
            inputs: (0..<10).map { RawMidiSubstream(direction: .input, device: 1, index: $0, name: "Big \($0)") },
            outputs: [])
        card.rawMidiDevices.append(second)
        let plan = USBEndpointPlan(card: card, identity: .serialBased(vendorId: 1, productId: 2, serial: "x1"))
        #expect(plan.inputs.count == 16)
        #expect(plan.unmappedInputCount == 4)
        #expect(plan.unmappedOutputCount == 0)
        #expect(plan.inputs[10].address == RawMIDISubstreamAddress(card: 1, device: 1, subdevice: 0))
        #expect(plan.inputs[15].group == 15)
        #expect(plan.descriptor.groupCount == 16)
    }
}
