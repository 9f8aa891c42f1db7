import Dispatch
import Foundation
import MIDIServices
import Synchronization
import UMP

/// The application's view: both ends are `MidiSession` + `MidiEndpointConnection` from the
/// MIDIServices SDK, exactly as an app would use them. Sending uses
/// `sendSingleMessagePacket` (one message) or `sendMultipleMessages`; receiving uses the
/// `messageReceived` callback, which the SDK calls on its reader thread.
enum SDKLink {
    static func sender(socketPath: String, endpoint: String, readerPriority: Int32 = 0) throws(BenchError) -> BenchSender {
        try SDKSender(socketPath: socketPath, endpoint: endpoint, readerPriority: readerPriority)
    }

    static func receiver(socketPath: String, endpoint: String, readerPriority: Int32 = 0) throws(BenchError) -> BenchReceiver {
        try SDKReceiver(socketPath: socketPath, endpoint: endpoint, readerPriority: readerPriority)
    }

    static func open(socketPath: String, endpoint: String, role: String, readerPriority: Int32 = 0) throws(BenchError) -> (MidiSession, MidiEndpointConnection) {
        do {
            let session = try MidiSession.create(name: "midi-bench \(role)", socketPath: socketPath,
                                                 readerThreadRealtimePriority: readerPriority)
            if readerPriority != 0, !session.readerThreadScheduling.hasPrefix("SCHED_FIFO") {
                session.close()
                throw BenchError.protocolFailure("SDK reader thread: \(session.readerThreadScheduling)")
            }
            do {
                let connection = try session.createEndpointConnection(endpointDeviceId: endpoint)
                return (session, connection)
            } catch {
                session.close()
                throw error
            }
        } catch {
            throw .protocolFailure("SDK: cannot connect to \(endpoint) on \(socketPath): \(error)")
        }
    }

    /// `MidiDiagnostics.ping`, back to back, summarized like every other latency here.
    static func ping(socketPath: String, count: Int) throws(BenchError) -> LatencySummary {
        let session: MidiSession
        do { session = try MidiSession.create(name: "midi-bench ping", socketPath: socketPath) } catch {
            throw .protocolFailure("SDK: cannot connect to \(socketPath): \(error)")
        }
        defer { session.close() }
        let summary: MidiServicePingResponseSummary
        do { summary = try MidiDiagnostics.ping(count: count, timeout: 2, session: session) } catch {
            throw .protocolFailure("MidiDiagnostics.ping: \(error)")
        }
        guard summary.success else {
            throw .protocolFailure("MidiDiagnostics.ping: \(summary.failures) of \(summary.sent) pings failed: \(summary.failureReason)")
        }
        return LatencySummary(sorted: summary.responses.map(\.clientDeltaTimestamp).sorted())
    }

    /// VmRSS of a fresh daemon before and after `pairs` transient pairs made with
    /// `MidiLoopbackEndpointManager`.
    static func measureMemory(daemon: DaemonInstance, pairs: Int) throws(BenchError) -> BenchReport.Memory {
        let session: MidiSession
        do { session = try MidiSession.create(name: "midi-bench memory", socketPath: daemon.socketPath) } catch {
            throw .protocolFailure("SDK: cannot connect to \(daemon.socketPath): \(error)")
        }
        defer { session.close() }
        let before = try daemon.residentKilobytes()
        for index in 0..<pairs {
            let config = MidiLoopbackEndpointCreationConfig(
                endpointDefinitionA: MidiLoopbackEndpointDefinition(name: "Bench Memory \(index) (A)", uniqueId: "MEM\(index)"),
                endpointDefinitionB: MidiLoopbackEndpointDefinition(name: "Bench Memory \(index) (B)", uniqueId: "MEM\(index)"))
            let result = MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(config, session: session)
            guard result.success else {
                throw .protocolFailure("creating transient pair \(index + 1) of \(pairs) failed: \(result.errorInformation)")
            }
        }
        let after = try daemon.residentKilobytes()
        return BenchReport.Memory(pairs: pairs, beforeKilobytes: before, afterKilobytes: after)
    }
}

