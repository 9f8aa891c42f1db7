#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import UdevDevices

/// Tests against the running kernel. They need sound cards in sysfs (and, for hotplug, udevd),
/// which only the VM tier has; elsewhere they skip with the reason.
@Suite struct LiveSoundCardTests {
    static var hasSoundClass: Bool { access("/sys/class/sound", F_OK) == 0 }
    static var hasUdevd: Bool { access("/run/udev/control", F_OK) == 0 }

    @Test(.enabled(if: hasSoundClass, "no /sys/class/sound on this machine: no sound cards to enumerate (runs in the VM tier)"))
    func enumeratingSoundDevicesWorks() throws {
        let context = try UdevContext()
        let e = try UdevEnumerator(context: context)
        try e.matchSubsystem("sound")
        let devices = try e.scanDevices()
        #expect(!devices.isEmpty, "/sys/class/sound exists but libudev found no sound devices")
        for d in devices {
            #expect(d.subsystem == "sound")
            #expect(d.syspath.hasSuffix(d.devpath))
        }
    }

    @Test(.enabled(if: hasUdevd, "no udev daemon (/run/udev/control missing): no netlink events to receive (runs in the VM tier)"))
    func monitorIsNonBlocking() throws {
        let context = try UdevContext()
        let monitor = try UdevMonitor(context: context)
        try monitor.filter(subsystem: "sound")
        try monitor.enableReceiving()
        #expect(monitor.fileDescriptor >= 0)
        #expect(fcntl(monitor.fileDescriptor, F_GETFL) & O_NONBLOCK != 0)
        // Nothing is plugged meanwhile: receive must return at once, not block.
        _ = monitor.receive()
    }

    @Test func withoutUdevdTheWatcherSaysSoAndStillEnumerates() {
        let watcher = SoundCardWatcher(udevControlPath: "/nonexistent/udev/control")
        guard case .enumerationOnly(let reason) = watcher.mode else {
            Issue.record("expected enumeration-only mode, got \(watcher.mode)"); return
        }
        #expect(reason.contains("no udev daemon"))
        #expect(watcher.fileDescriptor == nil)
        // On this machine start() scans whatever sysfs has (nothing on the build machine);
        // every event it reports must be an arrival of a USB card.
        for event in watcher.start() {
            guard case .arrived(let info) = event else { Issue.record("enumeration reported \(event)"); continue }
            #expect(info.vendorId != 0 || info.productId != 0)
        }
        #expect(watcher.receive().isEmpty)
    }
}

/// The VM probe: a configfs MIDI gadget is plugged and unplugged by commands the VM case gives,
/// and the watcher must report it. Runs only when `MIDI_TEST_EXPECT_USB_CARD` describes the
/// card: `vid:pid:serial:inputs:outputs` in hex/decimal, serial empty for none, e.g.
/// `1209:4d49:SER-0001:2:2`; `MIDI_TEST_USB_PLUG` / `MIDI_TEST_USB_UNPLUG` are shell commands.
@Suite struct USBGadgetProbeTests {
    struct Expectation {
        var vendorId: UInt16, productId: UInt16, serial: String?, inputs: Int, outputs: Int
        var plug: String, unplug: String

        static func fromEnvironment() -> Expectation? {
            guard let spec = getenv("MIDI_TEST_EXPECT_USB_CARD").map({ String(cString: $0) }),
                  let plug = getenv("MIDI_TEST_USB_PLUG").map({ String(cString: $0) }),
                  let unplug = getenv("MIDI_TEST_USB_UNPLUG").map({ String(cString: $0) }) else { return nil }
            let f = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 5, let v = UInt16(f[0], radix: 16), let p = UInt16(f[1], radix: 16),
                  let i = Int(f[3]), let o = Int(f[4]) else { return nil }
            return Expectation(vendorId: v, productId: p, serial: f[2].isEmpty ? nil : f[2],
                               inputs: i, outputs: o, plug: plug, unplug: unplug)
        }
    }

    static let expectation = Expectation.fromEnvironment()

