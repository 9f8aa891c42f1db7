import Testing
@testable import ServiceCore

/// docs/design.md §2: the id shapes, and the short forms users type.
@Suite struct IdentityTests {
    static let full = #"\\?\swd#midisrv#midiu_loop_a_default#{e7cce071-3c03-423f-88d3-f1045d02552b}"#

    @Test func loopbackIdsAreLowerCaseWindowsShaped() throws {
        let uid = try UniqueIdentifier(validating: "DEFAULT")
        #expect(EndpointDeviceId.loopback(side: .a, uniqueIdentifier: uid).rawValue == Self.full)
        #expect(EndpointDeviceId.loopback(side: .b, uniqueIdentifier: uid).instance == "loop_b_default")
        #expect(EndpointDeviceId.diagnosticsPing.rawValue
            == #"\\?\swd#midisrv#midiu_diag_ping#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
    }

    @Test(arguments: [
        Self.full, Self.full.uppercased(), "loop_a_default", "LOOP_A_DEFAULT", "midiu_loop_a_default", "  loop_a_default ",
    ])
    func shortAndFullFormsParseToTheSameId(_ text: String) {
        #expect(EndpointDeviceId(parsing: text)?.rawValue == Self.full)
    }

    @Test(arguments: ["", "default", "Perm Loopback 1A", #"\\?\swd#midisrv#midiu_#{e7cce071-3c03-423f-88d3-f1045d02552b}"#,
                      #"\\?\swd#midisrv#midiu_loop_a_x#{00000000-0000-0000-0000-000000000000}"#, "loop_a_with space"])
    func nonIdsDoNotParse(_ text: String) {
        #expect(EndpointDeviceId(parsing: text) == nil)
    }

    @Test func diagnosticShortForms() {
        #expect(EndpointDeviceId(parsing: "diag_loopback_a") == .diagnosticsLoopbackA)
        #expect(EndpointDeviceId(parsing: "diag_loopback_b") == .diagnosticsLoopbackB)
    }

    @Test func associationIdWithOrWithoutBracesAnyCase() throws {
        let braced = try AssociationId(parsing: "{0C1B3439-593F-4B7A-8950-4698D97B0897}")
        let bare = try AssociationId(parsing: "0c1b3439-593f-4b7a-8950-4698d97b0897")
        #expect(braced == bare)
        #expect(bare.description == "{0C1B3439-593F-4B7A-8950-4698D97B0897}")
    }

    @Test(arguments: ["", "{}", "0C1B3439593F4B7A89504698D97B0897", "{0C1B3439-593F-4B7A-8950-4698D97B089}",
                      "0C1B3439-593F-4B7A-8950-4698D97B089G", "{0C1B3439-593F-4B7A-8950-4698D97B0897"])
    func malformedAssociationIdsAreRejected(_ text: String) {
        #expect(throws: AssociationId.ParseError.malformed(text)) { try AssociationId(parsing: text) }
    }

    @Test func emptyGuidIsRejected() {
        #expect(throws: AssociationId.ParseError.empty) {
            try AssociationId(parsing: "{00000000-0000-0000-0000-000000000000}")
        }
    }

    @Test func randomAssociationIdsAreVersion4AndDistinct() throws {
        let ids = (0..<100).map { _ in AssociationId.random() }
        #expect(Set(ids).count == 100)
        for id in ids {
            #expect(Array(id.hexDigits)[12] == "4")
            #expect(try AssociationId(parsing: id.description) == id)
        }
    }

    @Test func uniqueIdentifierConfigPathRejectsWhatTheApiPathStrips() throws {
        #expect(throws: UniqueIdentifier.ValidationError.invalidCharacters("abc 12#3", characters: " #")) {
            try UniqueIdentifier(validating: "abc 12#3")
        }
        let stripped = try UniqueIdentifier(stripping: "abc 12#3")
        #expect(stripped.value == "abc123")
        #expect(stripped.original == "abc123")
        #expect(throws: UniqueIdentifier.ValidationError.empty) { try UniqueIdentifier(stripping: "#!?") }
    }

    @Test func uniqueIdentifierLengthLimitIs32() throws {
        let thirtyTwo = String(repeating: "x", count: 32)
        #expect(try UniqueIdentifier(validating: thirtyTwo).value == thirtyTwo)
        #expect(throws: UniqueIdentifier.ValidationError.tooLong(thirtyTwo + "y", length: 33)) {
            try UniqueIdentifier(validating: thirtyTwo + "y")
        }
    }

    @Test func uniqueIdentifiersCompareCaseInsensitively() throws {
        #expect(try UniqueIdentifier(validating: "OU812") == UniqueIdentifier(validating: "ou812"))
        #expect(try UniqueIdentifier(validating: "OU812").original == "OU812")
        let generated = UniqueIdentifier.generated()
        #expect(generated.value.count == 16)
        #expect(try UniqueIdentifier(validating: generated.value).value == generated.value)
    }

    @Test func usbDeviceInstanceIdIsWindowsShaped() {
        #expect(DeviceInstanceId.usb(vendorId: 0x1209, productId: 0x4d49, instance: "SER-0001").rawValue
            == #"USB\VID_1209&PID_4D49\SER-0001"#)
        #expect(DeviceInstanceId.usb(vendorId: 0xA, productId: 0xBC, instance: "x").rawValue == #"USB\VID_000A&PID_00BC\x"#)
    }
}
