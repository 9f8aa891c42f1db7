/// Why a loopback operation was refused. Every case says what failed and with which value;
/// a refused creation leaves the registry exactly as it was.
public enum LoopbackError: Error, Equatable, CustomStringConvertible {
    /// The side's name is empty or only whitespace.
    case blankName(side: LoopbackSide)
    /// `groupCount` outside 1…16.
    case groupCountOutOfRange(Int)
    /// A and B of the new pair have the same name (compared case-insensitively).
    case sameNameOnBothSides(String)
    /// The name is already used by a loopback endpoint (compared case-insensitively).
    case duplicateEndpointName(String, side: LoopbackSide, existing: EndpointDeviceId)
    /// The unique identifier is already used on the same side of another pair.
    case duplicateUniqueIdentifier(UniqueIdentifier, side: LoopbackSide, existingPair: AssociationId)
    /// A pair with this association id exists.
    case duplicateAssociationId(AssociationId)
    /// No pair has this association id.
    case pairNotFound(AssociationId)
    /// The pair comes from the config file; the API may not remove it.
    case configuredPairNotRemovable(AssociationId)
    /// A configuration reload asked to remove a pair that was created through the API.
    case notAConfiguredPair(AssociationId)
    /// The service already has `MidiService.maximumLoopbackPairs` pairs.
    case tooManyPairs(limit: Int)

    public var description: String {
        switch self {
        case .blankName(let side):
            return "endpoint \(side.rawValue) needs a name: it is empty or blank"
        case .groupCountOutOfRange(let count):
            return "group count \(count) is out of range: a loopback pair has 1 to 16 groups"
        case .sameNameOnBothSides(let name):
            return "endpoints A and B are both named \"\(name)\"; loopback endpoint names must be unique (case-insensitive)"
        case .duplicateEndpointName(let name, let side, let existing):
            return "endpoint \(side.rawValue) name \"\(name)\" is already used by loopback endpoint \(existing) (names are compared case-insensitively)"
        case .duplicateUniqueIdentifier(let id, let side, let pair):
            return "unique identifier \"\(id.original)\" is already used by the \(side.rawValue) side of loopback pair \(pair) (compared case-insensitively; A sides and B sides are checked separately)"
        case .duplicateAssociationId(let id):
            return "a loopback pair with association id \(id) already exists"
        case .pairNotFound(let id):
            return "no loopback pair has association id \(id)"
        case .configuredPairNotRemovable(let id):
            return "loopback pair \(id) comes from the configuration file and cannot be removed through the API; remove it from the configuration file instead"
        case .notAConfiguredPair(let id):
            return "loopback pair \(id) was created through the API, not by the configuration file"
        case .tooManyPairs(let limit):
            return "the service already has \(limit) loopback pairs, the most it keeps; remove one first"
        }
    }
}
