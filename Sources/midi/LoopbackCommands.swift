import ArgumentParser
import Foundation
import MIDIServices

struct LoopbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loopback",
        abstract: "Create, remove, list, mute and unmute loopback endpoint pairs.",
        discussion: """
        A loopback pair is two cross-wired UMP endpoints, A and B: what is sent on A arrives on \
        B and the reverse. Pairs created here are transient (they last until the service \
        stops) unless --persist stores them in the service's configuration file. Each pair is \
        identified by its association id, a GUID.

        Example:
          midi loopback create --root-name "My Loopback"
        """,
        subcommands: [LoopbackCreate.self, LoopbackRemove.self, LoopbackList.self, LoopbackMute.self, LoopbackUnmute.self],
        aliases: ["midi2-loopback", "bidirectional-loopback"])
}

/// `--association-id`, parsed the console's way (braces optional).
struct AssociationIdOption: ParsableArguments {
    @Option(name: [.customShort("i"), .customLong("association-id")], help: ArgumentHelp(
        "The pair's GUID, with or without braces.", valueName: "guid"))
    var associationId: String

    func parsed() throws -> UUID {
        guard let id = MidiLoopbackEndpointManager.parseAssociationId(associationId) else {
            throw ConsoleError("association id \"\(associationId)\" is not a GUID (expected 8-4-4-4-12 hex digits, braces optional)")
        }
        return id
    }
}

struct LoopbackCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a loopback endpoint pair.",
        discussion: """
        Name the endpoints with --root-name (giving "<root> (A)" and "<root> (B)") or with \
        --name-a and --name-b. Names must be unique among loopback endpoints. The unique \
        identifier makes the EndpointDeviceIds stable (loop_a_<id>, loop_b_<id>): characters \
        other than A-Z a-z 0-9 - _ are stripped, at most 32 may remain; one is generated when \
        absent. The association id is generated when absent; keep it to remove the pair.

        Examples:
          midi loopback create --root-name "My Loopback"
          midi loopback create --name-a "Loopback One" --name-b "Loopback Two"
          midi loopback create --root-name "My Loopback" \\
              --association-id 7af38a08-0f4b-43ad-b218-1757496f0034
          midi loopback create --root-name Studio --unique-identifier studio1 --persist
          midi loopback create --root-name "UMP Only" --ump-only
          midi loopback create --root-name Synth --naming-approach newStyle
        """)

    @Option(name: [.customShort("r"), .customLong("root-name")], help: ArgumentHelp("Name both endpoints \"<root> (A)\" and \"<root> (B)\".", valueName: "name"))
    var rootName: String?

    @Option(name: [.customShort("a"), .customLong("name-a")], help: ArgumentHelp("Name of endpoint A.", valueName: "name"))
    var nameA: String?

    @Option(name: [.customShort("b"), .customLong("name-b")], help: ArgumentHelp("Name of endpoint B.", valueName: "name"))
    var nameB: String?

    @Option(name: .customLong("description-a"), help: ArgumentHelp("Description of endpoint A.", valueName: "text"))
    var descriptionA: String?

    @Option(name: .customLong("description-b"), help: ArgumentHelp("Description of endpoint B.", valueName: "text"))
    var descriptionB: String?

    @Option(name: [.customShort("i"), .customLong("association-id")], help: ArgumentHelp("The pair's GUID, braces optional (default: a new one).", valueName: "guid"))
    var associationId: String?

    @Option(name: [.customShort("u"), .customLong("unique-identifier")], help: ArgumentHelp(
        "Unique identifier for both endpoints (default: generated).", valueName: "id"))
    var uniqueIdentifier: String?

    @Flag(name: .long, help: "Store the pair in the service's configuration file so it survives restarts.")
    var persist = false

    @Option(name: .customLong("group-count"), help: ArgumentHelp("ALSA ports (UMP groups) per endpoint, 1-16 (default 16).", valueName: "n"))
    var groupCount: Int?

    @Flag(name: .customLong("ump-only"), help: ArgumentHelp(
        "Publish no MIDI 1.0 ports: neither side gets an ALSA sequencer client (Windows' umpOnly)."))
    var umpOnly = false

    @Option(name: .customLong("naming-approach"), help: ArgumentHelp(
        "How the ALSA client and ports are named: classicCompatible (stable: only names you give), newStyle (follow declared endpoint and function block names) or default (the service's global setting).",
        valueName: "approach"))
    var namingApproach: Midi1PortNamingApproach = .useGlobalDefault

    @Flag(name: .customLong("no-restore-connections"), help: ArgumentHelp(
        "Do not remember and remake ALSA subscriptions to and from this pair's ports."))
    var noRestoreConnections = false

    @Flag(name: .long, help: "Print the created pair as JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    /// The two names from the options, or why they do not make a pair.
    func names() throws -> (String, String) {
        if let rootName {
            guard nameA == nil, nameB == nil else {
                throw ConsoleError("use either --root-name or --name-a and --name-b, not both")
            }
            let root = rootName.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !root.isEmpty else { throw ConsoleError("--root-name must not be empty") }
            return (root + " (A)", root + " (B)")
        }
        guard let nameA, let nameB else {
            throw ConsoleError("name the endpoints: --root-name NAME, or both --name-a NAME and --name-b NAME")
        }
        return (nameA, nameB)
    }

    func run() throws {
        let (a, b) = try names()
        var association = UUID()
        if let associationId {
            guard let parsed = MidiLoopbackEndpointManager.parseAssociationId(associationId) else {
                throw ConsoleError("association id \"\(associationId)\" is not a GUID (expected 8-4-4-4-12 hex digits, braces optional)")
            }
            association = parsed
        }
        let config = MidiLoopbackEndpointCreationConfig(
            associationId: association,
            endpointDefinitionA: MidiLoopbackEndpointDefinition(
                name: a, description: descriptionA, uniqueId: uniqueIdentifier, umpOnly: umpOnly ? true : nil,
                midi1PortNamingApproach: namingApproach, restoreConnections: noRestoreConnections ? false : nil),
            endpointDefinitionB: MidiLoopbackEndpointDefinition(
                name: b, description: descriptionB, uniqueId: uniqueIdentifier, umpOnly: umpOnly ? true : nil,
                midi1PortNamingApproach: namingApproach, restoreConnections: noRestoreConnections ? false : nil),
            groupCount: groupCount)
        // Input mistakes are reported before connecting, so they are the same with or without a service.
        try LoopbackInputCheck.check(config)
        let session = try connection.openSession()
        defer { session.close() }
        let result = persist
            ? MidiLoopbackEndpointManager.createPersistentLoopbackEndpoints(config, session: session)
            : MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(config, session: session)
        guard result.success, let pair = result.pair else {
            if let error = result.error { throw ConsoleError(error) }
            throw ConsoleError(result.errorInformation)
        }
        if json {
            try ConsoleOutput.json(pair)
            return
        }
        ConsoleOutput.line("Created loopback pair \(pair.associationId) (\(persist ? "persistent: stored in the configuration file" : "transient: until the service stops")).")
        LoopbackList.printPair(pair)
    }
}

