import Foundation
import MIDIRules
import Testing

/// Each fact that both sides of the process boundary need — the EndpointDeviceId format, the
/// unique-identifier rule, the loopback pair limits, the socket path rule — is written once, in
/// `Sources/MIDIRules`, and imported everywhere else (docs/design.md §1, issue 13). These tests
/// read every Swift file under `Sources/` and fail when a fact is spelled out a second time: a
/// literal or a definition of it anywhere but its home file. Comment lines do not count
/// (documentation may quote an id); prose inside help text does not match, because the patterns
/// look for the fact as code (a whole string literal, a definition, a predicate).
@Suite struct RuleDefinitionTests {
    /// One fact: what it looks like as code, and the one file allowed to say it.
    struct Fact: CustomStringConvertible, Sendable {
        let name: String
        let pattern: String
        let home: String
        /// How many times the home file says it (a definition may take two lines, e.g. a range
        /// and a default).
        var timesAtHome = 1
        var description: String { name }
    }

    static let facts: [Fact] = [
        Fact(name: "EndpointDeviceId prefix", pattern: #"swd#midisrv#midiu_"#,
             home: "Sources/MIDIRules/EndpointDeviceIdFormat.swift"),
        Fact(name: "EndpointDeviceId interface-class suffix", pattern: #"e7cce071-3c03-423f-88d3-f1045d02552b"#,
             home: "Sources/MIDIRules/EndpointDeviceIdFormat.swift"),
        Fact(name: "short-form marker midiu_", pattern: #""midiu_""#,
             home: "Sources/MIDIRules/EndpointDeviceIdFormat.swift"),
        Fact(name: "instance prefixes", pattern: #""(loop_a_|loop_b_|diag_|usb_)""#,
             home: "Sources/MIDIRules/EndpointDeviceIdFormat.swift"),
        Fact(name: "diagnostic instances", pattern: #""(diag_loopback_a|diag_loopback_b|diag_ping)""#,
             home: "Sources/MIDIRules/EndpointDeviceIdFormat.swift", timesAtHome: 3),
        Fact(name: "unique-identifier alphabet (the predicate)", pattern: #"c == "-" \|\| c == "_""#,
             home: "Sources/MIDIRules/UniqueIdentifierRule.swift"),
        Fact(name: "unique-identifier alphabet (as messages name it)", pattern: #""A-Z a-z 0-9 - _""#,
             home: "Sources/MIDIRules/UniqueIdentifierRule.swift"),
        Fact(name: "unique-identifier length limit", pattern: #"(?i)(unique\w*length|maximumLength)\s*(:\s*Int\s*)?=\s*32\b"#,
             home: "Sources/MIDIRules/UniqueIdentifierRule.swift"),
        Fact(name: "loopback group count", pattern: #"(?i)static let \w*groupCount\w*\s*(:\s*[\w<>]+\s*)?=\s*\(?\d"#,
             home: "Sources/MIDIRules/LoopbackPairRules.swift", timesAtHome: 2),
        Fact(name: "empty association id", pattern: #"\{00000000-0000-0000-0000-000000000000\}"#,
             home: "Sources/MIDIRules/LoopbackPairRules.swift"),
        Fact(name: "socket environment variable", pattern: #""MIDI_SERVICES_SOCKET""#,
             home: "Sources/MIDIRules/ServiceSocketPath.swift"),
        Fact(name: "runtime directory variable", pattern: #""XDG_RUNTIME_DIR""#,
             home: "Sources/MIDIRules/ServiceSocketPath.swift"),
        Fact(name: "socket file name", pattern: #""[^"]*midisrv\.sock""#,
             home: "Sources/MIDIRules/ServiceSocketPath.swift", timesAtHome: 2),
        Fact(name: "service directory name", pattern: #""midi-services""#,
             home: "Sources/MIDIRules/PathRules.swift"),
        Fact(name: "endpoint filter bits (diagnostic ping's)", pattern: #"(?i)rawValue:\s*0x0*2_?0000\b"#,
             home: "Sources/MIDIRules/EndpointClassification.swift"),
        Fact(name: "endpoint purposes", pattern: #"^\s*case (normalMessageEndpoint|virtualDeviceResponder)\b"#,
             home: "Sources/MIDIRules/EndpointClassification.swift", timesAtHome: 2),
        Fact(name: "native data formats", pattern: #"^\s*case (byteStream|midi1ByteStream)\b"#,
             home: "Sources/MIDIRules/EndpointClassification.swift"),
    ]

