import ALSASequencer
import Glibc
import Logging
import ServiceCore
import UMP
import POSIX

/// One input group of a USB endpoint: what the device sends on input substream g becomes UMP
/// on group g (types 1, 2 and 3, SysEx of any length) and enters the service with
/// `receiveFromDevice`, stamped with its arrival time. It arrives either as events from the
/// card's sequencer port (`receive(_:)`, translated by `SequencerInputTranslator` as the ALSA
/// bridge does) or, without a sequencer, as bytes read from the rawmidi substream
/// (`MIDI1StreamParser`).
///
/// The input is open (subscribed, or the substream open) while at least one connection is
/// open on the endpoint (the device manager decides): a device nobody listens to through the
/// service costs nothing, and stays usable by programs that open the rawmidi substream itself
/// (`amidi`), which is exclusive.
final class USBInputPort {
    let port: USBEndpointPlan.Port
    private let context: USBDeviceContext
    private let endpointName: String
    private var source: (any USBMIDIInputSource)?
    /// The same source when it is a rawmidi substream polled here.
    private var byteSource: (any USBMIDIByteSource)?
    private var token: EventLoop.Token?
    private var parser = MIDI1StreamParser()
    /// Events from the sequencer → UMP (one port: this group).
    private var translator = SequencerInputTranslator(portCount: 1)
    /// Reused for every read: no allocation per message (raw memory rather than an array, whose
    /// mutable access through a class property costs an allocation per read in unoptimised
    /// builds).
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 8)
    private var handle: DeviceEndpointHandle?
    /// No open attempt before this time (after a failed one), CLOCK_MONOTONIC ns.
    private(set) var retryAfter: UInt64 = 0
    private var failureLogged = false
    private(set) var counters = USBPortCounters()

    /// How long to wait before trying a busy or failed input again.
    static let retryInterval: UInt64 = 2_000_000_000

    init(port: USBEndpointPlan.Port, endpointName: String, context: USBDeviceContext) {
        self.port = port
        self.endpointName = endpointName
        self.context = context
    }

    deinit {
        close()
        buffer.deallocate()
    }

    var isOpen: Bool { source != nil }

    /// Tries to open the substream (unless a recent attempt failed); returns whether it is open.
    @discardableResult
    func open(handle: DeviceEndpointHandle, now: UInt64) -> Bool {
        if source != nil { return true }
        guard now >= retryAfter else { return false }
        self.handle = handle
        let opened: any USBMIDIInputSource
        do { opened = try context.ports.openInput(port, for: self) } catch {
            retryAfter = now &+ Self.retryInterval
            if !failureLogged {
                failureLogged = true
                let busy = error.errno == .busy ? " (another program has it open)" : ""
                context.logger.warning("USB \(endpointName): cannot open input \(port.address) \"\(port.name)\" for group \(port.group + 1)\(busy): \(error); retrying every \(Self.retryInterval / 1_000_000_000) s while connections are open")
            }
            return false
        }
        if failureLogged {
            failureLogged = false
            context.logger.info("USB \(endpointName): input \(port.address) for group \(port.group + 1) is open now")
        }
        source = opened
        parser.reset()
        translator = SequencerInputTranslator(portCount: 1)
        context.logger.debug("USB \(endpointName): opened input \(port.address) (group \(port.group + 1))")
        guard let bytes = opened as? any USBMIDIByteSource else { return true }
        byteSource = bytes
        token = context.loop.registerDescriptor(bytes.fileDescriptor, events: .readable) { [unowned self] events in
            self.readAvailable()
            // A hang-up with nothing (not even an error) to read would wake the loop forever.
            if events.contains(.hangup), self.isOpen {
                self.context.logger.warning("USB \(self.endpointName): input \(self.port.address) hung up; closed")
                self.close(resetRetry: false)
                self.retryAfter = self.context.now() &+ Self.retryInterval
            }
        }
        return true
    }

    /// Releases the substream; a message half received is forgotten.
    func close(resetRetry: Bool = true) {
        if let token { context.loop.unregister(token) }
        token = nil
        if resetRetry { retryAfter = 0 }
        byteSource = nil
        guard let source else { return }
        self.source = nil
        source.close()
        parser.reset()
        context.logger.debug("USB \(endpointName): closed input \(port.address)")
    }

    /// Reads until the kernel has nothing more, and hands every completed message to the
    /// service. Runs on the loop thread (a descriptor handler), so calling the service is fine.
    func readAvailable() {
        guard let source = byteSource, let handle else { return }
        let service = context.service
        let group = port.group
        while true {
            let n: Int
            do {
                n = try source.read(into: buffer)
            } catch {
                // ENODEV: unplugged; the udev `remove` follows. Anything else: try again later.
                context.logger.warning("USB \(endpointName): input \(port.address) for group \(port.group + 1) failed: \(error); closed")
                close(resetRetry: false)
                retryAfter = context.now() &+ Self.retryInterval
                return
            }
            if n == 0 { return }
            counters.bytes &+= UInt64(n)
            var index = 0
            while index < n {
                parser.feed(buffer[index], group: group) { packet in
                    counters.messages &+= 1
                    _ = service.receiveFromDevice(TimestampedUMP(timestamp: 0, packet: packet), on: handle)
                }
                index += 1
            }
        }
    }

    /// One event from the card's sequencer port (`USBSequencerLink` dispatches it here, on the
    /// loop thread). A SysEx cut into several events (snd-seq-midi delivers 256-byte chunks)
    /// comes out as one Start…End sequence.
    func receive(_ event: SequencerEvent) {
        guard source != nil, let handle else { return }
        let service = context.service
        translator.translate(event, portIndex: 0, group: port.group) { packet in
            counters.messages &+= 1
            _ = service.receiveFromDevice(TimestampedUMP(timestamp: 0, packet: packet), on: handle)
        }
        if case let .systemExclusive(bytes) = event { counters.bytes &+= UInt64(bytes.count) }
    }
}
