import ALSASequencer
import Glibc
@testable import MIDIDaemon
import Logging
import ServiceCore
import Synchronization
import UdevDevices
import UMP

// In-process stand-ins for the USB bridge's kernel side: pipes in place of rawmidi substreams
// (the event loop polls them exactly like the real descriptors), cards described by hand.

enum USBTestError: Error { case pipe(Int32) }

private func makePipe() throws -> (read: Int32, write: Int32) {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { throw USBTestError.pipe(errno) }
    for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
    return (fds[0], fds[1])
}

/// A "device" sending: the test writes into the pipe, the bridge reads the other end.
final class PipeSource: USBMIDIByteSource {
    let readEnd: Int32
    let writeEnd: Int32
    private(set) var isClosed = false

    init() throws { (readEnd, writeEnd) = try makePipe() }

    var fileDescriptor: Int32 { readEnd }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ALSAError) -> Int {
        let n = Glibc.read(readEnd, buffer.baseAddress, buffer.count)
        if n >= 0 { return n }
        if errno == EAGAIN { return 0 }
        throw ALSAError(code: -errno, operation: "read(pipe)")
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        Glibc.close(readEnd)
        Glibc.close(writeEnd)
    }

    /// The device sends these bytes.
    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.write(writeEnd, $0.baseAddress, $0.count) }
    }
}

/// A "device" receiving: the bridge writes into the pipe; `take()` is what reached the device.
/// `accepting` limits how many bytes the kernel side takes per write (0 = buffer full).
final class PipeSink: USBMIDIByteSink {
    let readEnd: Int32
    let writeEnd: Int32
    var accepting = Int.max
    private(set) var isClosed = false
    private(set) var closedDiscarding: Bool?
    private var received: [UInt8] = []

    init() throws { (readEnd, writeEnd) = try makePipe() }

    deinit {
        Glibc.close(readEnd)
        if !isClosed { Glibc.close(writeEnd) }
    }

    var fileDescriptor: Int32 { writeEnd }
    var pollDescriptor: Int32? { writeEnd }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ALSAError) -> Int {
        let count = min(bytes.count, accepting)
        guard count > 0 else { return 0 }
        let n = Glibc.write(writeEnd, bytes.baseAddress, count)
        if n >= 0 { return n }
        if errno == EAGAIN { return 0 }
        throw ALSAError(code: -errno, operation: "write(pipe)")
    }

    /// Bytes in the pipe that the "device" has not taken yet.
    func pendingByteCount() throws(ALSAError) -> Int {
        var n: Int32 = 0
        guard ioctl(readEnd, UInt(FIONREAD), &n) == 0 else { throw ALSAError(code: -errno, operation: "FIONREAD") }
        return Int(n)
    }

    func close(discardingPending: Bool) {
        drainPipe()
        guard !isClosed else { return }
        isClosed = true
        closedDiscarding = discardingPending
        Glibc.close(writeEnd)
    }

    private func drainPipe() {
        guard !isClosed else { return }
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(readEnd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            received += chunk[0..<n]
        }
    }

    /// Everything the device received so far (consumed).
    func take() -> [UInt8] {
        drainPipe()
        defer { received.removeAll() }
        return received
    }
}

/// Opens pipes instead of rawmidi substreams and remembers them by address; addresses in
/// `busyInputs`/`busyOutputs` fail like a substream another program holds.
final class PipePorts: USBMIDIPortOpening {
    final class State {
        var inputs: [RawMIDISubstreamAddress: PipeSource] = [:]
        var outputs: [RawMIDISubstreamAddress: PipeSink] = [:]
        var busyInputs: Set<RawMIDISubstreamAddress> = []
        var busyOutputs: Set<RawMIDISubstreamAddress> = []
        var inputOpens = 0
        var outputOpens = 0
        var outputAccepting = Int.max
    }
    let state = State()

    func openInput(_ port: USBEndpointPlan.Port, for receiver: USBInputPort) throws(ALSAError) -> any USBMIDIInputSource {
        let address = port.address
        if state.busyInputs.contains(address) { throw ALSAError(code: -EBUSY, operation: "open \(address)") }
        let source: PipeSource
        do { source = try PipeSource() } catch { throw ALSAError(code: -EMFILE, operation: "pipe") }
        state.inputs[address] = source
        state.inputOpens += 1
        return source
    }

    func describe(card: Int) -> String { "pipes for card \(card)" }

