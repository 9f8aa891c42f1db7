import Testing
@testable import ServiceCore

@Suite struct USBIdentityTests {
    static let pathTag1 = "pci-0000_00_14_0-usb-0_2_1_0"
    static let pathTag2 = "pci-0000_00_14_0-usb-0_3_1_0"

    func facts(serial: String?, path: String = pathTag1,
               vid: UInt16 = 0x1209, pid: UInt16 = 0x4D49) -> USBDeviceIdentityFacts {
        USBDeviceIdentityFacts(vendorId: vid, productId: pid, serialNumber: serial, portPathTag: path)
    }

    @Test func theDesignExample() {
        var registry = USBIdentityRegistry()
        let id = registry.attach(facts(serial: "SER-0001"), key: USBAttachmentKey("/devices/a/sound/card1"))
        #expect(id.endpointDeviceId.rawValue
                == #"\\?\swd#midisrv#midiu_usb_1209_4d49_ser-0001#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(id.deviceInstanceId.rawValue == #"USB\VID_1209&PID_4D49\SER-0001"#)
        #expect(id.basis == .serialNumber("SER-0001"))
        // The short form users type resolves to the same id.
        #expect(EndpointDeviceId(parsing: "usb_1209_4d49_ser-0001") == id.endpointDeviceId)
    }

    @Test func hexIsZeroPaddedLowerCaseInTheIdAndUpperCaseInTheInstanceId() {
        let id = USBEndpointIdentity.serialBased(vendorId: 0x00AB, productId: 0x0C0D, serial: "Xy1")
        #expect(id.endpointDeviceId.instance == "usb_00ab_0c0d_xy1")
        #expect(id.deviceInstanceId.rawValue == #"USB\VID_00AB&PID_0C0D\Xy1"#)
    }

    @Test(arguments: USBSerialNumber.knownPlaceholders.sorted() + ["", "   ", "00000000", "AAAA"])
    func unusableSerialsGetThePathId(_ serial: String) {
        var registry = USBIdentityRegistry()
        let id = registry.attach(facts(serial: serial), key: USBAttachmentKey("k"))
        #expect(id.endpointDeviceId.instance == "usb_1209_4d49_path_\(Self.pathTag1)")
        #expect(id.deviceInstanceId.rawValue == #"USB\VID_1209&PID_4D49\"# + Self.pathTag1)
        guard case .portPath(let tag, let assessment) = id.basis else {
            Issue.record("expected a port-path basis, got \(id.basis)"); return
        }
        #expect(tag == Self.pathTag1)
        #expect(assessment.usableSerial == nil)
    }

    @Test func zeroZeroZeroZeroGetsThePathId() {
        var registry = USBIdentityRegistry()
        let id = registry.attach(facts(serial: "0000"), key: USBAttachmentKey("k"))
        #expect(id.endpointDeviceId.rawValue
                == #"\\?\swd#midisrv#midiu_usb_1209_4d49_path_pci-0000_00_14_0-usb-0_2_1_0#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
    }

    @Test func noSerialGivesThePathIdAndTheSamePathGivesTheSameId() {
        var first = USBIdentityRegistry()
        let a = first.attach(facts(serial: nil), key: USBAttachmentKey("card1"))
        #expect(a.endpointDeviceId.instance == "usb_1209_4d49_path_\(Self.pathTag1)")
        first.detach(key: USBAttachmentKey("card1"))
        // Replugged into the same socket (the kernel may give it another card number).
        let b = first.attach(facts(serial: nil), key: USBAttachmentKey("card2"))
        #expect(b == a)
        // A fresh daemon computes the same id.
        var second = USBIdentityRegistry()
        #expect(second.attach(facts(serial: nil), key: USBAttachmentKey("card7")) == a)
        // Another socket, another id.
        let c = first.attach(facts(serial: nil, path: Self.pathTag2), key: USBAttachmentKey("card3"))
        #expect(c.endpointDeviceId != a.endpointDeviceId)
    }

