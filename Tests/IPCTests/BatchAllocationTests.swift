import Glibc
import IPC
import Testing
import UMP

/// The UMP hot path of the wire format allocates nothing per frame: writing a batch, validating
/// its header, checking it, decoding it in one pass and iterating it. Every frame a daemon or an
/// SDK reader handles goes through these; an allocation here is one per message on a paced
/// stream (a String built for an error that is never thrown did exactly that, and cost about
/// 5 µs of each message's latency on the bench machine).
///
/// Counting needs the `malloc` shim (Tests/support/malloc_count.c) in the test process (it
/// counts the test's own thread: other tests run in parallel);
/// `scripts/test` preloads it, plain `swift test` skips this test and says why.
@Suite("UMP batches allocate nothing per frame")
struct BatchAllocationTests {
    typealias Counter = @convention(c) () -> UInt
    static let counter: Counter? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "shim_thread_malloc_count")
        .map { unsafeBitCast($0, to: Counter.self) }

    static let messages = [TimestampedUMP(timestamp: 5, packet: UMPPacket(0x2090_3C7F)),
                           TimestampedUMP(timestamp: 6, packet: UMPPacket(0x4090_3C00, 0x8000_0000)),
                           TimestampedUMP(timestamp: 7, packet: UMPPacket(0x5000_0000, 1, 2, 3))]

    /// Mallocs during `frames` rounds of write → validate → check → decode → iterate.
    func mallocs(frames: Int, count: Counter) throws -> UInt {
        let storage = FrameBuffer()
        let decoded = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: UMPBatchLayout.maximumMessageCount)
        defer { decoded.deallocate() }
        var checksum: UInt32 = 0
        let start = count()
        try Self.messages.withUnsafeBufferPointer { run in
            for index in 0..<frames {
                var writer = UMPBatchWriter(storage, connection: ConnectionHandle(UInt32(index)))
                _ = writer.append(run[0])
                _ = writer.append(contentsOf: UnsafeBufferPointer(rebasing: run[1...]))
                let frame = writer.finish()
                let header = try FrameHeader(validating: frame)
                let checked = try UMPBatchReader(header: header, frame: frame)
                for message in checked { checksum &+= message.packet.word0 }
                let reader = try UMPBatchReader(header: header, frame: frame, decodingInto: decoded)
                checksum &+= decoded[reader.count - 1].packet.word3
            }
        }
        let used = count() - start
        #expect(frames == 0 || checksum != 0)   // the loop ran and read what it wrote
        return used
    }

    @Test(.enabled(if: counter != nil, "needs the malloc-counting shim in LD_PRELOAD (Tests/support/malloc_count.c; scripts/test loads it)"))
    func writingCheckingAndDecodingAFrameAllocatesNothing() throws {
        let count = try #require(Self.counter)
        _ = try mallocs(frames: 10, count: count)   // warm-up: metadata caches fill once
        let none = try mallocs(frames: 0, count: count)
        let many = try mallocs(frames: 5_000, count: count)
        print("UMP batch hot path: \(none) mallocs for 0 frames, \(many) for 5,000")
        #expect(many <= none + 8, "\(many) mallocs for 5,000 frames")
    }
}
