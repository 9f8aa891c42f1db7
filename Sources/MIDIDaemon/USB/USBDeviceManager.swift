import Logging
import ServiceCore
import UdevDevices

/// The USB MIDI devices attached now, as service endpoints: identities (`USBIdentityRegistry`),
/// one `USBMIDIDevice` per card, and the per-iteration work (flushing output, opening inputs for
/// listeners). Fed by `USBMIDIExtension` from `SoundCardWatcher`; tests feed it directly.
///
/// Everything runs on the loop thread.
final class USBDeviceManager {
    let context: USBDeviceContext
    private var registry = USBIdentityRegistry()
    /// In arrival order.
    /// Read at every wake-up of the loop (the hook and the timer below), so
    /// `@exclusivity(unchecked)` for the reason given at `EventLoop.registrations`.
    @exclusivity(unchecked) private(set) var devices: [USBMIDIDevice] = []
    private var started = false
    private var hook: EventLoop.Token?
    private var timer: EventLoop.Token?
    @exclusivity(unchecked) private var nextDeadline: UInt64?

    init(context: USBDeviceContext) {
        self.context = context
    }

    func start() {
        started = true
        armLoop()
    }

    /// The hook and timer are in the loop only while devices are attached: each is a call on
    /// every wake-up of the daemon, for every client's messages (docs/performance.md), and
    /// without devices they have nothing to do.
    private func armLoop() {
        guard started, hook == nil, !devices.isEmpty else { return }
        // Retries and drain checks need a wake-up even when nothing else happens; the work
        // itself is done by the iteration hook, which runs after every wake-up.
        timer = context.loop.addTimer(nextDeadline: { [unowned self] in self.nextDeadline }, fire: { _ in })
        hook = context.loop.addIterationHook { [unowned self] in self.iterate() }
    }

    private func disarmLoopIfIdle() {
        guard devices.isEmpty else { return }
        if let hook { context.loop.unregister(hook) }
        if let timer { context.loop.unregister(timer) }
        hook = nil
        timer = nil
        nextDeadline = nil
    }

    /// The daemon stops: every substream is released. The endpoints are left to go with the
    /// service (removing them would only send `removed` events to clients about to be
    /// disconnected).
    func stop() {
        started = false
        if let hook { context.loop.unregister(hook) }
        if let timer { context.loop.unregister(timer) }
        hook = nil
        timer = nil
        for device in devices { device.shutDown() }
        devices.removeAll()
    }

    func device(devpath: String) -> USBMIDIDevice? { devices.first { $0.card.devpath == devpath } }

    // MARK: Arrival and removal

    /// A USB MIDI card arrived: give it its identity and its endpoint. Returns the device, or
    /// `nil` when the card was already attached or the service refused the endpoint.
    @discardableResult
    func cardArrived(_ card: USBMIDICardInfo) -> USBMIDIDevice? {
        let key = USBAttachmentKey(card.devpath)
        guard registry.identity(for: key) == nil else { return nil }
        let identity = registry.attach(
            USBDeviceIdentityFacts(vendorId: card.vendorId, productId: card.productId,
                                   serialNumber: card.serialNumber, portPathTag: card.pathTag),
            key: key)
        let device = USBMIDIDevice(card: card, identity: identity, context: context)
        let handle: DeviceEndpointHandle
        do { handle = try context.service.addDeviceEndpoint(device.plan.descriptor, device: device) } catch {
            registry.detach(key: key)
            context.logger.error("USB MIDI device \(Self.describe(card)) at \(card.path): not added: \(error)")
            return nil
        }
        device.attach(handle)
        devices.append(device)
        armLoop()
        logArrival(device)
        return device
    }

    /// The card reported under `devpath` is gone: its endpoint is removed (connections closed,
    /// `removed` raised) and its substreams released. Returns the endpoint's id, or `nil` for a
    /// card that was not attached.
    @discardableResult
    func cardRemoved(devpath: String) -> EndpointDeviceId? {
        guard let index = devices.firstIndex(where: { $0.card.devpath == devpath }) else { return nil }
        let device = devices.remove(at: index)
        defer { disarmLoopIfIdle() }
        context.service.removeDeviceEndpoint(device.id)
        device.unplugged()
        registry.detach(key: USBAttachmentKey(devpath))
        context.logger.info("USB MIDI device removed: \"\(device.plan.descriptor.transportSupplied.name)\" \(device.id); \(device.trafficSummary)")
        return device.id
    }

    // MARK: Per iteration

    func iterate() {
        // Without devices (the usual case) nothing to do: not even a clock reading per wake-up.
        guard !devices.isEmpty else {
            nextDeadline = nil
            return
        }
        let now = context.now()
        var deadline: UInt64? = nil
        var index = 0
        while index < devices.count {
            let device = devices[index]
            let listening = context.service.connectionCount(on: device.id) > 0
            if let wake = device.update(listening: listening, now: now) { deadline = min(deadline ?? wake, wake) }
            index += 1
        }
        nextDeadline = deadline
    }

    // MARK: Logging

    private func logArrival(_ device: USBMIDIDevice) {
        let card = device.card
        let plan = device.plan
        let basis: String
        switch device.identity.basis {
        case .serialNumber:
            basis = "id from its serial number"
        case .portPath(let tag, let assessment):
            let why: String
            if case .usable(let serial) = assessment {
                why = "serial \"\(serial)\" is already held by an attached device with the same vendor and product id"
            } else {
                why = assessment.reason
            }
            basis = "id from its port path \(tag) (\(why))"
        }
        context.logger.info("USB MIDI device arrived: \(Self.describe(card)), card \(card.cardNumber), \(plan.inputs.count) in / \(plan.outputs.count) out → \(device.id) [\(device.identity.deviceInstanceId)], \(basis)")
        if plan.unmappedInputCount > 0 || plan.unmappedOutputCount > 0 {
            context.logger.warning("USB MIDI device \(device.id): more than 16 ports in one direction; \(plan.unmappedInputCount) input and \(plan.unmappedOutputCount) output substreams have no group and are not used")
        }
    }

    static func describe(_ card: USBMIDICardInfo) -> String {
        let ids = "\(USBEndpointPlan.hex4(card.vendorId)):\(USBEndpointPlan.hex4(card.productId))"
        let serial = card.serialNumber.map { "serial \"\($0)\"" } ?? "no serial"
        return "\"\(card.product ?? "?")\" by \"\(card.manufacturer ?? "?")\" (\(ids), \(serial))"
    }
}
