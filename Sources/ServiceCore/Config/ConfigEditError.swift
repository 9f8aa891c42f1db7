/// Why the configuration file was not edited. In every case the file is left as it was.
public enum ConfigEditError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file does not parse (or is not a JSON object); it is never rewritten.
    case unparseable(JSONSyntaxError)
    /// A section the pair must go into exists but is not an object.
    case notAnObject(path: JSONPath, found: String, position: JSONSourcePosition)
    /// The pair clashes with an entry already in the file (association id, unique identifier
    /// or name); `position` is where the existing value is written.
    case conflict(message: String, position: JSONSourcePosition)
    /// No entry with this association id under the loopback transport's `create`.
    case pairNotFound(AssociationId)

    public var description: String {
        switch self {
        case .unparseable(let error):
            return "the configuration file does not parse (\(error)); it is left untouched until it is fixed"
        case .notAnObject(let path, let found, let position):
            return "\(path) (\(position)) must be an object to hold loopback pairs; found \(found); the file is left untouched"
        case .conflict(let message, _):
            return "cannot persist the pair: \(message)"
        case .pairNotFound(let id):
            return "the configuration file has no loopback pair \(id)"
        }
    }
}
