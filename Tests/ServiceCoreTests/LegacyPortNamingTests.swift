import Testing
@testable import ServiceCore

/// The MIDI 1.0 port naming rules (docs/alsa-bridge.md, "Naming") and their configuration keys.
@Suite("Legacy port naming")
struct LegacyPortNamingTests {
    func endpoint(name: String = "Perm Loopback 1A", approach: LegacyPortNamingApproach = .builtInDefault,
                  custom: String? = nil, declaredName: String? = nil, blocks: [DeclaredFunctionBlock] = [],
                  portNames: [UInt8: String] = [:], groupCount: Int = 4) -> MidiEndpoint {
        var declared = DeclaredEndpointState()
        declared.endpointName = declaredName
        declared.functionBlocks = blocks
        return MidiEndpoint(id: EndpointDeviceId(instance: "loop_a_test"), transport: .loopback,
                            deviceInstanceId: .loopbackTransport, transportSupplied: TransportSuppliedInfo(name: name),
                            declared: declared, customization: EndpointCustomization(name: custom, portNames: portNames),
                            groupCount: groupCount, loopbackSide: .a,
                            legacyPorts: LegacyPortSettings(namingApproach: approach))
    }

    let keys = [DeclaredFunctionBlock(number: 0, name: "Keys", isActive: true, firstGroup: 0, groupCount: 2)]

    @Test func classicIgnoresDeclaredNamesButFollowsTheUsersName() {
        let declared = LegacyPortNames(endpoint: endpoint(declaredName: "Declared", blocks: keys))
        #expect(declared.clientName == "Perm Loopback 1A", "an Endpoint Name Notification renames nothing")
        #expect(declared.portNames == ["Perm Loopback 1A", "Group 1", "Group 2", "Group 3", "Group 4"])
        let renamed = LegacyPortNames(endpoint: endpoint(custom: "Studio", declaredName: "Declared"))
        #expect(renamed.clientName == "Studio", "endpoint rename is a name the user gave")
    }

    @Test func newStyleFollowsDeclaredEndpointAndBlockNames() {
        let names = LegacyPortNames(endpoint: endpoint(approach: .newStyle, declaredName: "Declared", blocks: keys))
        #expect(names.clientName == "Declared")
        #expect(names.portNames == ["Declared", "Group 1 (Keys)", "Group 2 (Keys)", "Group 3", "Group 4"])
        #expect(LegacyPortNames(endpoint: endpoint(approach: .newStyle, custom: "Mine", declaredName: "Declared")).clientName == "Mine")
    }

    @Test func customPortNamesWinUnderBothApproachesAndTheTableSaysWhy() {
        for approach in LegacyPortNamingApproach.allCases {
            let names = LegacyPortNames(endpoint: endpoint(approach: approach, blocks: keys, portNames: [0: "Drums"]))
            #expect(names.groups[0].shown == "Drums")
            #expect(names.groups[0].source == "custom")
            #expect(names.groups[0].classic == "Group 1")
            #expect(names.groups[0].newStyle == "Group 1 (Keys)")
            #expect(names.groups[1].source == approach.rawValue)
        }
    }

    @Test func namesFitTheKernelsSixtyThreeBytes() {
        let long = String(repeating: "é", count: 40)   // 80 bytes
        let names = LegacyPortNames(endpoint: endpoint(name: long, portNames: [1: long]))
        #expect(names.clientName.utf8.count == 62, "cut on a character boundary: 31 two-byte characters")
        #expect(names.groups[1].shown.utf8.count <= 63)
    }

    @Test func clientNamesAreMadeUniqueInIdOrderWhateverTheInsertionOrder() {
        let a = EndpointDeviceId(instance: "loop_a_one"), b = EndpointDeviceId(instance: "loop_a_two"),
            c = EndpointDeviceId(instance: "loop_b_one")
        let long = String(repeating: "x", count: 63)
        let names = LegacyPortNames.uniqueClientNames([c: "Same", a: "Same", b: "Same"])
        #expect(names[a] == "Same")
        #expect(names[b] == "Same (2)")
        #expect(names[c] == "Same (3)")
        #expect(LegacyPortNames.uniqueClientNames([b: "Same", c: "Same", a: "Same"]) == names)
        let cut = LegacyPortNames.uniqueClientNames([a: long, b: long])
        #expect(cut[b] == String(repeating: "x", count: 59) + " (2)")
        #expect(cut[b]!.utf8.count == 63)
        // A suffixed name that another endpoint wants as is does not take it.
        let clash = LegacyPortNames.uniqueClientNames([a: "Same", b: "Same", c: "Same (2)"])
        #expect(Set(clash.values).count == 3)
        #expect(clash[c] == "Same (2)" && clash[b] == "Same (3)")
    }

