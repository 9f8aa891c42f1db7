import MIDIRules

/// The loopback transport (LOOP, `{942BF02D-93C0-4EA8-B03E-D51156CA75E1}`, seeds 000–002):
/// pairs of cross-wired endpoints A ⇄ B.
extension MidiService {
    /// Every pair, in creation order.
    public var loopbackPairs: [RegisteredLoopbackPair] { loopbacks.all }

    public func loopbackPair(_ associationId: AssociationId) -> RegisteredLoopbackPair? {
        loopbacks.pair(associationId)
    }

    /// Creates a pair after checking it against docs/design.md §3: non-blank names, 1…16 groups, a
    /// new association id, unique ids unused on the same side of any other pair (A sides and B
    /// sides are separate namespaces, so one pair may use one id on both sides), and names unused
    /// by any loopback endpoint, A and B of this pair included. Names and ids are compared
    /// case-insensitively. On failure nothing is created.
    @discardableResult
    public func createLoopbackPair(_ definition: LoopbackPairDefinition, origin: LoopbackOrigin)
        throws(LoopbackError) -> (a: EndpointDeviceId, b: EndpointDeviceId) {
        try validate(definition)
        let a = EndpointNode(model: loopbackEndpoint(definition, side: .a), role: .loopback)
        let b = EndpointNode(model: loopbackEndpoint(definition, side: .b), role: .loopback)
        a.peer = b
        b.peer = a
        // A configured pair muted before (a restart, a re-creation from the file) stays muted.
        let muted = origin == .configured && wasMuted(definition)
        a.model.isMuted = muted
        b.model.isMuted = muted
        loopbacks.insert(RegisteredLoopbackPair(definition: definition, origin: origin, isMuted: muted))
        register(a)
        register(b)
        return (a.model.id, b.model.id)
    }

    /// Removes a pair and closes every connection on it. Through the API (`origin: .transient`)
    /// only transient pairs may be removed; a configured pair answers
    /// `configuredPairNotRemovable`. The daemon removes configured pairs with
    /// `origin: .configured` when they leave the config file.
    public func removeLoopbackPair(associationId: AssociationId, origin: LoopbackOrigin) throws(LoopbackError) {
        guard let pair = loopbacks.pair(associationId) else {
            throw .pairNotFound(associationId)
        }
        switch (origin, pair.origin) {
        case (.transient, .configured): throw .configuredPairNotRemovable(associationId)
        case (.configured, .transient): throw .notAConfiguredPair(associationId)
        default: break
        }
        loopbacks.remove(associationId)
        for id in [pair.endpointIdA, pair.endpointIdB] {
            if let node = nodesById[id] { unregister(node) }
        }
    }

    /// Mutes or unmutes a pair (both directions). While muted, messages sent on either side are
    /// dropped — including scheduled ones falling due — and senders are told they were sent.
    /// A configured pair's mute is stored with the service's state and kept across restarts.
    public func setMuted(associationId: AssociationId, _ muted: Bool) throws(LoopbackError) {
        guard let pair = loopbacks.setMuted(associationId, muted) else {
            throw .pairNotFound(associationId)
        }
        for id in [pair.endpointIdA, pair.endpointIdB] {
            if let node = nodesById[id] { update(node) { $0.isMuted = muted } }
        }
        if pair.origin == .configured { recordMuted(muted, pair: pair) }
    }

