/// The rule for a loopback endpoint's unique identifier (docs/design.md §2, §3): the part of its
/// EndpointDeviceId that keeps it stable. At most 32 characters of `A-Z a-z 0-9 - _` (Windows
/// device-id rules), compared case-insensitively. The console and SDK strip other characters;
/// the configuration loader rejects them.
public enum UniqueIdentifierRule {
    public static let maximumLength = 32
    /// The allowed characters, as messages name them.
    public static let allowedCharactersDescription = "A-Z a-z 0-9 - _"

    public static func isAllowed(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_")
    }

    /// `text` without the characters the rule does not allow (the console/SDK path).
    public static func stripped(_ text: String) -> String {
        text.filter(isAllowed)
    }
}
