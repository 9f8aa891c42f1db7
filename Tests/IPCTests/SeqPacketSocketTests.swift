import Foundation
import Glibc
import IPC
import Testing
import UMP
import POSIX

/// Receives one frame from `socket`, waiting up to a second.
func receiveFrame(_ socket: SeqPacketSocket, into buffer: FrameBuffer) throws -> [UInt8]? {
    guard try socket.poll(for: .readable, timeoutMilliseconds: 1000) else { return nil }
    switch try socket.receive(into: buffer.bytes) {
    case .frame(let count): return Array(buffer.prefix(count))
    default: return nil
    }
}

func temporaryDirectory() throws -> String {
    var template = Array("/tmp/ipc-test-XXXXXX".utf8CString)
    guard let made = mkdtemp(&template) else { throw SystemError.current("mkdtemp") }
    return String(cString: made)
}

@Suite("SOCK_SEQPACKET transport")
struct SeqPacketSocketTests {
    @Test func socketpairCarriesEveryFrameKindOneDatagramEach() throws {
        let (a, b) = try SeqPacketSocket.pair()
        defer { a.close(); b.close() }
        let buffer = FrameBuffer()
        var decoder = FrameDecoder()
        for frame in Fixtures.allFrames {
            for datagram in frame.encoded() { #expect(try a.send(datagram) == .sent) }
            var decoded: Frame?
            while decoded == nil {
                let datagram = try #require(try receiveFrame(b, into: buffer))
                decoded = try decoder.decode(datagram)
            }
            #expect(decoded == frame)
        }
        #expect(try b.receive(into: buffer.bytes) == .wouldBlock)
    }

    @Test func umpBatchTravelsWithoutCopiesThroughReusedBuffers() throws {
        let (a, b) = try SeqPacketSocket.pair()
        defer { a.close(); b.close() }
        let sendStorage = FrameBuffer(), receiveStorage = FrameBuffer()
        var writer = UMPBatchWriter(sendStorage, connection: ConnectionHandle(4))
        for round in 0..<3 {
            writer.reset()
            for m in Fixtures.messages { _ = writer.append(timestamp: m.timestamp &+ UInt64(round), packet: m.packet) }
            #expect(try a.send(writer.finish()) == .sent)
            guard case .frame(let count) = try b.receive(into: receiveStorage.bytes) else {
                Issue.record("no frame"); return
            }
            let reader = try UMPBatchReader(frame: receiveStorage.prefix(count))
            #expect(reader.map(\.packet) == Fixtures.messages.map(\.packet))
            #expect(reader.map(\.timestamp) == Fixtures.messages.map { $0.timestamp &+ UInt64(round) })
        }
    }

    @Test func oversizedDatagramIsReportedAsTruncated() throws {
        let (a, b) = try SeqPacketSocket.pair()
        defer { a.close(); b.close() }
        #expect(try a.send([UInt8](repeating: 1, count: 200)) == .sent)
        let small = FrameBuffer(capacity: 64)
        #expect(try b.receive(into: small.bytes) == .truncated(byteCount: 64))
    }

    @Test func closeIsEndOfStreamAndSendToAClosedPeerThrowsEPIPE() throws {
        let (a, b) = try SeqPacketSocket.pair()
        defer { b.close() }
        a.close()
        let buffer = FrameBuffer()
        #expect(try b.receive(into: buffer.bytes) == .endOfStream)
        #expect(throws: SystemError(operation: "send", errno: .brokenPipe)) { try b.send([1, 2, 3]) }
    }

    @Test func fullPeerGivesWouldBlockNotABlockedThread() throws {
        let (a, b) = try SeqPacketSocket.pair()
        defer { a.close(); b.close() }
        let frame = [UInt8](repeating: 0, count: 16_384)
        var sent = 0
        while try a.send(frame) == .sent {
            sent += 1
            if sent > 10_000 { Issue.record("socket never filled up"); return }
        }
        #expect(sent > 0)
        #expect(try a.poll(for: .writable, timeoutMilliseconds: 0) == false)
    }

    /// The SDK's reader thread: blocking mode, a waiting receive that returns each datagram,
    /// `shutdown()` from another thread ending the wait, a receive timeout answering
    /// `.wouldBlock` — and sends that still never block.
    @Test func waitingReceiveInBlockingMode() throws {
        let (a, b) = try SeqPacketSocket.pair()
        defer { a.close(); b.close() }
        let buffer = FrameBuffer()
        // Non-blocking (as created): `waiting` changes nothing, an empty socket answers at once.
        #expect(try b.receive(into: buffer.bytes, waiting: true) == .wouldBlock)
        try b.setBlocking(true)
        try b.setBlocking(true)   // idempotent

        // A datagram sent after the receiver started waiting is what the wait returns.
        let sender = Thread { usleep(50_000); _ = try? a.send([1, 2, 3]) }
        sender.start()
        #expect(try b.receive(into: buffer.bytes, waiting: true) == .frame(byteCount: 3))
        #expect(Array(buffer.prefix(3)) == [1, 2, 3])

        // The receive timeout ends a wait with nothing to read.
        try b.setReceiveTimeout(milliseconds: 30)
        #expect(try b.receive(into: buffer.bytes, waiting: true) == .wouldBlock)
        try b.setReceiveTimeout(milliseconds: 0)

        // Sends on a blocking socket still refuse instead of blocking when the peer is full.
        try a.setBlocking(true)
        let big = [UInt8](repeating: 0, count: 16_384)
        var sent = 0
        while try a.send(big) == .sent {
            sent += 1
            if sent > 10_000 { Issue.record("a blocking-mode send blocked or the socket never filled"); return }
        }
        while case .frame = try b.receive(into: buffer.bytes) {}   // drain without waiting

        // shutdown() from another thread wakes a blocked receiver (the 5 s timeout only turns a
        // wake-up that never comes into a failure instead of a hang).
        try b.setReceiveTimeout(milliseconds: 5_000)
        let closer = Thread { usleep(50_000); b.shutdown() }
        closer.start()
        #expect(try b.receive(into: buffer.bytes, waiting: true) == .endOfStream)
    }

    @Test func peerCredentialsAreOurOwn() throws {
        let (a, b) = try SeqPacketSocket.pair()
        defer { a.close(); b.close() }
        let credentials = try a.peerCredentials()
        #expect(credentials == PeerCredentials(pid: getpid(), uid: getuid(), gid: getgid()))
    }

    @Test func listenAcceptConnectOnAPath() throws {
        let directory = try temporaryDirectory()
        defer { rmdir(directory) }
        let path = try SocketPath(directory + "/s.sock")
        defer { unlink(path.path) }

        // Nothing there yet.
        #expect(throws: SystemError(operation: "connect \(path)", errno: .noSuchFileOrDirectory)) { try SeqPacketSocket.connected(to: path) }

        let listener = try SeqPacketSocket.listening(at: path)
        #expect(try listener.accept() == nil)   // nothing pending: no block
        let client = try SeqPacketSocket.connected(to: path)
        defer { client.close() }
        #expect(try listener.poll(for: .readable, timeoutMilliseconds: 1000))
        let server = try #require(try listener.accept())
        defer { server.close() }
        #expect(fcntl(server.fileDescriptor, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(server.fileDescriptor, F_GETFD) & FD_CLOEXEC != 0)

        let hello = Frame.hello(Hello(pid: getpid(), clientName: "test")).encoded()[0]
        #expect(try client.send(hello) == .sent)
        let buffer = FrameBuffer()
        let received = try #require(try receiveFrame(server, into: buffer))
        #expect(try decodeOne(received) == .hello(Hello(pid: getpid(), clientName: "test")))
        #expect(try server.peerCredentials().pid == getpid())

        // A second bind on the same path fails with EADDRINUSE: that is how a second daemon notices.
        #expect(throws: SystemError(operation: "bind \(path)", errno: .addressInUse)) { try SeqPacketSocket.listening(at: path) }

        // Once the listener is gone, the file left behind refuses connections: a stale socket.
        listener.close()
        #expect(throws: SystemError(operation: "connect \(path)", errno: .connectionRefused)) { try SeqPacketSocket.connected(to: path) }
    }

    @Test func socketPathValidation() throws {
        #expect(throws: SocketPath.ValidationError.empty) { try SocketPath("") }
        #expect(throws: SocketPath.ValidationError.containsNUL("a\0b")) { try SocketPath("a\0b") }
        let long = "/" + String(repeating: "x", count: 120)
        #expect(throws: SocketPath.ValidationError.tooLong(long, length: 121)) { try SocketPath(long) }
        #expect(SocketPath.maximumLength == 107)
        #expect(try SocketPath("/" + String(repeating: "x", count: 106)).path.utf8.count == 107)
    }

    @Test func systemErrorSaysWhatFailed() {
        let error = SystemError(operation: "connect /x", errno: .connectionRefused)
        #expect(error.description == "connect /x: Connection refused (errno \(ECONNREFUSED))")
    }
}
