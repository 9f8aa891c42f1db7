import BuildInfo
import Glibc
import IPC
import Logging
import ServiceCore
import POSIX

/// Why the daemon did not start. The message is what `midisrv` prints; the exit code tells
/// scripts and systemd apart "already running" from real failures.
public enum DaemonStartError: Error, CustomStringConvertible {
    case socket(SocketClaimError)
    case system(SystemError)
    /// The configuration path names something that is not a file (a device, a FIFO, a
    /// directory): watching it would re-apply the configuration on every write anyone makes.
    case configurationNotAFile(path: String, kind: String)

    public var description: String {
        switch self {
        case .socket(let error): return error.description
        case .system(let error): return error.description
        case .configurationNotAFile(let path, let kind):
            return "configuration \(path) is \(kind), not a regular file; name a JSON file (it may not exist yet) with --config"
        }
    }

    /// 1 for "another midisrv is running", 70 (EX_SOFTWARE-ish: internal) for system failures,
    /// 71 for an unusable socket path.
    public var exitCode: Int32 {
        switch self {
        case .socket(.alreadyRunning): return 1
        case .socket: return 71
        case .system: return 70
        case .configurationNotAFile: return 78   // EX_CONFIG
        }
    }
}

/// The daemon: one event loop, one service, the socket server, the config file and the state
/// directory, plus whatever extensions (ALSA bridge, udev monitor) are plugged in. `run()`
/// blocks until SIGTERM/SIGINT.
public final class Daemon {
    public static let version = BuildInfo.version

    public let options: DaemonOptions
    public let loop = EventLoop()
    public let service: MidiService
    /// What extensions publish about endpoints (ALSA client numbers).
    public let annotations = EndpointAnnotations()
    private let logger: Logger
    private var extensions: [DaemonExtension]
    private var featureStatus: [DaemonExtensionRole: FeatureStatus] = [:]
    private var config: ConfigManager?
    private var server: SessionServer?
    private var watcher: FileChangeWatcher?
    private let stateStore: FileStateStore
    private var claimedPath: String?
    private var claimedIdentity: ListeningSocket.FileIdentity?
    /// Read at every wake-up (a timer's deadline): `@exclusivity(unchecked)`
    /// for the reason given at `EventLoop.registrations`.
    @exclusivity(unchecked) private var stateSaveDueAt: UInt64?
    private var lastStateSaveError: String?
    /// The socket clients reach: the one systemd passed, or the one claimed at `options.socketPath`.
    private var servedSocketPath: String
    /// A listening socket systemd passed (socket activation), served instead of claiming a path.
    private var activation: SystemdActivation?
    /// READY=1 / RELOADING=1 / STOPPING=1 to the service manager; inert when started by hand.
    private let notifier: SystemdNotifier

    /// - Parameters:
    ///   - limits: the scheduler's look-ahead and queue bounds.
    ///   - extensions: the ALSA bridge and udev monitor, when built.
    ///   - activation: the socket systemd passed (`SystemdActivation.adopt`), if any.
    ///   - notifier: where start-up, reloads and stopping are reported (`NOTIFY_SOCKET`).
    public init(options: DaemonOptions, logger: Logger, limits: SchedulerLimits = SchedulerLimits(),
                extensions: [DaemonExtension] = [], activation: SystemdActivation? = nil,
                notifier: SystemdNotifier = SystemdNotifier(environment: [:], unsetEnvironment: false)) {
        self.options = options
        self.activation = activation
        self.notifier = notifier
        servedSocketPath = activation?.path ?? options.socketPath
        self.logger = logger
        self.extensions = extensions
        stateStore = FileStateStore(directory: options.stateDirectory)
        // Custom names and captured metadata are read here. They are saved by `scheduleStateSave`,
        // coalesced, not on every change: each save rewrites and fsyncs the file on the event
        // loop, and a burst of renames cost seconds of it (issue 12).
        service = MidiService(clock: MonotonicServiceClock(), stateStore: stateStore, limits: limits, autosaveState: false)
    }

