/// JSON that the file editor writes, in the layout of the Windows MIDI Services example
/// configuration: each object member's key on its own line, the object's `{` on the next line
/// at the key's indentation, members one level (four spaces) further in.
///
///     "{0C1B3439-593F-4B7A-8950-4698D97B0897}":
///     {
///         "endpointA":
///         {
///             "name": "Perm Loopback 1A",
///             …
indirect enum ConfigJSONOutline {
    case object([(key: String, value: ConfigJSONOutline)])
    case string(String)
    case integer(Int)

    static let indentUnit = "    "

    /// `"key": value` whose first line starts (after `indent`, which the caller has written)
    /// at the key, and whose later lines are indented from `indent`.
    func member(_ key: String, indent: String, newline: String) -> String {
        ConfigJSONText.quoted(key) + ":" + valueText(indent: indent, newline: newline, separator: " ")
    }

    private func valueText(indent: String, newline: String, separator: String) -> String {
        switch self {
        case .string(let text):
            return separator + ConfigJSONText.quoted(text)
        case .integer(let value):
            return separator + String(value)
        case .object(let members):
            guard !members.isEmpty else { return separator + "{}" }
            let inner = indent + Self.indentUnit
            let body = members
                .map { inner + $0.value.member($0.key, indent: inner, newline: newline) }
                .joined(separator: "," + newline)
            return newline + indent + "{" + newline + body + newline + indent + "}"
        }
    }

    /// The outline of one pair, as it goes under `create`: no `_comment`, `description` only
    /// when there is one, `groupCount` only when it was set.
    static func pair(_ pair: ConfiguredLoopbackPair) -> ConfigJSONOutline {
        func endpoint(_ endpoint: ConfiguredLoopbackPair.Endpoint) -> ConfigJSONOutline {
            var members: [(key: String, value: ConfigJSONOutline)] = [(ConfigSchema.nameKey, .string(endpoint.name))]
            if let description = endpoint.description { members.append((ConfigSchema.descriptionKey, .string(description))) }
            members.append((ConfigSchema.uniqueIdentifierKey, .string(endpoint.uniqueIdentifier.original)))
            return .object(members)
        }
        var members: [(key: String, value: ConfigJSONOutline)] = [
            (ConfigSchema.endpointAKey, endpoint(pair.endpointA)),
            (ConfigSchema.endpointBKey, endpoint(pair.endpointB)),
        ]
        if let groupCount = pair.groupCountSetting { members.append((ConfigSchema.groupCountKey, .integer(groupCount.value))) }
        return .object(members)
    }
}
