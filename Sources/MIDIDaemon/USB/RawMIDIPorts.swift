import ALSASequencer

/// Where one input group of a USB device gets its MIDI from, while open: a rawmidi substream
/// (`USBMIDIByteSource`, polled by the port) or a subscription to the card's sequencer port
/// (events pushed to the port by `USBSequencerLink`).
protocol USBMIDIInputSource: AnyObject {
    func close()
}

/// A rawmidi input substream as the USB device code uses it (ALSASequencer's `RawMIDIInput`;
/// tests substitute pipes).
protocol USBMIDIByteSource: USBMIDIInputSource {
    var fileDescriptor: Int32 { get }
    /// Bytes read now; 0 when nothing is waiting. Throws when the substream failed (unplugged).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ALSAError) -> Int
}

/// Where one output group's bytes go: a rawmidi output substream (`RawMIDIOutput`; tests
/// substitute pipes) or the card's sequencer port (`USBSequencerOutput`).
protocol USBMIDIByteSink: AnyObject {
    /// The descriptor to poll for room, or `nil` when there is none to poll (the sequencer
    /// path): then the port looks again after `USBMIDIDevice.spacePollInterval`.
    var pollDescriptor: Int32? { get }
    /// Bytes the kernel took now; 0 when its buffer is full.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ALSAError) -> Int
    /// Bytes written but not yet passed on to the device.
    func pendingByteCount() throws(ALSAError) -> Int
    func close(discardingPending: Bool)
}

/// Opens a device's groups. The daemon uses `USBSequencerPorts` (the card's sequencer client,
/// shared with every other program) or, without a sequencer, `ALSARawMIDIPorts`.
protocol USBMIDIPortOpening {
    /// Opens input group `port`; what arrives is handed to `receiver` (bytes: the receiver
    /// polls the returned `USBMIDIByteSource`; events: `receiver.receive(_:)`).
    func openInput(_ port: USBEndpointPlan.Port, for receiver: USBInputPort) throws(ALSAError) -> any USBMIDIInputSource
    func openOutput(_ port: USBEndpointPlan.Port) throws(ALSAError) -> any USBMIDIByteSink
    /// How a device is reached, for the arrival log line ("rawmidi hw:1,0,*", "sequencer client 20").
    func describe(card: Int) -> String
}

extension RawMIDIInput: USBMIDIByteSource {}
extension RawMIDIOutput: USBMIDIByteSink {
    var pollDescriptor: Int32? { fileDescriptor }
}

/// alsa-lib rawmidi, `hw:C,D,S`, non-blocking. Exclusive: while a substream is open here, no
/// other program can open it (docs/usb.md); the daemon uses this only without a sequencer.
struct ALSARawMIDIPorts: USBMIDIPortOpening {
    func openInput(_ port: USBEndpointPlan.Port, for receiver: USBInputPort) throws(ALSAError) -> any USBMIDIInputSource {
        try RawMIDIInput(port.address)
    }

    func openOutput(_ port: USBEndpointPlan.Port) throws(ALSAError) -> any USBMIDIByteSink {
        try RawMIDIOutput(port.address)
    }

    func describe(card: Int) -> String { "rawmidi hw:\(card),*" }
}
