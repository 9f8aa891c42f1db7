import Glibc
import IPC
import Testing

/// Reassembling a fragmented control body costs what the body's size costs, not a copy of the
/// body so far per fragment: the largest listings (up to `WireFormat.maximumControlMessageSize`,
/// 768 fragments of 64 KiB) reach every SDK client this way. Counted in allocations: a body
/// that grows in place reallocates a logarithmic number of times; one copied on every append
/// allocates once per fragment (what FrameDecoder did until 2026-12-07).
///
/// Counting needs the `malloc` shim (Tests/support/malloc_count.c) in the test process;
/// `scripts/test` preloads it, plain `swift test` skips this test and says why.
@Suite("fragment reassembly")
struct FragmentReassemblyTests {
    typealias Counter = @convention(c) () -> UInt
    static let counter: Counter? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "shim_thread_malloc_count")
        .map { unsafeBitCast($0, to: Counter.self) }

    /// One non-final fragment of response 7: header, sub-header (request id, reply kind), chunk.
    static func fragment(chunk: Int) -> [UInt8] {
        let subHeader: [UInt8] = [7, 0, 0, 0, 1, 0]
        var datagram = FrameHeader(kind: .response, flags: .moreFragments, payloadLength: subHeader.count + chunk).bytesForTest
        datagram += subHeader
        datagram += [UInt8](repeating: 0x20, count: chunk)
        return datagram
    }

    @Test(.enabled(if: counter != nil, "needs the malloc-counting shim in LD_PRELOAD (Tests/support/malloc_count.c; scripts/test loads it)"))
    func aBodyOfManyFragmentsGrowsInPlace() throws {
        let count = try #require(Self.counter)
        let datagram = Self.fragment(chunk: 8_192)
        let fragments = 512   // 4 MiB, well inside the reassembly bound
        var decoder = FrameDecoder()
        let start = count()
        var frames = 0
        try datagram.withUnsafeBytes { raw in
            for _ in 0..<fragments where try decoder.decode(raw) != nil { frames += 1 }
        }
        let used = count() - start
        #expect(frames == 0)
        #expect(decoder.pendingByteCount >= fragments * 8_192)
        decoder.discardPendingFragments()
        print("reassembling \(fragments) fragments: \(used) mallocs")
        #expect(used < 64, "\(used) mallocs for \(fragments) fragments: the body is copied as it grows")
    }
}
