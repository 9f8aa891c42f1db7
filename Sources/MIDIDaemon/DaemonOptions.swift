import Glibc
import IPC
import Logging
import ServiceCore

/// Everything `midisrv` needs to know before it starts, fully resolved (no defaults left to
/// apply): the command line, the environment and the user we run as.
public struct DaemonOptions: Sendable {
    public var mode: ServicePaths.Mode
    public var socketPath: String
    public var configPath: String
    public var stateDirectory: String
    public var logLevel: Logger.Level
    /// Group the socket file is given when it exists.
    public var socketGroup: String = "audio"
    /// Bounds of each client's outgoing queue.
    public var clientQueueCapacity: Int = 2 << 20
    public var clientQueueDataLimit: Int = 256 << 10
    /// Most clients connected at once.
    public var maximumClients: Int = Self.defaultMaximumClients
    public static let defaultMaximumClients = 256
    /// Most clients one user (uid, root included) may have connected at once, so that one
    /// process cannot take every slot (docs/daemon.md, limits). `--max-clients-per-user`.
    public var maximumClientsPerUser: Int = Self.defaultMaximumClientsPerUser
    public static let defaultMaximumClientsPerUser = 64
    /// Bound on the bytes of unfinished fragmented requests all clients together make the
    /// daemon hold (each client is held to `WireFormat.maximumRequestSize`).
    public var maximumPendingFragmentBytes: Int = 4 << 20
    /// A fragmented request must be complete within this many nanoseconds of its first fragment.
    public var fragmentTimeout: UInt64 = 5_000_000_000
    /// SCHED_FIFO priority the event-loop thread asks for (docs/daemon.md, "Real-time
    /// scheduling"); 0 = normal scheduling.
    public var realtimePriority: Int32 = DaemonOptions.defaultRealtimePriority
    public static let defaultRealtimePriority: Int32 = RealtimeScheduling.defaultPriority
    public static let realtimePriorityRange: ClosedRange<Int32> = 0...RealtimeScheduling.priorityRange.upperBound
    /// Where to look for the ALSA sequencer and the udev daemon (tests point these elsewhere).
    public var sequencerDevicePath: String = "/dev/snd/seq"
    public var udevControlPath: String = "/run/udev/control"
    /// How USB MIDI devices are reached (`--usb-transport`; docs/usb.md).
    public var usbTransport: USBTransportChoice = .automatic

    public init(mode: ServicePaths.Mode, socketPath: String, configPath: String, stateDirectory: String,
                logLevel: Logger.Level = .info) {
        self.mode = mode
        self.socketPath = socketPath
        self.configPath = configPath
        self.stateDirectory = stateDirectory
        self.logLevel = logLevel
    }

    /// Resolves paths with `ServicePaths`: `--socket`/`--config`/`--state-dir` win; the mode is
    /// `--user`/`--system` or, when neither is given, system for root and user for everyone else.
    public static func resolve(socket: String?, config: String?, stateDirectory: String?, mode: ServicePaths.Mode?,
                               logLevel: Logger.Level, environment: [String: String],
                               isRoot: Bool = geteuid() == 0) throws(ServicePaths.ResolutionError) -> DaemonOptions {
        let mode = mode ?? (isRoot ? .system : .user)
        let socketPath = try ServicePaths.socket(mode: mode, environment: environment, commandLine: socket)
        let configPath = try ServicePaths.configFile(mode: mode, environment: environment, commandLine: config)
        let state: String
        if let stateDirectory, !stateDirectory.isEmpty {
            state = stateDirectory
        } else {
            state = try ServicePaths.stateDirectory(mode: mode, environment: environment)
        }
        return DaemonOptions(mode: mode, socketPath: socketPath, configPath: configPath, stateDirectory: state,
                             logLevel: logLevel)
    }
}

/// How the USB transport reaches a device's MIDI ports (docs/usb.md, "Through the sequencer").
public enum USBTransportChoice: String, Sendable, CaseIterable {
    /// The card's ALSA sequencer client when `/dev/snd/seq` is usable, else rawmidi (said once
    /// in the log).
    case automatic = "auto"
    /// The rawmidi substreams, opened exclusively (the fallback; also for measurements).
    case rawmidi
}
