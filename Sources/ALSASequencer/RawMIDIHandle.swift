import CALSA

#if canImport(Glibc)
import Glibc
#endif

/// The part common to rawmidi inputs and outputs: an open `snd_rawmidi_t`, non-blocking, the
/// one descriptor the poll loop watches, a status buffer, and what a read's or write's result
/// means.
///
/// Rawmidi substreams are exclusive: while one is open here, another program's open of the same
/// substream fails with `EBUSY` (and the reverse). Opening never waits for a busy substream
/// (`SND_RAWMIDI_NONBLOCK` also makes the kernel's open return at once).
final class RawMIDIHandle {
    let handle: OpaquePointer
    let address: RawMIDISubstreamAddress
    let fileDescriptor: Int32
    /// Filled by `queryStatus()`; allocated once with the handle.
    private let status: OpaquePointer
    private var closed = false

    enum Direction: String { case input, output }

    init(_ address: RawMIDISubstreamAddress, direction: Direction) throws(ALSAError) {
        var opened: OpaquePointer?
        let what = "snd_rawmidi_open(\"\(address.name)\", \(direction.rawValue), non-blocking)"
        switch direction {
        case .input: try check(snd_rawmidi_open(&opened, nil, address.name, SND_RAWMIDI_NONBLOCK), what)
        case .output: try check(snd_rawmidi_open(nil, &opened, address.name, SND_RAWMIDI_NONBLOCK), what)
        }
        guard let opened else { throw ALSAError(code: -ENOMEM, operation: "\(what) returned no handle") }
        // The hw plugin has exactly one descriptor, the character device; anything else (a
        // configured virtual rawmidi) is not what this wrapper is for.
        var pfd = pollfd()
        let count = snd_rawmidi_poll_descriptors_count(opened)
        guard count == 1, snd_rawmidi_poll_descriptors(opened, &pfd, 1) == 1 else {
            snd_rawmidi_close(opened)
            throw ALSAError(code: -EINVAL,
                            operation: "snd_rawmidi_poll_descriptors(\"\(address.name)\"): \(count) descriptors, expected 1")
        }
        var s: OpaquePointer?
        guard snd_rawmidi_status_malloc(&s) == 0, let s else {
            snd_rawmidi_close(opened)
            throw ALSAError(code: -ENOMEM, operation: "snd_rawmidi_status_malloc(\(address.name))")
        }
        handle = opened
        self.address = address
        fileDescriptor = pfd.fd
        status = s
    }

    /// The substream's current status (overruns for an input, room for an output), valid until
    /// the next call.
    func queryStatus() throws(ALSAError) -> OpaquePointer {
        try check(snd_rawmidi_status(handle, status), "snd_rawmidi_status(\(address.name))")
        return status
    }

    /// What `snd_rawmidi_read`/`snd_rawmidi_write` returned: the bytes moved; 0 when the call
    /// would have had to wait (`EAGAIN`: nothing to read, no room to write); any other error
    /// thrown with `operation`.
    func transferred(_ result: Int, _ operation: @autoclosure () -> String) throws(ALSAError) -> Int {
        if result >= 0 { return result }
        let code = Int32(truncatingIfNeeded: result)
        if code == -EAGAIN || code == -EWOULDBLOCK { return 0 }
        throw ALSAError(code: code, operation: operation())
    }

    func close() {
        guard !closed else { return }
        closed = true
        snd_rawmidi_close(handle)
    }

    deinit {
        close()
        snd_rawmidi_status_free(status)
    }
}
