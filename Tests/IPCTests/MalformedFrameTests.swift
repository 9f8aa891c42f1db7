import IPC
import Testing
import UMP

@Suite("Malformed frames are rejected with the right error")
struct MalformedFrameTests {
    @Test("every proper prefix of every frame is rejected", arguments: Fixtures.allFrames)
    func truncatedPrefixes(_ frame: Frame) {
        let datagram = frame.encoded()[0]
        for length in 0..<datagram.count {
            let error = frameError { _ = try decodeOne(Array(datagram.prefix(length))) }
            switch error {
            case .truncated?, .lengthMismatch?: break
            default: Issue.record("prefix \(length)/\(datagram.count) of \(frame.kind): \(String(describing: error))")
            }
        }
    }

    @Test func truncationInsideTheHeaderNamesTheHeader() {
        let error = frameError { _ = try decodeOne([0x4D, 0x53, 0x30]) }
        #expect(error == .truncated(what: "frame header", needed: 8, available: 3))
        #expect(frameError { _ = try decodeOne([]) } == .truncated(what: "frame header", needed: 8, available: 0))
    }

    @Test func oversizedDatagramIsRejectedBeforeAnythingElse() {
        var big = FrameHeader(kind: .umpBatch, payloadLength: WireFormat.maximumFrameSize).bytesForTest
        big += [UInt8](repeating: 0, count: WireFormat.maximumFrameSize)
        #expect(frameError { _ = try decodeOne(big) }
                == .oversized(byteCount: WireFormat.maximumFrameSize + 8, maximum: WireFormat.maximumFrameSize))
    }

    @Test func badMagicUnknownKindAndFlags() {
        var frame = Frame.sendReport(SendReport(connection: ConnectionHandle(1), messages: 1)).encoded()[0]
        var bad = frame; bad[0] = 0x00
        #expect(frameError { _ = try decodeOne(bad) } == .badMagic(0x5300))
        bad = frame; bad[2] = 0x7E
        #expect(frameError { _ = try decodeOne(bad) } == .unknownKind(0x7E))
        bad = frame; bad[3] = 0x01   // moreFragments is not valid on a send report
        #expect(frameError { _ = try decodeOne(bad) } == .invalidFlags(kind: 0x21, flags: 0x01))
        bad = frame; bad[3] = 0x80   // undefined bit
        #expect(frameError { _ = try decodeOne(bad) } == .invalidFlags(kind: 0x21, flags: 0x80))
        frame.append(0)               // payload longer than declared
        #expect(frameError { _ = try decodeOne(frame) } == .lengthMismatch(declared: 20, actual: 21))
    }

    @Test func trailingBytesAfterAFixedPayload() {
        var frame = Frame.sendReport(SendReport(connection: ConnectionHandle(1), messages: 1)).encoded()[0]
        frame.append(0xAA)
        frame[4] = 21   // declare it, so only the payload check can catch it
        #expect(frameError { _ = try decodeOne(frame) } == .trailingBytes(what: "send report", count: 1))
    }

    @Test func batchCountLargerThanTheFrameCanHold() {
        var frame = Frame.umpBatch(UMPBatch(connection: ConnectionHandle(1), messages: Array(Fixtures.messages.prefix(2)))).encoded()[0]
        frame[12] = 3   // count 3, room for 2 one-word messages
        guard case .invalidBatch? = frameError({ _ = try decodeOne(frame) }) else {
            Issue.record("count beyond the frame was accepted"); return
        }
        frame[12] = 0xFF; frame[13] = 0xFF; frame[14] = 0xFF; frame[15] = 0xFF
        guard case .invalidBatch(let reason)? = frameError({ _ = try decodeOne(frame) }) else {
            Issue.record("huge count was accepted"); return
        }
        #expect(reason.contains("4294967295"))
    }

    @Test func batchMessageRunningPastTheEnd() {
        // One type-2 message (1 word); rewrite its type to 4 (2 words): it now overruns.
        var frame = Frame.umpBatch(UMPBatch(connection: ConnectionHandle(1), messages: [
            TimestampedUMP(timestamp: 0, packet: UMPPacket(0x2090_3C7F)),
        ])).encoded()[0]
        frame[27] = 0x40
        #expect(frameError { _ = try decodeOne(frame) } == .invalidBatch(reason: "message 0 needs 16 bytes, 12 left"))
    }

    @Test func batchWithBytesAfterTheLastMessage() {
        var frame = Frame.umpBatch(UMPBatch(connection: ConnectionHandle(1), messages: [
            TimestampedUMP(timestamp: 0, packet: UMPPacket(0x4090_3C7F, 1)),
        ])).encoded()[0]
        frame[27] = 0x20   // now 1 word: 4 bytes left over
        #expect(frameError { _ = try decodeOne(frame) } == .trailingBytes(what: "UMP batch of 1 messages", count: 4))
    }

    /// The daemon validates and decodes a batch in one pass (`init(header:frame:decodingInto:)`):
    /// it must refuse exactly what the checking reader refuses, with the same error, and decode
    /// exactly what that reader hands out.
    @Test func decodingReaderRefusesWhatTheCheckingReaderRefuses() throws {
        let messages = [TimestampedUMP(timestamp: 5, packet: UMPPacket(0x2090_3C7F)),
                        TimestampedUMP(timestamp: 6, packet: UMPPacket(0x4090_3C00, 0x8000_0000)),
                        TimestampedUMP(timestamp: 7, packet: UMPPacket(0x5000_0000, 1, 2, 3))]
        let valid = Frame.umpBatch(UMPBatch(connection: ConnectionHandle(9), messages: messages)).encoded()[0]
        var variants: [[UInt8]] = (0..<valid.count).map { Array(valid.prefix($0)) }
        var overrun = valid; overrun[27] = 0x40              // first message claims 2 words
        var short = valid; short[39] = 0x20                   // second message claims 1 word of its 2
        var counted = valid; counted[12] = 4                  // one message more than there is
        variants += [overrun, short, counted, valid + [0]]
        let storage = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: UMPBatchLayout.maximumMessageCount)
        defer { storage.deallocate() }
        var refused = 0
        for (index, var bytes) in variants.enumerated() where bytes.count >= 8 {
            // Declare the variant's real payload length, so that only the batch checks can catch it.
            withUnsafeBytes(of: UInt32(bytes.count - 8).littleEndian) { bytes.replaceSubrange(4..<8, with: $0) }
            bytes.withUnsafeBytes { datagram in
                guard let header = try? FrameHeader(validating: datagram) else {
                    Issue.record("variant \(index): header refused"); return
                }
                let checking = frameError { _ = try UMPBatchReader(header: header, frame: datagram) }
                let decoding = frameError { _ = try UMPBatchReader(header: header, frame: datagram, decodingInto: storage) }
                #expect(checking == decoding, "variant \(index)")
                if checking != nil { refused += 1 }
            }
        }
        #expect(refused == variants.count - 8, "every variant with a header is malformed")
        try valid.withUnsafeBytes { datagram in
            let header = try FrameHeader(validating: datagram)
            let reader = try UMPBatchReader(header: header, frame: datagram, decodingInto: storage)
            #expect(reader.count == 3 && reader.connection == ConnectionHandle(9))
            #expect(Array(storage.prefix(3)) == messages && Array(reader) == messages)
            // Storage too small for the frame: refused, not truncated.
            let two = UnsafeMutableBufferPointer(rebasing: storage[..<2])
            #expect(frameError { _ = try UMPBatchReader(header: header, frame: datagram, decodingInto: two) }
                    == .invalidBatch(reason: "3 messages, more than the 2 there is room for"))
        }
    }

    @Test func invalidUTF8AndOverlongNames() {
        var hello = Frame.hello(Hello(pid: 1, clientName: "ab")).encoded()[0]
        hello[hello.count - 1] = 0xFF
        #expect(frameError { _ = try decodeOne(hello) } == .invalidText(field: "hello client name", reason: "not valid UTF-8"))

        // Hand-build a hello whose name length says 300.
        var payload: [UInt8] = [1, 0, 0, 0, 1, 0, 0, 0, 0x2C, 0x01]
        payload += [UInt8](repeating: 0x61, count: 300)
        let raw = FrameHeader(kind: .hello, payloadLength: payload.count).bytesForTest + payload
        #expect(frameError { _ = try decodeOne(raw) }
                == .invalidText(field: "hello client name", reason: "300 bytes long, at most 256 allowed"))
    }

    @Test func unknownCodesAndBadJSON() throws {
        // Unknown request operation: well-formed, surfaced for an `unsupportedOperation` answer.
        let unknown = Frame.unknownRequest(RequestID(5), operation: 4000).encoded()[0]
        #expect(try decodeOne(unknown) == .unknownRequest(RequestID(5), operation: 4000))

        // Unknown reply kind: an error (same major never sends one).
        var response = Frame.response(RequestID(1), .done).encoded()[0]
        response[12] = 0x99
        #expect(frameError { _ = try decodeOne(response) } == .unknownCode(field: "reply kind", value: 0x99))

        // Unknown refusal reason.
        var refusal = Frame.refusal(Refusal(reason: .tooManyClients, message: "x")).encoded()[0]
        refusal[12] = 0x55
        #expect(frameError { _ = try decodeOne(refusal) } == .unknownCode(field: "refusal reason", value: 0x55))

        // A known operation with a body of the wrong shape names the JSON path.
        var sub: [UInt8] = [1, 0, 0, 0, 8, 0]   // request 1, openEndpoint
        sub += Array(#"{"endpoint": 12}"#.utf8)
        let bad = FrameHeader(kind: .request, payloadLength: sub.count).bytesForTest + sub
        // The frame itself is sound, so the error carries the request id (the daemon answers it).
        guard case .invalidRequestBody(let requestId, let reason)? = frameError({ _ = try decodeOne(bad) }) else {
            Issue.record("bad JSON accepted"); return
        }
        #expect(requestId == 1)
        #expect(reason.contains("openEndpoint request"))
        #expect(reason.contains("$.endpoint"))

        var notJSON: [UInt8] = [1, 0, 0, 0, 5, 0]
        notJSON += Array("{".utf8)
        let garbage = FrameHeader(kind: .request, payloadLength: notJSON.count).bytesForTest + notJSON
        guard case .invalidRequestBody(_, let syntax)? = frameError({ _ = try decodeOne(garbage) }) else {
            Issue.record("truncated JSON accepted"); return
        }
        #expect(syntax.contains("at byte 1: unexpected end of the body"), "a syntax error says where: \(syntax)")
    }

    @Test func randomBytesAreRejectedOrDecodeToACanonicalFrame() {
        var rng = SplitMix64(seed: 0x5EED)
        var rejected = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...96, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Half the time give it a plausible header so the payload checks are exercised.
            if length >= 8 && Bool.random(using: &rng) {
                let kinds = FrameKind.allCases
                bytes[0] = 0x4D; bytes[1] = 0x53
                bytes[2] = kinds[Int.random(in: 0..<kinds.count, using: &rng)].rawValue
                bytes[3] = 0
                let payload = UInt32(length - 8)
                bytes[4] = UInt8(payload & 0xFF); bytes[5] = UInt8(payload >> 8); bytes[6] = 0; bytes[7] = 0
            }
            do {
                guard let frame = try decodeOne(bytes) else { continue }
                switch frame {
                case .unknownRequest, .unknownEvent:
                    continue   // bodies of codes from a newer version are skipped unread, by design
                default: break
                }
                // Anything accepted is exactly what its own encoding produces: the decoder
                // did not skip or invent a byte. (JSON bodies are not byte-canonical, but a
                // random body is never valid JSON of the right shape.)
                #expect(frame.encoded() == [bytes], "accepted \(frame.kind) is not canonical")
            } catch is FrameError {
                rejected += 1
            } catch {
                Issue.record("non-FrameError thrown: \(error)")
            }
        }
        #expect(rejected > 15_000)
    }

    @Test func mutatedValidFramesAreRejectedOrDecodeToAFrame() {
        var rng = SplitMix64(seed: 42)
        let datagrams = Fixtures.allFrames.map { $0.encoded()[0] }
        for _ in 0..<20_000 {
            var bytes = datagrams[Int.random(in: 0..<datagrams.count, using: &rng)]
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            if Bool.random(using: &rng) { bytes.removeLast(Int.random(in: 0...min(8, bytes.count), using: &rng)) }
            do {
                if let frame = try decodeOne(bytes) {
                    // Whatever decoded must re-encode to a frame that decodes the same.
                    #expect(try decodeOne(frame.encoded()[0]) == frame)
                }
            } catch is FrameError {} catch { Issue.record("non-FrameError thrown: \(error)") }
        }
    }
}

extension FrameHeader {
    var bytesForTest: [UInt8] {
        var out = [UInt8](repeating: 0, count: WireFormat.headerSize)
        out.withUnsafeMutableBytes { write(into: $0) }
        return out
    }
}
