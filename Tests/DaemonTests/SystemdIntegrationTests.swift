import Foundation
import Glibc
import MIDIDaemon
import Testing

/// `systemd-socket-activate` from the systemd package (scripts/test installs it).
private let socketActivateTool: String? = ["/usr/bin/systemd-socket-activate", "/bin/systemd-socket-activate"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }

/// A datagram socket the test owns, standing in for systemd's notification socket: bound at a
/// path, or in the abstract namespace (NOTIFY_SOCKET=@name).
private final class NotifyListener {
    let fd: Int32
    /// What NOTIFY_SOCKET is set to.
    let address: String

    init(path: String? = nil, abstractName: String? = nil) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket(AF_UNIX, SOCK_DGRAM) failed: \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes: [UInt8]
        if let path {
            bytes = Array(path.utf8)
            self.address = path
        } else {
            let name = abstractName ?? "midisrv-test-\(getpid())"
            bytes = [0] + Array(name.utf8)
            self.address = "@" + name
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout.offset(of: \sockaddr_un.sun_path)! + bytes.count + (path == nil ? 0 : 1))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw HarnessError("bind \(self.address) failed: \(errno)") }
    }

    deinit { close(fd) }

    /// The next notification, as its lines; nil after `timeout` seconds.
    func receive(timeout: Double = 20) -> [String]? {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Notifications until one contains `line`; nil if none does within `timeout` seconds.
    func waitFor(_ line: String, timeout: Double = 20) -> [String]? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            guard let lines = receive(timeout: deadline.timeIntervalSinceNow) else { return nil }
            if lines.contains(line) { return lines }
        }
        return nil
    }
}

/// A child started with posix_spawn, stdout and stderr to a file, reaped with waitpid.
private final class SpawnedChild {
    let pid: pid_t
    private var exitStatus: Int32?

    init(_ executable: String, _ arguments: [String], environment: [String: String], outputPath: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_APPEND, 0)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard result == 0 else { throw HarnessError("posix_spawn \(executable) failed: \(result)") }
        pid = child
    }

    /// The exit status (128 + signal when killed), or nil if still running after `timeout` s.
    func wait(timeout: Double) -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        let done = pollUntil(timeout: timeout) { waitpid(pid, &status, WNOHANG) == pid }
        guard done else { return nil }
        let code = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        exitStatus = code
        return code
    }

    func kill() {
        guard exitStatus == nil else { return }
        Glibc.kill(pid, SIGKILL)
        _ = wait(timeout: 10)
    }
}

@Suite("midisrv under systemd: sd_notify and socket activation", .serialized)
struct SystemdIntegrationTests {
    @Test func readyReloadingAndStoppingAreSentToNotifySocketPath() throws {
        let sandbox = try DaemonSandbox()
        let listener = try NotifyListener(path: sandbox.directory + "/notify.sock")
        let daemon = try DaemonProcess(sandbox, environment: ["NOTIFY_SOCKET": listener.address])
        let ready = try #require(listener.waitFor("READY=1"), "no READY=1 on \(listener.address):\n\(daemon.log)")
        #expect(ready.contains("MAINPID=\(daemon.process.processIdentifier)"))
        #expect(ready.contains { $0.hasPrefix("STATUS=serving ") && $0.hasSuffix(" endpoints on \(sandbox.socketPath)") }, "\(ready)")

        daemon.signal(SIGHUP)
        let reloading = try #require(listener.waitFor("RELOADING=1"), "no RELOADING=1 after SIGHUP:\n\(daemon.log)")
        #expect(reloading.contains { $0.hasPrefix("MONOTONIC_USEC=") })
        #expect(listener.waitFor("READY=1") != nil, "no READY=1 after the reload")

        daemon.signal(SIGTERM)
        #expect(listener.waitFor("STOPPING=1") != nil, "no STOPPING=1 on SIGTERM:\n\(daemon.log)")
        #expect(daemon.waitForExit() == 0)
    }

    @Test func readyIsSentToAnAbstractNotifySocket() throws {
        let sandbox = try DaemonSandbox()
        let listener = try NotifyListener(abstractName: "midisrv-test-\(getpid())-\(UUID().uuidString.prefix(8))")
        let daemon = try DaemonProcess(sandbox, environment: ["NOTIFY_SOCKET": listener.address])
        #expect(listener.waitFor("READY=1") != nil, "no READY=1 on \(listener.address):\n\(daemon.log)")
    }

