import ArgumentParser
import MIDIServices

/// `midi endpoint <id> rename-port --group N "Drums"` / `--clear`.
struct EndpointRenamePort: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename-port",
        abstract: "Give one group's MIDI 1.0 (ALSA) port a custom name (stored by the service).",
        discussion: """
        The name is stored against the EndpointDeviceId and the group, so it survives service \
        restarts and pair re-creation, and wins over the naming approach (classicCompatible \
        or newStyle). ALSA port names are at most 63 bytes. --clear goes back to the naming \
        approach's name. 'midi endpoint <id> properties' shows the whole name table.

        Examples:
          midi endpoint loop_a_studio rename-port --group 10 "Drums"
          midi endpoint "Studio (A)" rename-port --group 10 --clear
        """)

    @OptionGroup var endpoint: EndpointArgument

    @Option(name: [.short, .long], help: ArgumentHelp("The group (ALSA port number), 1-16.", valueName: "n"))
    var group: Int

    @Argument(help: "The new port name.")
    var name: String?

    @Flag(name: .long, help: "Remove the custom port name.")
    var clear = false

    @Flag(name: .long, help: "Print the endpoint's name table as JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard (1...16).contains(group) else { throw ValidationError("--group must be 1 to 16; got \(group)") }
        if clear {
            guard name == nil else { throw ValidationError("--clear takes no name") }
        } else {
            guard let name else { throw ValidationError("give the new port name, or --clear") }
            guard !name.allSatisfy(\.isWhitespace) else { throw ValidationError("the port name must not be empty or blank") }
            guard name.utf8.count <= 63 else {
                throw ValidationError("the port name is \(name.utf8.count) bytes; ALSA port names are at most 63 bytes (UTF-8)")
            }
        }
    }

    func run() throws {
        let session = try connection.openSession()
        defer { session.close() }
        let device = try endpoint.resolve(in: session)
        let updated = try MidiEndpointDeviceInformation.updateMidi1PortName(
            endpointDeviceId: device.endpointDeviceId, group: group, name: clear ? nil : name, session: session)
        if json {
            try ConsoleOutput.json(updated.midi1Ports)
            return
        }
        let shown = updated.midi1Ports?.names.first { $0.group == group }?.shownName
        if clear {
            ConsoleOutput.line("Cleared the custom name of group \(group) of \(updated.endpointDeviceId)\(shown.map { "; ALSA port \(group) is \"\($0)\" again" } ?? "").")
        } else {
            ConsoleOutput.line("Named group \(group) of \(updated.endpointDeviceId) \"\(shown ?? name ?? "")\".")
        }
    }
}

/// `midi endpoint <id> clear-declared`: forget captured in-protocol information.
struct EndpointClearDeclared: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear-declared",
        abstract: "Forget what the endpoint declared in-protocol (name, info, identity, function blocks).",
        discussion: """
        The service keeps what applications declare through an endpoint (Endpoint Name, \
        Endpoint Info, Device Identity, Function Blocks) across restarts. This forgets it, so \
        the endpoint shows its custom or configured name again, until something declares anew.

        Example:
          midi endpoint loop_a_studio clear-declared
        """)

    @OptionGroup var endpoint: EndpointArgument
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let session = try connection.openSession()
        defer { session.close() }
        let device = try endpoint.resolve(in: session)
        let updated = try MidiEndpointDeviceInformation.clearDeclaredInfo(endpointDeviceId: device.endpointDeviceId, session: session)
        ConsoleOutput.line("Cleared the declared information of \(updated.endpointDeviceId); it is \"\(updated.name)\".")
    }
}

/// `midi enumerate legacy-endpoints` (and the endpoints listing under the Windows words).
struct EnumerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enumerate",
        abstract: "List UMP endpoints or their MIDI 1.0 (ALSA) ports.",
        discussion: """
        The Windows console's 'enumerate' (alias 'enum', 'list').

        Examples:
          midi enumerate endpoints
          midi enumerate legacy-endpoints --json
        """,
        subcommands: [EnumerateEndpoints.self, EnumerateLegacyEndpoints.self],
        aliases: ["enum", "list"])
}

struct EnumerateEndpoints: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ump-endpoints",
        abstract: "List UMP endpoints (as 'midi endpoint list').",
        aliases: ["endpoints", "midi-services-endpoints", "ep", "ump"])

    @OptionGroup var options: EndpointListing

    func run() throws { try options.run() }
}

