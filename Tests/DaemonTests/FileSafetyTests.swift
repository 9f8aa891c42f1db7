import Foundation
import Glibc
import IPC
import MIDIDaemon
import Testing

/// Issue 12, items 3 and 11: the daemon's file writes in a directory others may write, the
/// leftovers of SIGKILL, a config path that is not a file, and the socket file at shutdown.
@Suite("file safety", .serialized)
struct FileSafetyTests {
    static func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    // 3: a link planted at the temporary file's name is never written through.
    @Test func aLinkPlantedAtTheTemporaryNameIsNotFollowed() throws {
        let sandbox = try DaemonSandbox()
        let secret = sandbox.directory + "/secret"
        try "root only".write(toFile: secret, atomically: false, encoding: .utf8)
        chmod(secret, 0o600)
        let target = sandbox.directory + "/config/cfg.json"
        try "{}".write(toFile: target, atomically: false, encoding: .utf8)
        let planted = sandbox.directory + "/config/.cfg.json.tmp-\(getpid())"
        #expect(symlink(secret, planted) == 0)

        try AtomicFile.write(Array(#"{"new": true}"#.utf8), to: target)

        #expect(Self.contents(secret) == "root only", "the daemon wrote through the planted link")
        var info = stat()
        #expect(stat(secret, &info) == 0 && info.st_mode & 0o777 == 0o600)
        #expect(Self.contents(target) == #"{"new": true}"#)
        #expect(access(planted, F_OK) != 0 && !Self.isSymlink(planted), "temporary name left behind")
    }

    // 11: a symlinked file stays a symlink and its target is written (the daemon replaced the
    // link by a regular file, and the target never changed); a link someone else owns is
    // refused, saying why.
    @Test func aSymlinkedFileIsWrittenThroughAndKept() throws {
        let sandbox = try DaemonSandbox()
        let real = sandbox.directory + "/real.json"
        try "{}".write(toFile: real, atomically: false, encoding: .utf8)
        let link = sandbox.directory + "/config/cfg.json"
        #expect(symlink(real, link) == 0)
        try AtomicFile.write(Array("{\"x\":1}".utf8), to: link)
        #expect(Self.isSymlink(link), "the link was replaced by a regular file")
        #expect(Self.contents(real) == "{\"x\":1}", "the link's target was not updated")
        #expect(access(sandbox.directory + "/.real.json.tmp-\(getpid())", F_OK) != 0)

        guard getuid() == 0 else { print("skipped the foreign link: needs root to chown it"); return }
        let foreign = sandbox.directory + "/config/foreign.json"
        #expect(symlink(real, foreign) == 0)
        #expect(lchown(foreign, 65534, 65534) == 0)
        do {
            try AtomicFile.write(Array("{\"y\":2}".utf8), to: foreign)
            Issue.record("a link owned by another user was followed")
        } catch {
            #expect(error.errno.rawValue == ELOOP)
            #expect(error.description.contains("symbolic link owned by uid 65534"), "\(error)")
        }
        #expect(Self.isSymlink(foreign))
        #expect(Self.contents(real) == "{\"x\":1}")
    }

    // 11: temporary files of dead writers are removed at start; a live process's are kept.
    @Test func staleTemporaryFilesOfDeadProcessesAreRemovedAtStart() throws {
        let sandbox = try DaemonSandbox()
        try sandbox.writeConfig(loopbackConfig([]))
        // A pid that is not running: a child that has exited and been reaped.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let deadPid = child.processIdentifier
        let stale = sandbox.directory + "/config/.default.midiconfig.json.tmp-\(deadPid)"
        let live = sandbox.directory + "/config/.default.midiconfig.json.tmp-1"
        try "half".write(toFile: stale, atomically: false, encoding: .utf8)
        try "half".write(toFile: live, atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: sandbox.stateDirectory, withIntermediateDirectories: true)
        let staleState = sandbox.stateDirectory + "/.endpoints.json.tmp-\(deadPid)"
        try "half".write(toFile: staleState, atomically: false, encoding: .utf8)

        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        #expect(access(stale, F_OK) != 0, "stale temporary config file left")
        #expect(access(staleState, F_OK) != 0, "stale temporary state file left")
        #expect(access(live, F_OK) == 0, "a running process's temporary file was removed")
        #expect(daemon.log.contains("removed .default.midiconfig.json.tmp-\(deadPid)"))
    }

    // 11: a config path that is not a regular file is refused at start (it was watched, and
    // every write to it re-applied the configuration).
    @Test func aConfigPathThatIsNotAFileIsRefused() throws {
        let sandbox = try DaemonSandbox()
        #expect(mkfifo(sandbox.configPath, 0o600) == 0)
        let daemon = try DaemonProcess(sandbox, waitForSocket: false)
        let status = try #require(daemon.waitForExit(), "midisrv kept running on a FIFO config")
        #expect(status == 78)
        #expect(daemon.log.contains("configuration \(sandbox.configPath) is a FIFO, not a regular file"), "\(daemon.log)")
    }

    // 11: SIGTERM removes the socket file only if it is still the one this daemon created.
    @Test func sigtermLeavesASocketAnotherDaemonNowOwns() throws {
        let firstSandbox = try DaemonSandbox()
        let first = try DaemonProcess(firstSandbox)
        defer { withExtendedLifetime(first) {} }
        // Its socket file is removed by hand; a second daemon binds the same path.
        #expect(unlink(firstSandbox.socketPath) == 0)
        let secondSandbox = try DaemonSandbox()
        let second = try DaemonProcess(secondSandbox, extraArguments: ["--socket", firstSandbox.socketPath], logName: "second.log")
        defer { withExtendedLifetime(second) {} }
        first.signal(SIGTERM)
        #expect(first.waitForExit() == 0)
        #expect(access(firstSandbox.socketPath, F_OK) == 0, "the first daemon removed the second one's socket")
        #expect(first.log.contains("no longer the socket this daemon created"))
        let client = try TestClient(path: firstSandbox.socketPath)
        guard case .welcome(let welcome)? = try client.handshake() else { Issue.record("second daemon unreachable"); return }
        #expect(welcome.daemonPid == second.process.processIdentifier)
    }
}
