import Testing
@testable import UdevDevices

@Suite struct SoundCardTrackerTests {
    static let devpath = SoundCardSnapshotTests.devpath

    func info() -> USBMIDICardInfo {
        (try? SoundCardSnapshotTests.snapshot().usbMIDICardInfo().get())
            ?? USBMIDICardInfo(cardNumber: -1, devpath: "", vendorId: 0, productId: 0, serialNumber: nil,
                               manufacturer: nil, product: nil, path: "", pathTag: "", rawMidiDevices: [])
    }

    @Test func addIsNotAnArrivalTheInitializedChangeIs() {
        var tracker = SoundCardTracker()
        var inspected = 0
        let add = tracker.handle(action: "add", devpath: Self.devpath, sysname: "card1",
                                 soundInitialized: Captured.cardAddProperties["SOUND_INITIALIZED"] == "1",
                                 inspect: { inspected += 1; return .success(info()) })
        guard case .ignored = add else { Issue.record("add must not be an arrival: \(add)"); return }
        #expect(inspected == 0)
        let change = tracker.handle(action: "change", devpath: Self.devpath, sysname: "card1",
                                    soundInitialized: Captured.cardChangeProperties["SOUND_INITIALIZED"] == "1",
                                    inspect: { inspected += 1; return .success(info()) })
        #expect(change == .arrived(info()))
        #expect(inspected == 1)
    }

    @Test func repeatedChangeIsReportedOnce() {
        var tracker = SoundCardTracker()
        _ = tracker.handle(action: "change", devpath: Self.devpath, sysname: "card1", soundInitialized: true,
                           inspect: { .success(info()) })
        let again = tracker.handle(action: "change", devpath: Self.devpath, sysname: "card1", soundInitialized: true,
                                   inspect: { .success(info()) })
        guard case .ignored = again else { Issue.record("duplicate arrival: \(again)"); return }
    }

    @Test func removalIsByDevpathWithoutLookingAtSysfs() {
        var tracker = SoundCardTracker()
        _ = tracker.handle(action: "change", devpath: Self.devpath, sysname: "card1", soundInitialized: true,
                           inspect: { .success(info()) })
        var inspected = false
        let removed = tracker.handle(action: "remove", devpath: Self.devpath, sysname: "card1",
                                     soundInitialized: true, inspect: { inspected = true; return .failure(.noUSBParent) })
        #expect(removed == .removed(devpath: Self.devpath))
        #expect(!inspected)
        #expect(tracker.reported.isEmpty)
        // After removal the same DEVPATH may arrive again (replug into the same socket).
        let back = tracker.handle(action: "change", devpath: Self.devpath, sysname: "card1", soundInitialized: true,
                                  inspect: { .success(info()) })
        #expect(back == .arrived(info()))
    }

    @Test func rejectedCardsAndTheirRemovalsAreSilent() {
        var tracker = SoundCardTracker()
        let gadget = "/devices/platform/dummy_udc.0/gadget.0/sound/card0"
        let arrival = tracker.handle(action: "change", devpath: gadget, sysname: "card0", soundInitialized: true,
                                     inspect: { .failure(.noUSBParent) })
        guard case .ignored(let why) = arrival else { Issue.record("gadget card reported: \(arrival)"); return }
        #expect(why.contains("not a USB device"))
        guard case .ignored = tracker.handle(action: "remove", devpath: gadget, sysname: "card0",
                                             soundInitialized: true, inspect: { .failure(.noUSBParent) }) else {
            Issue.record("removal of an unreported card was reported"); return
        }
    }

    @Test(arguments: ["midiC1D0", "controlC1", "pcmC1D0p", "card", "cardX", "seq"])
    func onlyCardDevicesCount(_ sysname: String) {
        var tracker = SoundCardTracker()
        let d = tracker.handle(action: "change", devpath: "/devices/x/\(sysname)", sysname: sysname,
                               soundInitialized: true, inspect: { .success(info()) })
        guard case .ignored = d else { Issue.record("\(sysname) treated as a card"); return }
    }

    @Test func resetReturnsWhatWasAttached() {
        var tracker = SoundCardTracker()
        _ = tracker.handle(action: nil, devpath: Self.devpath, sysname: "card1", soundInitialized: true,
                           inspect: { .success(info()) })
        #expect(tracker.reset() == [Self.devpath])
        #expect(tracker.reported.isEmpty)
    }
}
