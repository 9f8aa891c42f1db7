import ArgumentParser
import Dispatch
import Foundation
import Glibc
import MIDIServices
import Synchronization
import UMP

struct EndpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "endpoint",
        abstract: "List endpoints; show, send to, monitor or rename one.",
        discussion: """
        <id> is the full EndpointDeviceId, a short form (loop_a_default, diag_loopback_a) or a \
        unique endpoint name. The Windows console's order works too: \
        'midi endpoint <id> monitor' is 'midi endpoint monitor <id>', and \
        'midi endpoint <id>' alone shows its properties.

        Examples:
          midi endpoint list
          midi endpoint loop_a_default properties
          midi endpoint loop_a_default send-message 0x20903C40
          midi endpoint loop_b_default monitor
          midi endpoint loop_a_default rename "Synth In"
        """,
        subcommands: [EndpointList.self, EndpointPropertiesCommand.self, EndpointSendMessage.self, EndpointMonitor.self,
                      EndpointRename.self, EndpointRenamePort.self, EndpointClearDeclared.self],
        aliases: ["ep"])
}

/// The endpoint argument shared by the per-endpoint verbs.
struct EndpointArgument: ParsableArguments {
    @Argument(help: ArgumentHelp("EndpointDeviceId, short form (loop_a_default, diag_loopback_a) or unique name.",
                                 valueName: "id"),
              completion: .custom { words, _, prefix in EndpointCompletion.shortIds(words: words, prefix: prefix) })
    var id: String

    /// Looks the endpoint up; unknown is exit status 4.
    func resolve(in session: MidiSession) throws -> MidiEndpointDeviceInformation {
        guard let device = try MidiEndpointDeviceInformation.createFromEndpointDeviceId(id, session: session) else {
            throw ConsoleError("no endpoint \"\(id)\" (try 'midi endpoint list --all')", status: .notFound)
        }
        return device
    }
}

struct EndpointList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List endpoints.",
        discussion: """
        Lists the endpoints applications normally show. The diagnostic loopbacks (Service Test \
        Loopback A/B) are included with --include-diagnostic-loopback; --all adds the internal \
        ping endpoint as well.

        Examples:
          midi endpoint list
          midi endpoint list --include-diagnostic-loopback
          midi endpoint list --json
        """)

    @OptionGroup var options: EndpointListing

    func run() throws { try options.run() }
}

/// What `midi endpoint list` and `midi enumerate endpoints` share: the filter flags, the
/// connection, and the listing itself (a table, or JSON).
struct EndpointListing: ParsableArguments {
    @Flag(name: .customLong("include-diagnostic-loopback"), help: "Include the diagnostic loopback endpoints.")
    var includeDiagnosticLoopback = false

    @Flag(name: .long, help: "Include every endpoint, diagnostic ones too.")
    var all = false

    @Flag(name: .long, help: "Print the endpoints as a JSON array.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        var filter = MidiEndpointDeviceInformationFilters.allStandardEndpoints
        if includeDiagnosticLoopback { filter.insert(.includeDiagnosticLoopback) }
        if all { filter = .all }
        let session = try connection.openSession()
        defer { session.close() }
        let devices = try MidiEndpointDeviceInformation.findAll(sortOrder: .name, filter: filter, session: session)
        if json {
            try ConsoleOutput.json(devices)
            return
        }
        guard !devices.isEmpty else {
            ConsoleOutput.line("No endpoints.")
            return
        }
        ConsoleOutput.table(header: ["Name", "Transport", "Endpoint Device Id"],
                            rows: devices.map { [$0.name, $0.transportCode, $0.endpointDeviceId] })
    }
}

struct EndpointPropertiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "properties",
        abstract: "Show everything known about one endpoint.",
        discussion: """
        Names (transport-supplied, user-supplied, declared), identifiers, USB vendor/product \
        ids, declared endpoint info and device identity, function blocks, group terminal \
        blocks and loopback facts.

        Examples:
          midi endpoint loop_a_default properties
          midi endpoint properties "Perm Loopback 1A" --json
        """,
        aliases: ["props", "information", "info"])

    @OptionGroup var endpoint: EndpointArgument

    @Flag(name: .long, help: "Print the properties as JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let session = try connection.openSession()
        defer { session.close() }
        let device = try endpoint.resolve(in: session)
        if json {
            try ConsoleOutput.json(device)
            return
        }
        EndpointPropertiesPrinter.print(device)
    }
}

enum EndpointPropertiesPrinter {
    static func hex16(_ value: UInt16?) -> String? {
        value.map { "0x" + String(repeating: "0", count: 4 - String($0, radix: 16).count) + String($0, radix: 16, uppercase: true) }
    }

