import Testing
import ServiceCore
import UMP

@Suite("Loopback pair creation and validation")
struct LoopbackCreationTests {
    @Test("both seed-000 pairs get Windows-shaped ids")
    func seedPairs() throws {
        let (service, _) = makeService()
        let one = try service.createLoopbackPair(try seedPair1(), origin: .configured)
        let two = try service.createLoopbackPair(try seedPair2(), origin: .configured)
        #expect(one.a.rawValue == #"\\?\swd#midisrv#midiu_loop_a_3263827#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(one.b.rawValue == #"\\?\swd#midisrv#midiu_loop_b_3263827#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(two.a.rawValue == #"\\?\swd#midisrv#midiu_loop_a_5150-1984#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(two.b.rawValue == #"\\?\swd#midisrv#midiu_loop_b_ou812#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)

        let a = try #require(service.endpoint(one.a))
        #expect(a.transport == .loopback)
        #expect(a.deviceInstanceId == .loopbackTransport)
        #expect(a.displayName == "Perm Loopback 1A")
        #expect(a.transportSupplied.description == "A side")
        #expect(a.groupCount == 16)
        #expect(a.loopbackSide == .a)
        #expect(a.loopbackAssociationId == (try seedPair1()).associationId)
        #expect(!a.isDiagnostic)
        #expect(a.groupTerminalBlocks == [GroupTerminalBlock(number: 1, name: "Perm Loopback 1A",
                                                             direction: .bidirectional, firstGroup: 0, groupCount: 16)])

        #expect(service.loopbackPairs.map(\.associationId) == [try seedPair1().associationId, try seedPair2().associationId])
        #expect(service.loopbackPairs.allSatisfy { $0.origin == .configured && !$0.isMuted })
        // The default listing shows exactly the four loopback endpoints, in creation order.
        #expect(service.endpoints().map(\.id) == [one.a, one.b, two.a, two.b])
    }

    @Test("the pair's group count is the endpoints' group count")
    func groupCount() throws {
        let (service, _) = makeService()
        let ids = try service.createLoopbackPair(
            try makePair("7af38a08-0f4b-43ad-b218-1757496f0034", "G A", "g", "G B", "g", groupCount: 4), origin: .transient)
        #expect(service.endpoint(ids.a)?.groupCount == 4)
        #expect(service.endpoint(ids.b)?.groupTerminalBlocks.first?.groupCount == 4)
        #expect(service.loopbackPairs.first?.groupCount == 4)
    }

    /// Creates `bad` on top of the seed pairs and checks it is refused with `expected`, leaving
    /// the registry and the watchers untouched.
    func expectRefused(_ bad: LoopbackPairDefinition, _ expected: LoopbackError,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (service, _) = makeService()
        try service.createLoopbackPair(try seedPair1(), origin: .configured)
        try service.createLoopbackPair(try seedPair2(), origin: .transient)
        let before = RegistrySnapshot(service)
        let log = EventLog(service)
        #expect(throws: expected, sourceLocation: sourceLocation) {
            try service.createLoopbackPair(bad, origin: .transient)
        }
        #expect(RegistrySnapshot(service) == before, sourceLocation: sourceLocation)
        #expect(log.events.isEmpty, sourceLocation: sourceLocation)
        #expect(!expected.description.isEmpty)
    }

    @Test("a unique id already used on an A side is refused for a new A side")
    func duplicateUniqueIdASide() throws {
        // Same id as pair 1's A, different case: compared case-insensitively.
        try expectRefused(try makePair("11111111-1111-4111-8111-111111111111", "New A", "5150-1984", "New B", "fresh"),
                          .duplicateUniqueIdentifier(try uid("5150-1984"), side: .a,
                                                     existingPair: try seedPair2().associationId))
    }

    @Test("a unique id already used on a B side is refused for a new B side, case-insensitively")
    func duplicateUniqueIdBSide() throws {
        try expectRefused(try makePair("11111111-1111-4111-8111-111111111111", "New A", "fresh", "New B", "ou812"),
                          .duplicateUniqueIdentifier(try uid("ou812"), side: .b,
                                                     existingPair: try seedPair2().associationId))
    }

    @Test("an id used on a B side may be used on an A side, and one pair may use one id on both sides")
    func sidesAreSeparateNamespaces() throws {
        let (service, _) = makeService()
        try service.createLoopbackPair(try seedPair2(), origin: .configured)      // B side uses OU812
        let ids = try service.createLoopbackPair(
            try makePair("11111111-1111-4111-8111-111111111111", "New A", "OU812", "New B", "fresh"), origin: .transient)
        #expect(ids.a.instance == "loop_a_ou812")
        #expect(ids.b.instance == "loop_b_fresh")
        let same = try service.createLoopbackPair(
            try makePair("22222222-2222-4222-8222-222222222222", "Same A", "Same-Id", "Same B", "same-id"), origin: .transient)
        #expect(same.a.instance == "loop_a_same-id")
        #expect(same.b.instance == "loop_b_same-id")
        #expect(service.loopbackPairs.count == 3)
    }

    @Test("unique ids of 33 characters, or with other characters, never reach the service")
    func uniqueIdRules() throws {
        let thirtyThree = String(repeating: "a", count: 33)
        #expect(throws: UniqueIdentifier.ValidationError.tooLong(thirtyThree, length: 33)) {
            try UniqueIdentifier(validating: thirtyThree)
        }
        #expect(throws: UniqueIdentifier.ValidationError.tooLong(thirtyThree, length: 33)) {
            try UniqueIdentifier(stripping: thirtyThree + "!")
        }
        #expect(try UniqueIdentifier(stripping: "abc 123!").value == "abc123")
        #expect(throws: UniqueIdentifier.ValidationError.self) { try UniqueIdentifier(validating: "abc 123") }
        #expect(try UniqueIdentifier(validating: String(repeating: "b", count: 32)).value.count == 32)
    }

    @Test("the empty association GUID cannot be expressed")
    func emptyAssociationId() {
        #expect(throws: AssociationId.ParseError.empty) {
            try AssociationId(parsing: "{00000000-0000-0000-0000-000000000000}")
        }
        #expect(throws: AssociationId.ParseError.self) { try AssociationId(parsing: "not-a-guid") }
    }

    @Test("missing and blank names are refused", arguments: [
        ("", "B", LoopbackSide.a), ("   ", "B", .a), ("A", "", .b), ("A", " \t", .b),
    ])
    func blankNames(nameA: String, nameB: String, side: LoopbackSide) throws {
        try expectRefused(try makePair("11111111-1111-4111-8111-111111111111", nameA, "x1", nameB, "x2"),
                          .blankName(side: side))
    }

    @Test("names already used by a loopback endpoint are refused, case-insensitively")
    func duplicateNames() throws {
        try expectRefused(try makePair("11111111-1111-4111-8111-111111111111", "perm loopback 1a", "x1", "Other", "x2"),
                          .duplicateEndpointName("perm loopback 1a", side: .a, existing: try seedPair1().endpointId(.a)))
        try expectRefused(try makePair("11111111-1111-4111-8111-111111111111", "Other", "x1", "PERM LOOPBACK 2A", "x2"),
                          .duplicateEndpointName("PERM LOOPBACK 2A", side: .b, existing: try seedPair2().endpointId(.a)))
    }

    @Test("A and B of one pair may not share a name")
    func sameNameWithinPair() throws {
        try expectRefused(try makePair("11111111-1111-4111-8111-111111111111", "Twin", "x1", "twin", "x2"),
                          .sameNameOnBothSides("twin"))
    }

    @Test("an association id already in use is refused")
    func duplicateAssociation() throws {
        try expectRefused(try makePair("{0c1b3439-593f-4b7a-8950-4698d97b0897}", "Other A", "x1", "Other B", "x2"),
                          .duplicateAssociationId(try seedPair1().associationId))
    }

    @Test("group counts outside 1…16 are refused", arguments: [0, 17, -1])
    func groupCountRange(count: Int) throws {
        try expectRefused(try makePair("11111111-1111-4111-8111-111111111111", "Other A", "x1", "Other B", "x2",
                                   groupCount: count),
                          .groupCountOutOfRange(count))
    }

    @Test("creation announces both endpoints to watchers")
    func creationEvents() throws {
        let (service, _) = makeService()
        let log = EventLog(service)
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        #expect(log.events.map(\.endpointId) == [ids.a, ids.b])
        guard case .added(let endpoint) = log.events.first else { Issue.record("expected added"); return }
        #expect(endpoint.displayName == "Perm Loopback 1A")
    }
}
