import Testing
import ServiceCore
import UMP

/// Issue 12: bounds the service keeps whatever clients do — the saved state of endpoints that
/// are gone (item 6), the number of pairs and the uniqueness rules with many pairs (items 2, 5),
/// names at every entry (item 8).
@Suite("service bounds")
struct ServiceBoundsTests {
    static func pair(_ n: Int) throws -> LoopbackPairDefinition {
        let hex = String(n, radix: 16, uppercase: true)
        let guidText = "{" + String(repeating: "0", count: 8 - hex.count) + hex + "-0000-4000-8000-000000000000}"
        return try makePair(guidText, "Bound \(n) A", "b\(n)", "Bound \(n) B", "b\(n)")
    }

    @Test("names of removed endpoints are forgotten beyond the bound; present ones are kept")
    func absentStateIsBounded() throws {
        let store = InMemoryStateStore()
        let (service, _) = makeService(store: store)
        service.maximumAbsentEndpointStates = 8
        try service.setCustomName("Kept diag name", for: .diagnosticsLoopbackA)
        for n in 1...40 {
            let ids = try service.createLoopbackPair(try Self.pair(n), origin: .transient)
            try service.setCustomName("Renamed \(n) " + String(repeating: "x", count: 100), for: ids.a)
            try service.removeLoopbackPair(associationId: try Self.pair(n).associationId, origin: .transient)
        }
        let text = try #require(store.text)
        let entries = text.ranges(of: "customName").count
        #expect(entries <= 8 + 1, "\(entries) names kept for 40 removed endpoints")
        #expect(text.contains("Kept diag name"), "a present endpoint's name was forgotten")
    }

    @Test("the pair limit is enforced and the uniqueness rules hold with thousands of pairs")
    func pairLimitAndIndexes() throws {
        let (service, _) = makeService()
        service.maximumLoopbackPairs = 3000
        for n in 1...3000 { try service.createLoopbackPair(try Self.pair(n), origin: n % 2 == 0 ? .configured : .transient) }
        #expect(throws: LoopbackError.tooManyPairs(limit: 3000)) { try service.createLoopbackPair(try Self.pair(3001), origin: .transient) }
        // Removing pairs frees their ids and names; the order of the rest is kept.
        for n in stride(from: 1, through: 2999, by: 2) {
            try service.removeLoopbackPair(associationId: try Self.pair(n).associationId, origin: .transient)
        }
        #expect(service.loopbackPairs.count == 1500)
        #expect(service.loopbackPairs.first?.definition == (try Self.pair(2)))
        #expect(service.loopbackPairs.last?.definition == (try Self.pair(3000)))
        try service.createLoopbackPair(try Self.pair(1), origin: .transient)
        // Every rule still bites against a pair created long ago.
        let clashName = try makePair("{00000001-1111-4000-8000-000000000000}", "BOUND 2 a", "fresh", "Fresh B", "fresh")
        #expect(throws: LoopbackError.self) { try service.createLoopbackPair(clashName, origin: .transient) }
        let clashId = try makePair("{00000002-1111-4000-8000-000000000000}", "New A", "B2", "New B", "new")
        #expect(throws: LoopbackError.self) { try service.createLoopbackPair(clashId, origin: .transient) }
        #expect(throws: LoopbackError.duplicateAssociationId(try Self.pair(2).associationId)) {
            try service.createLoopbackPair(try makePair(try Self.pair(2).associationId.description, "X A", "x", "X B", "x"), origin: .transient)
        }
        #expect(service.loopbackPair(try Self.pair(1).associationId) != nil)
        #expect(service.loopbackPairs.last?.definition == (try Self.pair(1)))
    }

    @Test("the name rules: bytes, control, format, bidi, zero-width and separators")
    func nameRules() {
        #expect(EndpointText.problem(in: String(repeating: "a", count: 128), field: .name) == nil)
        #expect(EndpointText.problem(in: String(repeating: "a", count: 129), field: .name) != nil)
        #expect(EndpointText.problem(in: "Piano 🎹 Ünïcödé", field: .name) == nil)
        for scalar: Unicode.Scalar in ["\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9B}", "\u{200B}", "\u{200D}", "\u{200E}",
                                       "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}", "\u{2028}", "\u{2029}", "\u{2060}", "\u{FEFF}"] {
            #expect(EndpointText.problem(in: "a\(scalar)b", field: .description) != nil, "U+\(String(scalar.value, radix: 16))")
            #expect(EndpointText.sanitized("a\(scalar)b", field: .name) == "ab")
        }
        #expect(EndpointText.sanitized(String(repeating: "é", count: 100), field: .name).utf8.count == 128)
        #expect(EndpointText.escaped("a\nb\u{1B}\"") == #""a\u{A}b\u{1B}\"""#)
    }
}