    static func yesNo(_ value: Bool?) -> String? { value.map { $0 ? "yes" : "no" } }

    static func print(_ d: MidiEndpointDeviceInformation) {
        let t = d.transportSuppliedInfo
        ConsoleOutput.fields([
            ("Name", d.name),
            ("Endpoint Device Id", d.endpointDeviceId),
            ("Device Instance Id", d.deviceInstanceId),
            ("Transport", d.transportCode),
            ("Purpose", d.endpointPurpose.rawValue),
            ("Native data format", d.nativeDataFormat.rawValue),
            ("ALSA client", d.alsaClientNumber.map(String.init)),
            ("Open connections", d.openConnectionCount.map(String.init)),
        ])
        ConsoleOutput.line("Transport-supplied:")
        ConsoleOutput.fields([
            ("Name", t.name), ("Description", t.description), ("Serial number", t.serialNumber),
            ("Manufacturer", t.manufacturerName), ("Vendor id", hex16(t.vendorId)), ("Product id", hex16(t.productId)),
        ], indent: "  ")
        if d.userSuppliedInfo.name != nil || d.userSuppliedInfo.description != nil {
            ConsoleOutput.line("User-supplied:")
            ConsoleOutput.fields([("Name", d.userSuppliedInfo.name), ("Description", d.userSuppliedInfo.description)], indent: "  ")
        }
        if let declared = d.declaredEndpointInfo {
            ConsoleOutput.line("Declared endpoint info:")
            let version = declared.umpVersionMajor.map { "\($0).\(declared.umpVersionMinor ?? 0)" }
            ConsoleOutput.fields([
                ("Name", declared.name), ("Product instance id", declared.productInstanceId), ("UMP version", version),
                ("MIDI 1.0 protocol", yesNo(declared.supportsMIDI10Protocol)),
                ("MIDI 2.0 protocol", yesNo(declared.supportsMIDI20Protocol)),
                ("Sends JR timestamps", yesNo(declared.supportsSendingJitterReductionTimestamps)),
                ("Receives JR timestamps", yesNo(declared.supportsReceivingJitterReductionTimestamps)),
                ("Static function blocks", yesNo(declared.hasStaticFunctionBlocks)),
                ("Function block count", declared.declaredFunctionBlockCount.map(String.init)),
                ("Configured protocol", declared.configuredProtocol.map { $0 == 2 ? "MIDI 2.0" : $0 == 1 ? "MIDI 1.0" : String($0) }),
            ], indent: "  ")
        }
        if let identity = d.declaredDeviceIdentity {
            ConsoleOutput.line("Declared device identity:")
            func bytes(_ b: [UInt8]) -> String { b.map { String(format: "%02X", $0) }.joined(separator: " ") }
            ConsoleOutput.fields([
                ("Manufacturer id", bytes(identity.manufacturerId)),
                ("Device family", hex16(identity.deviceFamily)),
                ("Device family model", hex16(identity.deviceFamilyModel)),
                ("Software revision", bytes(identity.softwareRevisionLevel)),
            ], indent: "  ")
        }
        if !d.functionBlocks.isEmpty {
            ConsoleOutput.line("Function blocks:")
            for block in d.functionBlocks {
                ConsoleOutput.line("  \(block.number): \(block.name ?? "(no name)")  \(block.direction.rawValue), groups \(groups(block.firstGroupIndex, block.groupCount))\(block.isActive ? "" : ", inactive")")
            }
        }
        if !d.groupTerminalBlocks.isEmpty {
            ConsoleOutput.line("Group terminal blocks:")
            for block in d.groupTerminalBlocks {
                let proto = block.protocol.map { ", \($0)" } ?? ""
                ConsoleOutput.line("  \(block.number): \(block.name ?? "(no name)")  \(block.direction.rawValue), groups \(groups(block.firstGroupIndex, block.groupCount))\(proto)")
            }
        }
        if let ports = d.midi1Ports { printMidi1Ports(ports) }
        if let kernel = d.kernelSequencerClient {
            ConsoleOutput.line("ALSA sequencer client (the kernel's): \(kernel.client) \"\(kernel.clientName)\"")
            for port in kernel.ports {
                ConsoleOutput.line("  \(kernel.client):\(port.port)  \(port.name)\(port.group.map { "  group \($0)" } ?? "")")
            }
        }
        if let loop = d.loopbackInfo {
            ConsoleOutput.line("Loopback:")
            ConsoleOutput.fields([
                ("Association id", loop.associationId), ("Side", loop.side), ("Unique id", loop.uniqueId),
                ("Persistent", yesNo(loop.isPersistent)), ("Muted", yesNo(loop.isMuted)),
                ("Paired endpoint", loop.pairedEndpointDeviceId),
            ], indent: "  ")
        }
    }

