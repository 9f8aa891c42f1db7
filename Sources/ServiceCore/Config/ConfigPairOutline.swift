extension JSONOutline {
    /// The outline of one pair, as it goes under `create`: no `_comment`, `description` only
    /// when there is one, `groupCount` only when it was set.
    static func pair(_ pair: ConfiguredLoopbackPair) -> JSONOutline {
        func endpoint(_ endpoint: ConfiguredLoopbackPair.Endpoint) -> JSONOutline {
            var members: [(key: String, value: JSONOutline)] = [(ConfigSchema.nameKey, .string(endpoint.name))]
            if let description = endpoint.description { members.append((ConfigSchema.descriptionKey, .string(description))) }
            members.append((ConfigSchema.uniqueIdentifierKey, .string(endpoint.uniqueIdentifier.original)))
            return .object(members)
        }
        var members: [(key: String, value: JSONOutline)] = [
            (ConfigSchema.endpointAKey, endpoint(pair.endpointA)),
            (ConfigSchema.endpointBKey, endpoint(pair.endpointB)),
        ]
        if let groupCount = pair.groupCountSetting { members.append((ConfigSchema.groupCountKey, .integer(groupCount.value))) }
        return .object(members)
    }
}
