import Glibc
import ServiceCore
import Testing
import UMP

/// Counts and forgets: a receiver whose own bookkeeping never allocates.
final class CountingReceiver: EndpointReceiver {
    var count = 0
    var checksum: UInt32 = 0

    func receive(_ message: TimestampedUMP) -> Bool {
        count += 1
        checksum &+= message.packet.word0
        return true
    }

    func receive(contentsOf messages: UnsafeBufferPointer<TimestampedUMP>) -> Int {
        var index = 0
        while index < messages.count {
            checksum &+= messages[index].packet.word0
            index += 1
        }
        count += messages.count
        return messages.count
    }
}

/// docs/service-core.md, "Hot path": `send`, the batch send, scheduled sends with `deliverDue`
/// and the diagnostic loopback do no per-message allocation — in this unoptimised test build,
/// the harder case (generic `Collection` entry points box elements there).
///
/// Counting needs the `malloc` shim (Tests/support/malloc_count.c) in the test process (it
/// counts the test's own thread: other tests run in parallel); `scripts/test` preloads it,
/// plain `swift test` skips this test and says why.
@Suite("ServiceCore hot path")
struct HotPathAllocationTests {
    typealias Counter = @convention(c) () -> UInt
    static let counter: Counter? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "shim_thread_malloc_count")
        .map { unsafeBitCast($0, to: Counter.self) }

    /// Mallocs during `rounds` rounds of: a loopback send to two receivers, a diagnostic-loopback
    /// send, a scheduled send delivered by `deliverDue`, and a 16-message batch.
    func mallocs(rounds: Int, count: Counter) throws -> (mallocs: UInt, delivered: Int) {
        let (service, clock) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let b1 = CountingReceiver(), b2 = CountingReceiver(), a = CountingReceiver(), diagnosticB = CountingReceiver()
        let onA = try service.openConnection(to: ids.a, receiver: a)
        _ = try service.openConnection(to: ids.b, receiver: b1)
        _ = try service.openConnection(to: ids.b, receiver: b2)
        let onDiagnosticA = try service.openConnection(to: .diagnosticsLoopbackA, receiver: CountingReceiver())
        _ = try service.openConnection(to: .diagnosticsLoopbackB, receiver: diagnosticB)
        let batch = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: 16)
        defer { batch.deallocate() }

        func round(_ index: Int) {
            _ = service.send(midi1NoteOn, timestamp: 0, from: onA)
            _ = service.send(midi2NoteOn, timestamp: 0, from: onDiagnosticA)
            _ = service.send(midi1NoteOn, timestamp: clock.time + 1_000, from: onA)
            clock.advance(by: 1_000)
            service.deliverDue()
            for slot in 0..<16 { batch[slot] = TimestampedUMP(timestamp: 0, packet: UMPPacket(0x2090_3C00 | UInt32(slot))) }
            _ = service.send(each: batch, now: clock.time, from: onA)
        }
        // Warm-up: the scheduler's heap and the runtime's caches grow once.
        for index in 0..<64 { round(index) }
        let start = count()
        for index in 0..<rounds { round(index) }
        let used = count() - start
        return (used, b1.count + b2.count + diagnosticB.count)
    }

    @Test(.enabled(if: counter != nil, "needs the malloc-counting shim in LD_PRELOAD (Tests/support/malloc_count.c; scripts/test loads it)"))
    func routingAllocatesNothingPerMessage() throws {
        let count = try #require(Self.counter)
        let none = try mallocs(rounds: 0, count: count)
        let many = try mallocs(rounds: 4_000, count: count)
        print("ServiceCore hot path: \(none.mallocs) mallocs for 0 rounds, \(many.mallocs) for 4,000")
        // Each round: 1 + 1 scheduled + 16 to each of two B receivers, 1 to the diagnostic B.
        #expect(many.delivered == (4_000 + 64) * (18 * 2 + 1))
        #expect(many.mallocs <= none.mallocs + 16, "\(many.mallocs) mallocs in 4,000 rounds of 20 messages")
    }
}
