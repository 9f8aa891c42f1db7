import Glibc
import POSIX
import IPC

/// Connecting to the daemon: `connect`, hello, wait for welcome or refusal. Used for the first
/// connection of a session (on the caller's thread) and for every reconnection (on the
/// session's reader thread).
enum ServiceHandshake {
    static func connect(path: String, clientName: String, timeoutMilliseconds: Int32)
        throws(MidiServiceError) -> (SeqPacketSocket, Welcome)
    {
        let socketPath: SocketPath
        do { socketPath = try SocketPath(path) } catch {
            throw .invalidArgument(error.description)
        }
        let socket: SeqPacketSocket
        do { socket = try SeqPacketSocket.connected(to: socketPath) } catch {
            throw .serviceNotReachable(socketPath: path, reason: Self.reason(error.errno), errno: error.errno.rawValue)
        }
        do {
            let welcome = try exchange(on: socket, path: path, clientName: clientName, timeoutMilliseconds: timeoutMilliseconds)
            return (socket, welcome)
        } catch {
            socket.close()
            throw error
        }
    }

    private static func exchange(on socket: SeqPacketSocket, path: String, clientName: String,
                                 timeoutMilliseconds: Int32) throws(MidiServiceError) -> Welcome {
        // A hello is one small datagram; a fresh socket always has room for it.
        for datagram in Frame.hello(Hello(pid: getpid(), clientName: clientName)).encoded() {
            let outcome: SeqPacketSocket.SendOutcome
            do { outcome = try socket.send(datagram) } catch {
                throw .serviceNotReachable(socketPath: path, reason: reason(error.errno), errno: error.errno.rawValue)
            }
            guard outcome == .sent else {
                throw .serviceNotReachable(socketPath: path, reason: "its socket is not accepting data", errno: EAGAIN)
            }
        }
        let buffer = FrameBuffer()
        var decoder = FrameDecoder()
        let deadline = MidiClock.now + UInt64(timeoutMilliseconds) * 1_000_000
        while true {
            let now = MidiClock.now
            guard now < deadline else {
                throw .timedOut(operation: "connecting to the MIDI service at \(path)", seconds: Double(timeoutMilliseconds) / 1000)
            }
            let outcome: SeqPacketSocket.ReceiveOutcome
            do {
                _ = try socket.poll(for: .readable, timeoutMilliseconds: Int32((deadline - now) / 1_000_000) + 1)
                outcome = try socket.receive(into: buffer.bytes)
            } catch {
                throw .serviceNotReachable(socketPath: path, reason: reason(error.errno), errno: error.errno.rawValue)
            }
            switch outcome {
            case .wouldBlock:
                continue
            case .endOfStream:
                throw .serviceNotReachable(socketPath: path, reason: "the service closed the connection during the handshake", errno: ECONNRESET)
            case .truncated(let count):
                throw .protocolViolation("a \(count)-byte frame during the handshake is larger than any frame of the protocol")
            case .frame(let count):
                let frame: Frame?
                do { frame = try decoder.decode(buffer.prefix(count)) } catch {
                    throw .protocolViolation("handshake: \(error)")
                }
                switch frame {
                case .welcome(let welcome)?:
                    return welcome
                case .refusal(let refusal)?:
                    throw .connectionRefused(reason: refusal.reason.description, message: refusal.message)
                case nil:
                    continue
                case let other?:
                    throw .protocolViolation("expected a welcome, received a \(other.kind) frame")
                }
            }
        }
    }

    static func reason(_ errno: Errno) -> String {
        switch errno {
        case .noSuchFileOrDirectory: return "no socket file there"
        case .connectionRefused: return "nobody is listening on that socket"
        case .permissionDenied, .notPermitted: return "permission denied (is the user in the group 'audio'?)"
        default: return errno.description
        }
    }
}
