/// The rules for the text a user or a peer gives an endpoint — names and descriptions — wherever
/// it enters: socket requests, the config file, `endpoints.json`, in-protocol Endpoint Name
/// Notifications (issue 12, items 2 and 8). Names end up in listings, ALSA client names, logs
/// and terminals, so they are bounded in bytes (a 2.5 MB name made every listing fail) and
/// may not carry characters that act on a terminal or a log instead of being shown:
///
/// - `Cc` — C0 controls, DEL and C1 controls (ESC sequences, BEL, NUL, line breaks);
/// - `Cf` — format characters: bidi embeddings, overrides and isolates (U+202A–U+202E,
///   U+2066–U+2069), marks, zero-width spaces and joiners (U+200B–U+200D, U+2060), the BOM;
/// - `Zl`, `Zp` — U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR.
///
/// Text a user typed is refused with a reason (`problem`); text the service cannot refuse —
/// what a device declares, what an older version saved — is cleaned (`sanitized`).
public enum EndpointText {
    public enum Field: String, Sendable {
        case name
        case description

        /// Longest value, in UTF-8 bytes.
        public var maximumBytes: Int {
            switch self {
            case .name: return EndpointText.maximumNameBytes
            case .description: return EndpointText.maximumDescriptionBytes
            }
        }
    }

    /// Longest name in UTF-8 bytes (a UMP Endpoint Name Notification carries up to 98).
    public static let maximumNameBytes = 128
    /// Longest description in UTF-8 bytes.
    public static let maximumDescriptionBytes = 1024

    /// Whether `scalar` is one a name or description may not contain.
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// Why `text` is not acceptable as `field`, or nil when it is.
    public static func problem(in text: String, field: Field) -> String? {
        let bytes = text.utf8.count
        if bytes > field.maximumBytes {
            return "\(field.rawValue) is \(bytes) bytes long (UTF-8); at most \(field.maximumBytes) are allowed"
        }
        if let bad = text.unicodeScalars.first(where: isForbidden) {
            return "\(field.rawValue) \(escaped(text, limit: 64)) contains \(characterName(bad)), which is not allowed (no control, format, bidi or zero-width characters, no line separators)"
        }
        return nil
    }

    /// `text` with every forbidden scalar removed, cut to `field`'s byte limit on a character
    /// boundary. For text the service cannot refuse (declared by a device, read from an old
    /// state file).
    public static func sanitized(_ text: String, field: Field) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter { !isForbidden($0) })
        var result = String(scalars)
        if result.utf8.count > field.maximumBytes {
            var clipped = ""
            for character in result {
                if clipped.utf8.count + character.utf8.count > field.maximumBytes { break }
                clipped.append(character)
            }
            result = clipped
        }
        return result
    }

    /// `text` quoted for a log line or a terminal: forbidden scalars (and `"`, `\`) escaped as
    /// `\u{…}`, so nothing in it can end the line, move the cursor or reorder what follows.
    /// Longer than `limit` characters: cut, with `…` at the end.
    public static func escaped(_ text: String, limit: Int = 256) -> String {
        var out = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == limit { out += "…"; break }
            count += 1
            if isForbidden(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else if scalar == "\"" || scalar == "\\" {
                out += "\\" + String(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// "U+202E" with a word on what it is, for error messages.
    static func characterName(_ scalar: Unicode.Scalar) -> String {
        let code = "U+" + String(repeating: "0", count: max(0, 4 - String(scalar.value, radix: 16).count))
            + String(scalar.value, radix: 16, uppercase: true)
        switch scalar.properties.generalCategory {
        case .control: return "the control character \(code)"
        case .lineSeparator, .paragraphSeparator: return "the line/paragraph separator \(code)"
        default:
            if (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value) {
                return "the bidirectional formatting character \(code)"
            }
            return "the invisible format character \(code)"
        }
    }
}
