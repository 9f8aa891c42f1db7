import Foundation

/// What a measurement does: paced single messages, or back-to-back batches.
enum BenchMode: String, CaseIterable, Codable, Sendable {
    case latency, throughput
}

/// Printed by a `send` role as its last stdout line (JSON).
struct SenderResult: Codable, Sendable {
    var path: BenchPath
    var mode: BenchMode
    var sent: Int
    var startTime: UInt64
    var endTime: UInt64
    /// Deliveries the daemon reported as not made (send reports); 0 on the relay.
    var reportedLosses: Int
    /// Times the sender found its window full and waited for the receiver.
    var windowWaits: Int
    /// Paced sends that started late by more than one interval (the sender was descheduled).
    var lateSends: Int
    /// CPU this process used during the run (all threads).
    var cpuNanoseconds: UInt64
}

/// What a receiving end counted and measured in one run, whatever carried the messages: every
/// message checked against the sent sequence, the latency samples or the timed interval, and
/// the receiving process's CPU. A socket or SDK role's `ReceiverResult` and an ALSA run's
/// `ALSARunResult` both report their arrivals in this one shape.
struct Arrivals: Codable, Sendable {
    var received: Int
    var lost: Int
    var outOfOrder: Int
    /// Messages that were not sequence messages (subscription notices aside).
    var foreign: Int
    /// Latency runs: arrival − send time over the measured messages.
    var latency: LatencySummary?
    /// Throughput runs: the measured interval, from the arrival of the first measured message
    /// (`measureStart`) to that of the one that completed the stream (`lastArrival`).
    var measuredMessages: Int
    var measureStart: UInt64
    var lastArrival: UInt64
    /// CPU the receiving process used during the run (all its threads).
    var cpuNanoseconds: UInt64

    /// What `checker` saw of `sent` messages.
    init(_ checker: SequenceChecker, sent: Int, latency: LatencySummary?, measuredMessages: Int,
         measureStart: UInt64 = 0, lastArrival: UInt64 = 0, cpuNanoseconds: UInt64) {
        received = checker.received
        lost = checker.lost(sent: sent)
        outOfOrder = checker.outOfOrder
        foreign = checker.foreign
        self.latency = latency
        self.measuredMessages = measuredMessages
        self.measureStart = measureStart
        self.lastArrival = lastArrival
        self.cpuNanoseconds = cpuNanoseconds
    }

    var messagesPerSecond: Double {
        guard lastArrival > measureStart, measuredMessages > 0 else { return 0 }
        return Double(measuredMessages) / (Double(lastArrival - measureStart) / 1e9)
    }
}

/// Printed by a `receive` role as its last stdout line (JSON).
struct ReceiverResult: Codable, Sendable {
    var path: BenchPath
    var mode: BenchMode
    var expected: Int
    /// Latency runs: timestamps that were 0 or later than the arrival (no sample taken).
    var badTimestamps: Int
    var arrivals: Arrivals
}

/// Printed by the relay when it ends.
struct RelayResult: Codable, Sendable {
    var forwardedFrames: Int
    var cpuNanoseconds: UInt64
}

/// One line of JSON on stdout, flushed at once (the coordinator reads it through a pipe).
func emitJSON<T: Encodable>(_ value: T) {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    if let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) {
        Console.out(text)
    }
}

/// A line that tells the coordinator a role is connected and waiting.
func emitReady() {
    Console.out("ready")
}
