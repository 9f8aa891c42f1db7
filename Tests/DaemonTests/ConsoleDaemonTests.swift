import Foundation
import Glibc
import MIDIServices
import Testing

/// The `midi` console as users run it: a real process against a real `midisrv`.
@Suite("midi console", .serialized)
struct ConsoleDaemonTests {
    // MARK: Input errors (no service needed: checked before connecting)

    /// Each bad input: exactly one line on stderr saying what is wrong, status 1, nothing on stdout.
    @Test(arguments: [
        (["loopback", "create", "--root-name", "X", "--unique-identifier", String(repeating: "a", count: 33) + "#!"], "33 characters"),
        (["loopback", "create", "--root-name", ""], "--root-name must not be empty"),
        (["loopback", "create", "--name-a", "  ", "--name-b", "B"], "endpoint A name is required"),
        (["loopback", "create", "--name-a", "Same", "--name-b", "same"], "must be unique"),
        (["loopback", "create", "--root-name", "X", "--association-id", "not-a-guid"], "is not a GUID"),
        (["loopback", "create", "--root-name", "X", "--association-id", "{00000000-0000-0000-0000-000000000000}"], "empty GUID"),
        (["loopback", "create", "--root-name", "X", "--unique-identifier", "!!!"], "no characters left"),
        (["loopback", "create", "--root-name", "X", "--group-count", "17"], "1 to 16"),
        (["loopback", "create", "--name-a", "Only A"], "--name-a NAME and --name-b NAME"),
        (["loopback", "remove", "--association-id", "1234"], "is not a GUID"),
        (["endpoint", "loop_a_x", "send-message", "0x40903C00"], "has 2 words; 1 given"),
        (["endpoint", "loop_a_x", "send-message", "0x20903C40", "0x0"], "has 1 word; 2 given"),
        (["endpoint", "loop_a_x", "send-message", "0xG0903C40"], "not a 32-bit word"),
        (["endpoint", "loop_a_x", "send-message", "123456789"], "not a 32-bit word"),
        (["endpoint", "loop_a_x", "send-message", "0x20903C40", "--timestamp", "soon"], "--timestamp"),
        (["endpoint", "loop_a_x", "rename", " "], "must not be empty"),
    ] as [([String], String)])
    func badInputIsOneClearLine(arguments: [String], expected: String) throws {
        let sandbox = try DaemonSandbox()
        let result = try runConsole(arguments, socket: sandbox.socketPath, directory: sandbox.directory)
        #expect(result.status == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderrLines.count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stderr.hasPrefix("midi: error: "))
        #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func usageErrorsAreStatus2() throws {
        let sandbox = try DaemonSandbox()
        let unknown = try runConsole(["loopback", "create", "--bogus"], socket: sandbox.socketPath, directory: sandbox.directory)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("Unknown option '--bogus'"))
        let missing = try runConsole(["loopback", "remove"], socket: sandbox.socketPath, directory: sandbox.directory)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--association-id"))
    }

    @Test func unreachableServiceIsStatus3() throws {
        let sandbox = try DaemonSandbox()
        let viaEnvironment = try runConsole(["endpoint", "list"], socket: sandbox.socketPath, directory: sandbox.directory)
        #expect(viaEnvironment.status == 3)
        #expect(viaEnvironment.stderrLines.count == 1)
        #expect(viaEnvironment.stderr.contains("not reachable at \(sandbox.socketPath)"))
        let viaOption = try runConsole(["service", "status", "--socket", sandbox.directory + "/other.sock"], socket: nil,
                                       directory: sandbox.directory)
        #expect(viaOption.status == 3)
        #expect(viaOption.stderr.contains(sandbox.directory + "/other.sock"))
    }

    @Test func everyCommandsHelpTeachesWithAnExample() throws {
        let sandbox = try DaemonSandbox()
        let commands: [[String]] = [
            [], ["loopback"], ["loopback", "create"], ["loopback", "remove"], ["loopback", "list"], ["loopback", "mute"],
            ["loopback", "unmute"], ["endpoint"], ["endpoint", "list"], ["endpoint", "properties"], ["endpoint", "send-message"],
            ["endpoint", "monitor"], ["endpoint", "rename"], ["service"], ["service", "status"], ["service", "ping"],
            ["watch-endpoints"],
        ]
        for command in commands {
            let result = try runConsole(command + ["--help"], socket: nil, directory: sandbox.directory)
            #expect(result.status == 0, "\(command)")
            #expect(result.stdout.contains("OVERVIEW:"), "\(command)")
            #expect(result.stdout.contains("Example"), "\(command) --help has no example")
        }
    }

    // MARK: Against a service

    @Test func loopbackCreateListRemoveThroughTheConsole() throws {
        let daemon = try SDKDaemon()
        let dir = daemon.sandbox.directory, socket = daemon.socketPath
        let created = try runConsole(["loopback", "create", "--root-name", "Test"], socket: socket, directory: dir)
        #expect(created.status == 0, "\(created.stderr)")
        let ids = created.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { $0.hasPrefix(#"\\?\swd#midisrv#midiu_loop_"#) }
        #expect(ids.count == 2, "\(created.stdout)")
        #expect(ids.first?.contains("midiu_loop_a_") == true)
        #expect(ids.last?.contains("midiu_loop_b_") == true)
        #expect(created.stdout.contains("Test (A)") && created.stdout.contains("Test (B)"))

        let listed = try runConsole(["loopback", "list", "--json"], socket: socket, directory: dir)
        #expect(listed.status == 0)
        let pairs = try #require(try listed.json() as? [[String: Any]])
        #expect(pairs.count == 1)
        let association = try #require(pairs.first?["associationId"] as? String)
        #expect((pairs.first?["endpointA"] as? [String: Any])?["name"] as? String == "Test (A)")
        #expect((pairs.first?["endpointA"] as? [String: Any])?["endpointDeviceId"] as? String == ids.first)
        #expect(created.stdout.contains(association))

        // With braces stripped and lower case: the same pair.
        let bare = association.dropFirst().dropLast().lowercased()
        let muted = try runConsole(["loopback", "mute", "--association-id", String(bare)], socket: socket, directory: dir)
        #expect(muted.status == 0, "\(muted.stderr)")
        let listedMuted = try #require(try runConsole(["loopback", "list", "--json"], socket: socket, directory: dir).json() as? [[String: Any]])
        #expect(listedMuted.first?["isMuted"] as? Bool == true)
        #expect(try runConsole(["loopback", "unmute", "--association-id", association], socket: socket, directory: dir).status == 0)

        let removed = try runConsole(["loopback", "remove", "--association-id", association], socket: socket, directory: dir)
        #expect(removed.status == 0, "\(removed.stderr)")
        let empty = try runConsole(["loopback", "list"], socket: socket, directory: dir)
        #expect(empty.stdout.contains("No loopback pairs."))
        let again = try runConsole(["loopback", "remove", "--association-id", association], socket: socket, directory: dir)
        #expect(again.status == 4, "removing an unknown pair: \(again.stderr)")
    }

    @Test func explicitNamesIdsAndDescriptions() throws {
        let daemon = try SDKDaemon()
        let dir = daemon.sandbox.directory, socket = daemon.socketPath
        let created = try runConsole(["loopback", "create", "--name-a", "Loopback One", "--name-b", "Loopback Two",
                                      "--association-id", "7af38a08-0f4b-43ad-b218-1757496f0034",
                                      "--unique-identifier", "abc$123 45", "--description-a", "first side",
                                      "--group-count", "4", "--json"], socket: socket, directory: dir)
        #expect(created.status == 0, "\(created.stderr)")
        let pair = try #require(try created.json() as? [String: Any])
        #expect(pair["associationId"] as? String == "{7AF38A08-0F4B-43AD-B218-1757496F0034}")
        #expect(pair["groupCount"] as? Int == 4)
        let a = try #require(pair["endpointA"] as? [String: Any])
        #expect(a["endpointDeviceId"] as? String == MidiEndpointDeviceInformation.endpointDeviceId(instance: "loop_a_abc12345"))
        #expect(a["description"] as? String == "first side")
        let props = try runConsole(["endpoint", "Loopback Two", "properties", "--json"], socket: socket, directory: dir)
        #expect(props.status == 0, "\(props.stderr)")
        let b = try #require(try props.json() as? [String: Any])
        #expect(b["endpointDeviceId"] as? String == MidiEndpointDeviceInformation.endpointDeviceId(instance: "loop_b_abc12345"))
        let text = try runConsole(["endpoint", "properties", "loop_a_abc12345"], socket: socket, directory: dir)
        #expect(text.stdout.contains("Loopback One"))
        #expect(text.stdout.contains("Association id:"))
    }

    @Test func endpointListJSONListsTheDefaultPairFromTheConfig() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let dir = daemon.sandbox.directory, socket = daemon.socketPath
        let result = try runConsole(["endpoint", "list", "--json"], socket: socket, directory: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let endpoints = try #require(try result.json() as? [[String: Any]])
        #expect(endpoints.compactMap { $0["endpointDeviceId"] as? String } == [defaultA, defaultB])
        #expect(endpoints.compactMap { $0["name"] as? String } == ["Default Loopback A", "Default Loopback B"])
        #expect(endpoints.allSatisfy { $0["transportCode"] as? String == "LOOP" })

        let table = try runConsole(["endpoint", "list"], socket: socket, directory: dir)
        #expect(table.stdout.split(separator: "\n").first?.hasPrefix("Name") == true)
        #expect(table.stdout.contains(defaultA))
        let withDiagnostics = try runConsole(["endpoint", "list", "--include-diagnostic-loopback", "--json"], socket: socket, directory: dir)
        let ids = try #require(try withDiagnostics.json() as? [[String: Any]]).compactMap { $0["endpointDeviceId"] as? String }
        #expect(ids.contains(MidiEndpointDeviceInformation.diagnosticsLoopbackAEndpointId))
        #expect(!ids.contains(MidiEndpointDeviceInformation.diagnosticsPingEndpointId))
        let all = try runConsole(["endpoint", "list", "--all", "--json"], socket: socket, directory: dir)
        #expect(try #require(try all.json() as? [[String: Any]]).count == 5)

        // `midi endpoint <id>` alone shows the properties.
        let bare = try runConsole(["endpoint", "Default Loopback A", "--json"], socket: socket, directory: dir)
        #expect(try (bare.json() as? [String: Any])?["endpointDeviceId"] as? String == defaultA, "\(bare.stderr)")

        let missing = try runConsole(["endpoint", "loop_a_nothere", "properties"], socket: socket, directory: dir)
        #expect(missing.status == 4)
        #expect(missing.stderrLines.count == 1)
    }

    @Test func configPairRemovalIsRefusedWithTheReason() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let result = try runConsole(["loopback", "remove", "--association-id", defaultPairAssociation],
                                    socket: daemon.socketPath, directory: daemon.sandbox.directory)
        #expect(result.status == 1)
        #expect(result.stderrLines.count == 1)
        #expect(result.stderr.contains("configuration file"), "\(result.stderr)")
    }

    @Test func persistWritesTheConfigFileAndSurvivesRestart() throws {
        let daemon = try SDKDaemon()
        let dir = daemon.sandbox.directory
        let persisted = try runConsole(["loopback", "create", "--root-name", "Studio", "--unique-identifier", "studio",
                                        "--persist"], socket: daemon.socketPath, directory: dir)
        #expect(persisted.status == 0, "\(persisted.stderr)")
        #expect(persisted.stdout.contains("persistent"))
        let transient = try runConsole(["loopback", "create", "--root-name", "Scratch"], socket: daemon.socketPath, directory: dir)
        #expect(transient.status == 0)
        let file = try String(contentsOfFile: daemon.sandbox.configPath, encoding: .utf8)
        #expect(file.contains("Studio (A)"))
        #expect(!file.contains("Scratch"))

        try daemon.restart()
        let listed = try runConsole(["endpoint", "list", "--json"], socket: daemon.socketPath, directory: dir)
        let names = try #require(try listed.json() as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(names == ["Studio (A)", "Studio (B)"])
    }

    @Test func sendMessageReachesAMonitorOnTheOtherSide() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let dir = daemon.sandbox.directory, socket = daemon.socketPath
        let monitor = try ConsoleRun(["endpoint", "loop_b_default", "monitor", "--json", "--count", "2", "--timeout", "20"],
                                     socket: socket, directory: dir)
        #expect(pollUntil { monitor.stderr.contains("Monitoring") }, "monitor did not start: \(monitor.stderr)")
        let text = try ConsoleRun(["endpoint", "Default Loopback B", "monitor", "--single-message"], socket: socket, directory: dir)
        #expect(pollUntil { text.stderr.contains("Monitoring") }, "monitor did not start: \(text.stderr)")

        let sent = try runConsole(["endpoint", "loop_a_default", "send-message", "20903C40", "--count", "2", "--delay", "1"],
                                  socket: socket, directory: dir)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("Sent 2 messages"))

        #expect(monitor.wait() == 0, "\(monitor.stderr)")
        let lines = monitor.stdoutLines
        #expect(lines.count == 2)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object["words"] as? [String] == ["0x20903C40"])
            #expect((object["timestamp"] as? Int ?? 0) > 0, "stamped by the service on arrival")
            #expect((object["description"] as? String)?.contains("Note On") == true)
        }
        #expect(text.wait() == 0)
        #expect(text.stdoutLines.count == 1)
        #expect(text.stdout.contains("0x20903C40") && text.stdout.contains("Note On"))

        // A monitor that times out before its messages arrived says so: status 5.
        let quiet = try runConsole(["endpoint", "loop_b_default", "monitor", "--single-message", "--timeout", "0.3"],
                                   socket: socket, directory: dir)
        #expect(quiet.status == 5, "\(quiet.stderr)")
        #expect(quiet.stderr.contains("timed out"))
    }

    @Test func renameThroughTheConsolePersists() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let dir = daemon.sandbox.directory
        let renamed = try runConsole(["endpoint", "loop_a_default", "rename", "Synth In"], socket: daemon.socketPath, directory: dir)
        #expect(renamed.status == 0, "\(renamed.stderr)")
        try daemon.restart()
        let props = try runConsole(["endpoint", "Synth In", "properties", "--json"], socket: daemon.socketPath, directory: dir)
        let object = try #require(try props.json() as? [String: Any])
        #expect(object["name"] as? String == "Synth In")
        #expect(object["endpointDeviceId"] as? String == defaultA)
        let cleared = try runConsole(["endpoint", defaultA, "rename", "--clear"], socket: daemon.socketPath, directory: dir)
        #expect(cleared.status == 0, "\(cleared.stderr)")
        #expect(cleared.stdout.contains("Default Loopback A"))
    }

    @Test func servicePingAndStatus() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let dir = daemon.sandbox.directory, socket = daemon.socketPath
        let ping = try runConsole(["service", "ping", "--count", "5", "--json"], socket: socket, directory: dir)
        #expect(ping.status == 0, "\(ping.stderr)")
        let summary = try #require(try ping.json() as? [String: Any])
        #expect(summary["sent"] as? Int == 5)
        #expect(summary["failures"] as? Int == 0)
        #expect((summary["responses"] as? [Any])?.count == 5)
        #expect((summary["minimumMicroseconds"] as? Double ?? 0) > 0)
        let text = try runConsole(["service", "ping", "--count", "3", "--verbose"], socket: socket, directory: dir)
        #expect(text.status == 0)
        #expect(text.stdout.contains("ping 2:"))
        #expect(text.stdout.contains("median"))

        let status = try runConsole(["service", "status", "--json"], socket: socket, directory: dir)
        #expect(status.status == 0, "\(status.stderr)")
        let object = try #require(try status.json() as? [String: Any])
        #expect(object["socketPath"] as? String == socket)
        #expect((object["config"] as? [String: Any])?["state"] as? String == "loaded")
        #expect((object["clients"] as? [Any])?.count == 1, "the status command itself")
        let human = try runConsole(["service", "status"], socket: socket, directory: dir)
        #expect(human.stdout.contains("Socket:"))
        #expect(human.stdout.contains(daemon.sandbox.configPath))
    }

    @Test func watchEndpointsPrintsEnumerationAndChanges() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let dir = daemon.sandbox.directory, socket = daemon.socketPath
        let watch = try ConsoleRun(["watch-endpoints", "--json", "--timeout", "30"], socket: socket, directory: dir)
        #expect(pollUntil { watch.stdout.contains("enumerationCompleted") }, "\(watch.stderr)")
        #expect(try runConsole(["endpoint", "loop_b_default", "rename", "Renamed B"], socket: socket, directory: dir).status == 0)
        #expect(pollUntil { watch.stdoutLines.count >= 4 })
        kill(watch.process.processIdentifier, SIGINT)
        #expect(watch.wait() == 0)
        let events = watch.stdoutLines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.compactMap { $0["event"] as? String } == ["added", "added", "enumerationCompleted", "updated"])
        #expect((events.last?["endpoint"] as? [String: Any])?["name"] as? String == "Renamed B")
        #expect(events.last?["endpointDeviceId"] as? String == defaultB)
    }
}
