/// The loopback pairs of a service, in creation order, with the indexes every creation checks:
/// association id, unique identifier per side, endpoint name (case-folded). Each check and
/// each insertion is a hash lookup; removal leaves a hole that is compacted once holes
/// outnumber pairs, so creating or removing n pairs costs O(n), not O(n²).
struct LoopbackRegistry {
    /// Creation order, with `nil` holes where pairs were removed.
    private var slots: [RegisteredLoopbackPair?] = []
    private var position: [AssociationId: Int] = [:]
    /// `uniqueIdentifier.value` (case-folded) → pair, one table per side.
    private var uniqueIdsA: [String: AssociationId] = [:]
    private var uniqueIdsB: [String: AssociationId] = [:]
    /// `MidiService.nameKey(name)` → endpoint, both sides of every pair.
    private var names: [String: EndpointDeviceId] = [:]

    var count: Int { position.count }

    /// Every pair, in creation order.
    var all: [RegisteredLoopbackPair] { slots.compactMap { $0 } }

    func pair(_ id: AssociationId) -> RegisteredLoopbackPair? { position[id].flatMap { slots[$0] } }

    func pair(usingUniqueIdentifier id: UniqueIdentifier, side: LoopbackSide) -> AssociationId? {
        side == .a ? uniqueIdsA[id.value] : uniqueIdsB[id.value]
    }

    func endpoint(named key: String) -> EndpointDeviceId? { names[key] }

    mutating func insert(_ pair: RegisteredLoopbackPair) {
        position[pair.associationId] = slots.count
        slots.append(pair)
        index(pair, adding: true)
    }

    mutating func remove(_ id: AssociationId) {
        guard let at = position.removeValue(forKey: id), let pair = slots[at] else { return }
        slots[at] = nil
        index(pair, adding: false)
        if slots.count > 32 && slots.count > 2 * position.count { compact() }
    }

    /// Sets the mute flag; returns the updated pair, nil when there is none.
    mutating func setMuted(_ id: AssociationId, _ muted: Bool) -> RegisteredLoopbackPair? {
        guard let at = position[id] else { return nil }
        slots[at]?.isMuted = muted
        return slots[at]
    }

    private mutating func index(_ pair: RegisteredLoopbackPair, adding: Bool) {
        let definition = pair.definition
        let a = definition.endpointA.uniqueIdentifier.value
        let b = definition.endpointB.uniqueIdentifier.value
        uniqueIdsA[a] = adding ? pair.associationId : nil
        uniqueIdsB[b] = adding ? pair.associationId : nil
        for side in LoopbackSide.allCases {
            names[MidiService.nameKey(definition.endpoint(side).name)] = adding ? definition.endpointId(side) : nil
        }
    }

    private mutating func compact() {
        slots = slots.compactMap { $0 }.map { Optional($0) }
        position.removeAll(keepingCapacity: true)
        for (at, pair) in slots.enumerated() { if let pair { position[pair.associationId] = at } }
    }
}