final class SDKSender: BenchSender {
    private let session: MidiSession
    private let connection: MidiEndpointConnection

    init(socketPath: String, endpoint: String, readerPriority: Int32) throws(BenchError) {
        (session, connection) = try SDKLink.open(socketPath: socketPath, endpoint: endpoint, role: "sender", readerPriority: readerPriority)
        do { try connection.open() } catch {
            session.close()
            throw .protocolFailure("SDK: cannot open \(endpoint): \(error)")
        }
    }

    func send(_ messages: UnsafeBufferPointer<TimestampedUMP>) throws(BenchError) {
        let result = messages.count == 1
            ? connection.sendSingleMessagePacket(messages[0])
            : connection.sendMultipleMessages(messages)
        guard result.isSuccess else { throw .protocolFailure("SDK send failed: \(result)") }
    }

    var reportedLosses: Int { Int(connection.deliveryLosses.total) }

    func finish() throws(BenchError) {
        // Send reports for the last batches may still be on their way.
        BenchClock.sleep(nanoseconds: 100_000_000)
        session.close()
    }
}

/// Hands the sink to the SDK's reader thread. The sink is touched only there until
/// `session.close()` returns, which waits for that thread to end — so the coordinator reads
/// the results after every callback has finished. Made per run with its sink, so the
/// per-message callback reads a constant reference (no optional, no retain per message).
private final class SinkBridge: @unchecked Sendable {
    let sink: any MessageSink
    /// Messages taken so far (for the idle timeout, read from the waiting thread).
    let taken = Atomic<UInt64>(0)
    let done = DispatchSemaphore(value: 0)
    private var count: UInt64 = 0
    /// `isDone` is asked from this many messages on, not for every message (the socket paths
    /// ask once per frame). A run that loses messages never gets there and ends by the idle
    /// timeout, as on the other paths, with the loss reported.
    private let checkFrom: UInt64
    private var signalled = false

    init(_ sink: any MessageSink) {
        self.sink = sink
        checkFrom = UInt64(sink.expectedMessageCount ?? 0)
    }

    @inline(__always)
    func take(_ args: MidiMessageReceivedEventArgs) {
        sink.take(TimestampedUMP(timestamp: args.timestamp, packet: args.packet), arrival: BenchClock.now())
        count &+= 1
        taken.store(count, ordering: .relaxed)
        if count >= checkFrom && !signalled && sink.isDone {
            signalled = true
            done.signal()
        }
    }
}

final class SDKReceiver: BenchReceiver {
    private let session: MidiSession
    private let connection: MidiEndpointConnection
    private let endpoint: String

    init(socketPath: String, endpoint: String, readerPriority: Int32) throws(BenchError) {
        (session, connection) = try SDKLink.open(socketPath: socketPath, endpoint: endpoint, role: "receiver", readerPriority: readerPriority)
        self.endpoint = endpoint
    }

    func run(_ sink: MessageSink, ready: () -> Void, startTimeout: UInt64, idleTimeout: UInt64) throws(BenchError) {
        let bridge = SinkBridge(sink)
        connection.messageReceived = { args in bridge.take(args) }
        do { try connection.open() } catch {
            throw .protocolFailure("SDK: cannot open \(endpoint): \(error)")
        }
        ready()
        var lastCount: UInt64 = 0
        var lastChange = BenchClock.now()
        while bridge.done.wait(timeout: .now() + .milliseconds(20)) == .timedOut {
            let count = bridge.taken.load(ordering: .relaxed)
            let now = BenchClock.now()
            if count != lastCount {
                lastCount = count
                lastChange = now
            } else if now &- lastChange > (count == 0 ? startTimeout : idleTimeout) {
                break   // the sink reports what is missing
            }
        }
        close()
    }

    func close() { session.close() }
}
