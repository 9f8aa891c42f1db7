#if canImport(Glibc)
import Glibc
#endif

/// USB MIDI sound cards arriving and leaving (docs/design.md §6), for the daemon's poll loop:
///
///     let watcher = SoundCardWatcher()
///     if case .enumerationOnly(let why) = watcher.mode { log.notice("\(why)") }   // once
///     for event in watcher.start() { … }                       // cards present now
///     if let fd = watcher.fileDescriptor { loop.registerDescriptor(fd) { for e in watcher.receive() { … } } }
///
/// The monitor is created and bound *before* the enumeration, so a card that arrives during
/// the scan is reported by one or the other (never by neither; both is filtered by DEVPATH).
/// Without udevd (containers, build machines) the watcher scans sysfs once and reports what is
/// there; hotplug is then off and `mode` says why.
///
/// Not thread-safe (libudev is not): use it from the one thread that polls its descriptor.
public final class SoundCardWatcher {
    public enum Mode: Hashable, Sendable {
        /// udevd runs: enumeration plus live events.
        case hotplug
        /// No events will come; the reason is a sentence for the log.
        case enumerationOnly(reason: String)
    }

    public let mode: Mode
    private let context: UdevContext?
    private let monitor: UdevMonitor?
    private var tracker = SoundCardTracker()
    private var inspector: SoundCardInspector?
    /// Debug trail of ignored events (bounded), for `midi service status` and tests.
    public private(set) var recentlyIgnored: [String] = []

    /// - Parameters:
    ///   - udevControlPath: the socket whose presence says udevd is running.
    public init(udevControlPath: String = "/run/udev/control",
                procRoot: String = "/proc/asound", devRoot: String = "/dev/snd") {
        let context: UdevContext
        do { context = try UdevContext() } catch {
            self.context = nil
            monitor = nil
            mode = .enumerationOnly(reason: "USB MIDI devices are not available: \(error)")
            return
        }
        self.context = context
        inspector = SoundCardInspector(context: context, procRoot: procRoot, devRoot: devRoot)
        guard access(udevControlPath, F_OK) == 0 else {
            monitor = nil
            mode = .enumerationOnly(reason:
                "no udev daemon (\(udevControlPath) does not exist): USB MIDI devices present now are found by scanning sysfs; devices plugged in later are not seen until the service restarts")
            return
        }
        do {
            let m = try UdevMonitor(context: context, source: .udev)
            try m.filter(subsystem: "sound")
            try m.enableReceiving()
            monitor = m
            mode = .hotplug
        } catch {
            monitor = nil
            mode = .enumerationOnly(reason:
                "cannot listen to udev (\(error)): USB MIDI devices present now are found by scanning sysfs; hotplug is off")
        }
    }

    /// The descriptor to poll for readability; `nil` without hotplug.
    public var fileDescriptor: Int32? { monitor?.fileDescriptor }

    /// Cards present now. Call once, after `init` and before polling.
    public func start() -> [SoundCardEvent] {
        guard let context, let inspector else { return [] }
        let cards: [UdevDevice]
        do {
            let e = try UdevEnumerator(context: context)
            try e.matchSubsystem("sound")
            try e.matchSysname("card*")
            cards = try e.scanDevices()
        } catch {
            note("enumeration failed: \(error)")
            return []
        }
        var events: [SoundCardEvent] = []
        for card in cards {
            // With udevd, a card still being processed has no SOUND_INITIALIZED yet; its
            // change event is queued on the monitor. Without udevd nothing sets it: take all.
            let initialized = mode == .hotplug ? card.property("SOUND_INITIALIZED") == "1" : true
            let decision = tracker.handle(action: nil, devpath: card.devpath, sysname: card.sysname,
                                          soundInitialized: initialized,
                                          inspect: { inspector.snapshot(of: card).usbMIDICardInfo() })
            record(decision, into: &events)
        }
        return events
    }

    /// Drains the monitor without blocking; call when the descriptor is readable.
    public func receive() -> [SoundCardEvent] {
        guard let monitor, let inspector else { return [] }
        var events: [SoundCardEvent] = []
        while let device = monitor.receive() {
            let decision = tracker.handle(
                action: device.action?.rawValue, devpath: device.devpath, sysname: device.sysname,
                soundInitialized: device.property("SOUND_INITIALIZED") == "1",
                inspect: { inspector.snapshot(of: device).usbMIDICardInfo() })
            record(decision, into: &events)
        }
        return events
    }

    /// The cards reported and not removed, by DEVPATH.
    public var attachedCards: [String: USBMIDICardInfo] { tracker.reported }

    private func record(_ decision: SoundCardTracker.Decision, into events: inout [SoundCardEvent]) {
        switch decision {
        case .arrived(let info): events.append(.arrived(info))
        case .removed(let devpath): events.append(.removed(devpath: devpath))
        case .ignored(let why): note(why)
        }
    }

    private func note(_ text: String) {
        if recentlyIgnored.count >= 64 { recentlyIgnored.removeFirst() }
        recentlyIgnored.append(text)
    }
}
