import Glibc
import IPC
import Testing

@Suite("Bounded outgoing queue")
struct OutgoingFrameQueueTests {
    static func frame(_ size: Int, fill: UInt8) -> [UInt8] { [UInt8](repeating: fill, count: size) }

    @Test func dataIsBoundedControlHasHeadroom() {
        let queue = OutgoingFrameQueue(capacity: 200_000, dataLimit: 100_000)
        var accepted = 0
        while queue.enqueue(Self.frame(10_000, fill: 1), class: .data) { accepted += 1 }
        #expect(accepted == 10)
        #expect(queue.dataBytes == 100_000)
        let overLimit = queue.enqueue(Self.frame(1, fill: 1), class: .data)
        #expect(!overLimit)
        #expect(queue.dataRoom == 0)
        let control = queue.enqueue(Self.frame(10_000, fill: 2), class: .control)
        #expect(control)
        #expect(queue.controlBytes == 10_000)
        #expect(queue.frameCount == 11)
    }

    @Test func orderIsPreservedAcrossWrapsAgainstAReferenceFIFO() {
        var rng = SplitMix64(seed: 99)
        let queue = OutgoingFrameQueue(capacity: 70_000, dataLimit: 70_000)
        var reference: [[UInt8]] = []
        var fill: UInt8 = 0
        for _ in 0..<20_000 {
            if Bool.random(using: &rng) {
                fill &+= 1
                let f = Self.frame(Int.random(in: 1...20_000, using: &rng), fill: fill)
                if queue.enqueue(f, class: Bool.random(using: &rng) ? .data : .control) { reference.append(f) }
            } else if !reference.isEmpty {
                let head = queue.withFirstFrame { Array($0) }
                #expect(head == reference.first, "queue head differs from the reference FIFO")
                if head != reference.first { return }
                queue.removeFirst()
                reference.removeFirst()
            }
            #expect(queue.frameCount == reference.count)
            #expect(queue.queuedBytes == reference.reduce(0) { $0 + $1.count })
        }
    }

    @Test func flushSendsInOrderUntilTheSocketIsFullThenResumes() throws {
        let (a, b) = try SeqPacketSocket.pair()
        defer { a.close(); b.close() }
        // Fill the socket first, as the daemon would have before queueing.
        let filler = Self.frame(30_000, fill: 0)
        while try a.send(filler) == .sent {}
        let queue = OutgoingFrameQueue(capacity: 2 << 20, dataLimit: 1 << 20)
        for i in 1...20 {
            let queued = queue.enqueue(Self.frame(30_000, fill: UInt8(i)), class: i % 3 == 0 ? .control : .data)
            #expect(queued, "frame \(i)")
        }
        #expect(try queue.flush(to: a) == .wouldBlock)
        #expect(queue.frameCount == 20)

        // Drain the receiver; everything arrives, fillers first, then 1…20 in order.
        let buffer = FrameBuffer()
        var seen: [UInt8] = []
        var rounds = 0
        while seen.count < 20 && rounds < 10_000 {
            rounds += 1
            switch try b.receive(into: buffer.bytes) {
            case .frame(let n):
                let first = buffer.bytes[0]
                #expect(n == 30_000)
                if first != 0 { seen.append(first) }
            case .wouldBlock:
                _ = try queue.flush(to: a)
            default:
                Issue.record("unexpected receive outcome"); return
            }
        }
        #expect(seen == (1...20).map(UInt8.init))
        #expect(queue.isEmpty)
        #expect(try queue.flush(to: a) == .drained)
    }
}
