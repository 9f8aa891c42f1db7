/// What changed between two loads of the configuration file, so the daemon can apply an edited
/// file live: tear down `pairsToRemove`, then create `pairsToCreate`. Pairs are matched by
/// association id; a pair whose contents changed in any way a user can observe is replaced
/// (removed, then added again), because its names and ids are baked into its endpoints and
/// ALSA clients. Removing first lets an edit move a name or unique id from one pair to another.
public struct ConfigDiff: Hashable, Sendable {
    public struct Change: Hashable, Sendable {
        public let old: ConfiguredLoopbackPair
        public let new: ConfiguredLoopbackPair
    }

    /// In the new file's order.
    public let added: [ConfiguredLoopbackPair]
    /// In the old file's order.
    public let removed: [ConfiguredLoopbackPair]
    /// In the new file's order.
    public let changed: [Change]

    public init(old: [ConfiguredLoopbackPair], new: [ConfiguredLoopbackPair]) {
        var oldById: [AssociationId: ConfiguredLoopbackPair] = [:]
        for pair in old where oldById[pair.associationId] == nil { oldById[pair.associationId] = pair }
        let newIds = Set(new.map(\.associationId))

        var added: [ConfiguredLoopbackPair] = []
        var changed: [Change] = []
        for pair in new {
            if let previous = oldById[pair.associationId] {
                if !previous.isEquivalent(to: pair) { changed.append(Change(old: previous, new: pair)) }
            } else {
                added.append(pair)
            }
        }
        self.added = added
        self.changed = changed
        self.removed = old.filter { !newIds.contains($0.associationId) }
    }

    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty }

    /// Everything to tear down, first: removed pairs and the old form of changed ones.
    public var pairsToRemove: [ConfiguredLoopbackPair] { removed + changed.map(\.old) }

    /// Everything to create, after the removals: the new form of changed pairs and added ones.
    public var pairsToCreate: [ConfiguredLoopbackPair] { changed.map(\.new) + added }
}
