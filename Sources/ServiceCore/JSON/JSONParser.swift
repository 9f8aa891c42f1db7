/// The one JSON parser, for the configuration file and the state file: strict RFC 8259, and it
/// remembers where every value came from. Strict because a config file is edited by hand: comments, trailing commas, single
/// quotes and bare words are each rejected with a reason that names the mistake, at the line
/// and column where it is. Duplicate keys are not an error (JSON allows them); the first one
/// counts and the others are listed in `JSONDocument.duplicateKeys`.
///
/// Not a hot path: it runs when the daemon starts, when the config file changes, and before
/// the config file is edited.
public enum JSONParser {
    /// Deeper nesting is refused instead of risking the stack; the config schema needs six.
    public static let maximumNestingDepth = 256

    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONDocument {
        var state = JSONParserState(bytes: bytes)
        return try state.parseDocument()
    }
}

private struct JSONParserState {
    let bytes: [UInt8]
    var offset = 0
    var line = 1
    var column = 1
    var depth = 0
    var path: [JSONPath.Component] = []
    var duplicateKeys: [JSONDuplicateKey] = []

    init(bytes: [UInt8]) { self.bytes = bytes }

    // MARK: Cursor

    var position: JSONSourcePosition { JSONSourcePosition(offset: offset, line: line, column: column) }
    var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }
    func byte(after distance: Int) -> UInt8? {
        offset + distance < bytes.count ? bytes[offset + distance] : nil
    }

    /// Moves past one byte, keeping line and column: LF, CR LF and a lone CR each end a line;
    /// UTF-8 continuation bytes do not start a new column.
    mutating func advance() {
        let b = bytes[offset]
        offset += 1
        if b == .lineFeed || (b == .carriageReturn && current != .lineFeed) {
            line += 1
            column = 1
        } else if b != .carriageReturn && b & 0xC0 != 0x80 {
            column += 1
        }
    }

    mutating func skipWhitespace() {
        while let b = current, b == .space || b == .tab || b == .lineFeed || b == .carriageReturn {
            advance()
        }
    }

    // MARK: Document

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONDocument {
        // Editors on Windows save with a byte order mark; it is not content.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { offset = 3 }
        skipWhitespace()
        let root = try parseValue(expected: "a JSON value")
        skipWhitespace()
        if current != nil {
            if case .string = root.content, current == .colon {
                throw JSONSyntaxError(.memberOutsideObject, at: position)
            }
            if isCommentStart { throw JSONSyntaxError(.commentNotAllowed, at: position) }
            throw JSONSyntaxError(.contentAfterTopLevelValue, at: position)
        }
        return JSONDocument(root: root, duplicateKeys: duplicateKeys, bytes: bytes)
    }

    // MARK: Values

    /// Parses the value at the cursor (whitespace already skipped).
    mutating func parseValue(expected: String) throws(JSONSyntaxError) -> JSONValue {
        let start = position
        guard let b = current else {
            throw JSONSyntaxError(.unexpectedEndOfFile(expected: expected), at: start)
        }
        let content: JSONValue.Content
        switch b {
        case .openBrace: content = .object(try parseObject())
        case .openBracket: content = .array(try parseArray())
        case .quote: content = .string(try parseString())
        case .minus, .digit0 ... .digit9: content = .number(try parseNumber())
        case _ where b.isASCIILetter:
            let word = scanWord()
            switch word {
            case "true": content = .bool(true)
            case "false": content = .bool(false)
            case "null": content = .null
            default: throw JSONSyntaxError(.invalidLiteral(word), at: start)
            }
        default:
            throw unexpected(expected: expected)
        }
        return JSONValue(content: content, range: JSONSourceRange(start: start, end: position))
    }

    mutating func enterContainer() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONParser.maximumNestingDepth {
            throw JSONSyntaxError(.nestingTooDeep(limit: JSONParser.maximumNestingDepth), at: position)
        }
        advance()
    }

    mutating func parseObject() throws(JSONSyntaxError) -> JSONObject {
        try enterContainer()
        defer { depth -= 1 }
        var members: [JSONMember] = []
        // Keys compare as UTF-8 bytes: exact, case-sensitive, no Unicode normalization.
        var firstKeyPositions: [[UInt8]: JSONSourcePosition] = [:]
        skipWhitespace()
        if current == .closeBrace {
            advance()
            return JSONObject(members: [])
        }
        while true {
            let keyStart = position
            guard current == .quote else { throw keyError() }
            let key = try parseString()
            let keyRange = JSONSourceRange(start: keyStart, end: position)
            skipWhitespace()
            guard current == .colon else {
                throw unexpected(expected: "':' after object key \(JSONText.quoted(key))")
            }
            advance()
            skipWhitespace()
            path.append(.key(key))
            let value = try parseValue(expected: "a value after ':'")
            let keyBytes = Array(key.utf8)
            let isDuplicate: Bool
            if let first = firstKeyPositions[keyBytes] {
                duplicateKeys.append(JSONDuplicateKey(path: JSONPath(path), position: keyStart, firstPosition: first))
                isDuplicate = true
            } else {
                firstKeyPositions[keyBytes] = keyStart
                isDuplicate = false
            }
            path.removeLast()
            members.append(JSONMember(key: key, keyRange: keyRange, value: value, isDuplicate: isDuplicate))
            skipWhitespace()
            switch current {
            case .comma:
                let comma = position
                advance()
                skipWhitespace()
                if current == .closeBrace { throw JSONSyntaxError(.trailingComma(closing: "}"), at: comma) }
            case .closeBrace:
                advance()
                return JSONObject(members: members)
            default:
                throw unexpected(expected: "',' or '}' after object member")
            }
        }
    }

    mutating func parseArray() throws(JSONSyntaxError) -> [JSONValue] {
        try enterContainer()
        defer { depth -= 1 }
        var elements: [JSONValue] = []
        skipWhitespace()
        if current == .closeBracket {
            advance()
            return []
        }
        while true {
            path.append(.index(elements.count))
            elements.append(try parseValue(expected: "a JSON value"))
            path.removeLast()
            skipWhitespace()
            switch current {
            case .comma:
                let comma = position
                advance()
                skipWhitespace()
                if current == .closeBracket { throw JSONSyntaxError(.trailingComma(closing: "]"), at: comma) }
            case .closeBracket:
                advance()
                return elements
            default:
                throw unexpected(expected: "',' or ']' after array element")
            }
        }
    }

    /// A string literal at the cursor (on its opening quote), unescaped.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        advance()
        var utf8: [UInt8] = []
        while true {
            guard let b = current else { throw JSONSyntaxError(.unterminatedString, at: position) }
            switch b {
            case .quote:
                advance()
                return String(decoding: utf8, as: UTF8.self)
            case .backslash:
                try parseEscape(into: &utf8)
            case .lineFeed, .carriageReturn:
                throw JSONSyntaxError(.unterminatedString, at: position)
            case 0x00..<0x20:
                throw JSONSyntaxError(.controlCharacterInString(b), at: position)
            case 0x20..<0x80:
                utf8.append(b)
                advance()
            default:
                guard let (_, length) = JSONText.decodeScalar(bytes, at: offset) else {
                    throw JSONSyntaxError(.invalidUTF8, at: position)
                }
                utf8.append(contentsOf: bytes[offset..<offset + length])
                for _ in 0..<length { advance() }
            }
        }
    }

    mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
        let escapeStart = position
        advance()
        guard let e = current else { throw JSONSyntaxError(.unterminatedString, at: position) }
        let simple: UInt8?
        switch e {
        case .quote, .backslash, .slash: simple = e
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = .lineFeed
        case UInt8(ascii: "r"): simple = .carriageReturn
        case UInt8(ascii: "t"): simple = .tab
        case UInt8(ascii: "u"): simple = nil
        default:
            let found = JSONText.decodeScalar(bytes, at: offset).map { String(Character($0.scalar)) } ?? "?"
            throw JSONSyntaxError(.invalidEscape(found: found), at: escapeStart)
        }
        advance()
        if let simple {
            utf8.append(simple)
            return
        }
        let unit = try parseHex4(escapeStart: escapeStart)
        let scalarValue: UInt32
        switch unit {
        case 0xD800...0xDBFF:
            // A high surrogate must be followed by `\u` and a low surrogate.
            guard current == .backslash, byte(after: 1) == UInt8(ascii: "u") else {
                throw JSONSyntaxError(.unpairedSurrogate, at: escapeStart)
            }
            advance()
            advance()
            let low = try parseHex4(escapeStart: escapeStart)
            guard (0xDC00...0xDFFF).contains(low) else { throw JSONSyntaxError(.unpairedSurrogate, at: escapeStart) }
            scalarValue = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw JSONSyntaxError(.unpairedSurrogate, at: escapeStart)
        default:
            scalarValue = unit
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw JSONSyntaxError(.unpairedSurrogate, at: escapeStart) }
        utf8.append(contentsOf: String(Character(scalar)).utf8)
    }

    mutating func parseHex4(escapeStart: JSONSourcePosition) throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let b = current, let digit = b.hexDigitValue else {
                throw JSONSyntaxError(.invalidUnicodeEscape, at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            advance()
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
        let start = offset
        if current == .minus {
            advance()
            guard current?.isASCIIDigit == true else {
                throw JSONSyntaxError(.invalidNumber(detail: "'-' must be followed by a digit"), at: position)
            }
        }
        if current == .digit0 {
            advance()
            if current?.isASCIIDigit == true {
                throw JSONSyntaxError(.invalidNumber(detail: "leading zeros are not allowed"), at: position)
            }
        } else {
            skipDigits()
        }
        if current == .dot {
            advance()
            guard current?.isASCIIDigit == true else {
                throw JSONSyntaxError(.invalidNumber(detail: "expected a digit after '.'"), at: position)
            }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            advance()
            if current == .plus || current == .minus { advance() }
            guard current?.isASCIIDigit == true else {
                throw JSONSyntaxError(.invalidNumber(detail: "expected a digit in the exponent"), at: position)
            }
            skipDigits()
        }
        return JSONNumber(text: String(decoding: bytes[start..<offset], as: UTF8.self))
    }

    mutating func skipDigits() {
        while current?.isASCIIDigit == true { advance() }
    }

    /// A run of ASCII letters, digits and `_` (a literal, or a mistake we can name).
    mutating func scanWord() -> String {
        let start = offset
        while let b = current, b.isASCIILetter || b.isASCIIDigit || b == .underscore { advance() }
        return String(decoding: bytes[start..<offset], as: UTF8.self)
    }

    // MARK: Errors

    var isCommentStart: Bool {
        current == .slash && (byte(after: 1) == .slash || byte(after: 1) == .asterisk)
    }

    /// The error for the byte at the cursor when `expected` was needed, naming common mistakes.
    func unexpected(expected: String) -> JSONSyntaxError {
        let here = position
        guard let b = current else { return JSONSyntaxError(.unexpectedEndOfFile(expected: expected), at: here) }
        if isCommentStart { return JSONSyntaxError(.commentNotAllowed, at: here) }
        if b == .apostrophe { return JSONSyntaxError(.singleQuotedString, at: here) }
        guard let (scalar, _) = JSONText.decodeScalar(bytes, at: offset) else {
            return JSONSyntaxError(.invalidUTF8, at: here)
        }
        return JSONSyntaxError(.unexpectedCharacter(found: JSONText.describe(scalar), expected: expected), at: here)
    }

    /// Where an object key was needed and no `"` was found.
    mutating func keyError() -> JSONSyntaxError {
        let here = position
        if let b = current, b.isASCIILetter || b == .underscore {
            return JSONSyntaxError(.unquotedKey(scanWord()), at: here)
        }
        return unexpected(expected: "a string key in double quotes")
    }
}

private extension UInt8 {
    static let tab = UInt8(ascii: "\t")
    static let lineFeed = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let quote = UInt8(ascii: "\"")
    static let apostrophe = UInt8(ascii: "'")
    static let plus = UInt8(ascii: "+")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let slash = UInt8(ascii: "/")
    static let asterisk = UInt8(ascii: "*")
    static let digit0 = UInt8(ascii: "0")
    static let digit9 = UInt8(ascii: "9")
    static let colon = UInt8(ascii: ":")
    static let openBracket = UInt8(ascii: "[")
    static let backslash = UInt8(ascii: "\\")
    static let closeBracket = UInt8(ascii: "]")
    static let underscore = UInt8(ascii: "_")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")

    var isASCIIDigit: Bool { (0x30...0x39).contains(self) }
    var isASCIILetter: Bool { (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) }
    var hexDigitValue: UInt8? {
        switch self {
        case 0x30...0x39: return self - 0x30
        case 0x41...0x46: return self - 0x41 + 10
        case 0x61...0x66: return self - 0x61 + 10
        default: return nil
        }
    }
}
