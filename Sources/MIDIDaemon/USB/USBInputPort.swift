import ALSASequencer
import Glibc
import Logging
import ServiceCore
import UMP

/// One input group of a USB endpoint: bytes the device sends on rawmidi input substream g
/// become UMP on group g (types 1, 2 and 3, SysEx of any length — `MIDI1StreamParser`) and
/// enter the service with `receiveFromDevice`, stamped with their arrival time.
///
/// The substream is open while at least one connection is open on the endpoint (the device
/// manager decides), so a device nobody listens to through the service stays usable by other
/// programs (rawmidi substreams are exclusive).
final class USBInputPort {
    let port: USBEndpointPlan.Port
    private let context: USBDeviceContext
    private let endpointName: String
    private var source: (any USBMIDIByteSource)?
    private var token: EventLoop.Token?
    private var parser = MIDI1StreamParser()
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
        let opened: any USBMIDIByteSource
        do { opened = try context.ports.openInput(port.address) } catch {
            retryAfter = now &+ Self.retryInterval
            if !failureLogged {
                failureLogged = true
                let busy = error.errno == EBUSY ? " (another program has it open)" : ""
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
        token = context.loop.registerDescriptor(opened.fileDescriptor, events: .readable) { [unowned self] events in
            self.readAvailable()
            // A hang-up with nothing (not even an error) to read would wake the loop forever.
            if events.contains(.hangup), self.isOpen {
                self.context.logger.warning("USB \(self.endpointName): input \(self.port.address) hung up; closed")
                self.close(resetRetry: false)
                self.retryAfter = self.context.now() &+ Self.retryInterval
            }
        }
        context.logger.debug("USB \(endpointName): opened input \(port.address) (group \(port.group + 1))")
        return true
    }

    /// Releases the substream; a message half received is forgotten.
    func close(resetRetry: Bool = true) {
        if let token { context.loop.unregister(token) }
        token = nil
        if resetRetry { retryAfter = 0 }
        guard let source else { return }
        self.source = nil
        source.close()
        parser.reset()
        context.logger.debug("USB \(endpointName): closed input \(port.address)")
    }

    /// Reads until the kernel has nothing more, and hands every completed message to the
    /// service. Runs on the loop thread (a descriptor handler), so calling the service is fine.
    func readAvailable() {
        guard let source, let handle else { return }
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
}
