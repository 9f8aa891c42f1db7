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
                decoded += try datagram.withUnsafeBytes { Array(try UMPBatchReader(frame: $0)) }
            }
            #expect(decoded == messages)
        }
    }

    @Test func readerRefusesOtherKinds() {
        let frame = Frame.sendReport(SendReport(connection: ConnectionHandle(1), messages: 0)).encoded()[0]
        let error = frameError { _ = try frame.withUnsafeBytes { try UMPBatchReader(frame: $0) } }
        #expect(error == .unexpected(kind: FrameKind.sendReport.rawValue, state: "where a UMP batch was expected"))
    }

    /// `append(contentsOf:)` (the daemon's run copy, which stores four words unconditionally
    /// while there is room) must write byte for byte what message-by-message `append` writes,
    /// split into frames at the same places — including the exact path at each frame's end.
    @Test func runAppendWritesWhatSingleAppendsWrite() throws {
        var rng = SplitMix64(seed: 11)
        let single = FrameBuffer(), run = FrameBuffer()
        for _ in 0..<40 {
            let messages = Fixtures.randomMessages(count: Int.random(in: 1...6_000, using: &rng), using: &rng)
            var one = UMPBatchWriter(single, connection: ConnectionHandle(5))
            var many = UMPBatchWriter(run, connection: ConnectionHandle(5))
            var framesOne: [[UInt8]] = [], framesMany: [[UInt8]] = []
            for message in messages where !one.append(message) {
                framesOne.append(Array(one.finish()))
                one.reset()
                let fits = one.append(message)   // an empty frame takes any message
                #expect(fits)
            }
            framesOne.append(Array(one.finish()))
            // Runs of random lengths, as the service hands them over.
            try messages.withUnsafeBufferPointer { all in
                var start = 0
                while start < all.count {
                    let length = min(all.count - start, Int.random(in: 1...700, using: &rng))
                    var rest = UnsafeBufferPointer(rebasing: all[start..<start + length])
                    while !rest.isEmpty {
                        let taken = many.append(contentsOf: rest)
                        rest = UnsafeBufferPointer(rebasing: rest[taken...])
                        if !rest.isEmpty {
                            try #require(taken < length || many.remainingCapacity < 24)
                            framesMany.append(Array(many.finish()))
                            many.reset()
                        }
                    }
                    start += length
                }
            }
            framesMany.append(Array(many.finish()))
            #expect(framesMany == framesOne)
        }
    }

    /// The reader loads four word slots unconditionally while 24 bytes remain and reads the
    /// last messages of a frame exactly: random messages of every size come back as sent,
    /// through `decode(into:)` and through iteration.
    @Test func decodeReturnsWhatWasSentAcrossFrames() throws {
        var rng = SplitMix64(seed: 13)
        let destination = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: UMPBatchLayout.maximumMessageCount)
        defer { destination.deallocate() }
        for _ in 0..<40 {
            let messages = Fixtures.randomMessages(count: Int.random(in: 0...3_000, using: &rng), using: &rng)
            var decoded: [TimestampedUMP] = [], iterated: [TimestampedUMP] = []
            for datagram in Frame.umpBatch(UMPBatch(connection: ConnectionHandle(3), messages: messages)).encoded() {
                try datagram.withUnsafeBytes { bytes in
                    let reader = try UMPBatchReader(frame: bytes)
                    let count = reader.decode(into: destination)
                    #expect(count == reader.count)
                    decoded += destination.prefix(count)
                    iterated += reader
                }
            }
            #expect(decoded == messages)
            #expect(iterated == messages)
        }
    }

    /// The daemon's one-pass validate-and-decode (`init(header:frame:decodingInto:)`) skips the
    /// per-message bounds checks while 24 bytes remain and checks the last messages exactly:
    /// random frames of every size decode to what was sent, each packet with the words past its
    /// size cleared (the daemon hands them to the service as already normalized), and a frame cut
    /// short anywhere in its messages is still refused.
    @Test func oneStepDecodeReturnsWhatWasSentNormalized() throws {
        var rng = SplitMix64(seed: 29)
        let destination = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: UMPBatchLayout.maximumMessageCount)
        defer { destination.deallocate() }
        for _ in 0..<40 {
            let messages = Fixtures.randomMessages(count: Int.random(in: 1...3_000, using: &rng), using: &rng)
            var decoded: [TimestampedUMP] = []
            for datagram in Frame.umpBatch(UMPBatch(connection: ConnectionHandle(3), messages: messages)).encoded() {
                try datagram.withUnsafeBytes { bytes in
                    let header = try FrameHeader(validating: bytes)
                    let reader = try UMPBatchReader(header: header, frame: bytes, decodingInto: destination)
                    decoded += destination.prefix(reader.count)
                }
                // Cut inside its messages (the header's length adjusted so only the batch is short).
                let cut = Int.random(in: (UMPBatchLayout.firstMessageOffset + 1)..<datagram.count, using: &rng)
                var short = Array(datagram.prefix(cut))
                short.withUnsafeMutableBytes {
                    FrameHeader(kind: .umpBatch, flags: [], payloadLength: cut - WireFormat.headerSize).write(into: $0)
                }
                let refused = short.withUnsafeBytes { bytes -> Bool in
                    do {
                        let header = try FrameHeader(validating: bytes)
                        _ = try UMPBatchReader(header: header, frame: bytes, decodingInto: destination)
                        return false
                    } catch {
                        return true
                    }
                }
                #expect(refused, "a batch cut to \(cut) of \(datagram.count) bytes was accepted")
            }
            #expect(decoded == messages)
            for message in decoded {
                let packet = message.packet
                #expect(packet == UMPPacket(packet.word0, packet.word1, packet.word2, packet.word3))
            }
        }
    }
}
