import Glibc
import POSIX
import IPC
import UMP

/// A SOCK_SEQPACKET connection carrying UMP batch frames, used by both socket-level paths:
/// to the relay (no handshake, connection handle 0) and to the daemon (after `DaemonControl`
/// did the handshake and opened the endpoint). Buffers are allocated once; sending and
/// receiving a batch allocates nothing.
final class SocketLink: BenchSender, BenchReceiver {
    let socket: SeqPacketSocket
    private let sendStorage = FrameBuffer()
    private let receiveStorage = FrameBuffer()
    private var writer: UMPBatchWriter
    /// Control frames (send reports, events) — only the daemon sends them, rarely.
    private var decoder = FrameDecoder()
    private(set) var reportedLosses = 0
    /// Frames that were neither UMP nor understood (counted, not fatal).
    private(set) var otherFrames = 0
    /// A pure sender reads its socket after each batch so send reports never pile up; a link
    /// that also receives (ping) leaves reading to `run`.
    var drainsAfterSend = true
    /// The far side hung up. Not an error yet: the relay closes as soon as the receiver has
    /// everything, which may be right after our last send. Sending again is.
    private var peerClosed = false
    /// Sends since the socket was last read: reports are rare, so a pure sender reads only
    /// every `drainInterval` sends (one syscall less per paced latency message).
    private var sendsSinceDrain = 0
    static let drainInterval = 64

    /// Puts the socket in blocking mode with a 20 ms receive timeout, for `run` (see there).
    /// Sending and `drainControl` pass `MSG_DONTWAIT` and are unaffected.
    init(socket: SeqPacketSocket, connection: ConnectionHandle) throws(BenchError) {
        do {
            try socket.setBlocking(true)
            try socket.setReceiveTimeout(milliseconds: 20)
        } catch {
            throw .system(error)
        }
        self.socket = socket
        writer = UMPBatchWriter(sendStorage, connection: connection)
    }

    // MARK: Sending

    func send(_ messages: UnsafeBufferPointer<TimestampedUMP>) throws(BenchError) {
        writer.reset()
        for message in messages where !writer.append(message) {
            try sendFrame(writer.finish())
            writer.reset()
            _ = writer.append(message)
        }
        if !writer.isEmpty { try sendFrame(writer.finish()) }
        sendsSinceDrain += 1
        if drainsAfterSend && sendsSinceDrain >= Self.drainInterval {
            sendsSinceDrain = 0
            try drainControl()
        }
    }

    private func sendFrame(_ frame: UnsafeRawBufferPointer) throws(BenchError) {
        guard !peerClosed else { throw .protocolFailure("the far side closed the connection while we were sending") }
        while true {
            let outcome: SeqPacketSocket.SendOutcome
            do { outcome = try socket.send(frame) } catch { throw .system(error) }
            if outcome == .sent { return }
            do { _ = try socket.poll(for: .writable, timeoutMilliseconds: 1000) } catch {
                throw .system(error)
            }
        }
    }

    /// Reads whatever the far side sent us without waiting: send reports on the daemon path.
    /// Returns `false` at end of stream.
    @discardableResult
    private func drainControl() throws(BenchError) -> Bool {
        while true {
            let outcome: SeqPacketSocket.ReceiveOutcome
            do { outcome = try socket.receive(into: receiveStorage.bytes) } catch {
                throw .system(error)
            }
            switch outcome {
            case .wouldBlock: return true
            case .endOfStream:
                peerClosed = true
                return false
            case .truncated(let count): throw .protocolFailure("oversized frame of \(count) bytes")
            case .frame(let count): try handleControl(receiveStorage.prefix(count))
            }
        }
    }

    private func handleControl(_ datagram: UnsafeRawBufferPointer) throws(BenchError) {
        let frame: Frame?
        do { frame = try decoder.decode(datagram) } catch { throw .protocolFailure("malformed frame from the far side: \(error)") }
        switch frame {
        case .sendReport(let report)?:
            reportedLosses += Int(report.receiverOverflow) + Int(report.schedulerRefused) + Int(report.rejected)
        case .event(_, .connectionClosed(let closed))?:
            throw .protocolFailure("the daemon closed connection \(closed.connection): \(closed.reason)")
        default:
            otherFrames += 1
        }
    }

    func finish() throws(BenchError) {
        // Reports for the last batches may still be on their way.
        let deadline = BenchClock.now() + 100_000_000
        while BenchClock.now() < deadline {
            do { _ = try socket.poll(for: .readable, timeoutMilliseconds: 20) } catch {
                throw .system(error)
            }
            if try !drainControl() { break }
        }
        close()
    }

    // MARK: Receiving

    /// Receives as the SDK's reader thread does — blocked in `recvmsg`, one system call per
    /// datagram — so that the baseline's receiving end and the raw-IPC one cost what the SDK's
    /// does, and the comparison is of what lies between. A 20 ms receive timeout lets the loop
    /// notice the start and idle limits; `init` set both up once (the ping probe calls `run`
    /// per round trip).
    func run(_ sink: MessageSink, ready: () -> Void, startTimeout: UInt64, idleTimeout: UInt64) throws(BenchError) {
        ready()   // the connection is open: what is sent now waits in the socket
        var lastArrival = BenchClock.now()
        var started = false
        while !sink.isDone {
            let outcome: SeqPacketSocket.ReceiveOutcome
            do { outcome = try socket.receive(into: receiveStorage.bytes, waiting: true) } catch {
                throw .system(error)
            }
            switch outcome {
            case .wouldBlock:
                let limit = started ? idleTimeout : startTimeout
                if BenchClock.now() &- lastArrival >= limit { return }   // the sink reports what is missing
            case .endOfStream:
                return
            case .truncated(let count):
                throw .protocolFailure("oversized frame of \(count) bytes")
            case .frame(let count):
                let arrival = BenchClock.now()
                let datagram = receiveStorage.prefix(count)
                let header: FrameHeader
                do { header = try FrameHeader(validating: datagram) } catch {
                    throw .protocolFailure("malformed frame: \(error)")
                }
                guard header.kind == .umpBatch else {
                    try handleControl(datagram)
                    continue
                }
                do { try BatchWalker.deliver(datagram, header: header, to: sink, arrival: arrival) } catch {
                    throw .protocolFailure("malformed UMP batch: \(error)")
                }
                started = true
                lastArrival = arrival
            }
        }
    }

    func close() { socket.close() }
}