    /// Where the pattern matches in `text`, by 1-based line, comment lines left out.
    static func codeLines(matching pattern: String, in text: String) throws -> [Int] {
        let regex = try Regex(pattern)
        var found: [Int] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("//") { continue }
            if line.contains(regex) { found.append(index + 1) }
        }
        return found
    }

    /// The package root, from this file's path (Tests/MIDIRulesTests/…).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Every Swift file under Sources/, as (path relative to the root, text).
    static func sources() throws -> [(path: String, text: String)] {
        let root = packageRoot
        let sourcesDirectory = root.appendingPathComponent("Sources")
        guard let walker = FileManager.default.enumerator(at: sourcesDirectory, includingPropertiesForKeys: nil) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var result: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let relative = String(url.path.dropFirst(root.path.count + 1))
            result.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return result.sorted { $0.0 < $1.0 }
    }

    @Test(arguments: facts)
    func factIsDefinedOnce(_ fact: Fact) throws {
        let files = try Self.sources()
        #expect(files.count > 50, "the scan must see the real Sources/ tree (found \(files.count) files)")
        var elsewhere: [String] = []
        var atHome = 0
        for file in files {
            let lines = try Self.codeLines(matching: fact.pattern, in: file.text)
            if file.path == fact.home {
                atHome = lines.count
            } else {
                elsewhere += lines.map { "\(file.path):\($0)" }
            }
        }
        #expect(atHome == fact.timesAtHome, "\(fact.name): defined \(atHome) times in \(fact.home), expected \(fact.timesAtHome)")
        #expect(elsewhere.isEmpty, "\(fact.name) is written again outside \(fact.home) (import MIDIRules instead): \(elsewhere)")
    }

    /// The scan itself can fail: a second definition written the way the old copies were is
    /// found, and a comment quoting the same fact is not.
    @Test func scanFindsASecondDefinition() throws {
        let copy = """
            /// \\\\?\\swd#midisrv#midiu_<instance>, as documented
            static let idPrefix = #"\\\\?\\swd#midisrv#midiu_"#
            static let maximumUniqueIdLength = 32
            static let groupCountRange = 1...16
            public static let environmentVariable = "MIDI_SERVICES_SOCKET"
            let user = runtime + "/midi-services/midisrv.sock"
            """
        func lines(_ name: String) throws -> [Int] {
            let fact = try #require(Self.facts.first { $0.name == name })
            return try Self.codeLines(matching: fact.pattern, in: copy)
        }
        #expect(try lines("EndpointDeviceId prefix") == [2])
        #expect(try lines("unique-identifier length limit") == [3])
        #expect(try lines("loopback group count") == [4])
        #expect(try lines("socket environment variable") == [5])
        #expect(try lines("socket file name") == [6])
    }

    /// The rules themselves, as the daemon and the SDK rely on them.
    @Test func rulesSayWhatTheDesignSays() {
        #expect(EndpointDeviceIdFormat.id(instance: "LOOP_A_Default")
                == #"\\?\swd#midisrv#midiu_loop_a_default#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(EndpointDeviceIdFormat.loopbackInstance(sideLetter: "b", uniqueIdentifier: "MyPair") == "loop_b_mypair")
        #expect(UniqueIdentifierRule.stripped("a b-c_d!é") == "ab-c_d")
        #expect(UniqueIdentifierRule.maximumLength == 32)
        #expect(ServiceSocketPath.override(explicit: "", environment: { _ in "" }) == nil)
        #expect(ServiceSocketPath.override(explicit: nil, environment: { $0 == "MIDI_SERVICES_SOCKET" ? "/e.sock" : nil }) == "/e.sock")
        #expect(ServiceSocketPath.userPath(runtimeDirectory: "/run/user/1000//") == "/run/user/1000/midi-services/midisrv.sock")
        #expect(ServiceSocketPath.userPath(runtimeDirectory: "/") == "/midi-services/midisrv.sock")
        #expect(ServiceSocketPath.userPath(runtimeDirectory: "relative") == nil)
        #expect(ServiceSocketPath.userPath(runtimeDirectory: nil) == nil)
        #expect(EndpointNameRules.comparable("  Synth\tIN \n") == "synth\tin")
        #expect(EndpointNameRules.isBlank(" \t\n"))
    }
}
