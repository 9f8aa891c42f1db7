import Foundation
import Glibc
import IPC
import Testing
import UMP

/// The real `midisrv` sends the deliveries of bulk frames that one wake-up drains as few full
/// datagrams, and small frames (live playing) one by one before it reads the next
/// (`SessionServer.receiveBatch`; docs/performance.md, issue 17 item 3). The daemon is stopped
/// (SIGSTOP) while the sender queues its frames, so that one wake-up finds all of them —
/// deterministic, whatever the machine's load.
@Suite("Bulk frames batched on the way out", .serialized)
struct BulkBatchingTests {
    /// A daemon with a pair, a sender on A and a receiver on B.
    private struct Rig {
        let sandbox: DaemonSandbox
        let daemon: DaemonProcess
        let sender: TestClient
        let receiver: TestClient
        let from: ConnectionHandle
        let to: ConnectionHandle

        init() throws {
            sandbox = try DaemonSandbox()
            daemon = try DaemonProcess(sandbox)
            sender = try TestClient(path: sandbox.socketPath)
            try sender.handshake(name: "bulk sender")
            let create = CreateLoopbackPairRequest(endpointA: LoopbackEndpointDefinition(name: "Bulk A", uniqueIdentifier: "bulk"),
                                                   endpointB: LoopbackEndpointDefinition(name: "Bulk B", uniqueIdentifier: "bulk"))
            guard case .loopbackPair = try sender.request(.createLoopbackPair(create)) else { throw HarnessError("pair not created") }
            receiver = try TestClient(path: sandbox.socketPath)
            try receiver.handshake(name: "bulk receiver")
            from = try sender.open("Bulk A").connection
            to = try receiver.open("Bulk B").connection
        }

        /// Queues `frames` while the daemon is stopped, lets it run, and returns the UMP batch
        /// datagrams the receiver got for them, until `total` messages have arrived.
        func deliver(_ frames: [[TimestampedUMP]]) throws -> [[TimestampedUMP]] {
            daemon.signal(SIGSTOP)
            defer { daemon.signal(SIGCONT) }
            for frame in frames { try sender.sendUMP(frame, on: from) }
            daemon.signal(SIGCONT)
            let total = frames.reduce(0) { $0 + $1.count }
            var datagrams: [[TimestampedUMP]] = []
            var count = 0
            while count < total {
                guard let frame = try receiver.receiveFrame() else { throw HarnessError("the receiver was disconnected") }
                guard case .umpBatch(let batch) = frame, batch.connection == to else { continue }
                datagrams.append(batch.messages)
                count += batch.messages.count
            }
            return datagrams
        }
    }

    /// One-word MIDI 1.0 Note Ons carrying `first ..< first + count` in their note/velocity bits.
    private static func notes(_ first: Int, _ count: Int) -> [TimestampedUMP] {
        (first..<first + count).map { TimestampedUMP(timestamp: 1, packet: UMPPacket(0x2090_0000 | UInt32($0 & 0xFFFF))) }
    }

    @Test func bulkFramesOneWakeUpDrainsReachTheReceiverAsFewDatagrams() throws {
        let rig = try Rig()
        let frames = (0..<8).map { Self.notes($0 * 1024, 1024) }
        let datagrams = try rig.deliver(frames)
        // Everything, once, in order, timestamps as sent.
        #expect(datagrams.flatMap { $0 } == frames.flatMap { $0 })
        // 8,192 one-word messages are 96 KiB: two datagrams of at most 64 KiB, where one per
        // frame in would be eight.
        #expect(datagrams.count == 2, "\(datagrams.map(\.count))")
        #expect(datagrams.allSatisfy { $0.count <= UMPBatchLayout.maximumMessageCount })
    }

    @Test func smallFramesStillGoOutOneByOne() throws {
        let rig = try Rig()
        let frames = (0..<8).map { Self.notes($0 * 4, 4) }   // a chord a frame: live playing
        let datagrams = try rig.deliver(frames)
        #expect(datagrams == frames, "each small frame is forwarded before the next is read")
    }
}
