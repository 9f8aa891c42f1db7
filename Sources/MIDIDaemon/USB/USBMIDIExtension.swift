import ALSASequencer
import IPC
import Logging
import UdevDevices

/// USB MIDI 1.0 devices as endpoints (docs/design.md §3, §6): the daemon extension for the `udev`
/// role. It follows sound cards with `SoundCardWatcher` (monitor created before the
/// enumeration; arrival = `change` with `SOUND_INITIALIZED=1`; removal by DEVPATH) and hands
/// each USB MIDI card to `USBDeviceManager`, which makes it one aggregate endpoint and moves its
/// MIDI through the card's rawmidi substreams.
///
/// Without a udev daemon the watcher scans sysfs once: devices present at start become
/// endpoints, later ones are not seen; the status detail (logged once by the daemon) says so.
public final class USBMIDIExtension: DaemonExtension {
    public let role = DaemonExtensionRole.udev
    private var watcher: SoundCardWatcher?
    private var manager: USBDeviceManager?
    private var token: EventLoop.Token?

    public init() {}

    public func start(_ context: DaemonContext) -> FeatureStatus {
        // Rawmidi failures are logged by the device ports as ALSAErrors; no second copy from
        // alsa-lib on stderr.
        ALSALibraryMessages.silence()
        let watcher = SoundCardWatcher(udevControlPath: context.options.udevControlPath)
        let manager = USBDeviceManager(context: USBDeviceContext(
            loop: context.loop, service: context.service, logger: context.logger))
        self.watcher = watcher
        self.manager = manager
        manager.start()
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
            return FeatureStatus(available: true, detail: "watching udev for USB MIDI devices (hotplug); \(found)")
        case .enumerationOnly(let reason):
            return FeatureStatus(available: false, detail: "\(reason); \(found)")
        }
    }

    public func stop() {
        if let token, let manager { manager.context.loop.unregister(token) }
        token = nil
        manager?.stop()
        manager = nil
        watcher = nil
    }

    private func handle(_ event: SoundCardEvent) {
        switch event {
        case .arrived(let card): manager?.cardArrived(card)
        case .removed(let devpath): manager?.cardRemoved(devpath: devpath)
        }
    }
}
