import ALSASequencer
import Glibc
import Logging
import UMP
import POSIX

/// One output group of a USB endpoint: UMP sent to the endpoint on group g becomes MIDI 1.0
/// bytes on rawmidi output substream g.
///
/// The substream is opened on the first message (not at plug-in: rawmidi substreams are
/// exclusive, and an unused device should stay free for other programs) and closed again once
/// no connection is open on the endpoint, every byte has left and the output has been quiet for
/// a while (`closeIfIdle`). Bytes are queued by `enqueue` (called from the service's
/// `transmit`, so it never calls back into the service) and written by `flush`, which the device
/// manager calls once per event-loop iteration; when the kernel buffer is full the port waits
/// for the descriptor to become writable.
final class USBOutputPort {
    let port: USBEndpointPlan.Port
    private let context: USBDeviceContext
    private let endpointName: String
    private var sink: (any USBMIDIByteSink)?
    private var token: EventLoop.Token?
    private var queue: MIDI1OutputQueue
    /// No open attempt before this time (after a failed one), CLOCK_MONOTONIC ns.
    private var retryAfter: UInt64 = 0
    private var failureLogged = false
    private var waitingForWritable = false
    /// When a byte was last written (or the substream opened), CLOCK_MONOTONIC ns.
    private var lastActivity: UInt64 = 0
    private(set) var counters = USBPortCounters()

    /// Bytes waiting in our own queue per output: 64 KiB holds a large SysEx dump while the
    /// device (31 250 baud behind a DIN port) takes it in.
    static let queueCapacity = 64 * 1024
    /// How long an output stays open after its last byte once nobody is connected.
    static let idleCloseDelay: UInt64 = 2_000_000_000
    /// The same while a SysEx sent to it is unfinished (its End may follow on a new connection).
    static let idleCloseDelayInSysEx: UInt64 = 30_000_000_000
    /// How long a failed open (busy, unplugged) keeps later messages from retrying.
    static let retryInterval: UInt64 = 1_000_000_000

    init(port: USBEndpointPlan.Port, endpointName: String, context: USBDeviceContext) {
        self.port = port
        self.endpointName = endpointName
        self.context = context
        queue = MIDI1OutputQueue(capacity: Self.queueCapacity)
    }

    var isOpen: Bool { sink != nil }
    var hasQueuedBytes: Bool { !queue.isEmpty }
    /// Bytes wait for room and there is no descriptor to wait on (the sequencer path): the
    /// device manager wakes the loop again after `USBMIDIDevice.spacePollInterval`.
    var waitsForSpaceByPolling: Bool { sink != nil && token == nil && !queue.isEmpty }

    // MARK: From transmit

    /// Queues one message for this group. `false` means it could not be taken (queue full, or
    /// the substream cannot be opened): the service counts that as a receiver overflow, which the
    /// sender sees in its send report.
    func enqueue(_ packet: UMPPacket) -> Bool {
        if sink == nil, !open() {
            counters.droppedUnavailable &+= 1
            return false
        }
        switch queue.enqueue(packet) {
        case .queued:
            counters.messages &+= 1
        case .queuedAfterInterruptingSysEx:
            counters.messages &+= 1
            counters.sysExInterrupted &+= 1
        case .noMIDI1Form:
            counters.droppedNoMIDI1Form &+= 1
        case .sysExOutOfSequence:
            counters.droppedSysExOutOfSequence &+= 1
        case .full:
            counters.droppedQueueFull &+= 1
            return false
        }
        return true
    }

    // MARK: Opening and closing

    @discardableResult
    func open() -> Bool {
        if sink != nil { return true }
        let now = context.now()
        guard now >= retryAfter else { return false }
        let opened: any USBMIDIByteSink
        do { opened = try context.ports.openOutput(port) } catch {
            retryAfter = now &+ Self.retryInterval
            if !failureLogged {
                failureLogged = true
                let busy = error.errno == .busy ? " (another program has it open)" : ""
                context.logger.warning("USB \(endpointName): cannot open output \(port.address) \"\(port.name)\" for group \(port.group + 1)\(busy): \(error); messages for it are dropped until it can be opened")
            }
            return false
        }
        if failureLogged {
            failureLogged = false
            context.logger.info("USB \(endpointName): output \(port.address) for group \(port.group + 1) is open now")
        }
        sink = opened
        lastActivity = now
        if let descriptor = opened.pollDescriptor {
            token = context.loop.registerDescriptor(descriptor, events: []) { [unowned self] events in
                if events.contains(.hangup) && !events.contains(.writable) {
                    self.fail(ALSAError(code: -ENODEV, operation: "poll(\(self.port.address)): device error or hang-up"))
                } else {
                    self.waitingForWritable = false
                    self.flush()
                }
            }
        }
        context.logger.debug("USB \(endpointName): opened output \(port.address) (group \(port.group + 1))")
        return true
    }

