import ALSASequencer
import Glibc
import ServiceCore
import UMP

/// One loopback endpoint's face in the ALSA sequencer: a client named after the endpoint with
/// the ports of `BridgePortLayout`, and a connection on the endpoint like any SDK client's.
///
/// - ALSA → endpoint: events written to a port are translated to UMP on that port's group
///   and sent into the endpoint with `MidiService.send`, so they arrive on the other side of
///   the pair, mixed with what SDK clients send.
/// - endpoint → ALSA: everything the endpoint receives (`receive`, called by the service) is
///   translated to MIDI 1.0 events for the port of its group and for port 0 — and written to
///   each of those ports that has readers (see "Readers" below: an event for a port nobody
///   reads is not handed to the kernel, which would only look the port up, lock its empty
///   subscriber list and drop it). Writing only fills alsa-lib's output buffer; the bridge
///   drains it once per loop iteration (`flushOutput`).
///
/// Everything runs on the daemon's loop thread; the client's descriptor is non-blocking.
///
/// Hot path (docs/performance.md, "The ALSA bridge"): per event, nothing is allocated or
/// retained, and the stored properties touched per event are `@exclusivity(unchecked)`. A
/// perf profile of `scripts/bench --vm` had the run-time exclusivity checks (`swift_beginAccess`,
/// its thread-local access set) at ~6 % of the daemon and slow-path retains at ~10 %: both this
/// class and `MidiService` are weakly referenced (the restorer's announcer, `service` below), so
/// every retain of either takes the side-table path, and the per-event closures retained them.
/// The audit for the attribute: the daemon is single-threaded (only the loop's thread reaches
/// a client), and no access to one of these properties calls out to code that reaches the same
/// property again (the translators' emit closures below touch only locals or `deliver`, which
/// touches the reader state and `write` but none of `input`, `output`, `layout`). Keep it so,
/// or remove the attribute.
final class EndpointSequencerClient: EndpointReceiver {
    let endpointId: EndpointDeviceId
    let sequencer: SequencerClient
    @exclusivity(unchecked) private(set) var layout: BridgePortLayout
    /// Read at every wake-up (`readInput`): unchecked, see the audit above.
    @exclusivity(unchecked) private(set) var connection: ConnectionID?
    @exclusivity(unchecked) private var input: SequencerInputTranslator
    @exclusivity(unchecked) private var output: SequencerOutputTranslator
    private var descriptorTokens: [EventLoop.Token] = []
    /// Set by `attach`, cleared by `detach`; the bridge detaches every client before the service
    /// goes (its `stop`). Not `weak`: a weak reference is loaded through the side table (an
    /// atomic load and a retain) at every wake-up, and `readInput` needs it at each one.
    private unowned(unsafe) var service: MidiService?
    /// Called with subscription notices and System Announce messages this client reads
    /// (`ConnectionRestorer`).
    var onNotice: ((ReceivedEvent) -> Void)?

    /// A SysEx up to this size (F0 and F7 included) is written as one event; a longer one as
    /// consecutive events of this size (first starting with F0, last ending with F7), the way
    /// the kernel's own MIDI ports deliver long SysEx. A receiver's whole input pool must hold
    /// one event (the kernel refuses an event with more cells than the pool): 4,096 bytes is
    /// 147 cells of a default 200-cell pool, leaving room for other events.
    static let sysExEventLimit = 4096

    /// Whether alsa-lib's output buffer holds events not yet handed to the kernel.
    @exclusivity(unchecked) private(set) var hasPendingOutput = false

    // Counters, for `midi service status`-style reports in the log.
    /// ALSA events taken from the sequencer and sent into the endpoint.
    @exclusivity(unchecked) private(set) var eventsFromALSA: UInt64 = 0
    /// UMP packets the service refused (e.g. the endpoint went away between reads).
    private(set) var packetsRefused: UInt64 = 0
    private(set) var lastRefusal: SendResult?
    /// Events to ALSA that alsa-lib refused to queue (never expected; an invalid value).
    @exclusivity(unchecked) private(set) var eventsNotQueued: UInt64 = 0
    /// Errors reading from the sequencer (other than "nothing more").
    private(set) var inputErrors: UInt64 = 0
    private(set) var lastError: ALSAError?

