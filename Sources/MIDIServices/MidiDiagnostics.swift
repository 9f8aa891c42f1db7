import Foundation
import UMP

/// Service diagnostics: ping and status (`MidiDiagnostics`).
public enum MidiDiagnostics {
    /// First word of a ping request, and of the service's reply (docs/design.md §3).
    public static let pingRequestWord: UInt32 = 0xF3FE_0000
    public static let pingResponseWord: UInt32 = 0xF3FD_0000

    /// Pings the service `count` times through the diagnostic ping endpoint and measures each
    /// round trip (`PingService`). Each request is a 4-word message `F3FE0000 · source · index
    /// · 0`; the reply copies words 1–2. Pings go one at a time: each waits for its reply at
    /// most `timeout` seconds (a late reply is ignored and the ping counted as failed).
    ///
    /// The pings travel on a connection of their own to the socket of `session` (or the
    /// default one), read by the calling thread: the reply wakes the caller directly instead of
    /// passing through a session's reader thread (`PingLink`), so the figure is the service's
    /// round trip, not a thread hand-off's.
    ///
    /// Blocking; throws only when the service cannot be reached at all.
    public static func ping(count: Int = 10, timeout: Double = 2, session: MidiSession? = nil) throws(MidiServiceError) -> MidiServicePingResponseSummary {
        guard count >= 1 else { throw .invalidArgument("the ping count must be at least 1") }
        guard timeout > 0 else { throw .invalidArgument("the ping timeout must be positive") }
        if let session, !session.isOpen { throw .closed(what: "the MIDI session \"\(session.name)\"") }
        let path = session?.socketPath ?? MidiServiceSocket.resolve(explicit: nil)
        let name = (session?.name ?? MidiSession.processName()) + " (ping)"
        let connectTimeout = Int32(min(session?.client.requestTimeout ?? 10, 3_600) * 1000)
        let link = try PingLink(path: path, clientName: name, timeoutMilliseconds: connectTimeout)

        let source = UInt32.random(in: 1 ... .max)
        let wait = UInt64(min(timeout, 3_600) * 1_000_000_000)
        var responses: [MidiServicePingResponse] = []
        responses.reserveCapacity(count)
        var failures = 0
        var failureReason = ""
        for index in 0..<UInt32(count) {
            let sent = MidiClock.now
            guard link.send(UMPPacket(pingRequestWord, source, index, 0)) else {
                failures += 1
                failureReason = "sending ping \(index) failed: the service closed the connection or does not take data"
                continue
            }
            var serviceTimestamp: UInt64 = 0
            var receivedAt: UInt64 = 0
            let answered = link.receive(until: sent &+ wait) { message in
                let p = message.packet
                guard p.word0 == pingResponseWord, p.word1 == source, p.word2 == index else { return false }
                receivedAt = MidiClock.now
                serviceTimestamp = message.timestamp
                return true
            }
            if answered {
                responses.append(MidiServicePingResponse(sourceId: source, index: index, clientSendMidiTimestamp: sent,
                                                         serviceReportedMidiTimestamp: serviceTimestamp,
                                                         clientReceiveMidiTimestamp: receivedAt))
            } else {
                failures += 1
                failureReason = "no reply to ping \(index) within \(MidiServiceError.format(timeout)) s"
            }
        }
        return MidiServicePingResponseSummary(responses: responses, failures: failures,
                                              failureReason: failures == 0 ? "" : failureReason)
    }

    /// The service's state: paths, config file health, ALSA and udev, endpoints, clients
    /// (`midi service status`).
    public static func serviceStatus(session: MidiSession? = nil) throws(MidiServiceError) -> MidiServiceStatus {
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.serviceStatus, operation: "service status")
        guard case .status(let status) = reply else { throw .protocolViolation("service status: unexpected \(reply.kind) reply") }
        return MidiServiceStatus(status)
    }
}

/// One answered ping (`MidiServicePingResponse`). Timestamps are `MidiClock` ticks.
public struct MidiServicePingResponse: Sendable, Hashable, Codable {
    public var sourceId: UInt32
    public var index: UInt32
    public var clientSendMidiTimestamp: UInt64
    /// When the service received the request.
    public var serviceReportedMidiTimestamp: UInt64
    public var clientReceiveMidiTimestamp: UInt64

    public init(sourceId: UInt32, index: UInt32, clientSendMidiTimestamp: UInt64, serviceReportedMidiTimestamp: UInt64,
                clientReceiveMidiTimestamp: UInt64) {
        self.sourceId = sourceId
        self.index = index
        self.clientSendMidiTimestamp = clientSendMidiTimestamp
        self.serviceReportedMidiTimestamp = serviceReportedMidiTimestamp
        self.clientReceiveMidiTimestamp = clientReceiveMidiTimestamp
    }

    /// Round trip in ticks (ns).
    public var clientDeltaTimestamp: UInt64 { clientReceiveMidiTimestamp &- clientSendMidiTimestamp }
    public var roundTripMicroseconds: Double { Double(clientDeltaTimestamp) / 1_000 }
}

/// The outcome of `MidiDiagnostics.ping` (`MidiServicePingResponseSummary`): every answered
/// ping and round-trip statistics in microseconds.
public struct MidiServicePingResponseSummary: Sendable, Hashable, Codable {
    /// True when every ping was answered in time.
    public var success: Bool
    public var failureReason: String
    public var responses: [MidiServicePingResponse]
    public var sent: Int
    public var failures: Int
    public var minimumMicroseconds: Double
    public var medianMicroseconds: Double
    /// 99th percentile (nearest rank).
    public var p99Microseconds: Double
    public var maximumMicroseconds: Double
    public var averageMicroseconds: Double
    /// Sum of all round trips, in ticks (`TotalPingRoundTripMidiClock`).
    public var totalPingRoundTripMidiClock: UInt64

    public init(responses: [MidiServicePingResponse], failures: Int, failureReason: String) {
        self.responses = responses
        self.failures = failures
        self.failureReason = failureReason
        sent = responses.count + failures
        success = failures == 0 && !responses.isEmpty
        let trips = responses.map(\.roundTripMicroseconds).sorted()
        totalPingRoundTripMidiClock = responses.reduce(0) { $0 &+ $1.clientDeltaTimestamp }
        minimumMicroseconds = trips.first ?? 0
        maximumMicroseconds = trips.last ?? 0
        medianMicroseconds = Self.median(trips)
        p99Microseconds = Self.percentile(trips, 0.99)
        averageMicroseconds = trips.isEmpty ? 0 : trips.reduce(0, +) / Double(trips.count)
    }

    /// `AveragePingRoundTripMidiClock`, in ticks.
    public var averagePingRoundTripMidiClock: UInt64 {
        responses.isEmpty ? 0 : totalPingRoundTripMidiClock / UInt64(responses.count)
    }

    static func median(_ sorted: [Double]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Nearest-rank percentile: the smallest value with at least `fraction` of values ≤ it.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
