import Testing
@testable import ServiceCore

@Suite("Config file editor")
struct ConfigFileEditorTests {
    static let newGUID = "{6A9F1C52-0D8E-4B1A-9E57-3C2D7B8A1F04}"

    func newPair(groupCount: Int? = nil) throws -> ConfiguredLoopbackPair {
        try pair(Self.newGUID, "Synth Bus A", "synthbus", "Synth Bus B", "SynthBus",
                 descriptionA: "made with --persist", groupCount: groupCount)
    }

    /// Splits `edited` into `original` plus one inserted run, or fails the test.
    func insertion(in edited: [UInt8], original: [UInt8]) -> (offset: Int, text: String)? {
        guard edited.count > original.count else { return nil }
        let prefix = zip(edited, original).prefix { $0 == $1 }.count
        let inserted = edited.count - original.count
        guard Array(edited[..<prefix]) == Array(original[..<prefix]),
              Array(edited[(prefix + inserted)...]) == Array(original[prefix...]) else { return nil }
        return (prefix, String(decoding: edited[prefix..<prefix + inserted], as: UTF8.self))
    }

    @Test func addingToTheSeedKeepsEveryOtherByteAndLoads() throws {
        let original = bytes(seedConfiguration)
        let pair = try newPair()
        let edited = try ConfigFileEditor.addingPair(pair, to: original)

        let inserted = try #require(insertion(in: edited, original: original), "the original must survive byte for byte")
        let expected = """
            ,
                        "\(Self.newGUID)":
                        {
                            "endpointA":
                            {
                                "name": "Synth Bus A",
                                "description": "made with --persist",
                                "uniqueIdentifier": "synthbus"
                            },
                            "endpointB":
                            {
                                "name": "Synth Bus B",
                                "uniqueIdentifier": "SynthBus"
                            }
                        }
            """
        #expect(inserted.text == expected)
        // Right after the closing brace of the last pair.
        #expect(String(decoding: original[..<inserted.offset], as: UTF8.self).hasSuffix("\"OU812\"\n                }\n            }"))

        let before = try ConfigLoader.load(original)
        let after = try ConfigLoader.load(edited)
        #expect(after.problems.isEmpty, "\(after.problems)")
        #expect(after.pairs == before.pairs + [pair])
        #expect(String(decoding: edited, as: UTF8.self).contains("\"_comment\": \"Loopback MIDI\""))
    }

    @Test func removingTheAddedPairRestoresTheOriginalExactly() throws {
        let original = bytes(seedConfiguration)
        let pair = try newPair(groupCount: 2)
        let edited = try ConfigFileEditor.addingPair(pair, to: original)
        #expect(String(decoding: edited, as: UTF8.self).contains("\"groupCount\": 2\n            }"))
        #expect(try ConfigLoader.load(edited).pairs.last?.groupCount.value == 2)
        let restored = try ConfigFileEditor.removingPair(pair.associationId, from: edited)
        #expect(restored == original)
    }

