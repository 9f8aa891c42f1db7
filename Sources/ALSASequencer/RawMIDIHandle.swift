import CALSA

#if canImport(Glibc)
import Glibc
#endif

/// The part common to rawmidi inputs and outputs: an open `snd_rawmidi_t`, non-blocking, and
/// the one descriptor the poll loop watches.
///
/// Rawmidi substreams are exclusive: while one is open here, another program's open of the same
/// substream fails with `EBUSY` (and the reverse). Opening never waits for a busy substream
/// (`SND_RAWMIDI_NONBLOCK` also makes the kernel's open return at once).
final class RawMIDIHandle {
    let handle: OpaquePointer
    let address: RawMIDISubstreamAddress
    let fileDescriptor: Int32
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
        handle = opened
        self.address = address
        fileDescriptor = pfd.fd
    }

    func close() {
        guard !closed else { return }
        closed = true
        snd_rawmidi_close(handle)
    }

    deinit { close() }
}