    /// Creates the client and its ports. Nothing is left behind if a step fails (closing the
    /// client removes its ports).
    init(endpoint: MidiEndpoint, clientName: String? = nil, inputPoolCells: Int, maximumSysExSize: Int) throws(ALSAError) {
        endpointId = endpoint.id
        layout = BridgePortLayout(endpoint: endpoint, clientName: clientName)
        // The name is set inside `SequencerClient.init`, before any port exists.
        sequencer = try SequencerClient(name: layout.clientName)
        // Before traffic: resizing discards what waits. A larger pool takes bursts and long
        // SysEx from fast writers while the loop is busy elsewhere.
        try sequencer.setInputPool(inputPoolCells)
        for (number, name) in layout.portNames.enumerated() {
            try sequencer.createPort(PortID(UInt8(number)), name: name,
                                     capabilities: .duplexMIDI, type: .softwareMIDIApplication, midiChannels: 16)
        }
        input = SequencerInputTranslator(portCount: layout.portNames.count)
        output = SequencerOutputTranslator(maximumSysExSize: maximumSysExSize)
    }

    var clientNumber: Int { Int(sequencer.id.rawValue) }

    /// Opens the connection on the endpoint and puts the sequencer's descriptors into the loop.
    func attach(to service: MidiService, loop: EventLoop) throws(ALSABridgeError) {
        let descriptors: [pollfd]
        do { descriptors = try sequencer.pollDescriptors(events: Int16(POLLIN)) } catch { throw .alsa(error) }
        do { connection = try service.openConnection(to: endpointId, receiver: self) } catch { throw .connection(error) }
        self.service = service
        for descriptor in descriptors {
            descriptorTokens.append(loop.registerDescriptor(descriptor.fd, events: .readable) { [unowned self] _ in
                self.readInput()
            })
        }
    }

    /// Leaves the loop and closes the connection; the sequencer client closes when the last
    /// reference goes (deinit of `SequencerClient`), taking its ports and subscriptions along.
    func detach(from service: MidiService, loop: EventLoop, closingConnection: Bool = true) {
        for token in descriptorTokens { loop.unregister(token) }
        descriptorTokens.removeAll()
        if closingConnection, let connection { service.closeConnection(connection) }
        connection = nil
        self.service = nil
    }

    // MARK: ALSA → endpoint