struct EnumerateLegacyEndpoints: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "legacy-endpoints",
        abstract: "List every ALSA sequencer client:port that belongs to an endpoint.",
        discussion: """
        One line per port: client:port, its names, the group it carries (port 0 of a loopback \
        carries all groups) and the EndpointDeviceId — so a script can go from a stored id to \
        today's port and back. Loopback endpoints' ports are the service's own clients; USB \
        devices' ports belong to the kernel's client for the card (listed for information).

        Examples:
          midi enumerate legacy-endpoints
          midi enumerate legacy-endpoints --json
        """,
        aliases: ["legacy-winrt-api-endpoints", "bytestream-endpoints", "legacy", "winrt1"])

    @Flag(name: .long, help: "Print the ports as a JSON array.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let session = try connection.openSession()
        defer { session.close() }
        let ports = try MidiEndpointDeviceInformation.findAllLegacyPorts(session: session)
        if json {
            try ConsoleOutput.json(ports)
            return
        }
        guard !ports.isEmpty else {
            ConsoleOutput.line("No MIDI 1.0 ports.")
            return
        }
        ConsoleOutput.table(header: ["Port", "Client", "Port name", "Group", "Endpoint Device Id"],
                            rows: ports.map { ["\($0.client):\($0.port)", $0.clientName, $0.portName,
                                               $0.group.map(String.init) ?? "all", $0.endpointDeviceId] })
    }
}

/// `midi connections list|forget`: the ALSA subscriptions the service remembers and remakes.
struct ConnectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connections",
        abstract: "List or forget the ALSA connections the service remakes for loopback ports.",
        discussion: """
        Subscriptions that ALSA programs make to or from a loopback endpoint's ports (aconnect, \
        DAWs, PipeWire) are remembered by EndpointDeviceId, port and the other side's client \
        and port names, and remade when the service restarts, when the pair is re-created from \
        the configuration, and when the other program's port appears again. Set \
        "midi1Ports": { "restoreConnections": false } on an endpoint in the configuration (or \
        --no-restore-connections on 'loopback create') to turn it off for that endpoint.

        Examples:
          midi connections list
          midi connections list --endpoint loop_a_studio --json
          midi connections forget --endpoint loop_a_studio
        """,
        subcommands: [ConnectionsList.self, ConnectionsForget.self])
}

struct ConnectionsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List remembered connections.", aliases: ["ls"])

    @Option(name: [.short, .long], help: ArgumentHelp("Only this endpoint's.", valueName: "id"))
    var endpoint: String?

    @Flag(name: .long, help: "Print them as a JSON array.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let session = try connection.openSession()
        defer { session.close() }
        let list = try MidiEndpointDeviceInformation.rememberedConnections(endpointDeviceId: endpoint, session: session)
        try ConnectionsPrinter.print(list, json: json, empty: "No remembered connections.")
    }
}

struct ConnectionsForget: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Forget remembered connections (the current subscriptions stay until removed).")

    @Option(name: [.short, .long], help: ArgumentHelp("Only this endpoint's (default: all).", valueName: "id"))
    var endpoint: String?

    @Flag(name: .long, help: "Print what was forgotten as a JSON array.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let session = try connection.openSession()
        defer { session.close() }
        let list = try MidiEndpointDeviceInformation.forgetConnections(endpointDeviceId: endpoint, session: session)
        if !json { ConsoleOutput.line("Forgot \(list.count) connection(s).") }
        try ConnectionsPrinter.print(list, json: json, empty: nil)
    }
}

enum ConnectionsPrinter {
    static func print(_ list: [MidiRememberedConnection], json: Bool, empty: String?) throws {
        if json {
            try ConsoleOutput.json(list)
            return
        }
        guard !list.isEmpty else {
            if let empty { ConsoleOutput.line(empty) }
            return
        }
        ConsoleOutput.table(header: ["Endpoint Device Id", "Port", "Direction", "Other port", "Connected"],
                            rows: list.map { [$0.endpointDeviceId, String($0.port), $0.direction == "from" ? "<-" : "->",
                                              "\($0.otherClientName):\($0.otherPortName)", $0.isConnected ? "yes" : "no"] })
    }
}

extension EndpointPropertiesPrinter {
    /// The MIDI 1.0 part of `properties`: settings and the name table.
    static func printMidi1Ports(_ ports: MidiEndpointMidi1Ports) {
        ConsoleOutput.line("MIDI 1.0 ports:")
        ConsoleOutput.fields([
            ("UMP only", ports.umpOnly ? "yes (no ALSA client)" : "no"),
            ("Naming approach", ports.namingApproach.rawValue),
            ("Restore connections", ports.restoreConnections ? "yes" : "no"),
            ("ALSA client name", ports.clientName),
        ], indent: "  ")
        guard !ports.names.isEmpty else { return }
        ConsoleOutput.table(header: ["  Port", "Group", "Shown", "From", "Custom", "Classic", "New style"],
                            rows: ports.names.map {
                                ["  \($0.port)", $0.group.map(String.init) ?? "all", $0.shownName, $0.source,
                                 $0.customName ?? "-", $0.classicName, $0.newStyleName]
                            })
    }
}
