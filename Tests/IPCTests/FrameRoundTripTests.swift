import IPC
import Testing
import UMP

@Suite("Frame round trips")
struct FrameRoundTripTests {
    @Test("every frame kind encodes to one datagram and decodes to an equal frame",
          arguments: Fixtures.allFrames)
    func roundTrip(_ frame: Frame) throws {
        let datagrams = frame.encoded()
        #expect(datagrams.count == 1)
        let datagram = try #require(datagrams.first)
        #expect(datagram.count <= WireFormat.maximumFrameSize)
        let header = try datagram.withUnsafeBytes { try FrameHeader(validating: $0) }
        #expect(header.kind == frame.kind)
        #expect(header.payloadLength == datagram.count - WireFormat.headerSize)
        #expect(try decodeOne(datagram) == frame)
    }

    @Test func headerLayoutIsLittleEndianWithMagicMS() {
        let bytes = Frame.sendReport(SendReport(connection: ConnectionHandle(0x0102_0304), messages: 1)).encoded()[0]
        #expect(Array(bytes.prefix(8)) == [0x4D, 0x53, 0x21, 0x00, 20, 0, 0, 0])
        #expect(Array(bytes[8..<12]) == [0x04, 0x03, 0x02, 0x01])
    }

    @Test func umpBatchLayoutMatchesTheDocumentedBytes() throws {
        let batch = UMPBatch(connection: ConnectionHandle(2), messages: [
            TimestampedUMP(timestamp: 0x1122_3344_5566_7788, packet: UMPPacket(0x2090_3C7F)),
            TimestampedUMP(timestamp: 1, packet: UMPPacket(0x4090_3C00, 0xAABB_CCDD)),
        ])
        let bytes = Frame.umpBatch(batch).encoded()[0]
        let expected: [UInt8] = [0x4D, 0x53, 0x30, 0x00, 36, 0, 0, 0,      // header, payload 8+12+16
                                 2, 0, 0, 0, 2, 0, 0, 0,                   // connection, count
                                 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x7F, 0x3C, 0x90, 0x20,
                                 1, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x3C, 0x90, 0x40, 0xDD, 0xCC, 0xBB, 0xAA]
        #expect(bytes == expected)
    }

    @Test func versionCompatibilityIsByMajor() {
        let v1_0 = ProtocolVersion(major: 1, minor: 0)
        #expect(v1_0.isCompatible(with: ProtocolVersion(major: 1, minor: 7)))
        #expect(!v1_0.isCompatible(with: ProtocolVersion(major: 2, minor: 0)))
        #expect(ProtocolVersion(major: 1, minor: 2) < ProtocolVersion(major: 2, minor: 0))
        #expect(ProtocolVersion.current.description == "\(ProtocolVersion.current.major).\(ProtocolVersion.current.minor)")
    }

    @Test func overlongHelloNameIsCutOnACharacterBoundary() throws {
        let name = String(repeating: "é", count: 200)   // 400 UTF-8 bytes
        let frame = try decodeOne(Frame.hello(Hello(pid: 1, clientName: name)).encoded()[0])
        guard case .hello(let hello) = frame else { Issue.record("not a hello: \(String(describing: frame))"); return }
        #expect(hello.clientName.utf8.count <= WireFormat.maximumClientNameLength)
        #expect(hello.clientName == String(repeating: "é", count: 128))
    }
}

@Suite("Fragmented control bodies")
struct FragmentTests {
    static var bigReply: Frame {
        .response(RequestID(9), .endpoints(Array(repeating: Fixtures.endpoint, count: 200)))
    }

    @Test func largeResponseSplitsIntoFragmentsAndReassembles() throws {
        let datagrams = Self.bigReply.encoded()
        #expect(datagrams.count > 1)
        var decoder = FrameDecoder()
        for (index, datagram) in datagrams.enumerated() {
            #expect(datagram.count <= WireFormat.maximumFrameSize)
            let result = try decoder.decode(datagram)
            if index < datagrams.count - 1 {
                #expect(result == nil)
                #expect(decoder.hasPendingFragments)
            } else {
                #expect(result == Self.bigReply)
                #expect(!decoder.hasPendingFragments)
            }
        }
    }

    @Test("small maximum frame sizes fragment every control frame", arguments: [64, 100, 333, 4096])
    func smallFrames(_ maximum: Int) throws {
        for frame in Fixtures.allFrames where frame.kind.isFragmentable {
            var decoder = FrameDecoder()
            var decoded: Frame?
            for datagram in frame.encoded(maximumFrameSize: maximum) {
                #expect(datagram.count <= maximum)
                decoded = try decoder.decode(datagram)
            }
            #expect(decoded == frame)
        }
    }

    @Test func umpBatchesMayInterleaveWithFragments() throws {
        let fragments = Self.bigReply.encoded()
        let batch = Frame.umpBatch(UMPBatch(connection: ConnectionHandle(1), messages: Fixtures.messages))
        var decoder = FrameDecoder()
        #expect(try decoder.decode(fragments[0]) == nil)
        #expect(try decoder.decode(batch.encoded()[0]) == batch)
        var last: Frame?
        for datagram in fragments.dropFirst() { last = try decoder.decode(datagram) }
        #expect(last == Self.bigReply)
    }

    @Test func anotherControlFrameInsideAFragmentedBodyIsRejected() throws {
        let fragments = Self.bigReply.encoded()
        var decoder = FrameDecoder()
        _ = try decoder.decode(fragments[0])
        let intruder = Frame.response(RequestID(10), .done).encoded()[0]
        let error = frameError { _ = try decoder.decode(intruder) }
        guard case .invalidFragment = error else { Issue.record("expected invalidFragment, got \(String(describing: error))"); return }
        #expect(!decoder.hasPendingFragments)
    }

    @Test func reassemblyIsBounded() throws {
        let fragments = Self.bigReply.encoded()
        var decoder = FrameDecoder(maximumMessageSize: 100_000)
        var error: FrameError?
        for datagram in fragments where error == nil {
            error = frameError { _ = try decoder.decode(datagram) }
        }
        guard case .invalidFragment(let reason) = error else { Issue.record("expected invalidFragment, got \(String(describing: error))"); return }
        #expect(reason.contains("100000"))
    }
}