    /// Packets translated from one wake-up's events, handed to the service together
    /// (`MidiService.send(each:from:)`: one connection lookup, at most one clock reading, and
    /// one `receive(contentsOf:)` per receiver for the whole run, instead of all that per event).
    /// Allocated once; a wake-up with more sends it in runs of this size.
    private let inputRun = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: EndpointSequencerClient.inputRunCapacity)
    @exclusivity(unchecked) private var inputRunCount = 0
    /// 256 packets: more than a drained input buffer usually holds (alsa-lib reads up to
    /// 16 KiB = 585 fixed-size events per `read`, the bench's window keeps fewer in flight), and
    /// 4 KiB of memory per client.
    static let inputRunCapacity = 256

    deinit {
        inputRun.deallocate()
        if heldCount > 0 { held.baseAddress!.deinitialize(count: heldCount) }
        held.deallocate()
    }

    /// Reads the events of one wake-up — what alsa-lib's first `read` brought from the kernel,
    /// stopping when its buffer is empty rather than asking the kernel again for an EAGAIN (the
    /// descriptor is polled level-triggered, so events still in the kernel wake the loop at
    /// once) — translates each to UMP into `inputRun`, and sends the run into the endpoint once
    /// they are all read (or the run is full). The events of one wake-up thus share an arrival
    /// time — the time this wake-up began sending, as for an SDK client's batch.
    func readInput() {
        guard let connection, let service else { return }
        defer { sendInputRun(service, connection) }
        while true {
            let received: ReceivedEvent?
            do { received = try sequencer.readEvent() } catch {
                inputErrors &+= 1
                lastError = error
                return
            }
            guard let received else { return }
            if received.event.isNotice {   // subscriptions and System Announce: not MIDI
                readersNotice(received.event)
                onNotice?(received)
                if sequencer.bufferedInputEvents == 0 { return }
                continue
            }
            let port = received.destination.port
            guard let group = layout.group(forPort: port) else {
                if sequencer.bufferedInputEvents == 0 { return }
                continue
            }
            // A channel or system event makes at most four packets (an RPN/NRPN); only SysEx
            // can make more, and only its emit closure may have to send a full run midway.
            let translated: Bool
            if case .systemExclusive = received.event {
                translated = input.translate(received.event, portIndex: Int(port.rawValue), group: group) { packet in
                    if self.inputRunCount == Self.inputRunCapacity { self.sendInputRun(service, connection) }
                    self.inputRun[self.inputRunCount] = TimestampedUMP(timestamp: 0, packet: packet)
                    self.inputRunCount += 1
                }
            } else {
                if inputRunCount > Self.inputRunCapacity - 4 { sendInputRun(service, connection) }
                // The closure captures locals only: no retain of `self` or `service` per event.
                let run = inputRun
                var count = inputRunCount
                translated = input.translate(received.event, portIndex: Int(port.rawValue), group: group) { packet in
                    run[count] = TimestampedUMP(timestamp: 0, packet: packet)
                    count += 1
                }
                inputRunCount = count
            }
            if translated { eventsFromALSA &+= 1 }
            if sequencer.bufferedInputEvents == 0 { return }
        }
    }

    /// Hands the packets collected so far to the service and empties the run.
    private func sendInputRun(_ service: MidiService, _ connection: ConnectionID) {
        guard inputRunCount > 0 else { return }
        let count = inputRunCount
        inputRunCount = 0
        // No clock reading unless a receiver on the other side wants the arrival time (an SDK
        // connection does; the other side's ALSA client does not: `readsTimestamps`).
        let outcome = service.send(each: UnsafeMutableBufferPointer(rebasing: inputRun[0..<count]), from: connection)
        let refused = outcome.schedulerRefused + outcome.rejected
        if refused > 0 {
            packetsRefused &+= UInt64(refused)
            lastRefusal = SendResult(status: outcome.rejected > 0 ? [.failed, .connectionClosedOrInvalid] : [.failed, .scheduleQueueFull])
        }
    }

    // MARK: Endpoint → ALSA

    /// ALSA events carry no arrival time: the service need not read the clock for this client.
    var readsTimestamps: Bool { false }

    /// A message arrived on the endpoint. Translated and queued at once; the bridge hands the
    /// batch to the kernel at the end of the loop iteration. Never calls the service.
    func receive(_ message: TimestampedUMP) -> Bool {
        var queued = true
        // Not retained per message: the closure runs inside this call, while `self` is alive.
        output.translate(message.packet) { [unowned(unsafe) self] group, event in
            if let port = self.layout.port(forGroup: group), !self.deliver(event, from: port) { queued = false }
            if !self.deliver(event, from: PortID(0)) { queued = false }
        }
        // false counts as this receiver's overflow in the service and the sender's report.
        return queued
    }

    /// A run of messages (a loopback hands a frame's or a wake-up's messages over together):
    /// each translated and queued as `receive(_:)` does, in one loop here rather than one call
    /// through the protocol per message.
    func receive(contentsOf messages: UnsafeBufferPointer<TimestampedUMP>) -> Int {
        var refused = 0
        var index = 0
        while index < messages.count {
            if !receive(messages[index]) { refused += 1 }
            index += 1
        }
        return refused
    }

    // MARK: Readers

    // An event is written to a port only if someone reads from it. What the bridge knows about
    // a port's readers can be late: the kernel tells a port's owner about a new subscriber with
    // a PORT_SUBSCRIBED notice in the owner's input (queued inside the subscribing call, before
    // it returns), but the loop may route an event that was sent after that call — read from
    // another client's input or from a socket — before this client reads the notice. So an
    // event for a port not known to have readers is never dropped at once: it is *held*, in
    // order, and settled at the end of the loop iteration (`settleHeldAtEndOfIteration`):
    //
    // - A port's bit in `portsWithReaders` is clear only while the kernel has said it has no
    //   reader (a port starts so: nobody can subscribe to a port before it exists) and no
    //   PORT_SUBSCRIBED notice for it was read since; every subscription made after that point
    //   puts a notice into this client's input.
    // - A subscription that returned before a held event was sent had its notice queued before
    //   the event was routed, so before the end of the iteration. If this client's input is
    //   empty then (`SequencerClient.hasPendingInput`: alsa-lib's buffer and a zero-timeout
    //   `poll`, no read), every such notice has been read — and would have released the held
    //   events of its port — so what is still held has no reader and is dropped, without asking
    //   the kernel and without a timer: per wake-up one `poll`, where the relay reads once more
    //   for an EAGAIN (docs/performance.md, issue 17).
    // - If the input is not empty (a notice or other events wait), the events stay held: the
    //   descriptor is readable, so the loop comes round at once, reads it, and the next
    //   iteration's end decides again. Should that not settle them (input that never empties),
    //   the kernel is asked (`SequencerClient.readerCount`, one ioctl per port) when they are
    //   `holdLimit` old or fill the buffer.
    //
    // An input overrun (the kernel discarded what waited in this client's input, a notice
    // perhaps among it) makes the bridge ask the kernel about every port at the iteration's end.
    //
    // A notice releases the held events at once (the kernel is asked about every port with held
    // events); when the kernel cannot be asked, the port counts as read. Released events go out
    // in their original order, before anything later for their port: a reader that connects
    // mid-stream gets every event sent after its connect (and perhaps a few from just before
    // it, as it could when every event was written).
    //
    // A port known to have readers stays so until a PORT_UNSUBSCRIBED notice, after which the
    // kernel is asked again (other readers may remain). Subscriptions this client makes itself
    // bring it no notice (the kernel tells only the other side); `readersMayHaveChanged` covers
    // those (`ConnectionRestorer`).

    /// Bit n: port n is known to have readers.
    @exclusivity(unchecked) private var portsWithReaders: UInt32 = 0
    /// Events for ports not known to have readers, oldest first (never SysEx).
    private let held = UnsafeMutableBufferPointer<HeldEvent>.allocate(capacity: EndpointSequencerClient.heldCapacity)
    @exclusivity(unchecked) private var heldCount = 0
    /// Bit n: `held` has an event for port n.
    @exclusivity(unchecked) private var heldPorts: UInt32 = 0
    /// When the held events must be settled by asking the kernel (CLOCK_MONOTONIC ns): set only
    /// when they outlive an iteration (input not empty at its end), `nil` otherwise; the
    /// bridge's timer calls `settleHeld` then.
    @exclusivity(unchecked) private(set) var heldDeadline: UInt64?
    /// Events not written because the kernel said nobody read their port.
    @exclusivity(unchecked) private(set) var eventsWithoutReaders: UInt64 = 0
    /// How often the kernel was asked about a port's readers (`readerCount`).
    @exclusivity(unchecked) private(set) var readerQueries: UInt64 = 0
    /// Iterations that ended with events held and this client's input not empty (the held
    /// events waited for the next iteration).
    @exclusivity(unchecked) private(set) var heldPastIteration: UInt64 = 0
    /// `sequencer.inputOverruns` when last looked at: an overrun discards the client's input,
    /// notices included, after which every port's readers are asked of the kernel.
    @exclusivity(unchecked) private var overrunsSeen: UInt64 = 0

    private struct HeldEvent {
        var port: PortID
        var event: SequencerEvent
    }

    /// 1,024 events, 24 KiB per client: more than one wake-up brings (alsa-lib reads at most
    /// 585 fixed-size events per `read`), so at full speed the buffer does not fill before the
    /// iteration's end settles it, and the kernel is not asked.
    static let heldCapacity = 1024
    /// How long events are held at most before the kernel is asked, when the end of an
    /// iteration could not settle them (this client's input never empty): 50 ms. Only a reader
    /// that subscribed while its notice was still unread can want them, and its notice releases
    /// them at once; so this bounds only how long they take memory.
    static let holdLimit: UInt64 = 50_000_000

    /// Writes `event` from `port` if the port has readers, else holds it (see above). False if
    /// alsa-lib refused it.
    @inline(__always)
    private func deliver(_ event: SequencerEvent, from port: PortID) -> Bool {
        if portsWithReaders & (1 << UInt32(port.rawValue)) != 0 { return write(event, from: port) }
        return hold(event, from: port)
    }

    private func hold(_ event: SequencerEvent, from port: PortID) -> Bool {
        let bit: UInt32 = 1 << UInt32(port.rawValue)
        // A SysEx (heap storage; not the hot path) or a full buffer: settle now.
        var isSysEx = false
        if case .systemExclusive = event { isSysEx = true }
        if isSysEx || heldCount == Self.heldCapacity {
            if heldPorts & bit == 0 { refreshReaders(of: port) }
            settleHeld()
            if portsWithReaders & bit != 0 { return write(event, from: port) }
            if isSysEx {
                eventsWithoutReaders &+= 1
                return true
            }
        }
        (held.baseAddress! + heldCount).initialize(to: HeldEvent(port: port, event: event))
        heldCount += 1
        heldPorts |= bit
        return true
    }

    /// End of a loop iteration (the bridge's hook, before the output is drained): drops the held
    /// events if this client's input is empty — no subscription notice can be waiting for them
    /// (see "Readers" above) — else leaves them for the next iteration, which the readable
    /// descriptor brings at once, with `holdLimit` as the bound.
    func settleHeldAtEndOfIteration() {
        if sequencer.inputOverruns != overrunsSeen {
            // The kernel discarded this client's input: a subscription notice may have gone
            // with it, so what `portsWithReaders` says is no longer known. Ask about every port.
            overrunsSeen = sequencer.inputOverruns
            var port = 0
            while port < layout.portNames.count {
                refreshReaders(of: PortID(UInt8(port)))
                port += 1
            }
            writeOrDropHeld()
            return
        }
        guard heldCount > 0 else { return }
        let pending: Bool
        do { pending = try sequencer.hasPendingInput() } catch {
            lastError = error
            settleHeld()   // cannot look: ask the kernel
            return
        }
        if !pending {
            writeOrDropHeld()
            return
        }
        heldPastIteration &+= 1
        if heldDeadline == nil { heldDeadline = MonotonicClock.now() &+ Self.holdLimit }
    }

    /// Asks the kernel about every port with held events, writes the held events of those with
    /// readers (in order) and forgets the others.
    func settleHeld() {
        var ports = heldPorts
        while ports != 0 {
            refreshReaders(of: PortID(UInt8(ports.trailingZeroBitCount)))
            ports &= ports &- 1
        }
        writeOrDropHeld()
    }

    /// Writes the held events of ports known to have readers (in order) and forgets the others.
    private func writeOrDropHeld() {
        var index = 0
        while index < heldCount {
            let entry = held[index]
            if portsWithReaders & (1 << UInt32(entry.port.rawValue)) != 0 {
                _ = write(entry.event, from: entry.port)
            } else {
                eventsWithoutReaders &+= 1
            }
            index += 1
        }
        if heldCount > 0 { held.baseAddress!.deinitialize(count: heldCount) }
        heldCount = 0
        heldPorts = 0
        heldDeadline = nil
    }

    /// Asks the kernel whether `port` has readers; when it cannot say, the port counts as read.
    private func refreshReaders(of port: PortID) {
        let bit: UInt32 = 1 << UInt32(port.rawValue)
        readerQueries &+= 1
        let count: Int
        do { count = try sequencer.readerCount(of: port) } catch {
            lastError = error
            portsWithReaders |= bit
            return
        }
        if count > 0 { portsWithReaders |= bit } else { portsWithReaders &= ~bit }
    }

    /// A subscription notice this client read: someone started or stopped reading one of its
    /// ports (the notice's sender is our port; the kernel counts the reader before it queues
    /// the notice).
    private func readersNotice(_ event: SequencerEvent) {
        switch event {
        case .portSubscribed(let sender, _) where sender.client == sequencer.id:
            portsWithReaders |= 1 << UInt32(sender.port.rawValue)
            if heldPorts & (1 << UInt32(sender.port.rawValue)) != 0 { settleHeld() }
        case .portUnsubscribed(let sender, _) where sender.client == sequencer.id:
            refreshReaders(of: sender.port)
        default:
            return
        }
    }

    /// Subscriptions of `port` may have changed in a way the kernel does not announce to this
    /// client (it made them itself): asks the kernel again, and settles what is held.
    func readersMayHaveChanged(on port: PortID) {
        refreshReaders(of: port)
        settleHeld()
    }

    private func write(_ event: SequencerEvent, from port: PortID) -> Bool {
        do {
            if case let .systemExclusive(bytes) = event, bytes.count > Self.sysExEventLimit {
                try sequencer.sendSystemExclusive(bytes, from: port, chunkSize: Self.sysExEventLimit)
            } else {
                try sequencer.send(event, from: port)
            }
            hasPendingOutput = true
            return true
        } catch {
            eventsNotQueued &+= 1
            lastError = error
            return false
        }
    }

    /// Hands queued events to the kernel. Direct events never make the sender wait: an event a
    /// subscriber cannot take (its input pool full) is dropped for that subscriber and counted
    /// in `sequencer.droppedOutputEvents` (see ALSASequencer's output policy).
    func flushOutput() {
        guard hasPendingOutput else { return }
        hasPendingOutput = false
        sequencer.drainOutput()
    }

    // MARK: Names

    /// Takes the names `endpoint` calls for now (`LegacyPortNames`: its naming approach, custom
    /// port names), with `clientName` as the bridge made it unique. Returns what changed, for
    /// the log; throws on the first refusal.
    func update(to endpoint: MidiEndpoint, clientName: String? = nil) throws(ALSAError) -> [String] {
        let wanted = BridgePortLayout(endpoint: endpoint, clientName: clientName)
        var changes: [String] = []
        if wanted.clientName != layout.clientName {
            try sequencer.rename(to: wanted.clientName)
            changes.append("client \"\(wanted.clientName)\"")
            layout.clientName = wanted.clientName
        }
        for number in 0..<min(wanted.portNames.count, layout.portNames.count)
        where wanted.portNames[number] != layout.portNames[number] {
            try sequencer.renamePort(PortID(UInt8(number)), to: wanted.portNames[number])
            changes.append("port \(number) \"\(wanted.portNames[number])\"")
            layout.portNames[number] = wanted.portNames[number]
        }
        return changes
    }

    // MARK: Reporting

    /// Everything that went wrong so far, for the bridge's rate-limited warnings.
    var problemCounts: ProblemCounts {
        ProblemCounts(outputDropped: sequencer.droppedOutputEvents, inputOverruns: sequencer.inputOverruns,
                      packetsRefused: packetsRefused, eventsNotQueued: eventsNotQueued, inputErrors: inputErrors,
                      sysExDropped: output.sysExDroppedMessages &+ output.sysExStrayPackets)
    }

    /// What the last warning about this client covered, and when (the bridge's rate limit).
    var reportedProblems = ProblemCounts()
    var problemsReportedAt: UInt64?

    struct ProblemCounts: Equatable {
        var outputDropped: UInt64 = 0
        var inputOverruns: UInt64 = 0
        var packetsRefused: UInt64 = 0
        var eventsNotQueued: UInt64 = 0
        var inputErrors: UInt64 = 0
        var sysExDropped: UInt64 = 0

        /// "3 events not delivered to a full subscriber, …" for the counts that grew since `earlier`.
        func describeGrowth(since earlier: ProblemCounts) -> [String] {
            var parts: [String] = []
            func add(_ now: UInt64, _ then: UInt64, _ what: String) {
                if now > then { parts.append("\(now - then) \(what)") }
            }
            add(outputDropped, earlier.outputDropped, "event(s) not delivered to ALSA subscribers (a subscriber's input pool was full)")
            add(inputOverruns, earlier.inputOverruns, "input overrun(s): the kernel discarded events before the bridge read them")
            add(packetsRefused, earlier.packetsRefused, "UMP packet(s) refused by the service")
            add(eventsNotQueued, earlier.eventsNotQueued, "event(s) alsa-lib refused to queue")
            add(inputErrors, earlier.inputErrors, "read error(s)")
            add(sysExDropped, earlier.sysExDropped, "broken or over-long SysEx message(s) dropped")
            return parts
        }
    }
}

/// Why a client could not be attached to its endpoint.
enum ALSABridgeError: Error, CustomStringConvertible {
    case alsa(ALSAError)
    case connection(ConnectionError)

    var description: String {
        switch self {
        case .alsa(let error): return error.description
        case .connection(let error): return error.description
        }
    }
}