    /// Closes the substream once it has been idle long enough (no connection is open — the
    /// caller checks — nothing queued here or in the kernel, no byte written for
    /// `idleCloseDelay`, no SysEx half sent). Returns `nil` when closed, else when to look again
    /// (`.max`: only when something happens).
    ///
    /// Why wait: snd-usb-audio packs the byte stream into 4-byte USB-MIDI events and resets that
    /// packing on every open, so a SysEx whose rest comes on a later connection would lose
    /// bytes held in the driver; and a close right after a write may cut the last USB transfer
    /// (the driver waits only 50 ms for it). Closing with bytes still in the kernel buffer would
    /// make the kernel wait for them, blocking the loop.
    func closeIfIdle(now: UInt64) -> UInt64? {
        guard let sink else { return nil }
        guard queue.isEmpty else { return .max }
        let quietUntil = lastActivity &+ (queue.isInsideSysEx ? Self.idleCloseDelayInSysEx : Self.idleCloseDelay)
        guard now >= quietUntil else { return quietUntil }
        let pending: Int
        do { pending = try sink.pendingByteCount() } catch {
            fail(error)
            return nil
        }
        guard pending == 0 else { return now &+ USBMIDIDevice.drainRecheckInterval }
        // A SysEx still open stays open in the queue: its next packets may come later.
        close(discardingPending: false, keepingSysExState: true)
        return nil
    }

    /// Closes at once; queued bytes are dropped (and, with `discardingPending`, the kernel's).
    func close(discardingPending: Bool, keepingSysExState: Bool = false,
               closer: ((any USBMIDIByteSink) -> Void)? = nil) {
        if let token { context.loop.unregister(token) }
        token = nil
        waitingForWritable = false
        if !keepingSysExState { queue.reset() }
        guard let sink else { return }
        self.sink = nil
        if let closer { closer(sink) } else { sink.close(discardingPending: discardingPending) }
        context.logger.debug("USB \(endpointName): closed output \(port.address)")
    }

    /// The substream failed (unplugged, most likely): closed off the loop thread, because the
    /// kernel may wait for bytes a gone device never takes (see `DetachedClose`).
    private func fail(_ error: ALSAError) {
        context.logger.warning("USB \(endpointName): output \(port.address) for group \(port.group + 1) failed: \(error); closed")
        close(discardingPending: true, closer: DetachedClose.close)
        retryAfter = context.now() &+ Self.retryInterval
    }

    // MARK: Writing

    /// Writes what the kernel takes now; asks the loop for writability if bytes remain.
    func flush() {
        guard let sink else { return }
        var failure: ALSAError?
        while !queue.isEmpty {
            let written = queue.drain { bytes in
                do throws(ALSAError) { return try sink.write(bytes) } catch {
                    failure = error
                    return 0
                }
            }
            if written == 0 { break }
            counters.bytes &+= UInt64(written)
            lastActivity = context.now()
        }
        if let failure {
            fail(failure)
            return
        }
        let wantWritable = !queue.isEmpty
        if wantWritable != waitingForWritable, let token {
            waitingForWritable = wantWritable
            context.loop.setInterest(token, wantWritable ? .writable : [])
        }
    }
}

/// What happened to one port's traffic, for logs and tests.
struct USBPortCounters: Equatable {
    /// Messages queued (output) or produced (input).
    var messages: UInt64 = 0
    var bytes: UInt64 = 0
    var droppedQueueFull: UInt64 = 0
    /// The substream could not be opened or failed.
    var droppedUnavailable: UInt64 = 0
    var droppedNoMIDI1Form: UInt64 = 0
    var droppedSysExOutOfSequence: UInt64 = 0
    var sysExInterrupted: UInt64 = 0
    /// Kernel input buffer overruns (input only).
    var overruns: UInt64 = 0

    var dropped: UInt64 { droppedQueueFull &+ droppedUnavailable &+ droppedNoMIDI1Form &+ droppedSysExOutOfSequence }
}
