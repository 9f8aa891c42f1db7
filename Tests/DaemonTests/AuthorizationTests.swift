import Foundation
import Glibc
import IPC
import Testing

/// Issue 12, item 7: the authorization model between socket users, checked with a real second
/// user — the `midi` console run as `nobody` (uid 65534, in group audio) by `setpriv` — against
/// the daemon run by root (the tests' user).
@Suite("authorization between socket users", .serialized)
struct AuthorizationTests {
    static let nobody: UInt32 = 65534

    /// Runs `midi arguments…` as nobody with group audio (the socket's group).
    static func runAsNobody(_ arguments: [String], sandbox: DaemonSandbox) throws -> ConsoleResult {
        guard let midi = ConsoleBinary.path else { throw HarnessError("midi binary not found") }
        guard let audio = getgrnam("audio")?.pointee.gr_gid else { throw HarnessError("no group audio") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=\(nobody)", "--regid=\(nobody)", "--groups=\(audio)", "--", midi] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["MIDI_SERVICES_SOCKET"] = sandbox.socketPath
        environment["XDG_RUNTIME_DIR"] = sandbox.directory
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return ConsoleResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    @Test func anotherUserCannotPersistRenameOrTouchSomeoneElsesPairButOwnsHisOwn() throws {
        guard getuid() == 0 else {
            print("skipped: needs root to run a second user (uid \(Self.nobody))")
            return
        }
        let sandbox = try DaemonSandbox()
        chmod(sandbox.directory, 0o755)   // nobody must reach the socket inside
        try sandbox.writeConfig(loopbackConfig([]))
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let root = try TestClient(path: sandbox.socketPath)
        try root.handshake(name: "root")
        let create = CreateLoopbackPairRequest(endpointA: LoopbackEndpointDefinition(name: "Root A", uniqueIdentifier: "rootpair"),
                                               endpointB: LoopbackEndpointDefinition(name: "Root B", uniqueIdentifier: "rootpair"))
        guard case .loopbackPair(let rootPair) = try root.request(.createLoopbackPair(create)) else {
            Issue.record("root could not create a pair"); return
        }
        let configBefore = try String(contentsOfFile: sandbox.configPath, encoding: .utf8)

        // Someone else's transient pair: not removable, not mutable.
        let remove = try Self.runAsNobody(["loopback", "remove", "--association-id", rootPair.associationId], sandbox: sandbox)
        #expect(remove.status != 0)
        #expect(remove.stderr.contains("belongs to uid 0"), "\(remove.stderr)")
        let mute = try Self.runAsNobody(["loopback", "mute", "--association-id", rootPair.associationId], sandbox: sandbox)
        #expect(mute.status != 0)
        #expect(mute.stderr.contains("belongs to uid 0"), "\(mute.stderr)")
        #expect(try root.pairs().contains { $0.associationId == rootPair.associationId && !$0.isMuted })

        // Persisting and renaming need the config owner (root here).
        let persist = try Self.runAsNobody(["loopback", "create", "--root-name", "Sneaky", "--unique-identifier", "sneaky", "--persist"],
                                           sandbox: sandbox)
        #expect(persist.status != 0)
        #expect(persist.stderr.contains("persisting a loopback pair needs the owner of \(sandbox.configPath) (uid 0) or root"), "\(persist.stderr)")
        #expect(try String(contentsOfFile: sandbox.configPath, encoding: .utf8) == configBefore)
        #expect(try !root.pairs().contains { $0.endpointA.name.hasPrefix("Sneaky") }, "nothing half-created")
        let rename = try Self.runAsNobody(["endpoint", "diag_loopback_a", "rename", "Evil"], sandbox: sandbox)
        #expect(rename.status != 0)
        #expect(rename.stderr.contains("renaming an endpoint needs the owner"), "\(rename.stderr)")

        // A user's own transient pair is his: created and removed.
        let own = try Self.runAsNobody(["loopback", "create", "--root-name", "Mine", "--unique-identifier", "mine",
                                        "--association-id", "{5A1C3F0E-2B4D-4E6F-8A9B-0C1D2E3F4A5B}"], sandbox: sandbox)
        #expect(own.status == 0, "\(own.stderr)")
        let removeOwn = try Self.runAsNobody(["loopback", "remove", "--association-id", "{5A1C3F0E-2B4D-4E6F-8A9B-0C1D2E3F4A5B}"],
                                             sandbox: sandbox)
        #expect(removeOwn.status == 0, "\(removeOwn.stderr)")
        #expect(daemon.log.contains("(uid \(Self.nobody)) created transient loopback pair"))
        // Root may remove anyone's.
        let theirs = try Self.runAsNobody(["loopback", "create", "--root-name", "Theirs", "--unique-identifier", "theirs",
                                           "--association-id", "{6B2D4F1A-3C5E-4F70-9BAC-1D2E3F4A5B6C}"], sandbox: sandbox)
        #expect(theirs.status == 0, "\(theirs.stderr)")
        guard case .done = try root.request(.removeLoopbackPair(LoopbackPairReference(associationId: "{6B2D4F1A-3C5E-4F70-9BAC-1D2E3F4A5B6C}"))) else {
            Issue.record("root could not remove another user's pair"); return
        }
    }
}
