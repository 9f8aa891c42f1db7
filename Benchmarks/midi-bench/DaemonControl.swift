import Glibc
import POSIX
import IPC
import UMP

/// A synchronous control client speaking the IPC protocol directly (docs/ipc.md): hello, then
/// one request at a time. The `ipc` path's roles use it to open their endpoint before handing
/// the socket to a `SocketLink`; nothing here runs per message.
final class DaemonControl {
    let socket: SeqPacketSocket
    private let buffer = FrameBuffer()
    private var decoder = FrameDecoder()
    private var nextRequest: UInt32 = 0
    private(set) var welcome: Welcome?

    /// Connects and completes the handshake.
    init(socketPath: String, clientName: String) throws(BenchError) {
        let path: SocketPath
        do { path = try SocketPath(socketPath) } catch { throw .protocolFailure("bad socket path \(socketPath): \(error)") }
        do { socket = try SeqPacketSocket.connected(to: path) } catch { throw .system(error) }
        try send(.hello(Hello(pid: getpid(), clientName: clientName)))
        switch try receiveFrame(timeoutMilliseconds: 5000) {
        case .welcome(let welcome): self.welcome = welcome
        case .refusal(let refusal): throw .protocolFailure("midisrv refused the connection: \(refusal.reason): \(refusal.message)")
        case let other: throw .protocolFailure("expected a welcome from midisrv, got \(other)")
        }
    }

    func send(_ frame: Frame) throws(BenchError) {
        for datagram in frame.encoded() {
            while true {
                let outcome: SeqPacketSocket.SendOutcome
                do { outcome = try socket.send(datagram) } catch { throw .system(error) }
                if outcome == .sent { break }
                do { _ = try socket.poll(for: .writable, timeoutMilliseconds: 1000) } catch {
                    throw .system(error)
                }
            }
        }
    }

    func receiveFrame(timeoutMilliseconds: Int32) throws(BenchError) -> Frame {
        let deadline = BenchClock.now() + UInt64(timeoutMilliseconds) * 1_000_000
        while true {
            let outcome: SeqPacketSocket.ReceiveOutcome
            do { outcome = try socket.receive(into: buffer.bytes) } catch { throw .system(error) }
            switch outcome {
            case .frame(let count):
                do {
                    if let frame = try decoder.decode(buffer.prefix(count)) { return frame }
                } catch {
                    throw .protocolFailure("malformed frame from midisrv: \(error)")
                }
            case .wouldBlock:
                let now = BenchClock.now()
                guard now < deadline else { throw .timeout("no answer from midisrv within \(timeoutMilliseconds) ms") }
                do { _ = try socket.poll(for: .readable, timeoutMilliseconds: Int32((deadline - now) / 1_000_000 + 1)) } catch {
                    throw .system(error)
                }
            case .endOfStream:
                throw .protocolFailure("midisrv closed the connection")
            case .truncated(let count):
                throw .protocolFailure("oversized frame of \(count) bytes from midisrv")
            }
        }
    }

    /// Sends a request and waits for its reply (other frames meanwhile are skipped).
    func request(_ request: ControlRequest) throws(BenchError) -> ControlReply {
        nextRequest += 1
        let id = RequestID(nextRequest)
        try send(.request(id, request))
        while true {
            if case .response(let answered, let reply) = try receiveFrame(timeoutMilliseconds: 10_000), answered == id {
                if case .failure(let error) = reply {
                    throw .protocolFailure("midisrv refused \(request.operation): \(error)")
                }
                return reply
            }
        }
    }

    /// Creates a transient loopback pair; returns the full EndpointDeviceIds of A and B.
    func createLoopbackPair(name: String, uniqueIdentifier: String) throws(BenchError) -> (a: String, b: String) {
        let reply = try request(.createLoopbackPair(CreateLoopbackPairRequest(
            endpointA: LoopbackEndpointDefinition(name: "\(name) (A)", uniqueIdentifier: uniqueIdentifier),
            endpointB: LoopbackEndpointDefinition(name: "\(name) (B)", uniqueIdentifier: uniqueIdentifier))))
        guard case .loopbackPair(let pair) = reply else { throw .protocolFailure("unexpected reply to createLoopbackPair: \(reply)") }
        return (pair.endpointA.id, pair.endpointB.id)
    }

    /// Opens a connection to an endpoint; messages then flow as UMP batches on this socket.
    func openEndpoint(_ endpoint: String) throws(BenchError) -> ConnectionHandle {
        let reply = try request(.openEndpoint(OpenEndpointRequest(endpoint: endpoint)))
        guard case .connectionOpened(let opened) = reply else { throw .protocolFailure("unexpected reply to openEndpoint: \(reply)") }
        return opened.connection
    }

    func close() { socket.close() }
}
