import ALSASequencer
import Glibc
import Logging
import POSIX

/// The daemon's one ALSA sequencer client for USB MIDI devices, `MIDI Services USB`: how the
/// USB transport reaches a card's MIDI ports through the kernel sequencer (snd-seq-midi), the
/// way every other Linux MIDI program does, so that the device is shared with all of them.
///
/// - **Which client**: each sound card with MIDI ports has one kernel client (the sequencer
///   reports its card: `ClientInfo.card`); port `32·D + S` of that client is rawmidi substream
///   `hw:C,D,S` (snd-seq-midi numbers them so), readable for an input substream, writable for
///   an output one.
/// - **Reading**: an input group is a subscription from the card's port to ours; events carry
///   the card port as their source, and are dispatched by it to the group's `USBInputPort`.
/// - **Writing**: an output group is a subscription from our port to the card's, which makes
///   snd-seq-midi open the rawmidi output for us (it opens it on its first subscriber and
///   closes it after the last); bytes are sent to that port alone (`sendMIDIBytes`).
/// - **Own client, not the ALSA bridge's**: the bridge has no client of its own to share —
///   one client per loopback endpoint, named after it and visible to every program — while
///   this client is plumbing nobody should see or connect to: one port, `NO_EXPORT` and without
///   subscription rights, so `aconnect -l`, DAWs and PipeWire do not list it (the devices are
///   listed already, as their cards' clients). One client for all devices costs one of the
///   kernel's 64 user-client slots, whatever the number of devices.
///
/// Everything runs on the loop thread; the client is non-blocking.
final class USBSequencerLink {
    static let clientName = "MIDI Services USB"
    /// Our one port: the card ports it reads are subscribed to it, and it is subscribed to the
    /// card ports it writes.
    static let port = PortID(0)
    /// Input pool of the client, in cells: the most the kernel allows (2,000 ≈ 2,000 short
    /// events, or 200 of snd-seq-midi's 256-byte SysEx chunks ≈ 50 KB) may wait while the loop
    /// is busy.
    static let inputPoolCells = SequencerClient.maximumInputPool

    let client: SequencerClient
    private let loop: EventLoop
    private let logger: Logger
    private var tokens: [EventLoop.Token] = []
    /// The input groups subscribed now, by the card port they read.
    private var inputs: [Address: USBInputPort] = [:]
    /// Events from a port no input group reads (left over after an unsubscription).
    private(set) var strayEvents: UInt64 = 0
    private(set) var readErrors: UInt64 = 0
    private var readErrorLogged = false

    init(loop: EventLoop, logger: Logger) throws(ALSAError) {
        client = try SequencerClient(name: Self.clientName)
        try client.setInputPool(Self.inputPoolCells)
        try client.createPort(Self.port, name: "USB devices", capabilities: [.read, .write, .noExport],
                              type: [.midiGeneric, .application], midiChannels: 16)
        let descriptors = try client.pollDescriptors()
        self.loop = loop
        self.logger = logger
        for descriptor in descriptors {
            tokens.append(loop.registerDescriptor(descriptor.fd, events: .readable) { [unowned self] _ in
                self.readEvents()
            })
        }
    }

    /// Leaves the loop; the client closes when the link goes (the kernel then removes its
    /// subscriptions).
    func stop() {
        for token in tokens { loop.unregister(token) }
        tokens.removeAll()
        inputs.removeAll()
    }

    // MARK: Card ports

    enum Direction { case input, output }

    /// The sequencer port of rawmidi substream `address`, checked to exist and to have the
    /// capability the direction needs. `ENOENT` when the card has no sequencer client (yet).
    func cardPort(_ address: RawMIDISubstreamAddress, _ direction: Direction) throws(ALSAError) -> Address {
        guard let card = try client.client(ofCard: address.card) else {
            throw ALSAError(code: -ENOENT, operation: "find the ALSA sequencer client of card \(address.card) (is snd-seq-midi loaded?)")
        }
        let number = address.device * 32 + address.subdevice
        guard number <= Int(PortID.maximum.rawValue) else {
            throw ALSAError(code: -ERANGE, operation: "sequencer port of \(address): \(number) is beyond the port range")
        }
        let port = Address(client: card.id, port: PortID(UInt8(number)))
        let info = try client.portInfo(port)
        let needed: PortCapabilities = direction == .input ? [.read, .subscriptionRead] : [.write, .subscriptionWrite]
        guard info.capabilities.contains(needed) else {
            throw ALSAError(code: -ENOENT, operation: "sequencer port \(port) \"\(info.name)\" of card \(address.card) cannot be \(direction == .input ? "read" : "written")")
        }
        return port
    }

