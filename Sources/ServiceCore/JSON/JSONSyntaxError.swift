/// Why a file could not be read as a JSON object, and where (1-based line and column). A
/// configuration file with this error is never rewritten: it is the user's, and only they know
/// what they meant.
public struct JSONSyntaxError: Error, Hashable, Sendable, CustomStringConvertible {
    public let position: JSONSourcePosition
    public let reason: Reason

    public init(_ reason: Reason, at position: JSONSourcePosition) {
        self.reason = reason
        self.position = position
    }

    public var line: Int { position.line }
    public var column: Int { position.column }

    public var description: String { "line \(line), column \(column): \(reason)" }

    public enum Reason: Hashable, Sendable, CustomStringConvertible {
        /// The text ended where `expected` was needed.
        case unexpectedEndOfFile(expected: String)
        /// `found` (quoted character or U+XXXX) stands where `expected` was needed.
        case unexpectedCharacter(found: String, expected: String)
        /// A string literal has no closing quote before the end of its line or of the file.
        case unterminatedString
        /// A raw control character (U+0000–U+001F other than a line break) inside a string.
        case controlCharacterInString(UInt8)
        /// A backslash followed by something JSON does not define (`found`).
        case invalidEscape(found: String)
        /// `\u` not followed by four hex digits.
        case invalidUnicodeEscape
        /// `\uD800`–`\uDFFF` not forming a high + low surrogate pair.
        case unpairedSurrogate
        /// Bytes that are not UTF-8.
        case invalidUTF8
        /// A malformed number; `detail` says what is wrong with it.
        case invalidNumber(detail: String)
        /// `//` or `/*`.
        case commentNotAllowed
        /// `,` right before `}` or `]`.
        case trailingComma(closing: Character)
        /// `'text'`.
        case singleQuotedString
        /// `{ name: … }`.
        case unquotedKey(String)
        /// A bare word other than `true`, `false`, `null` (`True`, `NaN`, `undefined`…).
        case invalidLiteral(String)
        /// More JSON after the top-level value.
        case contentAfterTopLevelValue
        /// `"key": …` at the top level: the file is an object's content without its braces.
        case memberOutsideObject
        /// The top-level value is valid JSON but not an object.
        case topLevelNotObject(found: String)
        /// Objects and arrays nested deeper than the parser allows.
        case nestingTooDeep(limit: Int)

        public var description: String {
            switch self {
            case .unexpectedEndOfFile(let expected):
                return "unexpected end of file; expected \(expected)"
            case .unexpectedCharacter(let found, let expected):
                return "expected \(expected), found \(found)"
            case .unterminatedString:
                return "unterminated string: missing closing '\"' before the end of the line (a line break inside a string must be written \\n)"
            case .controlCharacterInString(let byte):
                return "control character \(JSONText.codePoint(UInt32(byte))) must be escaped inside a string"
            case .invalidEscape(let found):
                return "invalid escape sequence '\\\(found)' in string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
            case .invalidUnicodeEscape:
                return "invalid \\u escape: expected four hex digits"
            case .unpairedSurrogate:
                return "invalid \\u escape: unpaired UTF-16 surrogate"
            case .invalidUTF8:
                return "invalid UTF-8 byte sequence (the file must be UTF-8)"
            case .invalidNumber(let detail):
                return "invalid number: \(detail)"
            case .commentNotAllowed:
                return "comments are not allowed in JSON; use a \"_comment\" key instead"
            case .trailingComma(let closing):
                return "trailing comma before '\(closing)' is not allowed in JSON"
            case .singleQuotedString:
                return "strings must be in double quotes (\"…\"), not single quotes"
            case .unquotedKey(let word):
                return "object keys must be strings in double quotes; found \(word) without quotes"
            case .invalidLiteral(let word):
                return "unexpected word '\(word)'; the JSON literals are true, false and null (lower case)"
            case .contentAfterTopLevelValue:
                return "unexpected content after the end of the top-level value"
            case .memberOutsideObject:
                return "the file must be one JSON object: a key followed by ':' at the top level means the enclosing '{' and '}' are missing"
            case .topLevelNotObject(let found):
                return "the file must be a JSON object ({ … }); found \(found)"
            case .nestingTooDeep(let limit):
                return "objects and arrays are nested more than \(limit) levels deep"
            }
        }
    }
}