/// Runs the SDK's own validation without a service, so a bad name or id is one clear line.
enum LoopbackInputCheck {
    static func check(_ config: MidiLoopbackEndpointCreationConfig) throws {
        if let problem = MidiLoopbackEndpointManager.validate(config) { throw ConsoleError(problem) }
    }
}

struct LoopbackRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove a loopback endpoint pair created with 'midi loopback create'.",
        discussion: """
        Pairs that come from the service's configuration file are removed only with --persist, \
        which also deletes their entry from the file (as 'create --persist' added it); every \
        other byte of the file stays as it was.

        Examples:
          midi loopback remove --association-id 7af38a08-0f4b-43ad-b218-1757496f0034
          midi loopback delete -i 7af38a08-0f4b-43ad-b218-1757496f0034 --persist
        """,
        aliases: ["delete"])

    @OptionGroup var pair: AssociationIdOption

    @Flag(name: .long, help: "Also remove a pair stored in the configuration file, deleting its entry from the file.")
    var persist = false

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let id = try pair.parsed()
        let session = try connection.openSession()
        defer { session.close() }
        let result = MidiLoopbackEndpointManager.removeTransientLoopbackEndpoints(
            MidiLoopbackEndpointRemovalConfig(associationId: id, persist: persist), session: session)
        guard result.success else {
            if let error = result.error { throw ConsoleError(error) }
            throw ConsoleError(result.errorInformation)
        }
        ConsoleOutput.line("Removed loopback pair \(MidiLoopbackEndpointManager.formatAssociationId(id)).")
    }
}

struct LoopbackList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List loopback endpoint pairs.",
        discussion: """
        Shows every pair: from the configuration file (persistent) and created at run time \
        (transient), with both endpoints' names and ids.

        Examples:
          midi loopback list
          midi loopback list --json
        """)

    @Flag(name: .long, help: "Print the pairs as a JSON array.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let session = try connection.openSession()
        defer { session.close() }
        let pairs = try MidiLoopbackEndpointManager.loopbackEndpointPairs(session: session)
        if json {
            try ConsoleOutput.json(pairs)
            return
        }
        guard !pairs.isEmpty else {
            ConsoleOutput.line("No loopback pairs.")
            return
        }
        for (index, pair) in pairs.enumerated() {
            if index > 0 { ConsoleOutput.line("") }
            var facts = [pair.isPersistent ? "persistent" : "transient"]
            if pair.isMuted { facts.append("muted") }
            if let groups = pair.groupCount { facts.append("\(groups) group\(groups == 1 ? "" : "s")") }
            ConsoleOutput.line("\(pair.associationId)  \(facts.joined(separator: ", "))")
            Self.printPair(pair)
        }
    }

    static func printPair(_ pair: MidiLoopbackEndpointPair) {
        for (letter, side) in [("A", pair.endpointA), ("B", pair.endpointB)] {
            ConsoleOutput.line("  \(letter): \(side.name)  (unique id \(side.uniqueId))")
            ConsoleOutput.line("     \(side.endpointDeviceId)")
        }
    }
}

struct LoopbackMute: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mute",
        abstract: "Mute a loopback pair: messages sent on either side are dropped.",
        discussion: """
        While muted, senders are still told their messages were sent. Undo with 'midi loopback unmute'.

        Example:
          midi loopback mute --association-id 7af38a08-0f4b-43ad-b218-1757496f0034
        """)

    @OptionGroup var pair: AssociationIdOption
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let id = try pair.parsed()
        let session = try connection.openSession()
        defer { session.close() }
        let result = try MidiLoopbackEndpointManager.muteLoopbackEndpoints(associationId: id, session: session)
        ConsoleOutput.line("Muted loopback pair \(result.associationId).")
    }
}

struct LoopbackUnmute: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmute",
        abstract: "Unmute a loopback pair muted with 'midi loopback mute'.",
        discussion: """
        Example:
          midi loopback unmute --association-id 7af38a08-0f4b-43ad-b218-1757496f0034
        """)

    @OptionGroup var pair: AssociationIdOption
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let id = try pair.parsed()
        let session = try connection.openSession()
        defer { session.close() }
        let result = try MidiLoopbackEndpointManager.unmuteLoopbackEndpoints(associationId: id, session: session)
        ConsoleOutput.line("Unmuted loopback pair \(result.associationId).")
    }
}

extension Midi1PortNamingApproach: ExpressibleByArgument {}