    /// WatchdogSec= arrives as WATCHDOG_USEC: the daemon pings WATCHDOG=1 from its event loop,
    /// more often than the interval; stopped (SIGSTOP, a stand-in for a hung loop) it pings
    /// no more, which is what makes systemd kill and restart it (the VM tier sees that happen).
    @Test func watchdogPingsWhileTheLoopRunsAndStopsWhenItStops() throws {
        let sandbox = try DaemonSandbox()
        let listener = try NotifyListener(path: sandbox.directory + "/notify.sock")
        let daemon = try DaemonProcess(sandbox, environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "400000"])
        try #require(listener.waitFor("READY=1") != nil, "no READY=1:\n\(daemon.log)")
        #expect(listener.waitFor("WATCHDOG=1", timeout: 10) != nil, "no first WATCHDOG=1:\n\(daemon.log)")
        #expect(listener.waitFor("WATCHDOG=1", timeout: 10) != nil, "no second WATCHDOG=1:\n\(daemon.log)")
        daemon.signal(SIGSTOP)
        // Drain what was in flight, then nothing more may come while the process is stopped.
        while listener.receive(timeout: 0.3) != nil {}
        #expect(listener.receive(timeout: 1.5) == nil, "WATCHDOG=1 from a stopped daemon")
        daemon.signal(SIGCONT)
        #expect(listener.waitFor("WATCHDOG=1", timeout: 10) != nil, "no WATCHDOG=1 after SIGCONT")
    }

    /// WATCHDOG_PID naming another process: the watchdog is not ours, nothing is pinged.
    @Test func watchdogForAnotherPidIsIgnored() throws {
        let sandbox = try DaemonSandbox()
        let listener = try NotifyListener(path: sandbox.directory + "/notify.sock")
        let daemon = try DaemonProcess(sandbox, environment: ["NOTIFY_SOCKET": listener.address, "WATCHDOG_USEC": "200000",
                                                              "WATCHDOG_PID": "1"])
        try #require(listener.waitFor("READY=1") != nil, "no READY=1:\n\(daemon.log)")
        #expect(listener.waitFor("WATCHDOG=1", timeout: 1.5) == nil, "pinged a watchdog armed for pid 1")
    }

    /// Started by hand (no NOTIFY_SOCKET, no LISTEN_FDS), the daemon claims its own socket and
    /// removes it at exit, as before.
    @Test func startedByHandClaimsAndRemovesItsOwnSocket() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox, environment: ["LISTEN_PID": "1", "LISTEN_FDS": "1"])   // another process's: ignored
        #expect(!daemon.log.contains("passed by systemd"))
        var info = stat()
        #expect(lstat(sandbox.socketPath, &info) == 0)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        #expect(lstat(sandbox.socketPath, &info) != 0, "the socket file is left behind")
    }

    /// The real thing systemd does for a socket unit: `systemd-socket-activate --seqpacket`
    /// listens, starts midisrv only when a client connects, and passes it the listening socket.
    @Test(.enabled(if: socketActivateTool != nil, "systemd-socket-activate is not installed (package systemd)"))
    func firstConnectionStartsTheDaemonThroughSocketActivation() throws {
        let tool = try #require(socketActivateTool)
        let midisrv = try #require(MidisrvBinary.path, "midisrv not built")
        let sandbox = try DaemonSandbox()
        let socketPath = sandbox.directory + "/activated.sock"
        let logPath = sandbox.directory + "/activate.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        // --socket names a different path on purpose: the passed socket wins.
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "JOURNAL_STREAM")
        environment.removeValue(forKey: "NOTIFY_SOCKET")
        // Spawned and reaped here, not with Foundation's Process: with the activator a
        // Process, Foundation never reaped the `midi` run next to it (a zombie, waited for
        // until the deadline).
        let activator = try SpawnedChild(tool, ["--seqpacket", "--listen=\(socketPath)", midisrv,
                                                "--socket", sandbox.socketPath, "--config", sandbox.configPath,
                                                "--state-dir", sandbox.stateDirectory, "--user", "--log-level", "debug"],
                                         environment: environment, outputPath: logPath)
        defer { activator.kill() }
        func logText() -> String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

        var info = stat()
        try #require(pollUntil(timeout: 10) { lstat(socketPath, &info) == 0 }, "systemd-socket-activate made no socket:\n\(logText())")
        // Nobody connected yet: midisrv has not started (its first line says "starting").
        usleep(300_000)
        #expect(!logText().contains(" starting ("), "midisrv started before any client connected:\n\(logText())")

        let listing = try runConsole(["endpoint", "list", "--include-diagnostic-loopback", "--json"], socket: socketPath, directory: sandbox.directory)
        #expect(listing.status == 0, "midi endpoint list: \(listing.stderr)\n\(logText())")
        #expect(listing.stdout.contains("midiu_diag_loopback_a"), "\(listing.stdout)")
        let text = logText()
        #expect(text.contains("socket \(socketPath) passed by systemd"), "\(text)")
        #expect(text.contains("serving the socket systemd passed (\(socketPath)), not \(sandbox.socketPath)"), "\(text)")
        #expect(lstat(sandbox.socketPath, &info) != 0, "midisrv also bound --socket's path")

        // systemd-socket-activate exec()s midisrv: the same process stops cleanly on SIGTERM,
        // and leaves the socket file to the one that made it.
        Glibc.kill(activator.pid, SIGTERM)
        let status = activator.wait(timeout: 10)
        #expect(status == 0, "midisrv did not stop cleanly (exit status \(status.map(String.init) ?? "none: still running")):\n\(logText())")
        #expect(lstat(socketPath, &info) == 0, "midisrv removed the socket file systemd owns")
    }

    /// A passed descriptor that is not a SOCK_SEQPACKET listener is refused with a reason.
    @Test func aWrongKindOfPassedSocketIsRefusedWithAReason() throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        #expect(throws: SystemdActivationError.self) { _ = try SystemdActivation.checkListener(fd) }
        do {
            _ = try SystemdActivation.checkListener(fd)
        } catch {
            #expect(error.description.contains("not SOCK_SEQPACKET"), "\(error)")
        }
        #expect(throws: SystemdActivationError.wrongDescriptorCount(2)) {
            _ = try SystemdActivation.adopt(environment: ["LISTEN_PID": "\(getpid())", "LISTEN_FDS": "2"], unsetEnvironment: false)
        }
        #expect(throws: SystemdActivationError.malformedEnvironment(variable: "LISTEN_FDS", value: "x")) {
            _ = try SystemdActivation.adopt(environment: ["LISTEN_PID": "\(getpid())", "LISTEN_FDS": "x"], unsetEnvironment: false)
        }
        #expect(try SystemdActivation.adopt(environment: ["LISTEN_PID": "\(getpid() + 1)", "LISTEN_FDS": "1"], unsetEnvironment: false) == nil)
    }
}
