/// A JSON value read from a file, with the bytes it came from. The tree keeps every object
/// member in source order, duplicates included, so that a configuration file can be edited by
/// splicing text at known offsets (see `ConfigFileEditor`).
public struct JSONValue: Hashable, Sendable {
    public enum Content: Hashable, Sendable {
        case object(JSONObject)
        case array([JSONValue])
        case string(String)
        case number(JSONNumber)
        case bool(Bool)
        case null
    }

    public let content: Content
    /// From the first byte of the value (`{`, `[`, `"`, digit, `-`, letter) to the byte after it.
    public let range: JSONSourceRange

    public init(content: Content, range: JSONSourceRange) {
        self.content = content
        self.range = range
    }

    public var object: JSONObject? {
        if case .object(let object) = content { return object }
        return nil
    }

    public var string: String? {
        if case .string(let string) = content { return string }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let array) = content { return array }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let bool) = content { return bool }
        return nil
    }

    /// A whole number (see `JSONNumber.integerValue`) that fits `T`, else nil.
    public func integer<T: FixedWidthInteger>(as _: T.Type = T.self) -> T? {
        guard case .number(let number) = content, let value = number.integerValue else { return nil }
        return T(exactly: value)
    }

    /// The value of this object's member `key` (the first, if written twice); nil when this is
    /// not an object or has no such member.
    public subscript(key: String) -> JSONValue? { object?.member(named: key)?.value }

    /// What kind of value this is, for messages: "an object", "a string", "the number 2.5"…
    public var kindDescription: String {
        switch content {
        case .object: return "an object"
        case .array: return "an array"
        case .string(let s): return "the string " + JSONText.quoted(s)
        case .number(let n): return "the number \(n.text)"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}

/// A JSON object: its members in source order. A key written twice appears twice; lookups by
/// name return the first, which is the one that counts (the parser reports the others).
public struct JSONObject: Hashable, Sendable {
    public let members: [JSONMember]

    public init(members: [JSONMember]) { self.members = members }

    /// The first member with exactly this key (keys are case-sensitive and compared as Unicode
    /// scalars, not by canonical equivalence).
    public func member(named key: String) -> JSONMember? {
        members.first { $0.key.unicodeScalars.elementsEqual(key.unicodeScalars) }
    }

    /// Members whose key was not already used earlier in this object.
    public var effectiveMembers: [JSONMember] { members.filter { !$0.isDuplicate } }
}

/// `"key": value` inside an object.
public struct JSONMember: Hashable, Sendable {
    public let key: String
    /// The key's string literal, quotes included.
    public let keyRange: JSONSourceRange
    public let value: JSONValue
    /// True when an earlier member of the same object has the same key; JSON says the first wins.
    public let isDuplicate: Bool

    public init(key: String, keyRange: JSONSourceRange, value: JSONValue, isDuplicate: Bool) {
        self.key = key
        self.keyRange = keyRange
        self.value = value
        self.isDuplicate = isDuplicate
    }

    /// From the key's opening quote to the end of the value.
    public var range: JSONSourceRange { JSONSourceRange(start: keyRange.start, end: value.range.end) }
}

/// A JSON number, kept as written so that nothing is lost to floating point.
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    public let text: String

    public init(text: String) { self.text = text }

    /// The value when the number is written as a whole number (`12`, `-3`; not `12.0` or `1e1`)
    /// that fits an `Int`.
    public var integerValue: Int? {
        guard !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) else { return nil }
        return Int(text)
    }

    public var description: String { text }
}

/// A key that appeared more than once in the same object. The first occurrence is used.
public struct JSONDuplicateKey: Hashable, Sendable {
    /// Path of the repeated member (the object's path plus the key).
    public let path: JSONPath
    /// Where the ignored, later occurrence's key starts.
    public let position: JSONSourcePosition
    /// Where the first, used occurrence's key starts.
    public let firstPosition: JSONSourcePosition
}

/// A parsed file: the top-level value and what the parser noticed without failing.
public struct JSONDocument: Hashable, Sendable {
    public let root: JSONValue
    public let duplicateKeys: [JSONDuplicateKey]
    /// The original bytes, so that editors can splice into them.
    public let bytes: [UInt8]
}