    /// Groups as users count them, 1-based.
    static func groups(_ first: UInt8, _ count: UInt8) -> String {
        count <= 1 ? "\(Int(first) + 1)" : "\(Int(first) + 1)-\(Int(first) + Int(count))"
    }
}

struct EndpointSendMessage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-message",
        abstract: "Send one UMP message (repeatedly, if asked) to an endpoint.",
        discussion: """
        Give the message's words in hex, with or without 0x. The number of words must match \
        the message type in the first word's top nibble: types 0, 1, 2 take 1 word; 3, 4 take \
        2; 5, D, F take 4.

        --timestamp: 'now' or 0 (default) sends at once; a number is an absolute MidiClock \
        timestamp (CLOCK_MONOTONIC nanoseconds); +N schedules N milliseconds ahead of each send.

        Examples:
          midi endpoint loop_a_default send-message 0x20903C40
          midi endpoint loop_a_default send-message 40903C00 80000000 --count 10
          midi endpoint loop_a_default send-message 0x20903C40 --timestamp +500
        """,
        aliases: ["send-ump", "send"])

    @OptionGroup var endpoint: EndpointArgument

    @Argument(help: ArgumentHelp("The message's 32-bit words in hex (1 to 4).", valueName: "word"))
    var words: [String] = []

    @Option(name: [.short, .long], help: "How many times to send it.")
    var count = 1

    @Option(name: [.customShort("p"), .long, .customLong("pause")], help: ArgumentHelp("Milliseconds to wait between sends.", valueName: "ms"))
    var delay: Double = 0

    @Option(name: [.short, .long], help: ArgumentHelp("now, an absolute timestamp, or +ms from each send.", valueName: "t"))
    var timestamp = "now"

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard !words.isEmpty else { throw ConsoleError("give the message's words, e.g. send-message 0x20903C40") }
        let packet = try MidiMessageParsing.parseMessage(words: words)
        guard count >= 1 else { throw ConsoleError("--count must be at least 1 (got \(count))") }
        guard delay >= 0, delay.isFinite else { throw ConsoleError("--delay must be zero or more milliseconds (got \(delay))") }
        let stamp = try ConsoleTimestamp(timestamp)

        let session = try connection.openSession()
        defer { session.close() }
        let device = try endpoint.resolve(in: session)
        let link = try session.createEndpointConnection(endpointDeviceId: device.endpointDeviceId)
        try link.open()
        for index in 0..<count {
            if index > 0, delay > 0 { usleep(useconds_t(delay * 1000)) }
            let result = link.sendSingleMessagePacket(timestamp: stamp.value(), packet)
            guard result.isSuccess else {
                throw ConsoleError("sending message \(index + 1) of \(count) to \(device.name) failed: \(result)")
            }
        }
        let words = packet.words.map(MidiMessageParsing.hex).joined(separator: " ")
        ConsoleOutput.line("Sent \(count) message\(count == 1 ? "" : "s") [\(words)] to \(device.name): \(packet.humanDescription)")
    }
}

/// `--timestamp`: now, absolute, or relative to each send.
struct ConsoleTimestamp {
    enum Kind { case now, absolute(UInt64), ahead(milliseconds: Int64) }
    let kind: Kind

    init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        if trimmed == "now" || trimmed == "0" {
            kind = .now
        } else if trimmed.hasPrefix("+"), let ms = Int64(trimmed.dropFirst()), ms >= 0 {
            kind = .ahead(milliseconds: ms)
        } else if let value = UInt64(trimmed) {
            kind = .absolute(value)
        } else {
            throw ConsoleError("--timestamp \"\(text)\" is not 'now', a timestamp in nanoseconds, or +milliseconds")
        }
    }

    func value() -> UInt64 {
        switch kind {
        case .now: return MidiClock.timestampConstantSendImmediately
        case .absolute(let value): return value
        case .ahead(let ms): return MidiClock.offsetFromNow(milliseconds: ms)
        }
    }
}

