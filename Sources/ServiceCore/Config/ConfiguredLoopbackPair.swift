import MIDIRules

/// A loopback pair as the configuration file declares it (docs/design.md §3–4). Values of this type
/// are always valid on their own: names are non-blank with no control characters, the unique
/// identifiers follow the config rules, the two names differ and the group count is 1–16.
/// Rules that involve other pairs (unique ids, names, association ids) are checked by the
/// loader and the file editor.
public struct ConfiguredLoopbackPair: Hashable, Sendable, CustomStringConvertible {
    public let associationId: AssociationId
    public let endpointA: Endpoint
    public let endpointB: Endpoint
    /// `groupCount` as written in the file; nil when the file leaves it out.
    public let groupCountSetting: GroupCount?

    /// The number of UMP groups (ALSA ports) the pair has.
    public var groupCount: GroupCount { groupCountSetting ?? .default }

    public init(associationId: AssociationId, endpointA: Endpoint, endpointB: Endpoint,
                groupCount: GroupCount? = nil) throws(ValidationError) {
        guard Self.comparableName(endpointA.name) != Self.comparableName(endpointB.name) else {
            throw .sameNameOnBothSides(endpointA.name)
        }
        self.associationId = associationId
        self.endpointA = endpointA
        self.endpointB = endpointB
        self.groupCountSetting = groupCount
    }

    public func endpoint(_ side: LoopbackSide) -> Endpoint { side == .a ? endpointA : endpointB }

    public func endpointDeviceId(_ side: LoopbackSide) -> EndpointDeviceId {
        .loopback(side: side, uniqueIdentifier: endpoint(side).uniqueIdentifier)
    }

    /// True when applying `other` instead of `self` would change nothing a user can observe:
    /// same association id, names, descriptions, unique ids (case-insensitively, as the
    /// EndpointDeviceId is) and effective group count. How the file spells them does not matter.
    public func isEquivalent(to other: ConfiguredLoopbackPair) -> Bool {
        associationId == other.associationId
            && endpointA.isEquivalent(to: other.endpointA)
            && endpointB.isEquivalent(to: other.endpointB)
            && groupCount == other.groupCount
    }

    public var description: String {
        "\(associationId) A: \"\(endpointA.name)\" (\(endpointA.uniqueIdentifier)) B: \"\(endpointB.name)\" (\(endpointB.uniqueIdentifier))"
    }

    /// How names are compared for uniqueness: case-insensitively, ignoring surrounding blanks
    /// (they become ALSA client names, which users type).
    static func comparableName(_ name: String) -> String { EndpointNameRules.comparable(name) }

    /// One side of a pair.
    public struct Endpoint: Hashable, Sendable {
        /// The transport-supplied name; becomes the ALSA client name.
        public let name: String
        public let description: String?
        public let uniqueIdentifier: UniqueIdentifier
        /// `umpOnly` and `midi1Ports` as written; unset ones take the global defaults.
        public let legacyPorts: LegacyPortOptions

        public init(name: String, description: String? = nil,
                    uniqueIdentifier: UniqueIdentifier, legacyPorts: LegacyPortOptions = .init()) throws(ValidationError) {
            try Self.validate(name: name)
            if let description { try Self.validate(description: description) }
            self.name = name
            self.description = description
            self.uniqueIdentifier = uniqueIdentifier
            self.legacyPorts = legacyPorts
        }

        /// Names are required and visible everywhere: not blank, and within `EndpointText`'s
        /// rules (bounded; no control, bidi or zero-width characters — a NUL or line break
        /// would corrupt listings, logs and ALSA client names).
        public static func validate(name: String) throws(ValidationError) {
            guard !EndpointNameRules.isBlank(name) else { throw .blankName }
            if let problem = EndpointText.problem(in: name, field: .name) { throw .invalidText(problem) }
        }

        /// Descriptions are optional, under the same rules with a larger bound.
        public static func validate(description: String) throws(ValidationError) {
            if let problem = EndpointText.problem(in: description, field: .description) { throw .invalidText(problem) }
        }

        public func isEquivalent(to other: Endpoint) -> Bool {
            name == other.name && description == other.description
                && uniqueIdentifier.value == other.uniqueIdentifier.value && legacyPorts == other.legacyPorts
        }
    }

    /// UMP groups of a pair, 1–16 (ALSA ports 1…n, plus port 0 for all groups).
    public struct GroupCount: Hashable, Sendable, Comparable, CustomStringConvertible {
        public static let allowed: ClosedRange<Int> = LoopbackPairRules.groupCountRange
        public static let `default` = GroupCount(uncheckedValue: LoopbackPairRules.defaultGroupCount)

        public let value: Int

        public init(_ value: Int) throws(ValidationError) {
            guard Self.allowed.contains(value) else { throw .groupCountOutOfRange(value) }
            self.value = value
        }

        private init(uncheckedValue: Int) { value = uncheckedValue }

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
        public var description: String { String(value) }
    }

    public enum ValidationError: Error, Hashable, Sendable, CustomStringConvertible {
        case blankName
        /// A name or description breaking `EndpointText`'s rules; the text says which and why.
        case invalidText(String)
        case sameNameOnBothSides(String)
        case groupCountOutOfRange(Int)

        public var description: String {
            switch self {
            case .blankName:
                return "name is required and must not be blank"
            case .invalidText(let problem):
                return problem
            case .sameNameOnBothSides(let name):
                return "endpointA and endpointB are both named \(JSONText.quoted(name)); endpoint names must be unique across all loopback endpoints (compared case-insensitively)"
            case .groupCountOutOfRange(let value):
                return "groupCount \(value) is out of range; it must be a whole number from \(GroupCount.allowed.lowerBound) to \(GroupCount.allowed.upperBound)"
            }
        }
    }
}