    /// "sequencer client 20" — for the arrival log line; the client may not exist yet.
    func describe(card: Int) -> String {
        if let info = try? client.client(ofCard: card) { return "ALSA sequencer client \(info.id) \"\(info.name)\"" }
        return "ALSA sequencer (card \(card) has no client yet)"
    }

    // MARK: Subscriptions

    func subscribeInput(_ source: Address, substream: RawMIDISubstreamAddress, to receiver: USBInputPort) throws(ALSAError) {
        do { try client.connect(from: source, to: Self.port) } catch {
            try Self.acceptAlreadySubscribed(error, port: source, substream: substream, input: true)
        }
        inputs[source] = receiver
    }

    /// Unsubscribes; a card that is gone has taken the subscription with it (ENOENT), fine.
    func unsubscribeInput(_ source: Address) {
        inputs[source] = nil
        do { try client.disconnect(from: source, to: Self.port) } catch {
            logger.debug("USB: unsubscribe from \(source): \(error)")
        }
    }

    func subscribeOutput(_ destination: Address, substream: RawMIDISubstreamAddress) throws(ALSAError) {
        do { try client.connect(from: Self.port, to: destination) } catch {
            try Self.acceptAlreadySubscribed(error, port: destination, substream: substream, input: false)
        }
    }

    /// What a failed subscription to a card port means. The kernel answers `EBUSY` when the
    /// subscription exists already (a close that could not unsubscribe): kept, not an error.
    /// It answers `EAGAIN` when snd-seq-midi cannot open the rawmidi substream behind the port
    /// because a program opened that substream itself (`amidi -p hw:…`, a program using
    /// rawmidi directly): rawmidi is exclusive, the sequencer path can only share what the
    /// kernel opens for it. That becomes `EBUSY` (the ports log "another program has it open")
    /// with the holder's pid and name from `/proc/asound`, so the log says who to close.
    static func acceptAlreadySubscribed(_ error: ALSAError, port: Address, substream: RawMIDISubstreamAddress,
                                        input: Bool, procRoot: String = "/proc/asound") throws(ALSAError) {
        switch error.errno {
        case .busy:
            return
        case .wouldBlock:
            let owner = RawMIDIProcStatus(card: substream.card, device: substream.device, root: procRoot)
                .describeOwner(input: input, subdevice: substream.subdevice)
            throw ALSAError(code: -EBUSY, operation: "subscribe to sequencer port \(port): rawmidi \(input ? "input" : "output") \(substream) is held exclusively by \(owner ?? "another program") (it opened the substream directly, not through the sequencer); MIDI flows once it closes it")
        default:
            throw error
        }
    }

    func unsubscribeOutput(_ destination: Address) {
        do { try client.disconnect(from: Self.port, to: destination) } catch {
            logger.debug("USB: unsubscribe from \(destination): \(error)")
        }
    }

    // MARK: Traffic

    /// Sends `bytes` to a card port and hands them to the kernel at once. An event the kernel
    /// refuses (the card went away) is dropped and counted by the client.
    func send(_ bytes: UnsafeRawBufferPointer, to destination: Address) throws(ALSAError) {
        try client.sendMIDIBytes(bytes, from: Self.port, to: destination)
        client.drainOutput()
    }

    /// Reads every pending event and hands each to the input group of the port it came from.
    private func readEvents() {
        while true {
            let received: ReceivedEvent?
            do { received = try client.readEvent() } catch {
                readErrors &+= 1
                if !readErrorLogged {
                    readErrorLogged = true
                    logger.warning("USB: reading the sequencer failed: \(error) (further read errors are counted, not logged)")
                }
                return
            }
            guard let received else { return }
            if let input = inputs[received.source] {
                input.receive(received.event)
            } else {
                strayEvents &+= 1
            }
        }
    }

    private var flowControlWarned = false

    func warnNoFlowControl(_ substream: RawMIDISubstreamAddress, path: String) {
        guard !flowControlWarned else { return }
        flowControlWarned = true
        logger.warning("USB: \(path) shows no buffer state for output \(substream) (no /proc/asound?); writing to USB devices without flow control, \(USBSequencerOutput.blindChunk) bytes per wake-up: a burst larger than the kernel's buffer may be lost")
    }

    /// Kernel input-pool overflows so far (events lost before they were read).
    var inputOverruns: UInt64 { client.inputOverruns }
}

/// The sequencer as `USBMIDIPortOpening`: groups ⇄ the card's sequencer ports.
struct USBSequencerPorts: USBMIDIPortOpening {
    let link: USBSequencerLink

    func openInput(_ port: USBEndpointPlan.Port, for receiver: USBInputPort) throws(ALSAError) -> any USBMIDIInputSource {
        let source = try link.cardPort(port.address, .input)
        try link.subscribeInput(source, substream: port.address, to: receiver)
        return USBSequencerInput(link: link, source: source)
    }