    public func run() throws(DaemonStartError) {
        logger.info("midisrv \(Self.version) starting (\(options.mode.rawValue) mode): socket \(options.socketPath), config \(options.configPath), state \(options.stateDirectory)")
        var configInfo = stat()
        if stat(options.configPath, &configInfo) == 0, configInfo.st_mode & S_IFMT != S_IFREG {
            let kind: String
            switch configInfo.st_mode & S_IFMT {
            case S_IFDIR: kind = "a directory"
            case S_IFCHR: kind = "a character device"
            case S_IFBLK: kind = "a block device"
            case S_IFIFO: kind = "a FIFO"
            case S_IFSOCK: kind = "a socket"
            default: kind = "not a file"
            }
            throw .configurationNotAFile(path: options.configPath, kind: kind)
        }
        // Temporary files of writes a SIGKILL interrupted (their process is gone).
        for path in [options.configPath, stateStore.path] {
            for name in AtomicFile.removeStaleTemporaries(of: path) {
                logger.notice("removed \(name), left next to \(path) by an interrupted write of a process no longer running")
            }
        }

        let listener: SeqPacketSocket
        if let activation {
            // systemd owns the socket file (its mode and group come from the socket unit) and
            // keeps listening after we exit, so it is never unlinked here.
            listener = activation.socket
            self.activation = nil
            if servedSocketPath != options.socketPath {
                logger.notice("serving the socket systemd passed (\(servedSocketPath)), not \(options.socketPath)")
            }
            logger.info("socket \(servedSocketPath) passed by systemd\(activation.name.map { " (\($0))" } ?? "")")
        } else {
            let claimed: ListeningSocket.Claimed
            do { claimed = try ListeningSocket.claim(options.socketPath, groupName: options.socketGroup) } catch {
                throw .socket(error)
            }
            listener = claimed.socket
            claimedPath = claimed.path.path
            claimedIdentity = claimed.fileIdentity
            if claimed.replacedStale { logger.notice("replaced a stale socket file at \(claimed.path) (no daemon was listening)") }
            logger.debug("socket \(claimed.path): mode 0660, \(claimed.groupNote)")
        }

        let signals: SignalPipe
        do { signals = try SignalPipe() } catch {
            listener.close()
            if let claimedPath { unlink(claimedPath) }
            throw .system(error)
        }
        defer { signals.uninstall() }
        loop.registerDescriptor(signals.readEnd) { [unowned self] _ in
            for signal in signals.drain() { self.handle(signal: signal) }
        }

        reportStateLoad()

        let config = ConfigManager(path: options.configPath, service: service, logger: logger)
        config.shouldStop = { [unowned signals] in signals.terminationRequested }
        self.config = config
        config.reload(initial: true)
        startWatchingConfig()

        let server = SessionServer(loop: loop, service: service, listener: listener, options: options, logger: logger,
                                   annotations: annotations)
        server.persistPair = { [unowned config] pair in config.persist(pair) }
        server.unpersistPair = { [unowned config] id in config.unpersist(id) }
        server.statusProvider = { [unowned self] in self.status() }
        self.server = server

        loop.addTimer(nextDeadline: { [unowned self] in self.service.nextDueTime }) { [unowned self, unowned server] now in
            let late = self.service.deliverDue(now: now)
            if !late.isEmpty { server.reportLateOverflows(late) }
        }

        scheduleStateSaves()
        startExtensions()
        applyRealtimeScheduling()
        logger.notice("midisrv ready on \(servedSocketPath)")
        notify { try $0.ready(status: self.readyStatus) }
        startWatchdog()

        do {
            try loop.run()
        } catch {
            logger.critical("event loop failed: \(error)")
            shutdown()
            throw .system(error)
        }
        shutdown()
    }

