/// What a USB device reported as its `iSerialNumber`, judged for use in an identity
/// (docs/design.md §2): a serial only identifies a device when the device reports one and it is not
/// a value that many devices share by construction (firmware placeholders).
public enum USBSerialNumberAssessment: Hashable, Sendable {
    /// Usable; carries the serial with surrounding white space removed.
    case usable(String)
    /// The device reported no serial string at all.
    case missing
    /// Only white space.
    case blank
    /// A known placeholder (see `USBSerialNumber.knownPlaceholders`), compared case-insensitively.
    case placeholder(String)
    /// Every character the same (`0000000`, `FFFFFFFF`, `xxxx`…): a filled-in template.
    case repeatedCharacter(String)

    public var usableSerial: String? {
        if case .usable(let s) = self { return s }
        return nil
    }

    /// Why the serial is not used, for logs and `midi endpoint properties`.
    public var reason: String {
        switch self {
        case .usable(let s): return "serial \"\(s)\" is usable"
        case .missing: return "the device reports no serial number"
        case .blank: return "the device reports a blank serial number"
        case .placeholder(let s): return "serial \"\(s)\" is a known placeholder shared by many devices"
        case .repeatedCharacter(let s): return "serial \"\(s)\" repeats a single character, a firmware placeholder"
        }
    }
}

public enum USBSerialNumber {
    /// Serials that firmware ships unchanged on every unit, compared case-insensitively after
    /// trimming white space. All-same-character serials (`0000`, `ffff`, `00000000`…) are caught
    /// by a separate rule, so they need not be listed; the ones listed here are the words.
    /// Extend this list when a device family turns up with another shared value — ids already
    /// stored for such devices would then change from serial to port-path form, so say so in
    /// the release notes.
    public static let knownPlaceholders: Set<String> = [
        "0000", "ffff",                        // also caught by the repeated-character rule
        "none", "noserial", "no serial", "no serial number", "no_serial_number", "no-serial-number",
        "serial", "serialnumber", "serial number", "n/a", "null", "unknown", "default",
        "0123456789", "123456789", "1234567890", "0123456789abcdef",
    ]

    /// Judges a reported serial. `nil` means the device has no `iSerialNumber` string.
    public static func assess(_ reported: String?) -> USBSerialNumberAssessment {
        guard let reported else { return .missing }
        let trimmed = String(reported.trimmingWhitespace())
        guard !trimmed.isEmpty else { return .blank }
        if knownPlaceholders.contains(trimmed.lowercased()) { return .placeholder(trimmed) }
        let lowered = trimmed.lowercased()
        if let first = lowered.first, lowered.allSatisfy({ $0 == first }) { return .repeatedCharacter(trimmed) }
        return .usable(trimmed)
    }

    /// Shorthand for `assess(_:).usableSerial != nil`.
    public static func isUsable(_ reported: String?) -> Bool { assess(reported).usableSerial != nil }
}