    // MARK: Configuration

    @Test func configReadsUmpOnlyAndNamingApproachPerEndpointAndGlobally() throws {
        let text = """
        {
            "midi1Ports": { "namingApproach": "newStyle", "umpOnly": true },
            "endpointTransportPluginSettings": { "\(loopbackTransport)": { "create": {
                "{0C1B3439-593F-4B7A-8950-4698D97B0897}": {
                    "endpointA": { "name": "A", "uniqueIdentifier": "x", "umpOnly": false,
                                   "midi1Ports": { "namingApproach": "classicCompatible", "restoreConnections": false } },
                    "endpointB": { "name": "B", "uniqueIdentifier": "x", "midi1Ports": { "namingApproach": "default" } }
                }
            } } }
        }
        """
        let result = try load(text)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.legacyPortDefaults == LegacyPortSettings(umpOnly: true, namingApproach: .newStyle, restoreConnections: true))
        let pair = try #require(result.pairs.first)
        #expect(pair.endpointA.legacyPorts == LegacyPortOptions(umpOnly: false, namingApproach: .classicCompatible, restoreConnections: false))
        #expect(pair.endpointB.legacyPorts == LegacyPortOptions())
        #expect(pair.endpointB.legacyPorts.resolved(with: result.legacyPortDefaults).umpOnly)
        #expect(pair.endpointB.legacyPorts.resolved(with: result.legacyPortDefaults).namingApproach == .newStyle)
        #expect(!pair.endpointA.legacyPorts.resolved(with: result.legacyPortDefaults).umpOnly)
    }

    @Test func badValuesAreErrorsWithTheirPath() throws {
        let text = configuration(entry("{0C1B3439-593F-4B7A-8950-4698D97B0897}", a: ("A", "x"), b: ("B", "x"))
            .replacingFirst("\"uniqueIdentifier\": \"x\" }", with: "\"uniqueIdentifier\": \"x\", \"umpOnly\": \"yes\", \"midi1Ports\": { \"namingApproach\": \"fancy\" } }"))
        let result = try load(text)
        let paths = result.errors.map(\.path.description)
        #expect(paths.contains(createPathText + ".{0C1B3439-593F-4B7A-8950-4698D97B0897}.endpointA.umpOnly"), "\(result.problems)")
        #expect(paths.contains(createPathText + ".{0C1B3439-593F-4B7A-8950-4698D97B0897}.endpointA.midi1Ports.namingApproach"))
        #expect(result.errors.contains { $0.message.contains("\"fancy\"") && $0.message.contains("\"newStyle\"") })
        #expect(result.pairs.isEmpty, "an invalid umpOnly leaves the pair out rather than guessing")
    }

    @Test func aChangedOptionChangesThePairAndPersistingWritesIt() throws {
        let id = try UniqueIdentifier(validating: "x")
        let plain = try ConfiguredLoopbackPair.Endpoint(name: "A", uniqueIdentifier: id)
        let umpOnly = try ConfiguredLoopbackPair.Endpoint(name: "A", uniqueIdentifier: id, legacyPorts: LegacyPortOptions(umpOnly: true))
        #expect(!plain.isEquivalent(to: umpOnly))
        let b = try ConfiguredLoopbackPair.Endpoint(name: "B", uniqueIdentifier: id,
                                                    legacyPorts: LegacyPortOptions(namingApproach: .newStyle))
        let pair = try ConfiguredLoopbackPair(associationId: AssociationId(parsing: "{0C1B3439-593F-4B7A-8950-4698D97B0897}"),
                                              endpointA: umpOnly, endpointB: b)
        let written = try ConfigFileEditor.addingPair(pair, to: nil)
        let reread = try #require(try ConfigLoader.load(written).pairs.first)
        #expect(reread.endpointA.legacyPorts == umpOnly.legacyPorts)
        #expect(reread.endpointB.legacyPorts == b.legacyPorts)
    }
}

extension String {
    /// The text with the first `target` replaced (no Foundation in this target).
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let chars = Array(self), pattern = Array(target)
        guard pattern.count <= chars.count else { return self }
        for start in 0...(chars.count - pattern.count) where Array(chars[start..<start + pattern.count]) == pattern {
            return String(chars[..<start]) + replacement + String(chars[(start + pattern.count)...])
        }
        return self
    }
}