    /// The loop runs on this thread: it asks for SCHED_FIFO at `options.realtimePriority`
    /// (after the extensions started, so that threads they made keep normal scheduling; threads
    /// made later do too: SCHED_RESET_ON_FORK). Refused: one line saying why, and the loop runs
    /// at normal scheduling.
    private func applyRealtimeScheduling() {
        let outcome = RealtimeScheduling.requestForCurrentThread(priority: options.realtimePriority)
        switch outcome {
        case .granted: logger.info("event loop: \(outcome)")
        case .disabled: logger.info("event loop: \(outcome)")
        case .refused: logger.notice("event loop keeps \(outcome)")
        }
    }

    /// Asks a running daemon to stop (from a handler or a test).
    public func stop() { loop.stop() }

    private func handle(signal: Int32) {
        switch signal {
        case SIGTERM, SIGINT:
            logger.notice("\(signal == SIGTERM ? "SIGTERM" : "SIGINT"): stopping")
            loop.stop()
        case SIGHUP:
            logger.notice("SIGHUP: re-reading \(options.configPath)")
            notify { try $0.reloading() }
            config?.reload(initial: false)
            notify { try $0.ready(status: self.readyStatus) }
        default:
            break
        }
    }

    private func startWatchingConfig() {
        let (directory, _) = FileChangeWatcher.split(options.configPath)
        do {
            try AtomicFile.makeDirectories(directory)
            watcher = try FileChangeWatcher(path: options.configPath, loop: loop) { [unowned self] in
                self.logger.info("configuration \(self.options.configPath) changed; re-applying")
                self.config?.reload(initial: false)
            }
        } catch {
            logger.warning("not watching \(options.configPath) for changes (\(error)); send SIGHUP after editing it")
        }
    }

    private func startExtensions() {
        let context = DaemonContext(loop: loop, service: service, logger: logger, options: options, annotations: annotations)
        var without: [String] = []
        for plugin in extensions {
            let status = plugin.start(context)
            featureStatus[plugin.role] = status
            if status.available {
                logger.info("\(plugin.role.rawValue): \(status.detail)")
            } else {
                // Said once, in the one "running without …" line below.
                without.append("\(plugin.role.displayName): \(status.detail)")
            }
        }
        let probe = PlatformProbe.current(sequencerPath: options.sequencerDevicePath, udevControlPath: options.udevControlPath)
        if featureStatus[.alsa] == nil {
            let detail = probe.hasSequencer
                ? "the ALSA sequencer bridge is not part of this build"
                : "no ALSA sequencer (\(options.sequencerDevicePath) missing)"
            featureStatus[.alsa] = FeatureStatus(available: false, detail: detail)
            without.append("ALSA bridge: \(detail)")
        }
        if featureStatus[.udev] == nil {
            let detail = probe.hasUdevDaemon
                ? "USB device discovery is not part of this build"
                : "no udev daemon (\(options.udevControlPath) missing)"
            featureStatus[.udev] = FeatureStatus(available: false, detail: detail)
            without.append("USB devices: \(detail)")
        }
        if !without.isEmpty { logger.notice("running without \(without.joined(separator: "; "))") }
    }

    private func shutdown() {
        notify { try $0.stopping() }
        if service.hasUnsavedState { saveState() }
        for plugin in extensions.reversed() { plugin.stop() }
        server?.shutdown()
        server = nil
        watcher?.invalidate()
        watcher = nil
        if let claimedPath, !ListeningSocket.release(claimedPath, identity: claimedIdentity) {
            logger.notice("left \(claimedPath) in place: it is no longer the socket this daemon created (another daemon's)")
        }
        logger.notice("midisrv stopped")
    }

    // MARK: Service manager

    /// What `systemctl status` shows while the daemon runs.
    private var readyStatus: String {
        "serving \(service.endpoints(matching: .all).count) endpoints on \(servedSocketPath)"
    }

