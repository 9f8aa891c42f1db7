import Foundation
import Glibc
import MIDIServices
import Synchronization
import Testing
import UMP

/// Generous for a loaded 2-core machine; tests poll and return as soon as the condition holds.
let testDeadline: Double = 10

/// Polls `condition` every 10 ms until it holds or `timeout` seconds pass; returns whether it
/// held. Never a fixed sleep: the happy path returns at once.
@discardableResult
func pollUntil(timeout: Double = testDeadline, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        usleep(10_000)
    }
}

/// A thread-safe list that callbacks (on the session's reader thread) append to.
final class Collected<Element: Sendable>: Sendable {
    private let storage = Mutex<[Element]>([])

    func append(_ element: Element) { storage.withLock { $0.append(element) } }
    var all: [Element] { storage.withLock { $0 } }
    var count: Int { storage.withLock { $0.count } }

    /// Waits until at least `count` elements arrived; returns them.
    @discardableResult
    func wait(for count: Int, timeout: Double = testDeadline) -> [Element] {
        pollUntil(timeout: timeout) { self.count >= count }
        return all
    }
}

/// A config file with one loopback pair per entry (the seed's schema).
func configWithPairs(_ pairs: [(association: String, a: String, b: String, unique: String)]) -> String {
    loopbackConfig(pairs.map { (id: $0.association, a: $0.a, b: $0.b, unique: $0.unique) })
}

/// The default pair many tests use: `loop_a_default` / `loop_b_default`.
let defaultPairAssociation = "{0C1B3439-593F-4B7A-8950-4698D97B0897}"
let defaultPairConfig = configWithPairs([(defaultPairAssociation, "Default Loopback A", "Default Loopback B", "default")])
let defaultA = MidiEndpointDeviceInformation.endpointDeviceId(instance: "loop_a_default")
let defaultB = MidiEndpointDeviceInformation.endpointDeviceId(instance: "loop_b_default")

/// A daemon in its own sandbox plus helpers to restart it on the same files.
final class SDKDaemon {
    let sandbox: DaemonSandbox
    private(set) var process: DaemonProcess
    private var generation = 0

    init(config: String? = nil, environment: [String: String] = [:]) throws {
        sandbox = try DaemonSandbox()
        if let config { try sandbox.writeConfig(config) }
        process = try DaemonProcess(sandbox, environment: environment)
    }

    var socketPath: String { sandbox.socketPath }

    func session(_ name: String = "sdk-tests") throws -> MidiSession {
        try MidiSession.create(name: name, socketPath: socketPath)
    }

    /// SIGTERM, wait for the exit (the socket file is gone then).
    func stop() throws {
        process.signal(SIGTERM)
        guard process.waitForExit(timeout: testDeadline) != nil else { throw HarnessError("midisrv did not stop:\n\(process.log)") }
    }

    func start() throws {
        generation += 1
        process = try DaemonProcess(sandbox, logName: "midisrv-\(generation).log")
    }

    func restart() throws {
        try stop()
        try start()
    }
}

extension MidiEndpointConnection {
    /// Collects everything this connection receives.
    func collect() -> Collected<MidiMessageReceivedEventArgs> {
        let collected = Collected<MidiMessageReceivedEventArgs>()
        messageReceived = { collected.append($0) }
        return collected
    }
}
