import Logging
import ServiceCore
import UdevDevices
import UMP

/// What every port of every USB device shares: the loop, the service, the log, how substreams
/// are reached (`USBSequencerPorts`, or `ALSARawMIDIPorts` without a sequencer), and the clock.
final class USBDeviceContext {
    let loop: EventLoop
    let service: MidiService
    let logger: Logger
    let ports: any USBMIDIPortOpening
    let now: () -> UInt64

    init(loop: EventLoop, service: MidiService, logger: Logger,
         ports: any USBMIDIPortOpening = ALSARawMIDIPorts(), now: @escaping () -> UInt64 = MonotonicClock.now) {
        self.loop = loop
        self.service = service
        self.logger = logger
        self.ports = ports
        self.now = now
    }
}

/// One attached USB MIDI 1.0 device as the service's `EndpointDevice`: the aggregate endpoint's
/// groups mapped onto the card's substreams (`USBEndpointPlan`), reached through the card's
/// sequencer ports or, without a sequencer, the rawmidi substreams (`USBDeviceContext.ports`).
///
/// The service calls `transmit` for every message due on the endpoint — immediately, or from
/// its scheduler when a future timestamp falls due — so the device never schedules anything
/// itself. A message's group picks the output substream; messages with no group (utility,
/// stream) or for a group with no output have nothing to go to and are counted.
final class USBMIDIDevice: EndpointDevice {
    let card: USBMIDICardInfo
    let identity: USBEndpointIdentity
    let plan: USBEndpointPlan
    let inputs: [USBInputPort]
    let outputs: [USBOutputPort]
    private(set) var handle: DeviceEndpointHandle?
    private let context: USBDeviceContext
    private var detached = false

    /// Messages with no group (utility, UMP stream): no MIDI 1.0 port to send them to.
    private(set) var droppedWithoutGroup: UInt64 = 0
    /// Messages on a group the device has no output for.
    private(set) var droppedNoOutputForGroup: UInt64 = 0

    /// How often to look again at an output waiting for the kernel to empty before closing it.
    static let drainRecheckInterval: UInt64 = 50_000_000
    /// How soon to try again to write to an output with no descriptor to poll (the sequencer
    /// path) whose kernel buffer was full: 1 ms is 3 bytes at DIN speed, and a USB device
    /// takes a 4 KiB buffer in a few milliseconds.
    static let spacePollInterval: UInt64 = 1_000_000

    init(card: USBMIDICardInfo, identity: USBEndpointIdentity, context: USBDeviceContext) {
        self.card = card
        self.identity = identity
        self.context = context
        let plan = USBEndpointPlan(card: card, identity: identity)
        self.plan = plan
        let label = "\"\(plan.descriptor.transportSupplied.name)\" (\(identity.endpointDeviceId))"
        inputs = plan.inputs.map { USBInputPort(port: $0, endpointName: label, context: context) }
        outputs = plan.outputs.map { USBOutputPort(port: $0, endpointName: label, context: context) }
    }

    var id: EndpointDeviceId { plan.descriptor.id }

    func attach(_ handle: DeviceEndpointHandle) { self.handle = handle }

    // MARK: EndpointDevice

    func transmit(_ message: TimestampedUMP) -> Bool {
        guard !detached else { return false }
        let word0 = message.packet.word0
        guard message.packet.messageType.hasGroup else {
            droppedWithoutGroup &+= 1
            return true
        }
        let group = Int(truncatingIfNeeded: (word0 >> 24) & 0xF)
        guard group < outputs.count else {
            droppedNoOutputForGroup &+= 1
            return true
        }
        return outputs[group].enqueue(message.packet)
    }

    // MARK: Once per loop iteration

    /// Writes queued output; opens the inputs while a connection is open and closes them (and,
    /// once drained and quiet, the outputs) when none is. Returns when it wants to be called again at the
    /// latest (a retry or a drain check), or `nil`.
    func update(listening: Bool, now: UInt64) -> UInt64? {
        guard !detached else { return nil }
        // Plain loops and no nested function capturing `deadline`: this runs on every wake-up,
        // and a captured `var` is a heap box in unoptimised builds.
        var deadline = UInt64.max
        var index = 0
        while index < outputs.count {
            let output = outputs[index]
            if output.hasQueuedBytes {
                output.flush()
                if output.waitsForSpaceByPolling { deadline = min(deadline, now &+ Self.spacePollInterval) }
            }
            if !listening, output.isOpen, let again = output.closeIfIdle(now: now) {
                deadline = min(deadline, again)
            }
            index += 1
        }
        index = 0
        while index < inputs.count {
            let input = inputs[index]
            if listening {
                if !input.isOpen, let handle, !input.open(handle: handle, now: now) {
                    deadline = min(deadline, input.retryAfter)
                }
            } else if input.isOpen {
                input.close()
            }
            index += 1
        }
        return deadline == .max ? nil : deadline
    }

    // MARK: Going away

    /// The device was unplugged: every substream is released. Outputs are closed on a
    /// separate thread, because the kernel waits (up to 10 s) for bytes still queued to a
    /// device that can no longer take them.
    func unplugged() {
        detached = true
        for input in inputs { input.close() }
        for output in outputs { output.close(discardingPending: true, closer: DetachedClose.close) }
    }

    /// The daemon stops: release everything now, dropping what was not sent.
    func shutDown() {
        detached = true
        for input in inputs { input.close() }
        for output in outputs { output.close(discardingPending: true) }
    }

    /// Dropped and counted traffic, for the removal log line.
    var trafficSummary: String {
        var sent = USBPortCounters()
        for o in outputs {
            let c = o.counters
            sent.messages &+= c.messages; sent.bytes &+= c.bytes
            sent.droppedQueueFull &+= c.droppedQueueFull; sent.droppedUnavailable &+= c.droppedUnavailable
            sent.droppedNoMIDI1Form &+= c.droppedNoMIDI1Form; sent.droppedSysExOutOfSequence &+= c.droppedSysExOutOfSequence
            sent.sysExInterrupted &+= c.sysExInterrupted
        }
        var received = USBPortCounters()
        for i in inputs {
            received.messages &+= i.counters.messages
            received.bytes &+= i.counters.bytes
        }
        var text = "sent \(sent.messages) messages (\(sent.bytes) bytes), received \(received.messages) messages (\(received.bytes) bytes)"
        var drops: [String] = []
        if sent.droppedQueueFull > 0 { drops.append("\(sent.droppedQueueFull) output queue full") }
        if sent.droppedUnavailable > 0 { drops.append("\(sent.droppedUnavailable) output not available") }
        if sent.droppedNoMIDI1Form > 0 { drops.append("\(sent.droppedNoMIDI1Form) with no MIDI 1.0 form") }
        if sent.droppedSysExOutOfSequence > 0 { drops.append("\(sent.droppedSysExOutOfSequence) SysEx packets out of sequence") }
        if sent.sysExInterrupted > 0 { drops.append("\(sent.sysExInterrupted) SysEx interrupted") }
        if droppedWithoutGroup > 0 { drops.append("\(droppedWithoutGroup) groupless (utility/stream)") }
        if droppedNoOutputForGroup > 0 { drops.append("\(droppedNoOutputForGroup) for groups with no output") }
        if !drops.isEmpty { text += "; dropped: " + drops.joined(separator: ", ") }
        return text
    }
}
