/// Why a customization was refused.
public enum CustomizationError: Error, Equatable, CustomStringConvertible {
    case endpointNotFound(EndpointDeviceId)
    /// The name or description breaks `EndpointText`'s rules; the text says why.
    case invalidText(String)

    public var description: String {
        switch self {
        case .endpointNotFound(let id): return "cannot customize: no endpoint \(id)"
        case .invalidText(let problem): return problem
        }
    }
}

extension MidiService {
    /// Sets (or, with `nil` or a blank name, clears) the user's name for an endpoint. It wins
    /// over the declared and transport names, is stored against the EndpointDeviceId and
    /// survives restarts. Watchers hear `updated(…, [.customization, .name])`.
    public func setCustomName(_ name: String?, for id: EndpointDeviceId) throws(CustomizationError) {
        let value = name.flatMap { $0.isBlank ? nil : String($0.trimmingWhitespace()) }
        if let value, let problem = EndpointText.problem(in: value, field: .name) { throw .invalidText(problem) }
        guard let node = nodesById[id] else { throw .endpointNotFound(id) }
        update(node) { $0.customization.name = value }
    }

    /// Sets (or, with `nil`, clears) the user's description for an endpoint.
    public func setCustomDescription(_ description: String?, for id: EndpointDeviceId) throws(CustomizationError) {
        if let description, let problem = EndpointText.problem(in: description, field: .description) {
            throw .invalidText(problem)
        }
        guard let node = nodesById[id] else { throw .endpointNotFound(id) }
        update(node) { $0.customization.description = description }
    }

    /// Forgets every piece of in-protocol metadata captured for an endpoint (the declared name,
    /// function blocks…), so its display name falls back to the custom or transport name.
    public func clearDeclaredInfo(for id: EndpointDeviceId) throws(CustomizationError) {
        guard let node = nodesById[id] else { throw .endpointNotFound(id) }
        node.streamText = StreamTextAssembler()
        update(node) { $0.declared = DeclaredEndpointState() }
    }
}
