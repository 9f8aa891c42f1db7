import Foundation
import MIDIServices
import Testing

/// Issue 16's console and SDK behaviour against a real `midisrv` (no ALSA needed: the name
/// table, custom port names and settings live in the service; the ALSA side is the VM group
/// legacy-ports).
@Suite("midi console: MIDI 1.0 ports and Windows compatibility", .serialized)
struct LegacyPortsConsoleTests {
    func properties(_ id: String, _ daemon: SDKDaemon) throws -> [String: Any] {
        let result = try runConsole(["endpoint", id, "properties", "--json"], socket: daemon.socketPath, directory: daemon.sandbox.directory)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try result.json() as? [String: Any])
    }

    func nameRows(_ object: [String: Any]) -> [[String: Any]] {
        ((object["midi1Ports"] as? [String: Any])?["names"] as? [[String: Any]]) ?? []
    }

    @Test func renamePortIsStoredShownInTheTableAndSurvivesARestart() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let dir = daemon.sandbox.directory, socket = daemon.socketPath
        let named = try runConsole(["endpoint", "loop_a_default", "rename-port", "--group", "10", "Drums"], socket: socket, directory: dir)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdout.contains("\"Drums\""))
        try daemon.restart()
        let rows = nameRows(try properties("loop_a_default", daemon))
        #expect(rows.count == 17, "port 0 and 16 groups")
        let row = try #require(rows.first { $0["port"] as? Int == 10 })
        #expect(row["shownName"] as? String == "Drums")
        #expect(row["source"] as? String == "custom")
        #expect(row["classicName"] as? String == "Group 10")
        #expect(rows.first?["shownName"] as? String == "Default Loopback A")
        let human = try runConsole(["endpoint", "loop_a_default", "properties"], socket: socket, directory: dir)
        #expect(human.stdout.contains("MIDI 1.0 ports:") && human.stdout.contains("Drums") && human.stdout.contains("classicCompatible"))

        // The SDK sees the same table, and clears through it too.
        let session = try daemon.session()
        let device = try MidiEndpointDeviceInformation.updateMidi1PortName(endpointDeviceId: defaultA, group: 10, name: nil, session: session)
        #expect(device.midi1Ports?.names.first { $0.group == 10 }?.shownName == "Group 10")
        #expect(device.midi1Ports?.namingApproach == .classicCompatible)
        session.close()

        // Refusals: a group the pair lacks (status 1, one line), a name ALSA cannot hold (usage, 2).
        let bad = try runConsole(["endpoint", "loop_a_default", "rename-port", "-g", "17", "X"], socket: socket, directory: dir)
        #expect(bad.status == 2, "\(bad.stderr)")
        let long = try runConsole(["endpoint", "loop_a_default", "rename-port", "-g", "1", String(repeating: "é", count: 32)],
                                  socket: socket, directory: dir)
        #expect(long.status == 2 && long.stderr.contains("63 bytes"), "\(long.stderr)")
    }

    @Test func umpOnlyAndNamingApproachFromCreateShowInProperties() throws {
        let daemon = try SDKDaemon()
        let dir = daemon.sandbox.directory, socket = daemon.socketPath
        let created = try runConsole(["loopback", "create", "-r", "Quiet", "-u", "quiet", "--ump-only", "--naming-approach", "newStyle"],
                                     socket: socket, directory: dir)
        #expect(created.status == 0, "\(created.stderr)")
        let ports = try #require(try properties("loop_a_quiet", daemon)["midi1Ports"] as? [String: Any])
        #expect(ports["umpOnly"] as? Bool == true)
        #expect(ports["namingApproach"] as? String == "newStyle")
        let bad = try runConsole(["loopback", "create", "-r", "X", "--naming-approach", "fancy"], socket: socket, directory: dir)
        #expect(bad.status == 2, "\(bad.stderr)")
    }

    @Test func removePersistDeletesTheEntryAndMuteOfAPersistedPairIsKept() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let dir = daemon.sandbox.directory, socket = daemon.socketPath
        let created = try runConsole(["loopback", "create", "-r", "Studio", "-u", "studio", "-i", "7af38a08-0f4b-43ad-b218-1757496f0034", "--persist"],
                                     socket: socket, directory: dir)
        #expect(created.status == 0, "\(created.stderr)")

        // Mute of a configured pair survives a restart (and unmute too).
        #expect(try runConsole(["loopback", "mute", "-i", defaultPairAssociation], socket: socket, directory: dir).status == 0)
        try daemon.restart()
        func muted() throws -> [String: Bool] {
            let list = try runConsole(["loopback", "list", "--json"], socket: socket, directory: dir)
            let pairs = try #require(try list.json() as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: pairs.map { (($0["associationId"] as? String ?? "").lowercased(), $0["isMuted"] as? Bool ?? false) })
        }
        #expect(try muted()[defaultPairAssociation.lowercased()] == true)
        #expect(try muted()["{7af38a08-0f4b-43ad-b218-1757496f0034}"] == false)
        #expect(try runConsole(["loopback", "unmute", "-i", defaultPairAssociation], socket: socket, directory: dir).status == 0)
        try daemon.restart()
        #expect(try muted()[defaultPairAssociation.lowercased()] == false)

        // Without --persist a persisted pair is refused; with it, it goes, and so does its entry.
        let refused = try runConsole(["loopback", "remove", "-i", "7af38a08-0f4b-43ad-b218-1757496f0034"], socket: socket, directory: dir)
        #expect(refused.status == 1 && refused.stderr.contains("configuration file"), "\(refused.stderr)")
        let removed = try runConsole(["loopback", "delete", "-i", "7af38a08-0f4b-43ad-b218-1757496f0034", "--persist"], socket: socket, directory: dir)
        #expect(removed.status == 0, "\(removed.stderr)")
        let file = try String(contentsOfFile: daemon.sandbox.configPath, encoding: .utf8)
        #expect(!file.contains("Studio") && file.contains("Default Loopback A"))
        try daemon.restart()
        #expect(try muted().count == 1)
    }

    @Test func windowsSpellingsIdsWithoutSuffixAndClearingDeclaredInfo() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let dir = daemon.sandbox.directory, socket = daemon.socketPath
        let bare = #"\\?\swd#midisrv#midiu_loop_a_default"#
        #expect(try properties(bare, daemon)["endpointDeviceId"] as? String == defaultA)
        let props = try runConsole(["ep", "loop_a_default", "props", "--json"], socket: socket, directory: dir)
        #expect(props.status == 0, "\(props.stderr)")
        for words in [["enumerate", "endpoints", "--json"], ["enum", "ump-endpoints", "--json"], ["list", "ep", "--json"]] {
            let listed = try runConsole(words, socket: socket, directory: dir)
            #expect(listed.status == 0, "\(words): \(listed.stderr)")
            #expect((try listed.json() as? [[String: Any]])?.count == 2, "\(words)")
        }
        // `watch` is the Windows console's short form of watch-endpoints.
        let watch = try runConsole(["watch", "--json", "--timeout", "1"], socket: socket, directory: dir)
        #expect(watch.status == 0 && watch.stdout.contains("enumerationCompleted"), "\(watch.stderr)")
        let legacy = try runConsole(["enumerate", "legacy-endpoints", "--json"], socket: socket, directory: dir)
        #expect(legacy.status == 0, "\(legacy.stderr)")
        #expect(try legacy.json() as? [Any] != nil)

        // An Endpoint Name Notification ("Declared") renames the endpoint; clear-declared undoes it.
        let sent = try runConsole(["endpoint", "loop_a_default", "send", "F0034465", "636C6172", "65640000", "00000000"],
                                  socket: socket, directory: dir)
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(pollUntil { (try? properties("loop_a_default", daemon)["name"] as? String) == "Declared" })
        let cleared = try runConsole(["endpoint", "loop_a_default", "clear-declared"], socket: socket, directory: dir)
        #expect(cleared.status == 0, "\(cleared.stderr)")
        #expect(try properties("loop_a_default", daemon)["name"] as? String == "Default Loopback A")
    }
}
