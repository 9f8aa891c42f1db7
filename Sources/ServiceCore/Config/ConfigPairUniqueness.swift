/// The cross-pair rules of docs/design.md §3 that the file alone can decide: unique identifiers are
/// unique among A sides and among B sides (so one pair may use the same id on both of its
/// sides, and an id on one pair's A side may reappear on another pair's B side), and endpoint
/// names are unique across every loopback endpoint; both compared case-insensitively.
/// Pairs are admitted in file order, so the later of two clashing entries is the one refused.
struct ConfigPairUniqueness {
    /// An endpoint already admitted, and where its clashing value was written.
    struct Holder: Hashable, Sendable {
        let associationId: AssociationId
        let side: LoopbackSide
        let position: JSONSourcePosition
    }

    enum Clash: Hashable, Sendable {
        case uniqueIdentifier(side: LoopbackSide, UniqueIdentifier, holder: Holder)
        case name(side: LoopbackSide, String, holder: Holder)

        var side: LoopbackSide {
            switch self {
            case .uniqueIdentifier(let side, _, _), .name(let side, _, _): return side
            }
        }

        var holder: Holder {
            switch self {
            case .uniqueIdentifier(_, _, let holder), .name(_, _, let holder): return holder
            }
        }

        /// The key of the clashing value inside the endpoint object.
        var key: String {
            switch self {
            case .uniqueIdentifier: return ConfigSchema.uniqueIdentifierKey
            case .name: return ConfigSchema.nameKey
            }
        }

        var message: String {
            let owner = "\(ConfigSchema.endpointKey(holder.side)) of pair \(holder.associationId) (\(holder.position))"
            switch self {
            case .uniqueIdentifier(let side, let id, _):
                let sides = side == .a ? "A sides" : "B sides"
                return "unique identifier \(JSONText.quoted(id.original)) is already used by \(owner); unique identifiers must be unique among all \(sides) (compared case-insensitively)"
            case .name(_, let name, _):
                return "name \(JSONText.quoted(name)) is already used by \(owner); endpoint names must be unique across all loopback endpoints (compared case-insensitively)"
            }
        }
    }

    /// Positions of a pair's clash-relevant values: name and unique identifier, per side.
    struct Positions: Hashable, Sendable {
        var name: [LoopbackSide: JSONSourcePosition]
        var uniqueIdentifier: [LoopbackSide: JSONSourcePosition]

        /// Every value of the pair at one place (a pair that has no source text yet).
        static func all(at position: JSONSourcePosition) -> Positions {
            Positions(name: [.a: position, .b: position], uniqueIdentifier: [.a: position, .b: position])
        }
    }

    private var uniqueIdentifiers: [LoopbackSide: [String: Holder]] = [.a: [:], .b: [:]]
    private var names: [String: Holder] = [:]

    func clashes(of pair: ConfiguredLoopbackPair) -> [Clash] {
        var found: [Clash] = []
        for side in LoopbackSide.allCases {
            let endpoint = pair.endpoint(side)
            if let holder = uniqueIdentifiers[side]?[endpoint.uniqueIdentifier.value] {
                found.append(.uniqueIdentifier(side: side, endpoint.uniqueIdentifier, holder: holder))
            }
            if let holder = names[ConfiguredLoopbackPair.comparableName(endpoint.name)] {
                found.append(.name(side: side, endpoint.name, holder: holder))
            }
        }
        return found
    }

    /// Records an admitted pair (call only when `clashes(of:)` is empty).
    mutating func insert(_ pair: ConfiguredLoopbackPair, positions: Positions) {
        for side in LoopbackSide.allCases {
            let endpoint = pair.endpoint(side)
            let fallback = positions.name[side] ?? .start
            uniqueIdentifiers[side, default: [:]][endpoint.uniqueIdentifier.value] =
                Holder(associationId: pair.associationId, side: side, position: positions.uniqueIdentifier[side] ?? fallback)
            names[ConfiguredLoopbackPair.comparableName(endpoint.name)] =
                Holder(associationId: pair.associationId, side: side, position: fallback)
        }
    }
}
