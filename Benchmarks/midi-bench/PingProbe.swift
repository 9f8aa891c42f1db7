import IPC
import UMP

/// Round trips to the daemon's diagnostic ping endpoint over the raw protocol: a 128-bit
/// request whose first word is 0xF3FE0000 and whose words 1–2 carry the send time; the reply
/// (0xF3FD0000) copies them back, so the round trip is arrival − the copied time.
enum PingProbe {
    static func raw(socketPath: String, count: Int, interval: UInt64) throws(BenchError) -> LatencySummary {
        let control = try DaemonControl(socketPath: socketPath, clientName: "midi-bench ping")
        let handle = try control.openEndpoint("diag_ping")
        let link = try SocketLink(socket: control.socket, connection: handle)
        link.drainsAfterSend = false
        defer { link.close() }
        let sink = PingSink(capacity: count)
        let storage = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: 1)
        defer { storage.deallocate() }
        for _ in 0..<count {
            let sent = BenchClock.now()
            storage.initialize(repeating: TimestampedUMP(timestamp: 0, packet: UMPPacket(
                0xF3FE_0000, UInt32(truncatingIfNeeded: sent >> 32), UInt32(truncatingIfNeeded: sent), 0)))
            try link.send(UnsafeBufferPointer(storage))
            sink.waiting = true
            try link.run(sink, ready: {}, startTimeout: 2_000_000_000, idleTimeout: 2_000_000_000)
            guard !sink.waiting else { throw .timeout("no ping reply from midisrv within 2 s") }
            BenchClock.sleep(until: sent &+ interval)
        }
        return sink.samples.summary()
    }
}

final class PingSink: MessageSink {
    let samples: SampleBuffer
    var waiting = false
    init(capacity: Int) { samples = SampleBuffer(capacity: capacity) }

    func take(_ message: TimestampedUMP, arrival: @autoclosure () -> UInt64) {
        let arrival = arrival()
        let p = message.packet
        guard p.word0 == 0xF3FD_0000 else { return }
        let sent = UInt64(p.word1) << 32 | UInt64(p.word2)
        if sent <= arrival { samples.record(arrival - sent) }
        waiting = false
    }

    var isDone: Bool { !waiting }
    var expectedMessageCount: Int? { nil }
}
