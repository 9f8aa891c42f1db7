import Testing
@testable import UdevDevices

@Suite struct SoundCardSnapshotTests {
    static let devpath = "/devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0/sound/card1"

    static func snapshot(properties: [String: String] = Captured.cardChangeProperties,
                         usb: [String: String]? = Captured.usbDeviceAttributes,
                         procText: String? = Captured.procRawMidi2x2,
                         controlInputs: [RawMidiSubstream]? = nil,
                         controlOutputs: [RawMidiSubstream]? = nil,
                         rawMidi: Bool = true) -> SoundCardSnapshot {
        SoundCardSnapshot(
            devpath: devpath, sysname: "card1", properties: properties, usbDeviceAttributes: usb,
            ancestry: UdevPathIdTests.chain(Captured.hostCardAncestry),
            rawMidi: rawMidi ? [.init(device: 0, node: "/dev/snd/midiC1D0", procText: procText,
                                      controlInputs: controlInputs, controlOutputs: controlOutputs)] : [])
    }

    @Test func theVMGadgetCard() throws {
        let info = try Self.snapshot().usbMIDICardInfo().get()
        #expect(info.cardNumber == 1)
        #expect(info.devpath == Self.devpath)
        #expect(info.vendorId == 0x1209)
        #expect(info.productId == 0x4D49)
        #expect(info.serialNumber == "SER-0001")
        #expect(info.manufacturer == "Acme")
        #expect(info.product == "Test Synth")
        #expect(info.path == "platform-dummy_hcd.0-usb-0:1:1.0")
        #expect(info.pathTag == "platform-dummy_hcd_0-usb-0_1_1_0")
        #expect(info.inputSubstreams.map(\.name) == ["Test Synth MIDI 1", "Test Synth MIDI 2"])
        #expect(info.outputSubstreams.map(\.index) == [0, 1])
        #expect(info.rawMidiDevices.map(\.node) == ["/dev/snd/midiC1D0"])
    }

    @Test func namesComeFromTheControlDeviceWhenItAnswers() throws {
        let named = [RawMidiSubstream(direction: .input, device: 0, index: 0, name: "Keys"),
                     RawMidiSubstream(direction: .input, device: 0, index: 1, name: "Pads")]
        let info = try Self.snapshot(controlInputs: named).usbMIDICardInfo().get()
        #expect(info.inputSubstreams.map(\.name) == ["Keys", "Pads"])
        #expect(info.outputSubstreams.map(\.name) == ["Test Synth MIDI 1", "Test Synth MIDI 2"])
    }

    @Test func withoutProcfsTheControlDeviceCounts() throws {
        let outs = [RawMidiSubstream(direction: .output, device: 0, index: 0, name: "Out 1")]
        let info = try Self.snapshot(procText: nil, controlInputs: [], controlOutputs: outs).usbMIDICardInfo().get()
        #expect(info.inputSubstreams.isEmpty)
        #expect(info.outputSubstreams == outs)
    }

    @Test func withNeitherSourceTheCardIsUnreadable() {
        guard case .failure(.unreadable(let why)) = Self.snapshot(procText: nil).usbMIDICardInfo() else {
            Issue.record("expected .unreadable"); return
        }
        #expect(why.contains("/proc/asound/card1/midi0"))
    }

    @Test func aCardWithoutUSBAncestorIsRejected() {
        #expect(Self.snapshot(properties: Captured.gadgetCardProperties, usb: nil).usbMIDICardInfo()
                == .failure(.noUSBParent))
    }

    @Test func aUSBCardWithoutRawMidiIsRejected() {
        #expect(Self.snapshot(rawMidi: false).usbMIDICardInfo() == .failure(.noRawMidi))
    }

    @Test func noSerialAttributeMeansNoSerial() throws {
        var usb = Captured.usbDeviceAttributes
        usb["serial"] = nil
        var props = Captured.cardChangeProperties
        props["ID_SERIAL_SHORT"] = nil
        let info = try Self.snapshot(properties: props, usb: usb).usbMIDICardInfo().get()
        #expect(info.serialNumber == nil)
    }

    @Test func withoutUdevPropertiesEverythingComesFromSysfs() throws {
        // What a card looks like when udevd is not running: kernel properties only.
        let kernelOnly = ["DEVPATH": Self.devpath, "SUBSYSTEM": "sound"]
        let info = try Self.snapshot(properties: kernelOnly).usbMIDICardInfo().get()
        #expect(info.vendorId == 0x1209 && info.productId == 0x4D49)
        #expect(info.pathTag == "platform-dummy_hcd_0-usb-0_1_1_0")
        #expect(info.product == "Test Synth")
    }

    @Test func namesFallBackToDecodedUdevProperties() throws {
        let info = try Self.snapshot(usb: ["idVendor": "1209", "idProduct": "4d49"]).usbMIDICardInfo().get()
        #expect(info.product == "Test Synth")
        #expect(info.manufacturer == "Acme")
    }

    @Test func udevEncoding() {
        #expect(SoundCardSnapshot.decodeUdevEncoded("Test\\x20Synth") == "Test Synth")
        #expect(SoundCardSnapshot.decodeUdevEncoded("M\\xc3\\xbcller\\x2fCo") == "Müller/Co")
        #expect(SoundCardSnapshot.decodeUdevEncoded("odd\\x2") == "odd\\x2")
    }
}
