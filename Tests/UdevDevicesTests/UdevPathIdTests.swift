import Testing
@testable import UdevDevices

@Suite struct UdevPathIdTests {
    static func chain(_ samples: [UdevPathIdLinkSample]) -> [UdevPathId.Link] {
        samples.map { .init(subsystem: $0.subsystem, devtype: $0.devtype, sysname: $0.sysname) }
    }

    @Test func matchesUdevForTheVMGadget() {
        let path = UdevPathId.path(chain: Self.chain(Captured.hostCardAncestry))
        #expect(path == Captured.cardChangeProperties["ID_PATH"])
        #expect(path.map(UdevPathId.tag(forPath:)) == Captured.cardChangeProperties["ID_PATH_TAG"])
    }

    @Test func pciControllerBehindBridgesAndAHub() {
        let chain: [UdevPathId.Link] = [
            .init(subsystem: "sound", devtype: nil, sysname: "card2"),
            .init(subsystem: "usb", devtype: "usb_interface", sysname: "3-2.4:1.1"),
            .init(subsystem: "usb", devtype: "usb_device", sysname: "3-2.4"),
            .init(subsystem: "usb", devtype: "usb_device", sysname: "3-2"),
            .init(subsystem: "usb", devtype: "usb_device", sysname: "usb3"),
            .init(subsystem: "pci", devtype: nil, sysname: "0000:02:00.0"),
            .init(subsystem: "pci", devtype: nil, sysname: "0000:00:1c.0"),
            .init(subsystem: nil, devtype: nil, sysname: "pci0000:00"),
        ]
        let path = UdevPathId.path(chain: chain)
        #expect(path == "pci-0000:02:00.0-usb-0:2.4:1.1")
        #expect(path.map(UdevPathId.tag(forPath:)) == "pci-0000_02_00_0-usb-0_2_4_1_1")
    }

    @Test func noSupportedAncestorGivesNil() {
        #expect(UdevPathId.path(chain: [.init(subsystem: "sound", devtype: nil, sysname: "card0"),
                                        .init(subsystem: nil, devtype: nil, sysname: "virtual")]) == nil)
    }

    @Test func tagCollapsesRunsAndTrimsUnderscores() {
        #expect(UdevPathId.tag(forPath: "..a::b..") == "a_b")
        #expect(UdevPathId.tag(forPath: "pci-0000:00:14.0") == "pci-0000_00_14_0")
    }
}
