import CALSA

#if canImport(Glibc)
import Glibc
#endif

// Output policy (written down in docs/alsa-sequencer.md):
//
// Events are sent direct (no queue). For direct events the kernel copies each event straight
// into every receiver's input FIFO; the sender's own output pool is not involved. So the only
// "full" the sender can meet is a *receiver's* FIFO being full: the kernel then still delivers
// to the other subscribers, and fails the write (EAGAIN/ENOMEM) for that event. Retrying would
// duplicate the event at every receiver that already got it, and waiting (POLLOUT) would wait
// on the wrong pool. So: an event the kernel refuses is dropped from alsa-lib's output buffer,
// counted in `droppedOutputEvents` and kept in `lastOutputError`, and draining goes on with the
// next event. A slow reader loses what it cannot take and never blocks the sender or the other
// readers. `send` therefore never reports EAGAIN; it throws only for an event that can never be
// sent (out-of-range values, a SysEx chunk larger than the output buffer).

extension SequencerClient {
    /// The SysEx chunk size `sendSystemExclusive` uses unless told otherwise: 256 bytes, the
    /// size the kernel's own MIDI-port client (snd-seq-midi, `MAX_MIDI_EVENT_BUF`) delivers
    /// SysEx in, so receivers already handle it, and small enough (10 pool cells) for any
    /// receiver's input pool.
    public static let defaultSysExChunkSize = 256

    /// Queues `event` for every subscriber of `port`. Call `drainOutput()` after a batch.
    ///
    /// `.systemExclusive` is sent as one variable-length event with its bytes as given (a raw
    /// chunk); use `sendSystemExclusive` for a whole message of any length.
    public func send(_ event: SequencerEvent, from port: PortID) throws(ALSAError) {
        var ev = snd_seq_event_t()
        calsa_ev_set_subs(&ev)
        try send(event, from: port, prepared: &ev)
    }

    /// Queues `event` for one address, whether or not it is subscribed. Call `drainOutput()`.
    public func send(_ event: SequencerEvent, from port: PortID, to destination: Address) throws(ALSAError) {
        var ev = snd_seq_event_t()
        calsa_ev_set_dest(&ev, destination.client.rawValue, destination.port.rawValue)
        try send(event, from: port, prepared: &ev)
    }

