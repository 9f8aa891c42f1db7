/// Why a custom MIDI 1.0 port name was refused.
public enum PortNameError: Error, Equatable, CustomStringConvertible {
    case endpointNotFound(EndpointDeviceId)
    /// `group` is 1-based, as users write it.
    case groupOutOfRange(group: Int, groupCount: Int)
    case controlCharacter(String)
    case tooLong(String, bytes: Int)

    public var description: String {
        switch self {
        case .endpointNotFound(let id): return "cannot rename a port: no endpoint \(id)"
        case .groupOutOfRange(let group, let count):
            return "group \(group) is out of range: this endpoint has groups 1 to \(count)"
        case .controlCharacter(let name):
            return "port name \"\(name.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined())\" contains a control character"
        case .tooLong(let name, let bytes):
            return "port name \"\(name)\" is \(bytes) bytes long; ALSA port names are at most \(LegacyPortNames.nameLimit) bytes (UTF-8)"
        }
    }
}

extension MidiService {
    /// Sets (or, with nil or a blank name, clears) the user's name for the MIDI 1.0 port of
    /// group `group` (0-based) of an endpoint. Stored with the endpoint's customization against
    /// its EndpointDeviceId, so it survives restarts; the ALSA bridge applies it at once under
    /// every naming approach. Watchers hear `updated(…, [.customization])`.
    public func setCustomPortName(_ name: String?, group: UInt8, for id: EndpointDeviceId) throws(PortNameError) {
        guard let node = nodesById[id] else { throw .endpointNotFound(id) }
        let count = min(max(node.model.groupCount, 1), 16)
        guard Int(group) < count else { throw .groupOutOfRange(group: Int(group) + 1, groupCount: count) }
        var value: String?
        if let name, !name.isBlank {
            let trimmed = String(name.trimmingWhitespace())
            if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw .controlCharacter(trimmed)
            }
            guard trimmed.utf8.count <= LegacyPortNames.nameLimit else { throw .tooLong(trimmed, bytes: trimmed.utf8.count) }
            value = trimmed
        }
        update(node) { $0.customization.portNames[group] = value }
    }
}
