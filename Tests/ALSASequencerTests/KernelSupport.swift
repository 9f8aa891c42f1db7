import ALSASequencer
import Foundation
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

/// Runs a program to completion and returns its standard output.
func run(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
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
    let process = Process()
    let outputURL: URL

    init(_ executable: String, _ arguments: [String]) throws {
        outputURL = FileManager.default.temporaryDirectory
            .appendingPathComponent("bg-\(getpid())-\(UInt32.random(in: 0..<1_000_000)).out")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil) else {
            throw TestTimeout(description: "cannot create \(outputURL.path)")
        }
        let handle = try FileHandle(forWritingTo: outputURL)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()
    }

    var output: String {
        (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
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
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: outputURL)
    }
}