    /// With `WatchdogSec=` set, `WATCHDOG=1` goes out from the event loop at half the interval
    /// (sd_watchdog_enabled(3) advises that), so a loop that stops turning misses it.
    private func startWatchdog() {
        guard let interval = notifier.watchdogInterval else { return }
        let period = max(interval / 2, 1_000_000)
        var next = MonotonicClock.now() &+ period
        logger.info("watchdog: WATCHDOG=1 every \(period / 1_000_000) ms (WatchdogSec= \(interval / 1_000_000) ms)")
        loop.addTimer(nextDeadline: { next }) { [unowned self] now in
            next = now &+ period
            self.notify { try $0.watchdog() }
        }
    }

    /// A notification that cannot be sent is logged; the daemon goes on either way.
    private func notify(_ body: (SystemdNotifier) throws -> Void) {
        guard notifier.isActive else { return }
        do { try body(notifier) } catch { logger.warning("could not notify the service manager: \(error)") }
    }

    // MARK: State directory

    /// At most one state save per `stateSaveDelay`: the first change after a save schedules
    /// one; every change until it fires rides along.
    static let stateSaveDelay: UInt64 = 500_000_000

    private func scheduleStateSaves() {
        // One timer, no iteration hook: its deadline is asked before every wait, right after the
        // previous iteration's handlers — where a hook would have noticed the change — so a
        // change is seen as soon, with one call per wake-up of the daemon instead of two.
        loop.addTimer(nextDeadline: { [unowned self] in self.nextStateSave() }) { [unowned self] _ in
            self.stateSaveDueAt = nil
            self.saveState()
        }
    }

    /// When the pending state save is due (arming it when the state changed since the last).
    private func nextStateSave() -> UInt64? {
        if stateSaveDueAt == nil && service.hasUnsavedState {
            stateSaveDueAt = MonotonicClock.now() + Self.stateSaveDelay
        }
        return stateSaveDueAt
    }

    private func saveState() {
        if service.saveState() {
            lastStateSaveError = nil
            logger.debug("state saved to \(stateStore.path)")
        } else if let error = service.lastSaveError, error != lastStateSaveError {
            // Said once per distinct error; the next change (or the next period) tries again.
            lastStateSaveError = error
            logger.error("state file \(stateStore.path) not saved: \(error); custom names changed since are kept in memory and saved when possible")
        }
    }

    /// The service read the state file when it was made; say what became of it, and keep an
    /// unreadable file's bytes aside before the next save replaces them.
    private func reportStateLoad() {
        if let error = stateStore.readError {
            logger.error("state file \(stateStore.path) cannot be read: \(error); starting without saved names")
        } else if let error = service.stateLoadError {
            let aside = stateStore.setAside()
            logger.error("state file \(stateStore.path): \(error); \(aside.map { "kept a copy at \($0); " } ?? "")starting without saved names")
        }
    }

    // MARK: Status

    private func status() -> ServiceStatus {
        let endpoints = service.endpoints(matching: .all)
        return ServiceStatus(
            serviceName: SessionServer.serviceName, serviceVersion: Self.version,
            protocolVersion: ProtocolVersion.current.description, pid: getpid(), mode: options.mode.rawValue,
            uptimeSeconds: Double(MonotonicClock.now() - (server?.startedAt ?? MonotonicClock.now())) / 1e9,
            socketPath: servedSocketPath, configPath: options.configPath, stateDirectory: options.stateDirectory,
            config: config?.status ?? ConfigStatus(state: .missing),
            alsa: featureStatus[.alsa] ?? FeatureStatus(available: false, detail: "not started"),
            udev: featureStatus[.udev] ?? FeatureStatus(available: false, detail: "not started"),
            endpointCount: endpoints.count, loopbackPairCount: service.loopbackPairs.count,
            scheduler: SchedulerStatus(queued: service.scheduledMessageCount, capacity: service.limits.queueCapacity,
                                       maximumLookAheadNanoseconds: service.limits.maximumLookAhead,
                                       refused: service.counters.messagesRefusedByScheduler),
            clients: [])
    }
}
