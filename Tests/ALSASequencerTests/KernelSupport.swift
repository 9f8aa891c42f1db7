import ALSASequencer
import Foundation
import POSIX
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Whether the real kernel sequencer is here (the VM tier) or not (a build machine).
enum Kernel {
    static let availability = SequencerAvailability.check()

    static var available: Bool { availability.isAvailable }

    /// Printed by Swift Testing when the kernel tests are skipped.
    static var skipReason: Comment {
        switch availability {
        case .available: return "the ALSA sequencer is available"
        case .unavailable(let reason):
            return Comment(rawValue: "needs the ALSA sequencer (run scripts/vm-test): \(reason)")
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test only with a real `/dev/snd/seq`, otherwise skips it saying why.
    static var needsSequencer: Self { .enabled(if: Kernel.available, Kernel.skipReason) }
}

/// A failure in test plumbing (not an ALSA error), saying what was waited for.
struct TestTimeout: Error, CustomStringConvertible {
    var description: String
}

extension SequencerClient {
    /// Reads events until `done` says the collection is complete, polling the client's
    /// descriptors; gives up after `timeout` (generous: the VM runs without KVM).
    func collect(timeout: Duration = .seconds(20),
                 what: String,
                 until done: ([ReceivedEvent]) -> Bool) throws -> [ReceivedEvent] {
        var received: [ReceivedEvent] = []
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var descriptors = try pollDescriptors()
        while !done(received) {
            try readPendingEvents { received.append($0) }
            if done(received) { break }
            let left = clock.now.duration(to: deadline)
            if left <= .zero {
                throw TestTimeout(description: "timed out waiting for \(what); got \(received.count) events: \(received.map { "\($0.event)" }.prefix(20))")
            }
            let milliseconds = Int32(min(left.components.seconds * 1000 + 1, 200))
            _ = descriptors.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), milliseconds) }
        }
        return received
    }
}

/// Starts `executable` with `arguments`, its standard output (and error) on `output` when given.
///
/// posix_spawn, not Foundation's `Process`: `Process` watches its child through a CFRunLoop
/// socket pair, and in a fresh-root VM run the test process once stalled after Foundation printed
/// "Could not create wakeup socket pair for CFSocket!!!". Here a failure is a thrown
/// `SystemError` naming the program, and waiting is a plain `waitpid`.
func spawn(_ executable: String, _ arguments: [String], output: Int32? = nil, error: Int32? = nil) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let output { posix_spawn_file_actions_adddup2(&actions, output, 1) }
    if let error { posix_spawn_file_actions_adddup2(&actions, error, 2) }
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard result == 0 else {
        throw SystemError(operation: "posix_spawn \(executable)", errno: Errno(rawValue: result))
    }
    return pid
}

/// Waits for `pid` to end; its exit status as `waitpid` gives it.
@discardableResult
func waitForExit(_ pid: pid_t) throws -> Int32 {
    var status: Int32 = 0
    guard retryingOnInterrupt({ waitpid(pid, &status, 0) }) == pid else {
        throw SystemError.current("waitpid \(pid)")
    }
    return status
}

/// Runs a program to completion and returns its standard output.
func run(_ executable: String, _ arguments: [String]) throws -> String {
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { throw SystemError.current("pipe for \(executable)") }
    // Close-on-exec both ends: the child gets the write end only as its fd 1 (dup2 clears it).
    _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
    let pid: pid_t
    do {
        pid = try spawn(executable, arguments, output: ends[1])
    } catch {
        close(ends[0]); close(ends[1])
        throw error
    }
    close(ends[1])
    defer { close(ends[0]) }
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = chunk.withUnsafeMutableBytes { buffer in
            retryingOnInterrupt { read(ends[0], buffer.baseAddress, buffer.count) }
        }
        if n < 0 { throw SystemError.current("read the output of \(executable)") }
        if n == 0 { break }
        data.append(contentsOf: chunk[0..<n])
    }
    try waitForExit(pid)
    return String(decoding: data, as: UTF8.self)
}

/// One port line of `aconnect -l`, e.g. `    3 'Group 3         '`.
struct AconnectPort: Equatable {
    var client: Int
    var clientName: String
    var port: Int
    var portName: String
}

/// Parses `aconnect -l` output into client/port pairs (connection lines are skipped).
func parseAconnectList(_ text: String) -> [AconnectPort] {
    var result: [AconnectPort] = []
    var client = -1
    var clientName = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
        if line.hasPrefix("client ") {
            // client 128: 'Name' [type=user,pid=1]
            let afterClient = line.dropFirst("client ".count)
            guard let colon = afterClient.firstIndex(of: ":"),
                  let number = Int(afterClient[..<colon]),
                  let open = line.firstIndex(of: "'"),
                  let close = line.lastIndex(of: "'"), open < close else { continue }
            client = number
            clientName = String(line[line.index(after: open)..<close])
        } else if let open = line.firstIndex(of: "'"), let close = line.lastIndex(of: "'"), open < close,
                  let port = Int(line[..<open].trimmingCharacters(in: .whitespaces)) {
            // aconnect pads port names to 16 columns.
            var name = String(line[line.index(after: open)..<close])
            while name.hasSuffix(" ") { name.removeLast() }
            result.append(AconnectPort(client: client, clientName: clientName, port: port, portName: name))
        }
    }
    return result
}

/// A client name unique to this test run, so parallel tests and reruns never collide.
func uniqueName(_ base: String) -> String {
    "\(base) \(getpid())-\(UInt32.random(in: 0..<1_000_000))"
}

/// A program running in the background with its output going to a file.
///
/// Ended with SIGKILL: children of the test runner inherit its blocked signal mask, so
/// SIGINT/SIGTERM would never arrive. Run programs that buffer stdout under `stdbuf -oL`.
final class BackgroundProgram {
    let pid: pid_t
    let outputPath: String
    private var running = true

    init(_ executable: String, _ arguments: [String]) throws {
        outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("bg-\(getpid())-\(UInt32.random(in: 0..<1_000_000)).out").path
        let fd = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError.current("open \(outputPath)") }
        defer { close(fd) }
        pid = try spawn(executable, arguments, output: fd, error: fd)
    }

    var output: String {
        (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    }

    /// Polls the output until `done` accepts it; throws with the output so far on timeout.
    func waitForOutput(timeout: Duration = .seconds(20), what: String,
                       until done: (String) -> Bool) throws -> String {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let text = output
            if done(text) { return text }
            if clock.now >= deadline {
                throw TestTimeout(description: "timed out waiting for \(what); output so far: \(text)")
            }
            usleep(50_000)
        }
    }

    func stop() {
        if running {
            running = false
            kill(pid, SIGKILL)
            _ = try? waitForExit(pid)
        }
        unlink(outputPath)
    }
}
