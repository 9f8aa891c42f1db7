import ALSASequencer
import IPC
import Logging
import UdevDevices

/// USB MIDI 1.0 devices as endpoints (docs/design.md §3, §6): the daemon extension for the `udev`
/// role. It follows sound cards with `SoundCardWatcher` (monitor created before the
/// enumeration; arrival = `change` with `SOUND_INITIALIZED=1`; removal by DEVPATH) and hands
/// each USB MIDI card to `USBDeviceManager`, which makes it one aggregate endpoint and moves its
/// MIDI through the card's ALSA sequencer ports (`USBSequencerLink`: the device stays shared
/// with every other MIDI program) — or, where there is no sequencer, its rawmidi substreams.
///
/// Without a udev daemon the watcher scans sysfs once: devices present at start become
/// endpoints, later ones are not seen; the status detail (logged once by the daemon) says so.
public final class USBMIDIExtension: DaemonExtension {
    public let role = DaemonExtensionRole.udev
    private var watcher: SoundCardWatcher?
    private var manager: USBDeviceManager?
    private var token: EventLoop.Token?
    private var link: USBSequencerLink?
    private var annotations: EndpointAnnotations?

    public init() {}

    public func start(_ context: DaemonContext) -> FeatureStatus {
        // Rawmidi failures are logged by the device ports as ALSAErrors; no second copy from
        // alsa-lib on stderr.
        ALSALibraryMessages.silence()
        let watcher = SoundCardWatcher(udevControlPath: context.options.udevControlPath)
        let (ports, transport) = transport(context)
        let manager = USBDeviceManager(context: USBDeviceContext(
            loop: context.loop, service: context.service, logger: context.logger, ports: ports))
        self.watcher = watcher
        self.manager = manager
        manager.start()
        context.annotations.kernelPorts = { [weak manager] id in
            guard let device = manager?.devices.first(where: { $0.id == id }), let table = SequencerClientTable.read() else { return nil }
            return USBKernelPorts.published(for: device.plan, card: device.card.cardNumber, in: table)
        }
        annotations = context.annotations
        // Monitor (made in init) before enumeration (start): nothing arrives unseen.
        for event in watcher.start() { handle(event) }
        if let fd = watcher.fileDescriptor {
            token = context.loop.registerDescriptor(fd, events: .readable) { [unowned self] _ in
                guard let watcher = self.watcher else { return }
                for event in watcher.receive() { self.handle(event) }
            }
        }
        let present = manager.devices.count
        let found = "\(present) USB MIDI device\(present == 1 ? "" : "s") present at start"
        switch watcher.mode {
        case .hotplug:
            return FeatureStatus(available: true, detail: "watching udev for USB MIDI devices (hotplug), \(transport); \(found)")
        case .enumerationOnly(let reason):
            return FeatureStatus(available: false, detail: "\(reason); \(transport); \(found)")
        }
    }

    /// The sequencer when it is usable (and not declined with `--usb-transport rawmidi`), else
    /// rawmidi — said once in the log, since it changes what other programs can do.
    private func transport(_ context: DaemonContext) -> (any USBMIDIPortOpening, String) {
        let choice = context.options.usbTransport
        if choice == .rawmidi {
            context.logger.notice("USB devices: rawmidi substreams (--usb-transport rawmidi): a device used through MIDI Services is not available to other programs meanwhile, and the reverse")
            return (ALSARawMIDIPorts(), "through rawmidi (exclusive)")
        }
        let why: String
        switch SequencerAvailability.check(devicePath: context.options.sequencerDevicePath) {
        case .available:
            do {
                let link = try USBSequencerLink(loop: context.loop, logger: context.logger)
                self.link = link
                return (USBSequencerPorts(link: link), "through the ALSA sequencer (client \(link.client.id) \"\(USBSequencerLink.clientName)\")")
            } catch {
                why = "cannot open a sequencer client: \(error)"
            }
        case .unavailable(let reason):
            why = "no ALSA sequencer (\(reason))"
        }
        context.logger.notice("USB devices: \(why); using rawmidi substreams instead: a device used through MIDI Services is not available to other programs meanwhile, and the reverse")
        return (ALSARawMIDIPorts(), "through rawmidi (exclusive; \(why))")
    }

    public func stop() {
        if let token, let manager { manager.context.loop.unregister(token) }
        token = nil
        annotations?.kernelPorts = nil
        annotations = nil
        manager?.stop()
        manager = nil
        link?.stop()
        link = nil
        watcher = nil
    }

    private func handle(_ event: SoundCardEvent) {
        switch event {
        case .arrived(let card): manager?.cardArrived(card)
        case .removed(let devpath): manager?.cardRemoved(devpath: devpath)
        }
    }
}
