import Testing
@testable import ServiceCore

@Suite("Config loader")
struct ConfigLoaderTests {
    static let pair1 = "{0C1B3439-593F-4B7A-8950-4698D97B0897}"
    static let pair2 = "{B21B4973-3F85-48A0-8BA3-B35F44683D36}"
    static let pair3 = "{6A9F1C52-0D8E-4B1A-9E57-3C2D7B8A1F04}"

    func errors(_ result: ConfigLoadResult, at path: String) -> [ConfigProblem] {
        result.errors.filter { $0.path.description == path }
    }

    @Test func seedExampleLoadsBothPairs() throws {
        let result = try load(seedConfiguration)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.pairs.count == 2)
        let first = try #require(result.pairs.first)
        #expect(first.associationId == (try AssociationId(parsing: Self.pair1)))
        #expect(first.endpointA.name == "Perm Loopback 1A")
        #expect(first.endpointA.description == "This is a loopback I created in the configuration file")
        #expect(first.endpointA.uniqueIdentifier.value == "3263827")
        #expect(first.endpointB.name == "Perm Loopback 1B")
        #expect(first.endpointB.description == "This is the b-side of the loopback I created in the configuration file")
        #expect(first.endpointB.uniqueIdentifier.value == "3263827")
        #expect(first.groupCountSetting == nil)
        #expect(first.groupCount.value == 16)

        let second = try #require(result.pairs.last)
        #expect(second.associationId.description == Self.pair2)
        #expect(second.endpointA.name == "Perm Loopback 2A")
        #expect(second.endpointB.name == "Perm Loopback 2B")
        #expect(second.endpointA.uniqueIdentifier.original == "5150-1984")
        #expect(second.endpointB.uniqueIdentifier.original == "OU812")

        #expect(first.endpointDeviceId(.a).rawValue == #"\\?\swd#midisrv#midiu_loop_a_3263827#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(first.endpointDeviceId(.b).rawValue == #"\\?\swd#midisrv#midiu_loop_b_3263827#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(EndpointDeviceId.loopback(side: .a, uniqueIdentifier: second.endpointA.uniqueIdentifier).rawValue
                == #"\\?\swd#midisrv#midiu_loop_a_5150-1984#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(EndpointDeviceId.loopback(side: .b, uniqueIdentifier: second.endpointB.uniqueIdentifier).rawValue
                == #"\\?\swd#midisrv#midiu_loop_b_ou812#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)

