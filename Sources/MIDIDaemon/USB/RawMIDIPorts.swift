import ALSASequencer

/// A rawmidi input substream as the USB device code uses it (ALSASequencer's `RawMIDIInput`;
/// tests substitute pipes).
protocol USBMIDIByteSource: AnyObject {
    var fileDescriptor: Int32 { get }
    /// Bytes read now; 0 when nothing is waiting. Throws when the substream failed (unplugged).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ALSAError) -> Int
    func close()
}

/// A rawmidi output substream (`RawMIDIOutput`; tests substitute pipes).
protocol USBMIDIByteSink: AnyObject {
    var fileDescriptor: Int32 { get }
    /// Bytes the kernel took now; 0 when its buffer is full.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ALSAError) -> Int
    /// Bytes written but not yet passed on to the device.
    func pendingByteCount() throws(ALSAError) -> Int
    func close(discardingPending: Bool)
}

/// Opens substreams. The daemon uses `ALSARawMIDIPorts`.
protocol USBMIDIPortOpening {
    func openInput(_ address: RawMIDISubstreamAddress) throws(ALSAError) -> any USBMIDIByteSource
    func openOutput(_ address: RawMIDISubstreamAddress) throws(ALSAError) -> any USBMIDIByteSink
}

extension RawMIDIInput: USBMIDIByteSource {}
extension RawMIDIOutput: USBMIDIByteSink {}

/// alsa-lib rawmidi, `hw:C,D,S`, non-blocking.
struct ALSARawMIDIPorts: USBMIDIPortOpening {
    func openInput(_ address: RawMIDISubstreamAddress) throws(ALSAError) -> any USBMIDIByteSource {
        try RawMIDIInput(address)
    }

    func openOutput(_ address: RawMIDISubstreamAddress) throws(ALSAError) -> any USBMIDIByteSink {
        try RawMIDIOutput(address)
    }
}