    @Test func addingThenRemovingRestoresOtherShapesToo() throws {
        let shapes = [
            #"{"endpointTransportPluginSettings":{"\#(loopbackTransport)":{"create":{"_comment":"x"}}}}"#,
            configuration(entry("{0C1B3439-593F-4B7A-8950-4698D97B0897}", a: ("A", "a"), b: ("B", "b"))),
            "{\r\n  \"endpointTransportPluginSettings\": {\r\n    \"\(loopbackTransport)\": {\r\n      \"create\": {\r\n        \"_comment\": \"crlf\"\r\n      }\r\n    }\r\n  }\r\n}\r\n",
            "\t{\"endpointTransportPluginSettings\": {\"\(loopbackTransport)\": {\"create\": {\"_comment\": 1}}}}",
            "{\"endpointTransportPluginSettings\": {\"\(loopbackTransport)\": {\"create\": {}}}}",
        ]
        for shape in shapes {
            let original = bytes(shape)
            let edited = try ConfigFileEditor.addingPair(try newPair(), to: original)
            let loaded = try ConfigLoader.load(edited)
            #expect(loaded.problems.isEmpty, "\(shape): \(loaded.problems)")
            #expect(loaded.pairs.last == (try newPair()), "\(shape)")
            #expect(try ConfigFileEditor.removingPair(AssociationId(parsing: Self.newGUID), from: edited) ==
                    original, "\(shape)")
        }
    }

    @Test func crlfFilesGetCRLFLines() throws {
        let original = bytes("{\r\n    \"other\": 1\r\n}\r\n")
        let edited = String(decoding: try ConfigFileEditor.addingPair(try newPair(), to: original), as: UTF8.self)
        let withoutCRLF = edited.replacingAll("\r\n", with: "")
        #expect(!withoutCRLF.contains("\n") && !withoutCRLF.contains("\r"), "every line break is CR LF")
        #expect(try ConfigLoader.load(bytes(edited)).pairs.count == 1)
    }

    @Test func missingFileBecomesANewDocument() throws {
        let edited = try ConfigFileEditor.addingPair(try newPair(groupCount: 8), to: nil)
        let expected = """
            {
                "endpointTransportPluginSettings":
                {
                    "\(loopbackTransport)":
                    {
                        "create":
                        {
                            "\(Self.newGUID)":
                            {
                                "endpointA":
                                {
                                    "name": "Synth Bus A",
                                    "description": "made with --persist",
                                    "uniqueIdentifier": "synthbus"
                                },
                                "endpointB":
                                {
                                    "name": "Synth Bus B",
                                    "uniqueIdentifier": "SynthBus"
                                },
                                "groupCount": 8
                            }
                        }
                    }
                }
            }

            """
        #expect(String(decoding: edited, as: UTF8.self) == expected)
        #expect(try ConfigLoader.load(edited).pairs == [try newPair(groupCount: 8)])
        #expect(try ConfigFileEditor.addingPair(try newPair(groupCount: 8), to: bytes("  \n")) == edited, "a blank file is an empty configuration")
        #expect(try ConfigFileEditor.addingPair(try newPair(groupCount: 8), to: [0xEF, 0xBB, 0xBF]) == [0xEF, 0xBB, 0xBF] + edited)
    }

    @Test func missingSectionsAreCreatedInsideTheExistingFile() throws {
        let files = [
            "{}",
            "{\n    \"_comment\": \"mine\",\n    \"endpointProcessingPluginSettings\": { \"x\": [1, 2] }\n}\n",
            "{ \"endpointTransportPluginSettings\": { \"_comment\": \"t\" } }",
            "{ \"endpointTransportPluginSettings\": { \"\(loopbackTransport)\": {} } }",
            "{ \"endpointTransportPluginSettings\": { \"\(loopbackTransport)\": { \"_comment\": \"no create yet\" } } }",
        ]
        for file in files {
            let original = bytes(file)
            let edited = try ConfigFileEditor.addingPair(try newPair(), to: original)
            let loaded = try ConfigLoader.load(edited)
            #expect(loaded.pairs == [try newPair()], "\(file)")
            #expect(loaded.errors.isEmpty, "\(file): \(loaded.problems)")
            if !file.contains("{}") {
                #expect(insertion(in: edited, original: original) != nil, "\(file): original bytes kept")
            }
        }
        // The untouched section keeps its exact text.
        let edited = String(decoding: try ConfigFileEditor.addingPair(try newPair(), to: bytes(files[1])), as: UTF8.self)
        #expect(edited.hasPrefix("{\n    \"_comment\": \"mine\",\n    \"endpointProcessingPluginSettings\": { \"x\": [1, 2] },\n    \"endpointTransportPluginSettings\":\n    {\n"))
    }

    @Test func unparseableFilesAreNeverRewritten() throws {
        for broken in ["{ \"endpointTransportPluginSettings\": { // mine\n } }", "[1]", "{\"a\": 1,}", "\"endpointTransportPluginSettings\": {}"] {
            let store = InMemoryConfigFileStore(text: broken)
            let error = try #require(throws: ConfigEditError.self) { try store.persist(try newPair()) }
            guard case .unparseable(let syntax) = error else { Issue.record("\(error)"); continue }
            #expect(syntax.line >= 1)
            #expect(error.description.contains("left untouched"))
            #expect(store.text == broken)
            #expect(store.writeCount == 0)
        }
        #expect(throws: ConfigEditError.self) { try ConfigFileEditor.removingPair(AssociationId(parsing: Self.newGUID), from: bytes("{,}")) }
    }

    @Test func clashesWithTheFileAreRefused() throws {
        let original = bytes(seedConfiguration)
        let sameId = try pair("{0c1b3439-593f-4b7a-8950-4698d97b0897}", "New A", "n1", "New B", "n2")
        let sameName = try pair(Self.newGUID, "perm loopback 2b", "n1", "New B", "n2")
        let sameUniqueA = try pair(Self.newGUID, "New A", "5150-1984", "New B", "n2")
        let uniqueAFromB = try pair(Self.newGUID, "New A", "ou812", "New B", "5150-1984")
        for clashing in [sameId, sameName, sameUniqueA] {
            let error = try #require(throws: ConfigEditError.self) { try ConfigFileEditor.addingPair(clashing, to: original) }
            guard case .conflict(let message, let position) = error else { Issue.record("\(error)"); continue }
            #expect(message.contains("already used"))
            #expect(position.line > 1)
        }
        // A and B sides are separate namespaces for unique ids.
        #expect(try ConfigLoader.load(ConfigFileEditor.addingPair(uniqueAFromB, to: original)).pairs.count == 3)
    }

    @Test func sectionThatIsNotAnObjectIsRefused() throws {
        let error = try #require(throws: ConfigEditError.self) {
            try ConfigFileEditor.addingPair(try newPair(), to: bytes("{\"endpointTransportPluginSettings\": [] }"))
        }
        #expect(error == .notAnObject(path: JSONPath(keys: "endpointTransportPluginSettings"), found: "an array",
                                      position: JSONSourcePosition(offset: 36, line: 1, column: 37)))
    }

    @Test func anyNameIsEscapedCorrectlyAndNonASCIIStaysUTF8() throws {
        let name = "Quote \" back\\slash tab\t nl\n del\u{7F} bell\u{07} Ünïcödé 🎹 \u{2028}"
        let description = "quote \" back\\slash é"
        let tricky = try ConfiguredLoopbackPair(
            associationId: AssociationId(parsing: Self.newGUID),
            endpointA: .init(name: "ok", uniqueIdentifier: UniqueIdentifier(validating: "a")),
            endpointB: .init(name: "B side", description: description, uniqueIdentifier: UniqueIdentifier(validating: "b")))
        // Names with control characters are refused by the type itself…
        #expect(throws: ConfiguredLoopbackPair.ValidationError.self) {
            try ConfiguredLoopbackPair.Endpoint(name: name, uniqueIdentifier: UniqueIdentifier(validating: "a"))
        }
        // …so exercise the escaping with a description, and a name with every printable trap.
        let printable = "Quote \" back\\slash / Ünïcödé 🎹"
        let named = try ConfiguredLoopbackPair(
            associationId: AssociationId(parsing: "{0C1B3439-593F-4B7A-8950-4698D97B0897}"),
            endpointA: .init(name: printable, uniqueIdentifier: UniqueIdentifier(validating: "c")),
            endpointB: .init(name: "x", uniqueIdentifier: UniqueIdentifier(validating: "d")))
        let once = try ConfigFileEditor.addingPair(tricky, to: nil)
        let twice = try ConfigFileEditor.addingPair(named, to: once)
        let text = String(decoding: twice, as: UTF8.self)
        #expect(text.contains(#""description": "quote \" back\\slash é""#))
        #expect(text.contains(#""name": "Quote \" back\\slash / Ünïcödé 🎹""#), "non-ASCII is written as UTF-8, not \\u escapes")
        #expect(try ConfigLoader.load(twice).pairs == [tricky, named])
        #expect(JSONText.quoted(name) == #""Quote \" back\\slash tab\t nl\n del\u007f bell\u0007 Ünïcödé 🎹 \#u{2028}""#)
    }

    @Test func removingPairsAnywhereInCreate() throws {
        let guids = ["{0C1B3439-593F-4B7A-8950-4698D97B0897}", "{B21B4973-3F85-48A0-8BA3-B35F44683D36}", Self.newGUID]
        let text = configuration(
            entry(guids[0], a: ("A0", "a0"), b: ("B0", "b0")),
            entry(guids[1], a: ("A1", "a1"), b: ("B1", "b1")),
            entry(guids[2], a: ("A2", "a2"), b: ("B2", "b2")))
        for (index, guidText) in guids.enumerated() {
            let id = try AssociationId(parsing: guidText)
            let edited = try ConfigFileEditor.removingPair(id, from: bytes(text))
            let loaded = try ConfigLoader.load(edited)
            #expect(loaded.problems.isEmpty)
            #expect(loaded.pairs.map(\.endpointA.name) == ["A0", "A1", "A2"].enumerated().filter { $0.offset != index }.map(\.element))
        }
        var remaining = bytes(text)
        for guidText in guids { remaining = try ConfigFileEditor.removingPair(AssociationId(parsing: guidText), from: remaining) }
        #expect(try ConfigLoader.load(remaining) == .empty)
        #expect(String(decoding: remaining, as: UTF8.self).contains("\"create\": {}"))

        let error = try #require(throws: ConfigEditError.self) {
            try ConfigFileEditor.removingPair(AssociationId(parsing: guids[0]), from: remaining)
        }
        #expect(error == .pairNotFound(try AssociationId(parsing: guids[0])))
        #expect(throws: ConfigEditError.self) { try ConfigFileEditor.removingPair(AssociationId(parsing: guids[0]), from: bytes("{}")) }
    }

    @Test func storePersistsAndLoads() throws {
        let store = InMemoryConfigFileStore()
        #expect(try store.loadConfiguration() == .empty)
        try store.persist(try newPair())
        #expect(store.writeCount == 1)
        #expect(try store.loadConfiguration().pairs == [try newPair()])
        let error = try #require(throws: ConfigEditError.self) { try store.persist(try newPair()) }
        guard case .conflict = error else { Issue.record("\(error)"); return }
        #expect(store.writeCount == 1)
        try store.removePersistedPair(try AssociationId(parsing: Self.newGUID))
        #expect(try store.loadConfiguration().pairs.isEmpty)
        #expect(store.writeCount == 2)
        #expect(throws: JSONSyntaxError.self) { try InMemoryConfigFileStore(text: "{").loadConfiguration() }
    }
}

private extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
