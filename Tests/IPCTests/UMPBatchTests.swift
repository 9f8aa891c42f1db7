import IPC
import Testing
import UMP

@Suite("UMP batches in place")
struct UMPBatchTests {
    @Test func writerAndReaderRoundTripInCallerOwnedBuffers() throws {
        let storage = FrameBuffer()
        var writer = UMPBatchWriter(storage, connection: ConnectionHandle(12), flags: .reportRequested)
        for message in Fixtures.messages {
            let appended = writer.append(message)
            #expect(appended)
        }
        #expect(writer.count == Fixtures.messages.count)
        let frame = writer.finish()
        let reader = try UMPBatchReader(frame: frame)
        #expect(reader.connection == ConnectionHandle(12))
        #expect(reader.count == Fixtures.messages.count)
        #expect(reader.reportRequested)
        #expect(Array(reader) == Fixtures.messages)

        let destination = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: 3)
        defer { destination.deallocate() }
        #expect(reader.decode(into: destination) == 3)
        #expect(Array(destination) == Array(Fixtures.messages.prefix(3)))
    }

    @Test func writerStopsAtTheFrameLimitAndResets() throws {
        let storage = FrameBuffer()
        var writer = UMPBatchWriter(storage, connection: ConnectionHandle(1))
        let message = TimestampedUMP(timestamp: 7, packet: UMPPacket(0x2190_4000))
        var appended = 0
        while writer.append(message) { appended += 1 }
        #expect(appended == UMPBatchLayout.maximumMessageCount)
        #expect(writer.byteCount <= WireFormat.maximumFrameSize)
        #expect(writer.remainingCapacity < UMPBatchLayout.encodedSize(of: message.packet))
        let reader = try UMPBatchReader(frame: writer.finish())
        #expect(reader.count == appended)
        #expect(reader.allSatisfy { $0 == message })

        writer.reset(connection: ConnectionHandle(2))
        #expect(writer.isEmpty)
        let appendedAgain = writer.append(message)
        #expect(appendedAgain)
        let second = try UMPBatchReader(frame: writer.finish())
        #expect(second.connection == ConnectionHandle(2))
        #expect(Array(second) == [message])
    }

    @Test func aFullFrameStillTakesASmallerMessage() {
        let storage = FrameBuffer()
        var writer = UMPBatchWriter(storage, connection: ConnectionHandle(1))
        let big = TimestampedUMP(timestamp: 1, packet: UMPPacket(0xF000_0000, 1, 2, 3))   // 24 bytes
        while writer.append(big) {}
        let left = writer.remainingCapacity
        let small = TimestampedUMP(timestamp: 1, packet: UMPPacket(0x2090_3C7F))           // 12 bytes
        let took = writer.append(small)
        #expect(took == (left >= 12))
    }

    @Test func randomBatchesRoundTripAcrossFrameSplits() throws {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let count = Int.random(in: 0...9_000, using: &rng)
            let messages = (0..<count).map { _ in
                TimestampedUMP(timestamp: rng.next(),
                               packet: UMPPacket(UInt32.random(in: 0...UInt32.max, using: &rng), UInt32(truncatingIfNeeded: rng.next()),
                                                 UInt32(truncatingIfNeeded: rng.next()), UInt32(truncatingIfNeeded: rng.next())))
            }
            let datagrams = Frame.umpBatch(UMPBatch(connection: ConnectionHandle(3), messages: messages)).encoded()
            var decoded: [TimestampedUMP] = []
            for datagram in datagrams {
                #expect(datagram.count <= WireFormat.maximumFrameSize)
                let reader = try datagram.withUnsafeBytes { try UMPBatchReader(frame: $0) }
                decoded += reader
            }
            #expect(decoded == messages)
        }
    }

    @Test func readerRefusesOtherKinds() {
        let frame = Frame.sendReport(SendReport(connection: ConnectionHandle(1), messages: 0)).encoded()[0]
        let error = frameError { _ = try frame.withUnsafeBytes { try UMPBatchReader(frame: $0) } }
        #expect(error == .unexpected(kind: FrameKind.sendReport.rawValue, state: "where a UMP batch was expected"))
    }
}
