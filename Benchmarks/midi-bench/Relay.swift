import Glibc
import POSIX
import IPC

/// The baseline: the smallest process that carries frames between two clients over the same
/// transport as midisrv — a listening Unix SOCK_SEQPACKET socket, one datagram per frame, a
/// poll loop, non-blocking sockets — and does nothing else: no handshake, no decoding, no
/// routing. Whatever the daemon's path costs beyond this is the price of being a MIDI service.
///
/// It accepts exactly two connections and forwards every datagram from one to the other, both
/// ways. When the receiving socket is full it stops reading the sending one until it drains
/// (backpressure, like a pipe), so it never drops. It exits when either side hangs up.
final class Relay {
    private let listener: SeqPacketSocket
    private var peers: [SeqPacketSocket] = []
    /// Per direction (index = the side the frame came from): one frame waiting for the other
    /// side to become writable, and its length.
    private let buffers = [FrameBuffer(), FrameBuffer()]
    private var pending = [0, 0]
    private(set) var forwarded = 0
    /// Datagrams read per wake-up, as the daemon does, so one side cannot starve the other.
    static let readBudget = 64

    init(socketPath: String) throws(BenchError) {
        let path: SocketPath
        do { path = try SocketPath(socketPath) } catch { throw .protocolFailure("bad socket path \(socketPath): \(error)") }
        unlink(socketPath)
        do { listener = try SeqPacketSocket.listening(at: path, backlog: 4) } catch { throw .system(error) }
    }

    /// Accepts the two clients (waiting at most `timeoutMilliseconds` for each).
    func acceptPeers(timeoutMilliseconds: Int32) throws(BenchError) {
        while peers.count < 2 {
            let ready: Bool
            do { ready = try listener.poll(for: .readable, timeoutMilliseconds: timeoutMilliseconds) } catch {
                throw .system(error)
            }
            guard ready else { throw .timeout("the relay waited \(timeoutMilliseconds) ms for client \(peers.count + 1) of 2") }
            do {
                if let socket = try listener.accept() { peers.append(socket) }
            } catch {
                throw .system(error)
            }
        }
        listener.close()
    }

    /// Forwards until a side hangs up.
    func run() throws(BenchError) {
        var fds = [pollfd(fd: peers[0].fileDescriptor, events: 0, revents: 0),
                   pollfd(fd: peers[1].fileDescriptor, events: 0, revents: 0)]
        while true {
            for side in 0..<2 {
                // Read a side only while its previous frame is out; wait for writability of a
                // side only while a frame for it is held.
                var events = Int16(0)
                if pending[side] == 0 { events |= Int16(POLLIN) }
                if pending[1 - side] != 0 { events |= Int16(POLLOUT) }
                fds[side].events = events
                fds[side].revents = 0
            }
            let n = retryingOnInterrupt { poll(&fds, 2, -1) }
            if n < 0 { throw .system(.current("poll")) }
            for side in 0..<2 where fds[side].revents & Int16(POLLOUT) != 0 {
                try retryPending(from: 1 - side)
            }
            for side in 0..<2 where fds[side].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                if try !forward(from: side) { return }
            }
        }
    }

    /// Reads up to the budget from `side` and sends each frame on; `false` when `side` hung up.
    private func forward(from side: Int) throws(BenchError) -> Bool {
        let source = peers[side], target = peers[1 - side]
        let buffer = buffers[side]
        for _ in 0..<Self.readBudget where pending[side] == 0 {
            let outcome: SeqPacketSocket.ReceiveOutcome
            do { outcome = try source.receive(into: buffer.bytes) } catch { throw .system(error) }
            switch outcome {
            case .wouldBlock: return true
            case .endOfStream: return false
            case .truncated(let count): throw .protocolFailure("relay: oversized datagram of \(count) bytes")
            case .frame(let count):
                let sent: SeqPacketSocket.SendOutcome
                do { sent = try target.send(buffer.prefix(count)) } catch { throw .system(error) }
                if sent == .sent { forwarded += 1 } else { pending[side] = count }
            }
        }
        return true
    }

    private func retryPending(from side: Int) throws(BenchError) {
        guard pending[side] != 0 else { return }
        let sent: SeqPacketSocket.SendOutcome
        do { sent = try peers[1 - side].send(buffers[side].prefix(pending[side])) } catch {
            throw .system(error)
        }
        if sent == .sent {
            pending[side] = 0
            forwarded += 1
        }
    }

    func close() {
        for peer in peers { peer.close() }
    }
}
