import Testing
@testable import ServiceCore

@Suite struct USBSerialNumberTests {
    @Test(arguments: USBSerialNumber.knownPlaceholders.sorted())
    func everyListedPlaceholderIsUnusable(_ placeholder: String) {
        #expect(!USBSerialNumber.isUsable(placeholder))
        #expect(!USBSerialNumber.isUsable(placeholder.uppercased()))
        #expect(!USBSerialNumber.isUsable("  \(placeholder)\t"))
    }

    @Test(arguments: ["0000", "ffff", "none", "noserial", "no serial number", "no_serial_number"])
    func theDesignPlaceholdersAreListed(_ placeholder: String) {
        #expect(USBSerialNumber.knownPlaceholders.contains(placeholder))
    }

    @Test(arguments: ["NONE", "No Serial Number", "NO_SERIAL_NUMBER", "NoSerial", "FFFF"])
    func placeholdersCompareCaseInsensitively(_ text: String) {
        #expect(USBSerialNumber.assess(text) == .placeholder(text))
    }

    @Test(arguments: ["00000000", "FFFFFFFF", "x", "aAaA", "1111111111111"])
    func allSameCharacterIsUnusable(_ text: String) {
        #expect(USBSerialNumber.assess(text) == .repeatedCharacter(text))
    }

    @Test func missingAndBlank() {
        #expect(USBSerialNumber.assess(nil) == .missing)
        #expect(USBSerialNumber.assess("") == .blank)
        #expect(USBSerialNumber.assess("   \t") == .blank)
    }

    @Test(arguments: ["SER-0001", "A1B2C3", "0001", "8AF2 11"])
    func realSerialsAreUsableAndTrimmed(_ text: String) {
        #expect(USBSerialNumber.assess(" \(text) ") == .usable(text))
    }
}
