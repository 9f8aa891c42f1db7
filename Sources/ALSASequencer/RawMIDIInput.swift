import CALSA

#if canImport(Glibc)
import Glibc
#endif

/// One rawmidi input substream (the device sends, we read), opened non-blocking.
///
/// Poll `fileDescriptor` for readability and call `read(into:)` until it returns 0. Not
/// thread-safe: use it from the thread that polls it. Closing (or deinit) releases the
/// substream for other programs.
public final class RawMIDIInput {
    private let raw: RawMIDIHandle

    public var address: RawMIDISubstreamAddress { raw.address }
    /// The character device's descriptor, for `poll`. Owned by this object.
    public var fileDescriptor: Int32 { raw.fileDescriptor }

    /// Opens `hw:C,D,S` for input. Throws `EBUSY` when another program has it open.
    public init(_ address: RawMIDISubstreamAddress) throws(ALSAError) {
        raw = try RawMIDIHandle(address, direction: .input)
    }

    /// Reads what has arrived, without waiting. Returns the number of bytes read; 0 when
    /// nothing is waiting (`EAGAIN`). Throws on any other error — `ENODEV` once the device is
    /// unplugged.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ALSAError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        return try raw.transferred(snd_rawmidi_read(raw.handle, base, buffer.count), "snd_rawmidi_read(\(raw.address.name))")
    }

    /// How often the kernel's input buffer overflowed since the last call (bytes were lost
    /// because they were not read in time).
    public func takeOverruns() throws(ALSAError) -> Int {
        Int(snd_rawmidi_status_get_xruns(try raw.queryStatus()))
    }

    /// Releases the substream now (deinit does the same).
    public func close() { raw.close() }
}