struct EndpointMonitor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Print the messages an endpoint receives.",
        discussion: """
        Opens a connection to the endpoint and prints each received message with its \
        timestamp (MidiClock nanoseconds), its words and what it means. Runs until Ctrl-C, or \
        until --count messages (1 with --single-message) arrived, or --timeout seconds passed. \
        Ending by --timeout before the requested messages arrived is exit status 5. With --json \
        each message is one JSON object per line.

        Examples:
          midi endpoint loop_b_default monitor
          midi endpoint "My Loopback (B)" monitor --single-message --timeout 10
          midi endpoint loop_b_default monitor --json --count 100
        """,
        aliases: ["listen"])

    @OptionGroup var endpoint: EndpointArgument

    @Flag(name: [.customShort("s"), .customLong("single-message")], help: "Stop after the first message.")
    var singleMessage = false

    @Option(name: .long, help: "Stop after this many messages.")
    var count: Int?

    @Option(name: .long, help: ArgumentHelp("Stop after this many seconds.", valueName: "s"))
    var timeout: Double?

    @Flag(name: .long, help: "One JSON object per message and line.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    struct Line: Encodable {
        var timestamp: UInt64
        var words: [String]
        var messageType: Int
        var group: Int?
        var description: String
    }

    func run() throws {
        let wanted = singleMessage ? 1 : count
        if let wanted, wanted < 1 { throw ConsoleError("--count must be at least 1 (got \(wanted))") }
        if let timeout, !(timeout > 0) { throw ConsoleError("--timeout must be a positive number of seconds") }

        let session = try connection.openSession()
        defer { session.close() }
        let device = try endpoint.resolve(in: session)
        let link = try session.createEndpointConnection(endpointDeviceId: device.endpointDeviceId)
        let done = DispatchSemaphore(value: 0)
        let received = Atomic<Int>(0)
        let json = self.json
        link.messageReceived = { args in
            let n = received.add(1, ordering: .relaxed).newValue
            if let wanted, n > wanted { return }
            EndpointMonitor.printMessage(args, json: json)
            if let wanted, n == wanted { done.signal() }
        }
        link.endpointDeviceDisconnected = { _ in ConsoleOutput.note("midi: the endpoint is disconnected; waiting for it to come back") }
        link.endpointDeviceReconnected = { _ in ConsoleOutput.note("midi: the endpoint is back") }
        try link.open()
        InterruptHandling.exitOnInterrupt()
        ConsoleOutput.note("Monitoring \(device.name) (\(device.endpointDeviceId)). Press Ctrl-C to stop.")
        if let timeout {
            if done.wait(timeout: .now() + .milliseconds(Int(timeout * 1000))) == .timedOut, let wanted {
                let got = min(received.load(ordering: .relaxed), wanted)
                throw ConsoleError("timed out after \(MidiServiceErrorText.seconds(timeout)) s with \(got) of \(wanted) message\(wanted == 1 ? "" : "s")",
                                   status: .timedOut)
            }
        } else {
            done.wait()
        }
    }

    static func printMessage(_ args: MidiMessageReceivedEventArgs, json: Bool) {
        let packet = args.packet
        if json {
            ConsoleOutput.jsonLine(Line(timestamp: args.timestamp, words: packet.words.map(MidiMessageParsing.hex),
                                        messageType: Int(packet.messageType.rawValue), group: packet.group.map(Int.init),
                                        description: packet.humanDescription))
        } else {
            let words = packet.words.map(MidiMessageParsing.hex).joined(separator: " ")
            let stamp = String(args.timestamp)
            ConsoleOutput.line(String(repeating: " ", count: max(0, 16 - stamp.count)) + stamp + "  "
                  + words.padding(toLength: 43, withPad: " ", startingAt: 0) + "  " + packet.humanDescription)
        }
    }
}

enum MidiServiceErrorText {
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

struct EndpointRename: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rename",
        abstract: "Give an endpoint a custom name (stored by the service).",
        discussion: """
        The custom name is stored against the EndpointDeviceId, so it survives service \
        restarts and device replugs; applications and ALSA clients show it. --clear removes \
        the custom name and description, going back to the endpoint's own name.

        Examples:
          midi endpoint loop_a_default rename "Synth In"
          midi endpoint loop_a_default rename --clear
        """)

    @OptionGroup var endpoint: EndpointArgument

    @Argument(help: "The new name.")
    var name: String?

    @Option(name: .long, help: "A custom description as well.")
    var description: String?

    @Flag(name: .long, help: "Remove the custom name and description.")
    var clear = false

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        if clear {
            guard name == nil, description == nil else { throw ConsoleError("--clear takes no name or description") }
        } else {
            guard let name else { throw ConsoleError("give the new name, or --clear") }
            guard !name.allSatisfy(\.isWhitespace) else { throw ConsoleError("the new name must not be empty or blank") }
        }
        let session = try connection.openSession()
        defer { session.close() }
        let device = try endpoint.resolve(in: session)
        let updated = try MidiEndpointDeviceInformation.updateUserSuppliedInfo(
            endpointDeviceId: device.endpointDeviceId, name: clear ? nil : name, description: clear ? "" : description,
            session: session)
        if clear {
            ConsoleOutput.line("Cleared the custom name of \(updated.endpointDeviceId); it is \"\(updated.name)\" again.")
        } else {
            ConsoleOutput.line("Renamed \(updated.endpointDeviceId) to \"\(updated.name)\".")
        }
    }
}