    @Test func twinsFirstKeepsSerialIdSecondGetsPathIdAndReplugRestoresSerialId() {
        var registry = USBIdentityRegistry()
        let firstKey = USBAttachmentKey("/devices/x/1-2/sound/card1")
        let secondKey = USBAttachmentKey("/devices/x/1-3/sound/card2")
        let first = registry.attach(facts(serial: "SER-0001", path: Self.pathTag1), key: firstKey)
        let second = registry.attach(facts(serial: "SER-0001", path: Self.pathTag2), key: secondKey)
        #expect(first.endpointDeviceId.instance == "usb_1209_4d49_ser-0001")
        #expect(second.endpointDeviceId.instance == "usb_1209_4d49_path_\(Self.pathTag2)")
        #expect(second.deviceInstanceId.rawValue == #"USB\VID_1209&PID_4D49\"# + Self.pathTag2)
        #expect(second.basis == .portPath(Self.pathTag2, serialAssessment: .usable("SER-0001")))
        // Repeated change events for the attached first device change nothing.
        #expect(registry.attach(facts(serial: "SER-0001", path: Self.pathTag1), key: firstKey) == first)
        #expect(registry.identity(for: secondKey) == second)

        // Unplug the first; the second keeps its id while attached.
        #expect(registry.detach(key: firstKey) == first)
        #expect(registry.identity(for: secondKey) == second)
        // The next arrival with that serial gets the serial id again.
        let replugged = registry.attach(facts(serial: "SER-0001", path: Self.pathTag1),
                                        key: USBAttachmentKey("/devices/x/1-2/sound/card3"))
        #expect(replugged.endpointDeviceId == first.endpointDeviceId)
        #expect(registry.attached.count == 2)
    }

    @Test func sameSerialOnAnotherProductIsNotATwin() {
        var registry = USBIdentityRegistry()
        let a = registry.attach(facts(serial: "SER-0001", pid: 0x0001), key: USBAttachmentKey("a"))
        let b = registry.attach(facts(serial: "SER-0001", path: Self.pathTag2, pid: 0x0002), key: USBAttachmentKey("b"))
        #expect(a.endpointDeviceId.instance == "usb_1209_0001_ser-0001")
        #expect(b.endpointDeviceId.instance == "usb_1209_0002_ser-0001")
    }

    @Test func serialsThatMapToTheSameIdTextAreTreatedAsTwins() {
        var registry = USBIdentityRegistry()
        let a = registry.attach(facts(serial: "AB 1"), key: USBAttachmentKey("a"))
        let b = registry.attach(facts(serial: "ab_1", path: Self.pathTag2), key: USBAttachmentKey("b"))
        #expect(a.endpointDeviceId.instance == "usb_1209_4d49_ab_1")
        #expect(a.deviceInstanceId.rawValue == #"USB\VID_1209&PID_4D49\AB 1"#)
        #expect(b.endpointDeviceId.instance == "usb_1209_4d49_path_\(Self.pathTag2)")
    }

    @Test func serialCharactersOutsideTheIdAlphabetBecomeUnderscores() {
        let id = USBEndpointIdentity.serialBased(vendorId: 1, productId: 2, serial: "Ab#c\\d&e/f:g \u{E9}.h-i_j")
        #expect(id.endpointDeviceId.instance == "usb_0001_0002_ab_c_d_e_f_g__.h-i_j")
        #expect(id.endpointDeviceId.instance.allSatisfy(EndpointDeviceId.isInstanceCharacter))
        #expect(id.deviceInstanceId.rawValue == "USB\\VID_0001&PID_0002\\Ab#c_d&e/f:g \u{E9}.h-i_j")
    }

    @Test func aRepeatedPathTagStillGivesDistinctIds() {
        var registry = USBIdentityRegistry()
        let a = registry.attach(facts(serial: nil, path: ""), key: USBAttachmentKey("a"))
        let b = registry.attach(facts(serial: nil, path: ""), key: USBAttachmentKey("b"))
        #expect(a.endpointDeviceId != b.endpointDeviceId)
        #expect(b.endpointDeviceId.instance == "usb_1209_4d49_path__2")
    }

    @Test func detachingAnUnknownKeyIsHarmless() {
        var registry = USBIdentityRegistry()
        #expect(registry.detach(key: USBAttachmentKey("never")) == nil)
    }
}
