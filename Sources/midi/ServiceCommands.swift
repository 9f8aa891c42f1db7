import ArgumentParser
import Dispatch
import Foundation
import MIDIServices

struct ServiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service",
        abstract: "The MIDI service itself: status and ping.",
        discussion: """
        Examples:
          midi service status
          midi service ping --count 100
        """,
        subcommands: [ServiceStatusCommand.self, ServicePing.self],
        aliases: ["svc"])
}

struct ServiceStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the service's state: version, paths, configuration file, ALSA, udev, clients.",
        discussion: """
        Says whether the configuration file loaded (and if not, where and why), whether the \
        ALSA sequencer bridge and the udev monitor run, and lists connected clients with their \
        connections and dropped-message counts.

        Examples:
          midi service status
          midi service status --json
        """)

    @Flag(name: .long, help: "Print the status as JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let session = try connection.openSession()
        defer { session.close() }
        let status = try MidiDiagnostics.serviceStatus(session: session)
        if json {
            try ConsoleOutput.json(status)
            return
        }
        ConsoleOutput.fields([
            ("Service", "\(status.serviceName) \(status.serviceVersion) (protocol \(status.protocolVersion))"),
            ("Process", "pid \(status.pid), \(status.mode) mode, up \(Self.duration(status.uptimeSeconds))"),
            ("Socket", status.socketPath),
            ("Configuration", "\(status.configPath) — \(status.config.state)"),
            ("State directory", status.stateDirectory),
            ("ALSA sequencer", (status.alsa.available ? "available" : "not available") + (status.alsa.detail.isEmpty ? "" : " — \(status.alsa.detail)")),
            ("udev", (status.udev.available ? "available" : "not available") + (status.udev.detail.isEmpty ? "" : " — \(status.udev.detail)")),
            ("Endpoints", String(status.endpointCount)),
            ("Loopback pairs", "\(status.loopbackPairCount) (\(status.config.loopbackPairCount) from the configuration file)"),
            ("Scheduler", status.scheduler.map { "\($0.queued) of \($0.capacity) queued, \($0.refused) refused" }),
        ])
        if let message = status.config.message { ConsoleOutput.line("  " + message) }
        for issue in status.config.issues { ConsoleOutput.line("  " + issue) }
        ConsoleOutput.line("Clients: \(status.clients.count)")
        for client in status.clients {
            ConsoleOutput.line("  #\(client.clientId) \(client.name)  pid \(client.pid), uid \(client.uid), \(client.connections.count) connection\(client.connections.count == 1 ? "" : "s"), \(client.subscriptionCount) watcher\(client.subscriptionCount == 1 ? "" : "s"), queue \(client.queuedBytes)/\(client.queueCapacityBytes) bytes, \(client.droppedMessages) dropped")
            for c in client.connections {
                ConsoleOutput.line("      #\(c.connection) \(c.endpointDeviceId)  sent \(c.messagesSent), received \(c.messagesReceived), dropped \(c.droppedOverflow)")
            }
        }
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds)
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        return h > 0 ? "\(h)h \(m)m \(s)s" : m > 0 ? "\(m)m \(s)s" : "\(s)s"
    }
}

struct ServicePing: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Measure round trips to the service through its ping endpoint.",
        discussion: """
        Sends --count ping messages one after another and reports the round-trip times in \
        microseconds: minimum, median, 99th percentile, maximum and average. Any ping not \
        answered within --timeout milliseconds counts as failed, and the exit status is 1.

        Examples:
          midi service ping
          midi service ping --count 1000 --json
          midi service ping --count 5 --verbose
        """)

    @Option(name: .long, help: "How many pings.")
    var count = 10

    @Option(name: .long, help: ArgumentHelp("Milliseconds to wait for each reply.", valueName: "ms"))
    var timeout: Double = 2000

    @Flag(name: .long, help: "Print every ping's round trip.")
    var verbose = false

    @Flag(name: .long, help: "Print the summary (and every response) as JSON.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard count >= 1 else { throw ConsoleError("--count must be at least 1 (got \(count))") }
        guard timeout > 0 else { throw ConsoleError("--timeout must be a positive number of milliseconds") }
        let session = try connection.openSession()
        defer { session.close() }
        let summary = try MidiDiagnostics.ping(count: count, timeout: timeout / 1000, session: session)
        if json {
            try ConsoleOutput.json(summary)
        } else {
            if verbose {
                for response in summary.responses {
                    ConsoleOutput.line("ping \(response.index): \(Self.micro(response.roundTripMicroseconds)) µs")
                }
            }
            ConsoleOutput.line("\(summary.sent) pings, \(summary.responses.count) answered, \(summary.failures) failed")
            if !summary.responses.isEmpty {
                ConsoleOutput.line("round trip (µs): min \(Self.micro(summary.minimumMicroseconds))  median \(Self.micro(summary.medianMicroseconds))  p99 \(Self.micro(summary.p99Microseconds))  max \(Self.micro(summary.maximumMicroseconds))  average \(Self.micro(summary.averageMicroseconds))")
            }
        }
        if !summary.success {
            throw ConsoleError("ping failed: \(summary.failureReason)")
        }
    }

    static func micro(_ value: Double) -> String { String(format: "%.1f", value) }
}

