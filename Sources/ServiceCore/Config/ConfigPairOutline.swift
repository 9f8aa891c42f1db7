extension JSONOutline {
    /// The outline of one pair, as it goes under `create`: no `_comment`, `description` only
    /// when there is one, `groupCount` only when it was set.
    static func pair(_ pair: ConfiguredLoopbackPair) -> JSONOutline {
        func endpoint(_ endpoint: ConfiguredLoopbackPair.Endpoint) -> JSONOutline {
            var members: [(key: String, value: JSONOutline)] = [(ConfigSchema.nameKey, .string(endpoint.name))]
            if let description = endpoint.description { members.append((ConfigSchema.descriptionKey, .string(description))) }
            members.append((ConfigSchema.uniqueIdentifierKey, .string(endpoint.uniqueIdentifier.original)))
            let options = endpoint.legacyPorts
            if let umpOnly = options.umpOnly { members.append((ConfigSchema.umpOnlyKey, .bool(umpOnly))) }
            var ports: [(key: String, value: JSONOutline)] = []
            if let approach = options.namingApproach { ports.append((ConfigSchema.namingApproachKey, .string(approach.rawValue))) }
            if let restore = options.restoreConnections { ports.append((ConfigSchema.restoreConnectionsKey, .bool(restore))) }
            if !ports.isEmpty { members.append((ConfigSchema.midi1PortsKey, .object(ports))) }
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
