import Testing
@testable import ServiceCore

@Suite("Config diff")
struct ConfigDiffTests {
    static let g1 = "{0C1B3439-593F-4B7A-8950-4698D97B0897}"
    static let g2 = "{B21B4973-3F85-48A0-8BA3-B35F44683D36}"
    static let g3 = "{6A9F1C52-0D8E-4B1A-9E57-3C2D7B8A1F04}"

    @Test func identicalListsHaveNoDifference() throws {
        let pairs = try load(seedConfiguration).pairs
        let diff = ConfigDiff(old: pairs, new: pairs)
        #expect(diff.isEmpty)
        #expect(diff.pairsToRemove.isEmpty && diff.pairsToCreate.isEmpty)
    }

    @Test func addedRemovedAndChangedByAssociationId() throws {
        let one = try pair(Self.g1, "One A", "1", "One B", "1")
        let two = try pair(Self.g2, "Two A", "2", "Two B", "2")
        let twoRenamed = try pair(Self.g2, "Two A renamed", "2", "Two B", "2")
        let three = try pair(Self.g3, "Three A", "3", "Three B", "3")
        let diff = ConfigDiff(old: [one, two], new: [twoRenamed, three])
        #expect(diff.removed == [one])
        #expect(diff.added == [three])
        #expect(diff.changed == [ConfigDiff.Change(old: two, new: twoRenamed)])
        #expect(diff.pairsToRemove == [one, two], "removals, the old form of changed pairs included, come first")
        #expect(diff.pairsToCreate == [twoRenamed, three])
        #expect(!diff.isEmpty)
    }

    @Test func everyObservableFieldCountsAsAChange() throws {
        let base = try pair(Self.g1, "A", "ida", "B", "idb", descriptionA: "d", groupCount: 4)
        let variants = [
            try pair(Self.g1, "a", "ida", "B", "idb", descriptionA: "d", groupCount: 4),
            try pair(Self.g1, "A", "ida2", "B", "idb", descriptionA: "d", groupCount: 4),
            try pair(Self.g1, "A", "ida", "B", "idb", descriptionA: nil, groupCount: 4),
            try pair(Self.g1, "A", "ida", "B", "idb", descriptionA: "d", descriptionB: "new", groupCount: 4),
            try pair(Self.g1, "A", "ida", "B", "idb", descriptionA: "d", groupCount: 5),
            try pair(Self.g1, "A", "ida", "B2", "idb", descriptionA: "d", groupCount: 4),
        ]
        for variant in variants {
            let diff = ConfigDiff(old: [base], new: [variant])
            #expect(diff.changed.count == 1, "\(variant)")
            #expect(diff.added.isEmpty && diff.removed.isEmpty)
        }
    }

    @Test func spellingThatChangesNothingIsNotAChange() throws {
        // Unique ids compare case-insensitively (the EndpointDeviceId is lower case), and an
        // absent groupCount is the default 16.
        let old = try pair(Self.g1, "A", "OU812", "B", "b")
        let new = try pair(Self.g1, "A", "ou812", "B", "b", groupCount: 16)
        #expect(ConfigDiff(old: [old], new: [new]).isEmpty)
    }

    @Test func editedFileAppliesAsADiff() throws {
        let before = try load(seedConfiguration)
        let withNew = try ConfigFileEditor.addingPair(try pair(Self.g3, "New A", "n", "New B", "n"), to: bytes(seedConfiguration))
        let edited = try ConfigFileEditor.removingPair(AssociationId(parsing: Self.g1), from: withNew)
        let after = try ConfigLoader.load(edited)
        let diff = ConfigDiff(old: before.pairs, new: after.pairs)
        #expect(diff.removed.map(\.associationId.description) == [Self.g1])
        #expect(diff.added.map(\.associationId.description) == [Self.g3])
        #expect(diff.changed.isEmpty)
    }
}