struct WatchEndpoints: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch-endpoints",
        abstract: "Print endpoints as they are added, removed and updated.",
        discussion: """
        First lists every endpoint present ('added'), then 'enumeration completed', then \
        changes as they happen — pairs created or removed, renames, devices plugged in — until \
        Ctrl-C or --timeout seconds. With --json each event is one JSON object per line.

        Examples:
          midi watch-endpoints
          midi watch-endpoints --json --include-diagnostic-loopback
        """,
        aliases: ["watch"])

    @Flag(name: .customLong("include-diagnostic-loopback"), help: "Include the diagnostic loopback endpoints.")
    var includeDiagnosticLoopback = false

    @Flag(name: .long, help: "Include every endpoint, diagnostic ones too.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("Stop after this many seconds.", valueName: "s"))
    var timeout: Double?

    @Flag(name: .long, help: "One JSON object per event and line.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    struct Event: Encodable {
        var event: String
        var endpointDeviceId: String?
        var endpoint: MidiEndpointDeviceInformation?
        var changed: [String]?
    }

    func run() throws {
        if let timeout, !(timeout > 0) { throw ConsoleError("--timeout must be a positive number of seconds") }
        var filter = MidiEndpointDeviceInformationFilters.allStandardEndpoints
        if includeDiagnosticLoopback { filter.insert(.includeDiagnosticLoopback) }
        if all { filter = .all }
        let session = try connection.openSession()
        defer { session.close() }
        let watcher = try MidiEndpointDeviceWatcher.create(filter: filter, session: session)
        let json = self.json
        watcher.added = { _, args in
            let d = args.addedDevice
            if json { ConsoleOutput.jsonLine(Event(event: "added", endpointDeviceId: d.endpointDeviceId, endpoint: d)) }
            else { ConsoleOutput.line("added    \(d.endpointDeviceId)  \"\(d.name)\"") }
        }
        watcher.removed = { _, args in
            if json { ConsoleOutput.jsonLine(Event(event: "removed", endpointDeviceId: args.endpointDeviceId)) }
            else { ConsoleOutput.line("removed  \(args.endpointDeviceId)") }
        }
        watcher.updated = { _, args in
            let d = args.updatedDevice
            if json { ConsoleOutput.jsonLine(Event(event: "updated", endpointDeviceId: d.endpointDeviceId, endpoint: d, changed: args.changedProperties)) }
            else { ConsoleOutput.line("updated  \(d.endpointDeviceId)  \"\(d.name)\"  (changed: \(args.changedProperties.joined(separator: ", ")))") }
        }
        watcher.enumerationCompleted = { _ in
            if json { ConsoleOutput.jsonLine(Event(event: "enumerationCompleted")) }
            else { ConsoleOutput.line("enumeration completed") }
        }
        session.serviceDisconnected = { ConsoleOutput.note("midi: the service went away; reconnecting") }
        session.serviceReconnected = { ConsoleOutput.note("midi: reconnected to the service") }
        InterruptHandling.exitOnInterrupt()
        try watcher.start()
        let never = DispatchSemaphore(value: 0)
        if let timeout {
            _ = never.wait(timeout: .now() + .milliseconds(Int(timeout * 1000)))
        } else {
            never.wait()
        }
        watcher.stop()
    }
}