    /// Makes the configured pairs match `definitions` (the config file after a load or an
    /// edit): configured pairs no longer listed, or listed with a different definition, are
    /// removed; listed pairs not present are created. Transient pairs are left alone. A pair
    /// that fails validation is reported and the others are still applied.
    ///
    /// `shouldStop` is asked every 64 pairs: when it answers true (the daemon got SIGTERM in
    /// the middle of applying thousands of pairs), the rest is left undone and
    /// `result.interrupted` is set.
    @discardableResult
    public func reconcileConfiguredPairs(_ definitions: [LoopbackPairDefinition],
                                         shouldStop: () -> Bool = { false }) -> ConfiguredPairsReconciliation {
        var result = ConfiguredPairsReconciliation()
        var steps = 0
        func stopping() -> Bool {
            steps += 1
            if steps % 64 == 0 && shouldStop() { result.interrupted = true }
            return result.interrupted
        }
        let wanted = Dictionary(definitions.map { ($0.associationId, $0) }, uniquingKeysWith: { first, _ in first })
        for pair in loopbacks.all where pair.origin == .configured && wanted[pair.associationId] != pair.definition {
            if stopping() { return result }
            do {
                try removeLoopbackPair(associationId: pair.associationId, origin: .configured)
                result.removed.append(pair.associationId)
            } catch {
                result.failures.append((pair.associationId, error))
            }
        }
        for definition in definitions where loopbackPair(definition.associationId)?.definition != definition {
            if stopping() { return result }
            do {
                try createLoopbackPair(definition, origin: .configured)
                result.added.append(definition.associationId)
            } catch {
                result.failures.append((definition.associationId, error))
            }
        }
        return result
    }

    // MARK: Internals

    func validate(_ definition: LoopbackPairDefinition) throws(LoopbackError) {
        guard loopbacks.count < maximumLoopbackPairs else { throw .tooManyPairs(limit: maximumLoopbackPairs) }
        if loopbacks.pair(definition.associationId) != nil {
            throw .duplicateAssociationId(definition.associationId)
        }
        for side in LoopbackSide.allCases where EndpointNameRules.isBlank(definition.endpoint(side).name) {
            throw .blankName(side: side)
        }
        guard LoopbackPairDefinition.groupCountRange.contains(definition.groupCount) else {
            throw .groupCountOutOfRange(definition.groupCount)
        }
        for side in LoopbackSide.allCases {
            let id = definition.endpoint(side).uniqueIdentifier
            if let other = loopbacks.pair(usingUniqueIdentifier: id, side: side) {
                throw .duplicateUniqueIdentifier(id, side: side, existingPair: other)
            }
        }
        if Self.nameKey(definition.endpointA.name) == Self.nameKey(definition.endpointB.name) {
            throw .sameNameOnBothSides(definition.endpointB.name)
        }
        for side in LoopbackSide.allCases {
            let name = definition.endpoint(side).name
            if let existing = loopbacks.endpoint(named: Self.nameKey(name)) {
                throw .duplicateEndpointName(name, side: side, existing: existing)
            }
        }
    }

    /// How loopback names are compared: case-insensitively, ignoring surrounding whitespace
    /// (they become ALSA client names, which users type).
    static func nameKey(_ name: String) -> String { EndpointNameRules.comparable(name) }

    func loopbackEndpoint(_ definition: LoopbackPairDefinition, side: LoopbackSide) -> MidiEndpoint {
        let endpoint = definition.endpoint(side)
        return MidiEndpoint(
            id: definition.endpointId(side), transport: .loopback, deviceInstanceId: .loopbackTransport,
            transportSupplied: TransportSuppliedInfo(name: endpoint.name, description: endpoint.description,
                                                     serialNumber: endpoint.uniqueIdentifier.original),
            groupTerminalBlocks: [GroupTerminalBlock(number: 1, name: endpoint.name, direction: .bidirectional,
                                                     firstGroup: 0, groupCount: UInt8(definition.groupCount))],
            groupCount: definition.groupCount, loopbackAssociationId: definition.associationId,
            loopbackSide: side, isMuted: false, legacyPorts: endpoint.legacyPorts)
    }
}

/// What `reconcileConfiguredPairs` did.
public struct ConfiguredPairsReconciliation: Sendable {
    public var added: [AssociationId] = []
    public var removed: [AssociationId] = []
    /// Pairs that could not be created (or removed), with why.
    public var failures: [(associationId: AssociationId, error: LoopbackError)] = []
    /// `shouldStop` ended the reconciliation before every pair was applied.
    public var interrupted = false
}
