import Glibc
import IPC
import UMP

/// `MidiDiagnostics.ping`'s own connection to the service, read by the pinging thread itself.
///
/// Why not the session's: a session's socket is read by its reader thread, so a reply would
/// wake that thread first, and it would then wake the caller blocked in `ping` — two
/// wake-ups in series per round trip, and on a VM the second one cost five times the protocol's
/// whole round trip (docs/performance.md: 66.7 µs median against 11.1 µs for the raw protocol).
/// Here the reply wakes the caller directly, from its own `recvmsg`, as it does any client of
/// the raw protocol; the round trip a user sees is the service's.
///
/// One request at a time: hello, `openEndpoint` on the ping endpoint, then UMP batches both ways
/// on the calling thread. The socket is in blocking mode with a receive timeout, so a waiting
/// receive is one system call; sends pass `MSG_DONTWAIT`.
final class PingLink {
    private let socket: SeqPacketSocket
    private let buffer = FrameBuffer()
    private let sendBuffer = FrameBuffer(capacity: 256)
    private var writer: UMPBatchWriter
    private let path: String

    /// Connects, handshakes and opens the diagnostic ping endpoint, each step bounded by
    /// `timeoutMilliseconds`.
    init(path: String, clientName: String, timeoutMilliseconds: Int32) throws(MidiServiceError) {
        let (socket, _) = try ServiceHandshake.connect(path: path, clientName: clientName, timeoutMilliseconds: timeoutMilliseconds)
        self.socket = socket
        self.path = path
        writer = UMPBatchWriter(sendBuffer, connection: ConnectionHandle(0))
        // From here on a throw runs deinit, which closes the socket.
        let handle = try Self.openPingEndpoint(socket, buffer: buffer, path: path, timeoutMilliseconds: timeoutMilliseconds)
        writer.reset(connection: handle)
        do {
            try socket.setBlocking(true)
            // Short, so that a wait past its deadline ends soon after it; an answered ping never
            // meets it.
            try socket.setReceiveTimeout(milliseconds: Int(min(timeoutMilliseconds, 50)))
        } catch {
            throw .disconnected(operation: "ping: \(error)")
        }
    }

    deinit { socket.close() }

    /// Sends one ping request. False when the service is gone or its socket stays full.
    func send(_ packet: UMPPacket) -> Bool {
        writer.reset()
        guard writer.append(timestamp: 0, packet: packet) else { return false }
        let frame = writer.finish()
        for _ in 0..<100 {
            do {
                switch try socket.send(frame) {
                case .sent: return true
                case .wouldBlock: _ = try socket.poll(for: .writable, timeoutMilliseconds: 20)
                }
            } catch {
                return false
            }
        }
        return false
    }

    /// Waits until `deadline` (MidiClock) for a message `accept` takes, calling it for every
    /// UMP message that arrives meanwhile (late replies to earlier pings included). Returns
    /// false when the deadline passed or the link broke.
    func receive(until deadline: UInt64, accept: (TimestampedUMP) -> Bool) -> Bool {
        while true {
            let outcome: SeqPacketSocket.ReceiveOutcome
            do { outcome = try socket.receive(into: buffer.bytes, waiting: true) } catch { return false }
            switch outcome {
            case .frame(let count):
                let datagram = UnsafeRawBufferPointer(rebasing: buffer.bytes[0..<count])
                guard let header = try? FrameHeader(validating: datagram), header.kind == .umpBatch,
                      let batch = try? UMPBatchReader(header: header, frame: datagram) else { break }   // reports, events
                for message in batch where accept(message) { return true }
            case .wouldBlock, .truncated:
                break
            case .endOfStream:
                return false
            }
            // Read the clock only when nothing was taken: an answered ping costs no extra call.
            if MidiClock.now >= deadline { return false }
        }
    }

    private static func openPingEndpoint(_ socket: SeqPacketSocket, buffer: FrameBuffer, path: String,
                                         timeoutMilliseconds: Int32) throws(MidiServiceError) -> ConnectionHandle {
        let id = RequestID(1)
        let request = ControlRequest.openEndpoint(OpenEndpointRequest(endpoint: MidiEndpointDeviceInformation.diagnosticsPingEndpointId))
        for datagram in Frame.request(id, request).encoded() {
            guard (try? socket.send(datagram)) == .sent else { throw .disconnected(operation: "ping: open the ping endpoint") }
        }
        var decoder = FrameDecoder()
        let deadline = MidiClock.now + UInt64(timeoutMilliseconds) * 1_000_000
        while true {
            let now = MidiClock.now
            guard now < deadline else { throw .timedOut(operation: "ping: open the ping endpoint", seconds: Double(timeoutMilliseconds) / 1000) }
            let outcome: SeqPacketSocket.ReceiveOutcome
            do {
                _ = try socket.poll(for: .readable, timeoutMilliseconds: Int32((deadline - now) / 1_000_000) + 1)
                outcome = try socket.receive(into: buffer.bytes)
            } catch {
                throw .disconnected(operation: "ping: open the ping endpoint")
            }
            guard case .frame(let count) = outcome else {
                if outcome == .endOfStream { throw .disconnected(operation: "ping: open the ping endpoint") }
                continue
            }
            let frame: Frame?
            do { frame = try decoder.decode(buffer.prefix(count)) } catch { throw .protocolViolation("ping: \(error)") }
            guard case .response(let answered, let reply)? = frame, answered == id else { continue }
            switch reply {
            case .connectionOpened(let opened): return opened.connection
            case .failure(let failure): throw MidiServiceError(failure, operation: "ping: open the ping endpoint")
            default: throw .protocolViolation("ping: unexpected \(reply.kind) reply to openEndpoint")
            }
        }
    }
}