    /// Polls the watcher until `match` accepts an event or `seconds` pass.
    static func wait(for watcher: SoundCardWatcher, seconds: Int32,
                     until match: (SoundCardEvent) -> Bool) -> [SoundCardEvent] {
        guard let fd = watcher.fileDescriptor else { return [] }
        var seen: [SoundCardEvent] = []
        var remaining = seconds * 1000
        while remaining > 0 {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let rc = poll(&p, 1, 250)
            remaining -= 250
            if rc > 0 {
                let events = watcher.receive()
                seen += events
                if events.contains(where: match) { return seen }
            }
        }
        return seen
    }

    static func run(_ command: String) -> Int32 {
        system(command)
    }

    @Test(.enabled(if: expectation != nil,
                   "MIDI_TEST_EXPECT_USB_CARD / MIDI_TEST_USB_PLUG / MIDI_TEST_USB_UNPLUG not set: the gadget probe runs in the VM tier (Tests/vm/groups/usb-gadget/)"))
    func gadgetArrivesAndLeaves() throws {
        let expected = try #require(Self.expectation)
        let watcher = SoundCardWatcher()
        #expect(watcher.mode == .hotplug, "the VM runs udevd, so the watcher must get events")
        let before = watcher.start()
        #expect(!before.contains { if case .arrived(let i) = $0 { return i.vendorId == expected.vendorId && i.productId == expected.productId && i.serialNumber == expected.serial } else { return false } },
                "the gadget must not be plugged before the probe plugs it")

        #expect(Self.run(expected.plug) == 0, "plug command failed: \(expected.plug)")
        let events = Self.wait(for: watcher, seconds: 60) {
            if case .arrived(let i) = $0 { return i.vendorId == expected.vendorId && i.productId == expected.productId }
            return false
        }
        let arrived = events.compactMap { e -> USBMIDICardInfo? in
            if case .arrived(let i) = e, i.vendorId == expected.vendorId, i.productId == expected.productId { return i }
            return nil
        }
        let card = try #require(arrived.first, "no .arrived for \(expected) within 60 s; saw \(events); ignored: \(watcher.recentlyIgnored)")
        print("probe: arrived \(card)")
        #expect(arrived.count == 1)
        #expect(card.serialNumber == expected.serial)
        #expect(card.inputSubstreams.count == expected.inputs)
        #expect(card.outputSubstreams.count == expected.outputs)
        #expect(card.pathTag.contains("usb"))
        #expect(card.rawMidiDevices.first.map { access($0.node, F_OK) == 0 } == true)
        // The gadget's own f_midi card appeared too; it must not have been reported.
        #expect(watcher.attachedCards.count == 1 + before.count)

        // The control device answers with the same names and counts procfs gave.
        let control = try RawMidiControl(card: card.cardNumber)
        let controlInputs = try control.substreams(device: 0, direction: .input)
        let controlOutputs = try control.substreams(device: 0, direction: .output)
        #expect(controlInputs.count == expected.inputs && controlOutputs.count == expected.outputs)
        #expect(controlInputs == card.inputSubstreams && controlOutputs == card.outputSubstreams)
        print("probe: control device names \(controlInputs.map(\.name)) / \(controlOutputs.map(\.name))")

        // Without udevd the same card, read from sysfs alone, must describe the same device —
        // in particular the computed path tag must equal udev's ID_PATH_TAG.
        let sysfsOnly = SoundCardWatcher(udevControlPath: "/nonexistent/udev/control")
        let scanned = sysfsOnly.start().compactMap { e -> USBMIDICardInfo? in
            if case .arrived(let i) = e, i.devpath == card.devpath { return i }
            return nil
        }
        #expect(scanned == [card], "sysfs-only scan gave \(scanned)")

        #expect(Self.run(expected.unplug) == 0, "unplug command failed: \(expected.unplug)")
        let gone = Self.wait(for: watcher, seconds: 60) { $0 == .removed(devpath: card.devpath) }
        #expect(gone.contains(.removed(devpath: card.devpath)),
                "no .removed(\(card.devpath)) within 60 s; saw \(gone)")
        #expect(watcher.attachedCards[card.devpath] == nil)
        print("probe: removed \(card.devpath)")
    }
}
