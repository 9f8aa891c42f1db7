/// Why user input did not name exactly one endpoint.
public enum EndpointResolutionError: Error, Equatable, CustomStringConvertible {
    case empty
    case notFound(String)
    case ambiguous(String, candidates: [EndpointDeviceId])

    public var description: String {
        switch self {
        case .empty:
            return "no endpoint given"
        case .notFound(let text):
            return "no endpoint matches \"\(text)\" (give a full EndpointDeviceId, a short form such as loop_a_<id> or diag_loopback_a, or an endpoint name)"
        case .ambiguous(let text, let candidates):
            return "\"\(text)\" names \(candidates.count) endpoints; use one of their ids instead: "
                + candidates.map(\.rawValue).joined(separator: ", ")
        }
    }
}

extension MidiService {
    /// Resolves what a user typed to an endpoint present now (docs/design.md §2 "Short forms"):
    /// a full EndpointDeviceId (any case), a short form (`loop_a_default`, `midiu_diag_ping`,
    /// `diag_loopback_a`), or a name compared case-insensitively — first display names, then,
    /// if no display name matches, transport-supplied names. A name shared by several
    /// endpoints is `ambiguous`, listing them.
    public func resolveEndpoint(_ text: String) throws(EndpointResolutionError) -> EndpointDeviceId {
        let trimmed = String(text.trimmingWhitespace())
        guard !trimmed.isEmpty else { throw .empty }
        if let id = EndpointDeviceId(parsing: trimmed), nodesById[id] != nil { return id }
        let key = trimmed.lowercased()
        for name in [\MidiEndpoint.displayName, \MidiEndpoint.transportSupplied.name] {
            let matches = orderedNodes.filter { $0.model[keyPath: name].lowercased() == key }.map(\.model.id)
            if matches.count == 1 { return matches[0] }
            if matches.count > 1 { throw .ambiguous(trimmed, candidates: matches) }
        }
        throw .notFound(trimmed)
    }
}
