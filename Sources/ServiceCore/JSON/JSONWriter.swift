/// A JSON value to write: a pair the config file editor inserts, or the whole state file.
/// Objects keep their members in the order given.
indirect enum JSONOutline {
    case object([(key: String, value: JSONOutline)])
    case array([JSONOutline])
    case string(String)
    case integer(Int)
    case bool(Bool)
}

/// Writes a `JSONOutline` as indented text, one member or element per line. Strings go through
/// `JSONText.quoted`, the one escaper. The two layouts differ only in where a non-empty object
/// or array that is a member's value opens:
///
///     "endpoints": {          state file: after the key, two-space indent
///
///     "endpointA":            configuration file: on the next line at the key's indentation,
///     {                       four-space indent, as in the Windows MIDI Services example
///         "name": "…",        configuration (so inserted pairs look like the user's)
struct JSONWriter {
    let indentUnit: String
    let newline: String
    let opensOnOwnLine: Bool

    /// The state file's layout.
    static let state = JSONWriter(indentUnit: "  ", newline: "\n", opensOnOwnLine: false)

    /// The configuration file's layout, with the line ending the file already uses.
    static func configuration(newline: String) -> JSONWriter {
        JSONWriter(indentUnit: "    ", newline: newline, opensOnOwnLine: true)
    }

    /// A whole file: the value, unindented, and a final line ending.
    func document(_ value: JSONOutline) -> String { text(value, indent: "") + newline }

    /// `"key": value` whose first line starts (after `indent`, which the caller has written)
    /// at the key, and whose later lines are indented from `indent`.
    func member(_ key: String, _ value: JSONOutline, indent: String) -> String {
        let opensBelow: Bool
        switch value {
        case .object(let members): opensBelow = opensOnOwnLine && !members.isEmpty
        case .array(let elements): opensBelow = opensOnOwnLine && !elements.isEmpty
        case .string, .integer, .bool: opensBelow = false
        }
        return JSONText.quoted(key) + ":" + (opensBelow ? newline + indent : " ") + text(value, indent: indent)
    }

    /// The value, its first line unindented (the caller has placed it), later lines from `indent`.
    func text(_ value: JSONOutline, indent: String) -> String {
        let inner = indent + indentUnit
        switch value {
        case .string(let string): return JSONText.quoted(string)
        case .integer(let integer): return String(integer)
        case .bool(let bool): return bool ? "true" : "false"
        case .object(let members):
            return container("{", members.map { member($0.key, $0.value, indent: inner) }, "}", indent: indent)
        case .array(let elements):
            return container("[", elements.map { text($0, indent: inner) }, "]", indent: indent)
        }
    }

    private func container(_ open: String, _ items: [String], _ close: String, indent: String) -> String {
        guard !items.isEmpty else { return open + close }
        let inner = indent + indentUnit
        return open + newline + items.map { inner + $0 }.joined(separator: "," + newline) + newline + indent + close
    }
}
