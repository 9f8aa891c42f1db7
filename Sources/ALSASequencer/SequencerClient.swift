import CALSA

#if canImport(Glibc)
import Glibc
#endif

/// One ALSA sequencer client, opened duplex and non-blocking on the `default` sequencer.
///
/// The client owns its `snd_seq_t` and closes it on deinit, which makes the kernel remove its
/// ports and announce `clientExited`. alsa-lib's handle is not thread-safe: use an instance from
/// one thread at a time (the type is deliberately not `Sendable`; the owner of the poll loop
/// should create and keep it).
///
/// Output is buffered: `send` queues into alsa-lib's output buffer and `drainOutput()` hands
/// the batch to the kernel. See `SequencerClient+Output.swift` for what happens when a receiver
/// cannot take an event.
public final class SequencerClient {
    /// `snd_seq_t *`.
    let handle: OpaquePointer

    /// The number the kernel gave this client.
    public let id: ClientID

    /// The name as the kernel stores it (see `rename(to:)` for shortening of long names).
    public private(set) var name: String

    /// Events removed from the output buffer because the kernel refused them (a subscriber's
    /// input pool full, or an event the kernel rejects). Counted since open.
    public internal(set) var droppedOutputEvents: UInt64 = 0
    /// The error of the most recent refused output event, if any.
    public internal(set) var lastOutputError: ALSAError?
    /// How often the kernel reported that this client's input FIFO overflowed (events lost
    /// before this client read them). Counted since open.
    public internal(set) var inputOverruns: UInt64 = 0

    /// Opens a client and names it before anything else happens, so no other program ever sees
    /// it under alsa-lib's default name and it has its name before any port exists.
    ///
    /// - Parameters:
    ///   - name: the client name; longer than 63 UTF-8 bytes is shortened on a character boundary.
    ///   - sequencer: the alsa-lib sequencer name, `"default"` unless a test needs otherwise.
    public init(name: String, sequencer: String = "default") throws(ALSAError) {
        var opened: OpaquePointer?
        try check(snd_seq_open(&opened, sequencer, SND_SEQ_OPEN_DUPLEX, SND_SEQ_NONBLOCK),
                  "snd_seq_open(\"\(sequencer)\", duplex, non-blocking)")
        guard let opened else {
            throw ALSAError(code: -ENOMEM, operation: "snd_seq_open(\"\(sequencer)\") returned no handle")
        }
        let fitted = SequencerName.fitted(name)
        let clientNumber = snd_seq_client_id(opened)
        let renamed = snd_seq_set_client_name(opened, fitted)
        guard clientNumber >= 0, renamed >= 0 else {
            snd_seq_close(opened)
            if clientNumber < 0 { throw ALSAError(code: clientNumber, operation: "snd_seq_client_id") }
            throw ALSAError(code: renamed, operation: "snd_seq_set_client_name(\"\(fitted)\")")
        }
        self.handle = opened
        self.id = ClientID(UInt8(truncatingIfNeeded: clientNumber))
        self.name = fitted
    }

    deinit {
        snd_seq_close(handle)
    }

    /// Renames the client; other programs see `clientChanged` on the System Announce port.
    public func rename(to newName: String) throws(ALSAError) {
        let fitted = SequencerName.fitted(newName)
        try check(snd_seq_set_client_name(handle, fitted),
                  "snd_seq_set_client_name(client \(id), \"\(fitted)\")")
        name = fitted
    }

    /// The address of one of this client's ports.
    public func address(of port: PortID) -> Address {
        Address(client: id, port: port)
    }
}