    func openOutput(_ port: USBEndpointPlan.Port) throws(ALSAError) -> any USBMIDIByteSink {
        let address = port.address
        if state.busyOutputs.contains(address) { throw ALSAError(code: -EBUSY, operation: "open \(address)") }
        let sink: PipeSink
        do { sink = try PipeSink() } catch { throw ALSAError(code: -EMFILE, operation: "pipe") }
        sink.accepting = state.outputAccepting
        state.outputs[address] = sink
        state.outputOpens += 1
        return sink
    }

    func input(card: Int, _ subdevice: Int) -> PipeSource? {
        state.inputs[RawMIDISubstreamAddress(card: card, device: 0, subdevice: subdevice)]
    }

    func output(card: Int, _ subdevice: Int) -> PipeSink? {
        state.outputs[RawMIDISubstreamAddress(card: card, device: 0, subdevice: subdevice)]
    }
}

/// Log lines, for checking what the bridge says.
struct CollectingLogHandler: LogHandler {
    final class Lines: Sendable {
        let lines = Mutex<[(Logger.Level, String)]>([])
        var all: [(Logger.Level, String)] { lines.withLock { $0 } }
        func contains(_ text: String, level: Logger.Level? = nil) -> Bool {
            all.contains { (level == nil || $0.0 == level) && $0.1.contains(text) }
        }
    }
    let sink: Lines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        sink.lines.withLock { $0.append((event.level, event.message.description)) }
    }
}

/// A test receiver on an endpoint.
final class CollectingReceiver: EndpointReceiver {
    var messages: [TimestampedUMP] = []
    func receive(_ message: TimestampedUMP) -> Bool {
        messages.append(message)
        return true
    }
    var packets: [UMPPacket] { messages.map(\.packet) }
}

/// Everything a bridge test needs: a service on a manual clock, a loop, pipes, a log.
final class USBBridgeRig {
    let clock = ManualServiceClock(time: 10_000_000_000)
    let service: MidiService
    let loop = EventLoop()
    let ports = PipePorts()
    let log = CollectingLogHandler.Lines()
    let manager: USBDeviceManager
    /// The bridge's own clock (retry times), moved by hand.
    final class BridgeClock { var time: UInt64 = 1_000_000_000 }
    let bridgeClock = BridgeClock()
    var events: [EndpointEvent] = []

    init(store: InMemoryStateStore = InMemoryStateStore()) {
        service = MidiService(clock: clock, stateStore: store)
        let sink = log
        let logger = Logger(label: "usb-test", factory: { _ in CollectingLogHandler(sink: sink) })
        let time = bridgeClock
        manager = USBDeviceManager(context: USBDeviceContext(
            loop: loop, service: service, logger: logger, ports: ports, now: { time.time }))
        manager.start()
        service.addObserver { [unowned self] in self.events.append($0) }
    }

    /// One pass of the loop (handlers, timers, the bridge's iteration hook), not waiting.
    func turn(_ times: Int = 1) throws {
        for _ in 0..<times { try loop.runOnce(maximumWait: 0) }
    }

    func advanceBridgeTime(by ns: UInt64) { bridgeClock.time += ns }
}

/// A USB MIDI card as SoundCardWatcher reports it.
func usbCard(card: Int = 1, vid: UInt16 = 0x1209, pid: UInt16 = 0x4D49, serial: String? = "SER-0001",
             product: String? = "Test Synth", manufacturer: String? = "Acme", port: Int = 0,
             inputs: Int = 2, outputs: Int = 2) -> USBMIDICardInfo {
    let name = product ?? ""
    let device = RawMidiDeviceInfo(
        device: 0, node: "/dev/snd/midiC\(card)D0", name: name,
        inputs: (0..<inputs).map { RawMidiSubstream(direction: .input, device: 0, index: $0, name: "\(name) MIDI \($0 + 1)") },
        outputs: (0..<outputs).map { RawMidiSubstream(direction: .output, device: 0, index: $0, name: "\(name) MIDI \($0 + 1)") })
    return USBMIDICardInfo(
        cardNumber: card, devpath: "/devices/platform/dummy_hcd.\(port)/usb\(port + 1)/\(port + 1)-1/\(port + 1)-1:1.0/sound/card\(card)",
        vendorId: vid, productId: pid, serialNumber: serial, manufacturer: manufacturer, product: product,
        path: "platform-dummy_hcd.\(port)-usb-0:1:1.0", pathTag: "platform-dummy_hcd_\(port)-usb-0_1_1_0",
        rawMidiDevices: [device])
}

func usbId(_ instance: String) -> EndpointDeviceId { EndpointDeviceId(instance: instance) }
