/// A JSON value read from a configuration file, with the bytes it came from. The tree keeps
/// every object member in source order, duplicates included, so that the file can be edited
/// by splicing text at known offsets (see `ConfigFileEditor`).
public struct ConfigJSONValue: Hashable, Sendable {
    public enum Content: Hashable, Sendable {
        case object(ConfigJSONObject)
        case array([ConfigJSONValue])
        case string(String)
        case number(ConfigJSONNumber)
        case bool(Bool)
        case null
    }

    public let content: Content
    /// From the first byte of the value (`{`, `[`, `"`, digit, `-`, letter) to the byte after it.
    public let range: ConfigSourceRange

    public init(content: Content, range: ConfigSourceRange) {
        self.content = content
        self.range = range
    }

    public var object: ConfigJSONObject? {
        if case .object(let object) = content { return object }
        return nil
    }

    public var string: String? {
        if case .string(let string) = content { return string }
        return nil
    }

    /// What kind of value this is, for messages: "an object", "a string", "the number 2.5"…
    public var kindDescription: String {
        switch content {
        case .object: return "an object"
        case .array: return "an array"
        case .string(let s): return "the string " + ConfigJSONText.quoted(s)
        case .number(let n): return "the number \(n.text)"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }
}

/// A JSON object: its members in source order. A key written twice appears twice; lookups by
/// name return the first, which is the one that counts (the parser reports the others).
public struct ConfigJSONObject: Hashable, Sendable {
    public let members: [ConfigJSONMember]

    public init(members: [ConfigJSONMember]) { self.members = members }

    /// The first member with exactly this key (keys are case-sensitive and compared as Unicode
    /// scalars, not by canonical equivalence).
    public func member(named key: String) -> ConfigJSONMember? {
        members.first { $0.key.unicodeScalars.elementsEqual(key.unicodeScalars) }
    }

    /// Members whose key was not already used earlier in this object.
    public var effectiveMembers: [ConfigJSONMember] { members.filter { !$0.isDuplicate } }
}

/// `"key": value` inside an object.
public struct ConfigJSONMember: Hashable, Sendable {
    public let key: String
    /// The key's string literal, quotes included.
    public let keyRange: ConfigSourceRange
    public let value: ConfigJSONValue
    /// True when an earlier member of the same object has the same key; JSON says the first wins.
    public let isDuplicate: Bool

    public init(key: String, keyRange: ConfigSourceRange, value: ConfigJSONValue, isDuplicate: Bool) {
        self.key = key
        self.keyRange = keyRange
        self.value = value
        self.isDuplicate = isDuplicate
    }

    /// From the key's opening quote to the end of the value.
    public var range: ConfigSourceRange { ConfigSourceRange(start: keyRange.start, end: value.range.end) }
}

/// A JSON number, kept as written so that nothing is lost to floating point.
public struct ConfigJSONNumber: Hashable, Sendable, CustomStringConvertible {
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
public struct ConfigJSONDuplicateKey: Hashable, Sendable {
    /// Path of the repeated member (the object's path plus the key).
    public let path: ConfigPath
    /// Where the ignored, later occurrence's key starts.
    public let position: ConfigSourcePosition
    /// Where the first, used occurrence's key starts.
    public let firstPosition: ConfigSourcePosition
}

/// A parsed file: the top-level value and what the parser noticed without failing.
public struct ConfigJSONDocument: Hashable, Sendable {
    public let root: ConfigJSONValue
    public let duplicateKeys: [ConfigJSONDuplicateKey]
    /// The original bytes, so that editors can splice into them.
    public let bytes: [UInt8]
}
