import CALSA

#if canImport(Glibc)
import Glibc
#endif

/// One rawmidi output substream (we write, the device receives), opened non-blocking.
///
/// `write` takes what the kernel buffer has room for and returns how much that was; poll
/// `fileDescriptor` for writability to continue. Not thread-safe.
///
/// Closing: the kernel drains an output substream on its last close (it waits for queued bytes
/// to reach the device, up to 10 s). `close(discardingPending: true)` drops them first, for a
/// device that is going away or a daemon that is stopping.
public final class RawMIDIOutput {
    private let raw: RawMIDIHandle
    /// The kernel buffer's size in bytes (for `pendingByteCount`).
    public let kernelBufferSize: Int

    public var address: RawMIDISubstreamAddress { raw.address }
    /// The character device's descriptor, for `poll`. Owned by this object.
    public var fileDescriptor: Int32 { raw.fileDescriptor }

    /// Opens `hw:C,D,S` for output. Throws `EBUSY` when another program has it open.
    public init(_ address: RawMIDISubstreamAddress) throws(ALSAError) {
        let raw = try RawMIDIHandle(address, direction: .output)
        var p: OpaquePointer?
        guard snd_rawmidi_params_malloc(&p) == 0, let p else {
            throw ALSAError(code: -ENOMEM, operation: "snd_rawmidi_params_malloc(\(address.name))")
        }
        defer { snd_rawmidi_params_free(p) }
        let current = snd_rawmidi_params_current(raw.handle, p)
        guard current >= 0 else {
            throw ALSAError(code: current, operation: "snd_rawmidi_params_current(\(address.name))")
        }
        kernelBufferSize = snd_rawmidi_params_get_buffer_size(p)
        self.raw = raw
    }

    /// Writes as many of `bytes` as the kernel takes now; returns that count (0 when its buffer
    /// is full). Throws on any other error — `ENODEV` once the device is unplugged.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(ALSAError) -> Int {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        return try raw.transferred(snd_rawmidi_write(raw.handle, base, bytes.count),
                                   "snd_rawmidi_write(\(raw.address.name), \(bytes.count) bytes)")
    }

    /// Bytes written but not yet taken by the device driver.
    public func pendingByteCount() throws(ALSAError) -> Int {
        let available = Int(snd_rawmidi_status_get_avail(try raw.queryStatus()))
        return max(0, kernelBufferSize - available)
    }

    /// Releases the substream. With `discardingPending`, bytes still in the kernel buffer are
    /// dropped first, so the close does not wait for them.
    public func close(discardingPending: Bool) {
        if discardingPending { _ = snd_rawmidi_drop(raw.handle) }
        raw.close()
    }
}