    /// Queues a System Exclusive message of any length for every subscriber of `port`, as
    /// consecutive SYSEX events of at most `chunkSize` bytes (the first starts with 0xF0, the
    /// last ends with 0xF7 if the message does). Nothing is queued if an argument is refused.
    /// Call `drainOutput()` afterwards.
    public func sendSystemExclusive(_ message: [UInt8], from port: PortID,
                                    chunkSize: Int = SequencerClient.defaultSysExChunkSize) throws(ALSAError) {
        let limit = maximumEventDataSize
        guard chunkSize >= 1, chunkSize <= limit else {
            throw .invalidArgument("send SysEx from \(address(of: port)): chunk size \(chunkSize) is outside 1…\(limit)")
        }
        var start = 0
        while start < message.count {
            let end = min(start + chunkSize, message.count)
            // `withUnsafeBytes` rethrows untyped errors, so the typed error comes out as a value.
            let failure: ALSAError? = message.withUnsafeBytes { (bytes) -> ALSAError? in
                var ev = snd_seq_event_t()
                calsa_ev_set_subs(&ev)
                calsa_ev_set_source(&ev, port.rawValue)
                calsa_ev_set_direct(&ev)
                calsa_ev_set_sysex(&ev, UInt32(end - start), bytes.baseAddress.map { $0 + start })
                do throws(ALSAError) {
                    try enqueue(&ev, "send SysEx bytes \(start)..<\(end) of \(message.count) from \(address(of: port))")
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
            start = end
        }
    }

    /// Queues `bytes` — any MIDI 1.0 byte stream, not only SysEx — as one SYSEX event for
    /// `destination` alone. Call `drainOutput()` afterwards.
    ///
    /// Meant for a sound card's MIDI port (a kernel client of snd-seq-midi): the kernel writes a
    /// SYSEX event's data to the card's rawmidi output exactly as it is (`event_process_midi` →
    /// `snd_seq_dump_var_event`), so a byte stream goes to the device unchanged, in chunks the
    /// sender chooses. Any other receiver would take the event for a System Exclusive message,
    /// so it is never sent to subscribers. At most `maximumEventDataSize` bytes.
    public func sendMIDIBytes(_ bytes: UnsafeRawBufferPointer, from port: PortID, to destination: Address) throws(ALSAError) {
        guard bytes.count <= maximumEventDataSize else {
            throw .invalidArgument("send \(bytes.count) MIDI bytes from \(address(of: port)) to \(destination): one event holds at most \(maximumEventDataSize) bytes")
        }
        guard bytes.count > 0 else { return }
        var ev = snd_seq_event_t()
        calsa_ev_set_dest(&ev, destination.client.rawValue, destination.port.rawValue)
        calsa_ev_set_source(&ev, port.rawValue)
        calsa_ev_set_direct(&ev)
        calsa_ev_set_sysex(&ev, UInt32(bytes.count), bytes.baseAddress)
        try enqueue(&ev, "send \(bytes.count) MIDI bytes from \(address(of: port)) to \(destination)")
    }

    /// Hands everything queued to the kernel. Events the kernel refuses are dropped and counted
    /// (see the policy above); returns how many were dropped in this call.
    @discardableResult
    public func drainOutput() -> Int {
        var dropped = 0
        while true {
            let result = snd_seq_drain_output(handle)
            if result == 0 { return dropped }
            // Positive: some events went out before the kernel stopped at one; go on.
            if result > 0 { continue }
            // The kernel refused the event at the head of the buffer: drop it, go on.
            var head: UnsafeMutablePointer<snd_seq_event_t>?
            guard snd_seq_extract_output(handle, &head) >= 0 else { return dropped }
            lastOutputError = ALSAError(code: result, operation: "deliver event from client \(id)")
            droppedOutputEvents &+= 1
            dropped += 1
        }
    }

    /// Bytes waiting in alsa-lib's output buffer.
    public var pendingOutputBytes: Int { Int(snd_seq_event_output_pending(handle)) }

    /// The largest variable-length payload alsa-lib can queue in one event: an event and its
    /// data must fit in the output buffer (16 KiB by default) with room to spare.
    public var maximumEventDataSize: Int {
        Int(snd_seq_get_output_buffer_size(handle)) - MemoryLayout<snd_seq_event_t>.size - 1
    }

    private func send(_ event: SequencerEvent, from port: PortID,
                      prepared ev: inout snd_seq_event_t) throws(ALSAError) {
        calsa_ev_set_source(&ev, port.rawValue)
        calsa_ev_set_direct(&ev)
        if case let .systemExclusive(bytes) = event {
            guard bytes.count <= maximumEventDataSize else {
                throw .invalidArgument("send SysEx chunk of \(bytes.count) bytes from \(address(of: port)): one event holds at most \(maximumEventDataSize) bytes; use sendSystemExclusive to split")
            }
            let failure: ALSAError? = bytes.withUnsafeBytes { (raw) -> ALSAError? in
                calsa_ev_set_sysex(&ev, UInt32(raw.count), raw.baseAddress)
                do throws(ALSAError) {
                    try enqueue(&ev, "send SysEx chunk of \(raw.count) bytes from \(address(of: port))")
                    return nil
                } catch {
                    return error
                }
            }
            if let failure { throw failure }
            return
        }
        try event.encodeFixed(into: &ev)
        try enqueue(&ev, "send \(event) from \(address(of: port))")
    }

    /// Copies one event (and its variable data) into alsa-lib's output buffer, draining first
    /// if the buffer is full.
    private func enqueue(_ ev: inout snd_seq_event_t, _ operation: @autoclosure () -> String) throws(ALSAError) {
        var result = snd_seq_event_output_buffer(handle, &ev)
        if result == -EAGAIN {
            drainOutput()
            result = snd_seq_event_output_buffer(handle, &ev)
        }
        try check(result, operation())
    }
}
