/// Writing JSON string literals (the one escaper) and describing characters, shared by the
/// parser's messages, the path notation, the config file editor and the state file.
enum JSONText {
    /// `text` as a JSON string literal, quotes included. Escapes `"` and `\`, writes control
    /// characters as `\n`, `\t`… or `\u00XX` (and DEL as `\u007f`, so it is visible); everything
    /// else, non-ASCII included, is kept as UTF-8.
    static func quoted(_ text: String) -> String {
        var out = "\""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{00}"..."\u{1F}", "\u{7F}":
                out += "\\u" + hex(scalar.value, digits: 4, uppercase: false)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
        return out
    }

    /// `U+00E9`.
    static func codePoint(_ value: UInt32) -> String { "U+" + hex(value, digits: 4, uppercase: true) }

    static func hex(_ value: UInt32, digits: Int, uppercase: Bool) -> String {
        let s = String(value, radix: 16, uppercase: uppercase)
        return s.count >= digits ? s : String(repeating: "0", count: digits - s.count) + s
    }

    /// Decodes one UTF-8 scalar starting at `offset`, rejecting overlong forms, surrogates and
    /// values above U+10FFFF. Returns the scalar and its length in bytes, or nil.
    static func decodeScalar(_ bytes: [UInt8], at offset: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        let b0 = bytes[offset]
        let length: Int
        var value: UInt32
        let minimum: UInt32
        switch b0 {
        case 0x00...0x7F: return (Unicode.Scalar(b0), 1)
        case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F); minimum = 0x80
        case 0xE0...0xEF: length = 3; value = UInt32(b0 & 0x0F); minimum = 0x800
        case 0xF0...0xF4: length = 4; value = UInt32(b0 & 0x07); minimum = 0x10000
        default: return nil
        }
        guard offset + length <= bytes.count else { return nil }
        for i in 1..<length {
            let b = bytes[offset + i]
            guard b & 0xC0 == 0x80 else { return nil }
            value = (value << 6) | UInt32(b & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// A character for a message: `'x'` when printable, else `U+XXXX`, plus the code point for
    /// non-ASCII so look-alikes (a curly quote for `"`) are obvious.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x21...0x7E: return "'\(Character(scalar))'"
        case 0x00...0x20, 0x7F...0x9F: return codePoint(scalar.value)
        default: return "'\(Character(scalar))' (\(codePoint(scalar.value)))"
        }
    }
}
