import CALSA

#if canImport(Glibc)
import Glibc
#endif

extension SequencerClient {
    /// The descriptors to poll for this client, for the owner's own poll loop.
    ///
    /// - Parameter events: `POLLIN` (default) to wake when events arrive; add `POLLOUT` only
    ///   if you must: for direct (unqueued) output the kernel never makes the sender wait.
    public func pollDescriptors(events: Int16 = Int16(POLLIN)) throws(ALSAError) -> [pollfd] {
        let count = snd_seq_poll_descriptors_count(handle, events)
        try check(count, "snd_seq_poll_descriptors_count(client \(id))")
        var descriptors = [pollfd](repeating: pollfd(), count: Int(count))
        let filled = descriptors.withUnsafeMutableBufferPointer { buffer in
            snd_seq_poll_descriptors(handle, buffer.baseAddress, UInt32(buffer.count), events)
        }
        try check(filled, "snd_seq_poll_descriptors(client \(id))")
        return Array(descriptors.prefix(Int(filled)))
    }

    /// Reads the next pending event without blocking; `nil` when none is pending.
    ///
    /// Events come out of alsa-lib's input buffer, refilled from the kernel with one `read`
    /// per buffer-full, so reading allocates nothing except SysEx bytes. When the kernel says
    /// this client's input FIFO overflowed (`ENOSPC`: events were lost before we read them),
    /// that is counted in `inputOverruns` and reading continues with what is left.
    public func readEvent() throws(ALSAError) -> ReceivedEvent? {
        while true {
            var pointer: UnsafeMutablePointer<snd_seq_event_t>?
            let result = snd_seq_event_input(handle, &pointer)
            if result == -EAGAIN || result == -EWOULDBLOCK { return nil }
            if result == -ENOSPC {
                inputOverruns &+= 1
                continue
            }
            try check(result, "snd_seq_event_input(client \(id))")
            guard let pointer else { return nil }
            return ReceivedEvent(
                event: SequencerEvent(decoding: pointer),
                source: Address(pointer.pointee.source),
                destination: Address(pointer.pointee.dest))
        }
    }

    /// Events alsa-lib has already read from the kernel and not yet handed out by `readEvent`.
    /// Asks nothing of the kernel: a reader that stops when this is 0 saves the `read` that
    /// would only answer EAGAIN, and a level-triggered poll wakes it again for what the kernel
    /// still holds.
    public var bufferedInputEvents: Int { Int(max(0, snd_seq_event_input_pending(handle, 0))) }

    /// Whether anything waits to be read: events in alsa-lib's input buffer, or in the kernel's
    /// input FIFO of this client (a `poll` with zero timeout on its descriptor: nothing is read
    /// or consumed, so a level-triggered poll loop still sees the descriptor readable). A
    /// caller uses it to learn that every event queued for this client before the call — a
    /// subscription notice, say — has been read. An error or hang-up on the descriptor counts
    /// as pending (the caller's read will meet it).
    public func hasPendingInput() throws(ALSAError) -> Bool {
        if snd_seq_event_input_pending(handle, 0) > 0 { return true }
        var descriptor = pollfd()
        let filled = snd_seq_poll_descriptors(handle, &descriptor, 1, Int16(POLLIN))
        guard filled == 1 else {
            throw ALSAError(code: filled < 0 ? filled : -EINVAL, operation: "snd_seq_poll_descriptors(client \(id), POLLIN)")
        }
        while true {
            let ready = poll(&descriptor, 1, 0)
            if ready >= 0 { return ready > 0 && descriptor.revents != 0 }
            let code = errno
            if code == EINTR { continue }
            throw ALSAError(code: -code, operation: "poll(client \(id) input, no wait)")
        }
    }

    /// Calls `body` for every event pending now, then returns how many there were.
    @discardableResult
    public func readPendingEvents(_ body: (ReceivedEvent) throws(ALSAError) -> Void) throws(ALSAError) -> Int {
        var count = 0
        while let event = try readEvent() {
            try body(event)
            count += 1
        }
        return count
    }
}
