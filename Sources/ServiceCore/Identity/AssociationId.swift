import MIDIRules

/// A GUID identifying a loopback pair. Accepted with or without braces, any case; never the
/// empty GUID. Printed the way the config file writes it: `{0C1B3439-593F-4B7A-8950-4698D97B0897}`.
public struct AssociationId: Hashable, Sendable, CustomStringConvertible, Codable {
    /// The 32 hex digits, upper case, no punctuation.
    public let hexDigits: String

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case empty
        public var description: String {
            switch self {
            case .malformed(let text):
                return "association id \"\(text)\" is not a GUID (expected 8-4-4-4-12 hex digits, braces optional)"
            case .empty:
                return "association id must not be the empty GUID \(LoopbackPairRules.emptyAssociationId)"
            }
        }
    }

    public init(parsing text: String) throws(ParseError) {
        var body = Substring(text.trimmingWhitespace())
        if body.hasPrefix("{") && body.hasSuffix("}") && body.count >= 2 { body = body.dropFirst().dropLast() }
        let groups = body.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12],
              groups.allSatisfy({ $0.allSatisfy(\.isHexDigit) }) else { throw .malformed(text) }
        let digits = groups.joined().uppercased()
        guard digits.contains(where: { $0 != "0" }) else { throw .empty }
        hexDigits = digits
    }

    /// A new random (version 4) GUID.
    public static func random() -> AssociationId {
        var g = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { b in
            let s = String(b, radix: 16, uppercase: true); return s.count == 1 ? "0" + s : s
        }.joined()
        return try! AssociationId(parsing: hex.grouped())
    }

    public var description: String {
        let d = Array(hexDigits)
        return "{" + String(d[0..<8]) + "-" + String(d[8..<12]) + "-" + String(d[12..<16]) + "-"
            + String(d[16..<20]) + "-" + String(d[20..<32]) + "}"
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try AssociationId(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

private extension String {
    /// 32 hex digits → 8-4-4-4-12.
    func grouped() -> String {
        let d = Array(self)
        return [d[0..<8], d[8..<12], d[12..<16], d[16..<20], d[20..<32]].map { String($0) }.joined(separator: "-")
    }
}