    func openOutput(_ port: USBEndpointPlan.Port) throws(ALSAError) -> any USBMIDIByteSink {
        let destination = try link.cardPort(port.address, .output)
        try link.subscribeOutput(destination, substream: port.address)
        return USBSequencerOutput(link: link, destination: destination, substream: port.address)
    }

    func describe(card: Int) -> String { link.describe(card: card) }
}

/// An input group read through the sequencer: open while subscribed.
final class USBSequencerInput: USBMIDIInputSource {
    let link: USBSequencerLink
    let source: Address
    private var closed = false

    init(link: USBSequencerLink, source: Address) {
        self.link = link
        self.source = source
    }

    func close() {
        guard !closed else { return }
        closed = true
        link.unsubscribeInput(source)
    }
}

/// An output group written through the sequencer, with the flow control the sequencer lacks.
///
/// snd-seq-midi writes each event into the card's rawmidi output buffer (4 KiB) and silently
/// drops one that does not fit, so a sender that outruns the device loses data. This sink
/// therefore sends only what the buffer has room for, as `/proc/asound/cardC/midiD` shows it
/// (`RawMIDIProcStatus`), less `headroom` bytes left for other programs writing to the same
/// port; it reads the file again only once that credit is used up. When there is no room,
/// `write` takes nothing and the port looks again after `USBMIDIDevice.spacePollInterval`.
///
/// Chunks end on a message boundary (before a status byte) unless one SysEx is longer than the
/// room, so another program's event can land between two of our messages but not inside one.
final class USBSequencerOutput: USBMIDIByteSink {
    let link: USBSequencerLink
    let destination: Address
    let substream: RawMIDISubstreamAddress
    private let status: RawMIDIProcStatus
    /// Bytes we may still write before looking at the kernel buffer again.
    private var credit = 0
    private var closed = false
    /// The proc file showed nothing usable: write without flow control, `blindChunk` bytes a
    /// time (the link logs it once).
    private(set) var flowControlUnavailable = false

    /// Room left in the kernel buffer for other writers.
    static let headroom = 256
    /// At most this much per event (well under alsa-lib's 16 KiB output buffer).
    static let largestChunk = 2048
    static let blindChunk = 512

    init(link: USBSequencerLink, destination: Address, substream: RawMIDISubstreamAddress) {
        self.link = link
        self.destination = destination
        self.substream = substream
        status = RawMIDIProcStatus(card: substream.card, device: substream.device)
    }

    var pollDescriptor: Int32? { nil }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ALSAError) -> Int {
        guard !closed, bytes.count > 0 else { return 0 }
        if credit < min(bytes.count, Self.largestChunk) { refreshCredit() }
        var n = min(bytes.count, credit, Self.largestChunk)
        guard n > 0 else { return 0 }
        if n < bytes.count { n = Self.messageBoundary(in: bytes, atMost: n) }
        guard n > 0 else { return 0 }
        try link.send(UnsafeRawBufferPointer(rebasing: bytes[0..<n]), to: destination)
        credit -= n
        return n
    }

    private func refreshCredit() {
        if let buffer = status.output(subdevice: substream.subdevice) {
            flowControlUnavailable = false
            credit = max(0, buffer.available - Self.headroom)
        } else {
            if !flowControlUnavailable { link.warnNoFlowControl(substream, path: status.path) }
            flowControlUnavailable = true
            credit = Self.blindChunk
        }
    }

    /// The largest length ≤ `limit` that ends before a status byte (a new message starts
    /// there); `limit` itself inside a SysEx longer than that; 0 when a short message does not
    /// fit yet.
    static func messageBoundary(in bytes: UnsafeRawBufferPointer, atMost limit: Int) -> Int {
        var index = limit
        while index > 0 {
            let byte = bytes[index]
            // A status byte starts a message, except F7 (it ends a SysEx) and real time (F8…FF,
            // allowed anywhere).
            if byte >= 0x80, byte < 0xF8, byte != 0xF7 { return index }
            index -= 1
        }
        // No message starts within the first `limit` bytes after the first: one long message.
        return bytes[0] == 0xF0 || bytes[0] < 0x80 ? limit : 0
    }

    func pendingByteCount() throws(ALSAError) -> Int {
        status.output(subdevice: substream.subdevice)?.pending ?? 0
    }

    /// Unsubscribes (snd-seq-midi closes the rawmidi output after its last subscriber). With
    /// `discardingPending` — the device is gone, or the daemon stops — nothing is touched: an
    /// unplugged card's client has taken its subscriptions along, and a stopping daemon closes
    /// the client, which removes them; this may also run off the loop thread (`DetachedClose`),
    /// where the sequencer handle must not be used.
    func close(discardingPending: Bool) {
        guard !closed else { return }
        closed = true
        if !discardingPending { link.unsubscribeOutput(destination) }
    }
}
