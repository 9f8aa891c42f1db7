import ArgumentParser
import BuildInfo
import Glibc
import Logging
import MIDIDaemon
import ServiceCore

/// `midisrv`: the MIDI Services daemon. A thin shell: parse options, set up logging, hand over
/// to `MIDIDaemon.Daemon`, turn its outcome into an exit status.
@main
struct Midisrv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "midisrv",
        abstract: "MIDI Services daemon: MIDI 2.0 endpoints, loopbacks, ALSA bridge, USB devices.",
        discussion: """
        Runs in the foreground and logs to stderr; under systemd each line carries its syslog \
        priority, start-up is reported on $NOTIFY_SOCKET (Type=notify: READY=1, RELOADING=1, \
        STOPPING=1, STATUS=) and a listening socket passed by a socket unit ($LISTEN_FDS, \
        ListenSequentialPacket=) is served instead of --socket. SIGTERM/SIGINT stop it cleanly; \
        SIGHUP re-reads the configuration file (so does editing it).
        """,
        version: BuildInfo.versionLine)

    @Option(name: .long, help: ArgumentHelp("Socket path (default: $MIDI_SERVICES_SOCKET, else by mode).", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file (default by mode).", valueName: "path"))
    var config: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("State directory for custom names and captured metadata.", valueName: "dir"))
    var stateDir: String?

    @Flag(name: .long, help: "Per-user paths under $XDG_* (default when not root).")
    var user = false

    @Flag(name: .long, help: "System paths under /etc, /var/lib, /run (default when root).")
    var system = false

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: LogLevelArgument = .info

    @Option(name: .customLong("realtime-priority"),
            help: ArgumentHelp("SCHED_FIFO priority of the event-loop thread, 1-99, or 0 for normal scheduling. Granted to root, CAP_SYS_NICE, or within RLIMIT_RTPRIO (systemd: LimitRTPRIO=); otherwise one log line says why and the loop runs at normal scheduling.", valueName: "n"))
    var realtimePriority: Int32 = DaemonOptions.defaultRealtimePriority

    @Option(name: .customLong("max-clients-per-user"),
            help: ArgumentHelp("Most connections one user (uid, root included) may hold at once, so no one process can take all \(DaemonOptions.defaultMaximumClients) slots.", valueName: "n"))
    var maxClientsPerUser: Int = DaemonOptions.defaultMaximumClientsPerUser

    @Option(name: .customLong("usb-transport"), help: ArgumentHelp(
        "How USB MIDI devices are reached: auto (the card's ALSA sequencer ports, shared with every other program; rawmidi when there is no sequencer) or rawmidi (exclusive: other programs cannot use a device while a MIDI Services app does).",
        valueName: "auto|rawmidi"))
    var usbTransport: USBTransportChoice = .automatic

    func validate() throws {
        if maxClientsPerUser < 1 { throw ValidationError("--max-clients-per-user must be at least 1") }
        if user && system { throw ValidationError("--user and --system exclude each other") }
        guard DaemonOptions.realtimePriorityRange.contains(realtimePriority) else {
            throw ValidationError("--realtime-priority \(realtimePriority): give 1-99 for SCHED_FIFO, or 0 for normal scheduling")
        }
    }

    func run() throws {
        let level = logLevel.level
        let style = JournalLogHandler.detectStyle()
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level, style: style) }
        let logger = Logger(label: "midisrv")

        var options: DaemonOptions
        do {
            options = try DaemonOptions.resolve(socket: socket, config: config, stateDirectory: stateDir,
                                                mode: user ? .user : system ? .system : nil, logLevel: level,
                                                environment: ProcessEnvironment.current)
        } catch {
            logger.error("\(error.description)")
            throw ExitCode(2)
        }
        options.realtimePriority = realtimePriority
        options.maximumClientsPerUser = maxClientsPerUser
        options.usbTransport = usbTransport
        // Under systemd: the socket unit's listening socket (socket activation) and NOTIFY_SOCKET
        // (Type=notify). Started by hand, neither is set and the daemon claims its socket path.
        let environment = ProcessEnvironment.current
        let activation: SystemdActivation?
        do { activation = try SystemdActivation.adopt(environment: environment) } catch {
            logger.error("\(error.description)")
            throw ExitCode(71)
        }
        let notifier = SystemdNotifier(environment: environment)
        let daemon = Daemon(options: options, logger: logger, extensions: [ALSABridge(), USBMIDIExtension()],
                            activation: activation, notifier: notifier)
        do {
            try daemon.run()
        } catch {
            logger.error("\(error.description)")
            throw ExitCode(error.exitCode)
        }
    }
}

extension USBTransportChoice: ExpressibleByArgument {}

struct LogLevelArgument: ExpressibleByArgument {
    let level: Logger.Level

    init?(argument: String) {
        guard let level = Logger.Level(rawValue: argument.lowercased()) else { return nil }
        self.level = level
    }

    init(level: Logger.Level) { self.level = level }

    static let info = LogLevelArgument(level: .info)

    var defaultValueDescription: String { level.rawValue }

    static var allValueStrings: [String] { Logger.Level.allCases.map(\.rawValue) }
}
