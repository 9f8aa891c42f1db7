import Foundation
import Glibc
import Testing

/// Finds the `midi` console built next to this test bundle, else under `.build/debug`.
enum ConsoleBinary {
    static var path: String? {
        guard let midisrv = MidisrvBinary.builtPath else { return nil }
        let candidate = (midisrv as NSString).deletingLastPathComponent + "/midi"
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }
}

/// One run of `midi`, its output captured in files (so a long-running one can be read while
/// it runs).
final class ConsoleRun {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    /// Starts `midi arguments…`. `socket` is passed through `MIDI_SERVICES_SOCKET` unless nil
    /// (the environment variable is removed then, so no real daemon is reached by accident).
    init(_ arguments: [String], socket: String?, directory: String) throws {
        guard let binary = ConsoleBinary.path else {
            throw HarnessError("midi binary not found next to the tests or in .build/debug; run `swift build` first")
        }
        let tag = UUID().uuidString.prefix(8)
        stdoutPath = directory + "/midi-\(tag).out"
        stderrPath = directory + "/midi-\(tag).err"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["MIDI_SERVICES_SOCKET"] = socket
        environment["XDG_RUNTIME_DIR"] = directory   // never find a user daemon of the machine
        process.environment = environment
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// Waits for the exit; the status, or nil on timeout (the process is killed then).
    func wait(timeout: Double = testDeadline) -> Int32? {
        guard pollUntil(timeout: timeout, { !process.isRunning }) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A finished `midi` run.
struct ConsoleResult {
    var status: Int32?
    var stdout: String
    var stderr: String
    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// The stdout parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(stdout.utf8))
    }
}

/// Runs `midi arguments…` to completion.
func runConsole(_ arguments: [String], socket: String?, directory: String, timeout: Double = testDeadline) throws -> ConsoleResult {
    let run = try ConsoleRun(arguments, socket: socket, directory: directory)
    let status = run.wait(timeout: timeout)
    return ConsoleResult(status: status, stdout: run.stdout, stderr: run.stderr)
}
