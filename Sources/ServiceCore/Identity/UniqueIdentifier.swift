import MIDIRules

/// The short unique identifier of a loopback endpoint — what makes its EndpointDeviceId stable.
/// At most 32 characters from `A-Z a-z 0-9 - _` (Windows device-id rules), compared
/// case-insensitively; stored lower case because it becomes part of the lower-case id. The rule
/// is `MIDIRules.UniqueIdentifierRule`, which the SDK follows too.
public struct UniqueIdentifier: Hashable, Sendable, CustomStringConvertible, Codable {
    public static let maximumLength = UniqueIdentifierRule.maximumLength

    /// Lower-cased identifier.
    public let value: String
    /// As the user wrote it (after stripping, on the API path).
    public let original: String

    public enum ValidationError: Error, Equatable, CustomStringConvertible {
        case empty
        case tooLong(String, length: Int)
        case invalidCharacters(String, characters: String)
        public var description: String {
            switch self {
            case .empty:
                return "unique identifier is required and must not be empty"
            case .tooLong(let text, let length):
                return "unique identifier \"\(text)\" is \(length) characters long; at most \(UniqueIdentifier.maximumLength) are allowed"
            case .invalidCharacters(let text, let characters):
                return "unique identifier \"\(text)\" contains characters other than \(UniqueIdentifierRule.allowedCharactersDescription): \(characters)"
            }
        }
    }

    public static func isAllowed(_ c: Character) -> Bool { UniqueIdentifierRule.isAllowed(c) }

    /// The config-file path: rejects anything outside the rules.
    public init(validating text: String) throws(ValidationError) {
        guard !text.isEmpty else { throw .empty }
        let bad = text.filter { !Self.isAllowed($0) }
        guard bad.isEmpty else { throw .invalidCharacters(text, characters: String(bad)) }
        guard text.count <= Self.maximumLength else { throw .tooLong(text, length: text.count) }
        original = text
        value = text.lowercased()
    }

    /// The CLI/SDK path: strips characters outside the rules, then validates what is left
    /// (length and emptiness are not silently "fixed").
    public init(stripping text: String) throws(ValidationError) {
        try self.init(validating: UniqueIdentifierRule.stripped(text))
    }

    /// A fresh identifier for pairs created without one: 16 hex digits.
    public static func generated() -> UniqueIdentifier {
        let n = UInt64.random(in: .min ... .max)
        let s = String(n, radix: 16)
        return try! UniqueIdentifier(validating: String(repeating: "0", count: 16 - s.count) + s)
    }

    public var description: String { value }

    // Identity is the lower-cased value: "OU812" and "ou812" are the same identifier.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.value == rhs.value }
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