        let location = try #require(result.entryLocations[first.associationId])
        #expect(location.path.description == createPathText + "." + Self.pair1)
        let expected = try #require(lineColumn(of: "\"\(Self.pair1)\"", in: seedConfiguration))
        #expect(location.position.line == expected.line && location.position.column == expected.column)
    }

    @Test func seedFragmentWithoutBracesIsRefusedWithAHint() throws {
        let fragment = seedConfiguration.split(separator: "\n", omittingEmptySubsequences: false)
            .dropFirst().dropLast(2).joined(separator: "\n")
        #expect(fragment.hasPrefix("\"endpointTransportPluginSettings\":"))
        let error = try #require(throws: JSONSyntaxError.self) { try load(fragment) }
        #expect(error.reason == .memberOutsideObject)
        #expect(error.line == 1 && error.column == 34)
    }

    @Test func topLevelMustBeAnObject() throws {
        let error = try #require(throws: JSONSyntaxError.self) { try load("\n  [1, 2]") }
        #expect(error.reason == .topLevelNotObject(found: "an array"))
        #expect(error.line == 2 && error.column == 3)
    }

    @Test func blankFileIsAnEmptyConfiguration() throws {
        #expect(try load("") == .empty)
        #expect(try load(" \n\t\r\n") == .empty)
        #expect(try ConfigLoader.load([0xEF, 0xBB, 0xBF, 0x0A]) == .empty)
    }

    @Test func windowsFileWithOtherSectionsLoadsTheLoopbacks() throws {
        let text = """
        {
            "endpointProcessingPluginSettings": { "{A8798C54-6066-45F0-9ADB-648BC0641ABF}": {} },
            "endpointTransportPluginSettings": {
                "_comment": "transports",
                "{26FA740D-469C-4D33-BEB1-3885DE7D6DF1}": { "_comment": "KS", "enabled": true },
                "\(loopbackTransport)": {
                    "create": {
                        "\(Self.pair1)": {
                            "endpointA": { "name": "A", "uniqueIdentifier": "a1" },
                            "endpointB": { "name": "B", "uniqueIdentifier": "b1" }
                        }
                    }
                }
            }
        }
        """
        let result = try load(text)
        #expect(result.errors.isEmpty)
        #expect(result.pairs.map(\.endpointA.name) == ["A"])
        #expect(result.warnings.map(\.path.description) == [
            "endpointProcessingPluginSettings",
            "endpointTransportPluginSettings.{26FA740D-469C-4D33-BEB1-3885DE7D6DF1}",
        ])
        #expect(result.warnings[1].line == 5 && result.warnings[1].column == 9)
    }

    @Test func commentsAnywhereAreIgnored() throws {
        let text = configuration("""
            "_comment": ["any", "value"],
            "_comment": "twice is fine",
            "\(Self.pair1)": {
                "_comment": 42,
                "endpointA": { "_comment": null, "name": "A", "uniqueIdentifier": "a" },
                "endpointB": { "name": "B", "uniqueIdentifier": "b", "_comment": {} }
            }
            """)
        let result = try load(text)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.pairs.count == 1)
    }

    @Test func uniqueIdentifierOf33CharactersIsRejectedWithItsPath() throws {
        let long = String(repeating: "x", count: 33)
        let text = configuration(
            entry(Self.pair1, a: ("One A", "one"), b: ("One B", long)),
            entry(Self.pair2, a: ("Two A", "two"), b: ("Two B", "two")))
        let result = try load(text)
        #expect(result.pairs.map(\.endpointA.name) == ["Two A"], "the valid entry is still loaded")
        let problem = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(problem.path.description == "\(createPathText).\(Self.pair1).endpointB.uniqueIdentifier")
        #expect(problem.message.contains("33 characters"))
        let expected = try #require(lineColumn(of: "\"\(long)\"", in: text))
        #expect(problem.line == expected.line && problem.column == expected.column)
        #expect(problem.description.hasPrefix("\(expected.line):\(expected.column): error: \(createPathText)."))
        // 32 characters are fine.
        let ok = try load(configuration(entry(Self.pair1, a: ("A", String(long.dropFirst())), b: ("B", "b"))))
        #expect(ok.errors.isEmpty && ok.pairs.count == 1)
    }

    @Test(arguments: ["3263827!", "with space", "ünïcode", "dot.ted", "new\\nline", ""])
    func uniqueIdentifierWithGarbageIsRejectedNotStripped(id: String) throws {
        let result = try load(configuration(entry(Self.pair1, a: ("A", id), b: ("B", "b"))))
        #expect(result.pairs.isEmpty)
        #expect(errors(result, at: "\(createPathText).\(Self.pair1).endpointA.uniqueIdentifier").count == 1)
    }

    @Test func emptyAssociationGUIDIsRejected() throws {
        let empty = "{00000000-0000-0000-0000-000000000000}"
        let text = configuration(entry(empty, a: ("A", "a"), b: ("B", "b")), entry(Self.pair2, a: ("C", "c"), b: ("D", "d")))
        let result = try load(text)
        #expect(result.pairs.map(\.associationId.description) == [Self.pair2])
        let problem = try #require(errors(result, at: "\(createPathText).\(empty)").first)
        #expect(problem.message.contains("empty GUID"))
        let expected = try #require(lineColumn(of: "\"\(empty)\"", in: text))
        #expect(problem.line == expected.line && problem.column == expected.column)
    }

    @Test(arguments: ["loopback-one", "{0C1B3439-593F-4B7A-8950}", "0C1B3439593F4B7A89504698D97B0897X"])
    func nonGUIDKeyIsRejected(key: String) throws {
        let result = try load(configuration(entry(key, a: ("A", "a"), b: ("B", "b"))))
        #expect(result.pairs.isEmpty)
        let problem = try #require(result.errors.first)
        #expect(problem.path == ConfigSchema.createPath.appending(key))
        #expect(problem.message.contains("not a GUID"))
    }

    @Test func guidWithoutBracesIsAccepted() throws {
        let result = try load(configuration(entry("0c1b3439-593f-4b7a-8950-4698d97b0897", a: ("A", "a"), b: ("B", "b"))))
        #expect(result.problems.isEmpty)
        #expect(result.pairs.first?.associationId.description == Self.pair1)
    }

    @Test func missingNameIsRejected() throws {
        let text = configuration("""
            "\(Self.pair1)": {
                "endpointA": { "description": "no name", "uniqueIdentifier": "a" },
                "endpointB": { "name": "B", "uniqueIdentifier": "b" }
            }
            """)
        let result = try load(text)
        #expect(result.pairs.isEmpty)
        let problem = try #require(errors(result, at: "\(createPathText).\(Self.pair1).endpointA.name").first)
        #expect(problem.message == "required key \"name\" is missing")
        let expected = try #require(lineColumn(of: "{ \"description\"", in: text))
        #expect(problem.line == expected.line && problem.column == expected.column, "points at the object lacking it")
    }

    @Test(arguments: ["", "   ", "\\t\\n"])
    func blankNameIsRejected(name: String) throws {
        let result = try load(configuration(entry(Self.pair1, a: ("A", "a"), b: (name, "b"))))
        #expect(result.pairs.isEmpty)
        let problem = try #require(errors(result, at: "\(createPathText).\(Self.pair1).endpointB.name").first)
        #expect(problem.message.contains("must not be blank"))
    }

    @Test func nameWithAControlCharacterIsRejected() throws {
        let result = try load(configuration(entry(Self.pair1, a: ("A\\u0000B", "a"), b: ("B", "b"))))
        #expect(result.pairs.isEmpty)
        #expect(errors(result, at: "\(createPathText).\(Self.pair1).endpointA.name").first?.message.contains("U+0000") == true)
    }

    @Test func keysAreCaseSensitive() throws {
        let text = configuration("""
            "\(Self.pair1)": {
                "endpointA": { "Name": "A", "uniqueIdentifier": "a" },
                "endpointB": { "name": "B", "uniqueId": "b" }
            }
            """)
        let result = try load(text)
        #expect(result.pairs.isEmpty)
        let base = "\(createPathText).\(Self.pair1)"
        let unknown = try #require(result.warnings.first { $0.path.description == "\(base).endpointA.Name" })
        #expect(unknown.message.contains("did you mean \"name\""))
        #expect(errors(result, at: "\(base).endpointA.name").count == 1)
        let misspelled = try #require(result.warnings.first { $0.path.description == "\(base).endpointB.uniqueId" })
        #expect(misspelled.message.contains("did you mean \"uniqueIdentifier\""))
        #expect(errors(result, at: "\(base).endpointB.uniqueIdentifier").count == 1)
    }

    @Test func transportIdIsCaseSensitive() throws {
        let text = """
        { "endpointTransportPluginSettings": { "{942bf02d-93c0-4ea8-b03e-d51156ca75e1}": { "create": {
            \(entry(Self.pair1, a: ("A", "a"), b: ("B", "b")))
        } } } }
        """
        let result = try load(text)
        #expect(result.pairs.isEmpty)
        let warning = try #require(result.warnings.first)
        #expect(warning.path.description == "endpointTransportPluginSettings.{942bf02d-93c0-4ea8-b03e-d51156ca75e1}")
        #expect(warning.message.contains(loopbackTransport))
    }

    @Test func unknownKeysWarnWithTheirPathAndDoNotStopLoading() throws {
        let text = configuration(entry(Self.pair1, a: ("A", "a"), b: ("B", "b"), extra: ",\n    \"color\": \"red\""))
        let result = try load(text)
        #expect(result.pairs.count == 1)
        #expect(result.errors.isEmpty)
        let warning = try #require(result.warnings.first)
        #expect(result.warnings.count == 1)
        #expect(warning.severity == .warning)
        #expect(warning.path.description == "\(createPathText).\(Self.pair1).color")
        let expected = try #require(lineColumn(of: "\"color\"", in: text))
        #expect(warning.line == expected.line && warning.column == expected.column)
        #expect(warning.message == "unknown key \"color\" is ignored")
    }

    @Test func duplicateKeysWarnAndTheFirstCounts() throws {
        let text = configuration("""
            "\(Self.pair1)": {
                "endpointA": { "name": "First", "name": "Second", "uniqueIdentifier": "a" },
                "endpointB": { "name": "B", "uniqueIdentifier": "b" }
            }
            """)
        let result = try load(text)
        #expect(result.pairs.first?.endpointA.name == "First")
        let warning = try #require(result.warnings.first)
        #expect(warning.path.description == "\(createPathText).\(Self.pair1).endpointA.name")
        #expect(warning.message.contains("duplicate key"))
    }

    @Test func duplicateNamesAreRejectedCaseInsensitivelyAndTheFirstPairKept() throws {
        let text = configuration(
            entry(Self.pair1, a: ("Perm Loopback 1A", "one"), b: ("Perm Loopback 1B", "one")),
            entry(Self.pair2, a: ("Other A", "two"), b: ("PERM loopback 1a", "two")))
        let result = try load(text)
        #expect(result.pairs.map(\.associationId.description) == [Self.pair1])
        let problem = try #require(errors(result, at: "\(createPathText).\(Self.pair2).endpointB.name").first)
        #expect(result.errors.count == 1)
        #expect(problem.message.contains("endpointA of pair \(Self.pair1)"))
        let first = try #require(lineColumn(of: "\"Perm Loopback 1A\"", in: text))
        #expect(problem.message.contains("line \(first.line), column \(first.column)"))
        let second = try #require(lineColumn(of: "\"PERM loopback 1a\"", in: text))
        #expect(problem.line == second.line && problem.column == second.column)
    }

    @Test func sameNameOnBothSidesOfAPairIsRejected() throws {
        let result = try load(configuration(entry(Self.pair1, a: ("Same", "a"), b: ("same", "b"))))
        #expect(result.pairs.isEmpty)
        #expect(errors(result, at: "\(createPathText).\(Self.pair1).endpointB.name").count == 1)
    }

    @Test func duplicateUniqueIdentifierOnASidesIsRejected() throws {
        let text = configuration(
            entry(Self.pair1, a: ("One A", "Shared"), b: ("One B", "b1")),
            entry(Self.pair2, a: ("Two A", "SHARED"), b: ("Two B", "b2")))
        let result = try load(text)
        #expect(result.pairs.map(\.associationId.description) == [Self.pair1])
        let problem = try #require(errors(result, at: "\(createPathText).\(Self.pair2).endpointA.uniqueIdentifier").first)
        #expect(problem.message.contains("already used by endpointA of pair \(Self.pair1)"))
        #expect(problem.message.contains("A sides"))
    }

    @Test func duplicateUniqueIdentifierOnBSidesIsRejected() throws {
        let result = try load(configuration(
            entry(Self.pair1, a: ("One A", "a1"), b: ("One B", "x")),
            entry(Self.pair2, a: ("Two A", "a2"), b: ("Two B", "X"))))
        #expect(result.pairs.count == 1)
        #expect(errors(result, at: "\(createPathText).\(Self.pair2).endpointB.uniqueIdentifier").count == 1)
    }

    @Test func sameUniqueIdentifierOnAOfOnePairAndBOfAnotherIsAllowed() throws {
        let result = try load(configuration(
            entry(Self.pair1, a: ("One A", "x"), b: ("One B", "y")),
            entry(Self.pair2, a: ("Two A", "y"), b: ("Two B", "x"))))
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.pairs.count == 2)
        let ids = result.pairs.flatMap { [$0.endpointDeviceId(.a), $0.endpointDeviceId(.b)] }
        #expect(Set(ids).count == 4, "A-side and B-side ids never collide")
    }

    @Test func duplicateAssociationIdIsRejectedWhateverItsCase() throws {
        let lower = Self.pair1.lowercased()
        let text = configuration(
            entry(Self.pair1, a: ("One A", "a1"), b: ("One B", "b1")),
            entry(lower, a: ("Two A", "a2"), b: ("Two B", "b2")),
            entry(Self.pair1, a: ("Three A", "a3"), b: ("Three B", "b3")))
        let result = try load(text)
        #expect(result.pairs.map(\.endpointA.name) == ["One A"])
        #expect(result.errors.map(\.path.description) == ["\(createPathText).\(lower)", "\(createPathText).\(Self.pair1)"])
        #expect(result.warnings.isEmpty, "the exact repeat is reported once, as the clash it is")
        let first = try #require(lineColumn(of: "\"\(Self.pair1)\"", in: text))
        for problem in result.errors {
            #expect(problem.message.contains("already used by the entry at line \(first.line), column \(first.column)"))
        }
        let third = try #require(lineColumn(of: "\"\(Self.pair1)\"", in: text, occurrence: 2))
        #expect(result.errors[1].line == third.line)
    }

    @Test func groupCountIsOptionalAndBounded() throws {
        let four = try load(configuration(entry(Self.pair1, a: ("A", "a"), b: ("B", "b"), extra: ",\n\"groupCount\": 4")))
        #expect(four.problems.isEmpty)
        #expect(four.pairs.first?.groupCount.value == 4)
        #expect(four.pairs.first?.groupCountSetting?.value == 4)
        for (value, fragment) in [("0", "out of range"), ("17", "out of range"), ("\"x\"", "the string \"x\""),
                                  ("2.5", "the number 2.5"), ("1e1", "the number 1e1"), ("null", "null")] {
            let result = try load(configuration(entry(Self.pair1, a: ("A", "a"), b: ("B", "b"), extra: ",\n\"groupCount\": \(value)")))
            #expect(result.pairs.isEmpty, "groupCount \(value)")
            let problem = try #require(errors(result, at: "\(createPathText).\(Self.pair1).groupCount").first)
            #expect(problem.message.contains(fragment), "\(problem.message)")
        }
    }

    @Test func wrongTypesAreRejected() throws {
        let text = configuration("""
            "\(Self.pair1)": { "endpointA": "A", "endpointB": { "name": 7, "uniqueIdentifier": true, "description": 1 } },
            "\(Self.pair2)": [],
            "\(Self.pair3)": { "endpointA": { "name": "A", "uniqueIdentifier": "a" } }
            """)
        let result = try load(text)
        #expect(result.pairs.isEmpty)
        let base1 = "\(createPathText).\(Self.pair1)"
        #expect(Set(result.errors.map(\.path.description)) == [
            "\(base1).endpointA", "\(base1).endpointB.name", "\(base1).endpointB.uniqueIdentifier",
            "\(base1).endpointB.description", "\(createPathText).\(Self.pair2)",
            "\(createPathText).\(Self.pair3).endpointB",
        ])
        #expect(errors(result, at: "\(base1).endpointB.name").first?.message == "name must be a string; found the number 7")
    }

    @Test func sectionsThatAreNotObjectsAreErrors() throws {
        let result = try load(#"{ "endpointTransportPluginSettings": "none" }"#)
        #expect(result.pairs.isEmpty)
        let problem = try #require(result.errors.first)
        #expect(problem.path.description == "endpointTransportPluginSettings")
        #expect(problem.message.contains("must be an object"))
        #expect(problem.column == 38)
    }

    @Test func problemsComeInFileOrder() throws {
        let text = configuration(
            entry(Self.pair1, a: ("A", "bad!"), b: ("B", "b"), extra: ",\n\"zzz\": 1"),
            entry(Self.pair2, a: ("", "a2"), b: ("B2", "b2")))
        let problems = try load(text).problems
        #expect(problems.count == 3)
        #expect(problems.map(\.position) == problems.map(\.position).sorted())
    }

    @Test func descriptionMayBeNull() throws {
        let result = try load(configuration("""
            "\(Self.pair1)": {
                "endpointA": { "name": "A", "description": null, "uniqueIdentifier": "a" },
                "endpointB": { "name": "B", "description": "", "uniqueIdentifier": "b" }
            }
            """))
        #expect(result.problems.isEmpty)
        #expect(result.pairs.first?.endpointA.description == nil)
        #expect(result.pairs.first?.endpointB.description == "")
    }

    @Test func pathNotation() {
        #expect(JSONPath.root.description == "(top level)")
        #expect(JSONPath(keys: "a", "{X-1}", "b_c").description == "a.{X-1}.b_c")
        #expect(JSONPath([.key("a"), .key("my key"), .index(2), .key("q\"")]).description == #"a["my key"][2]["q\""]"#)
        #expect(JSONPath(keys: "").description == #"[""]"#)
    }
}
