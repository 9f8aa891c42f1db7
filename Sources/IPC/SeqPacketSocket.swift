import Glibc
import POSIX

/// A Unix-domain `SOCK_SEQPACKET` socket: connection-oriented, reliable, and record-preserving —
/// one `send` is one datagram is one frame, so the wire format needs no stream reassembly.
///
/// A thin typed wrapper in the spirit of swift-system's `FileDescriptor`: a copyable value around
/// the descriptor, explicit `close()`, every failure a `SystemError` naming the call and `errno`.
/// Every socket is created `SOCK_CLOEXEC | SOCK_NONBLOCK`, and every send and plain receive passes
/// `MSG_DONTWAIT`, so they never block whatever the descriptor's mode (wait with
/// `poll(for:timeoutMilliseconds:)` or the caller's own event loop). A thread that does nothing
/// but read may instead switch the socket to blocking mode (`setBlocking(true)`) and use
/// `receive(into:waiting: true)`: one system call per datagram where poll + read + the read
/// that finds the socket empty take three.
public struct SeqPacketSocket: Hashable, Sendable, CustomStringConvertible {
    /// The underlying descriptor; owned by whoever calls `close()`.
    public let fileDescriptor: Int32

    /// Wraps a descriptor that already is a connected or listening `SOCK_SEQPACKET` socket.
    public init(adopting fileDescriptor: Int32) {
        self.fileDescriptor = fileDescriptor
    }

    public var description: String { "SeqPacketSocket(fd \(fileDescriptor))" }

    static let socketType = Int32(SOCK_SEQPACKET.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)

    // MARK: Creating

    /// `socket` + `bind` + `listen` at `path`. The path must not exist (remove a stale socket
    /// file first); its mode is what the process umask leaves — `chmod` it afterwards.
    public static func listening(at path: SocketPath, backlog: Int32 = 64) throws(SystemError) -> SeqPacketSocket {
        let fd = Glibc.socket(AF_UNIX, socketType, 0)
        guard fd >= 0 else { throw .current("socket(AF_UNIX, SOCK_SEQPACKET)") }
        let socket = SeqPacketSocket(adopting: fd)
        let bound = path.withSockaddr { Glibc.bind(fd, $0, $1) }
        guard bound == 0 else {
            let error = SystemError.current("bind \(path)")
            socket.close()
            throw error
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let error = SystemError.current("listen \(path)")
            socket.close()
            throw error
        }
        return socket
    }

    /// `socket` + `connect` to `path`. Unix-domain connects complete at once or fail:
    /// `ECONNREFUSED` means a socket file with nobody listening (stale), `ENOENT` no file.
    public static func connected(to path: SocketPath) throws(SystemError) -> SeqPacketSocket {
        let fd = Glibc.socket(AF_UNIX, socketType, 0)
        guard fd >= 0 else { throw .current("socket(AF_UNIX, SOCK_SEQPACKET)") }
        let socket = SeqPacketSocket(adopting: fd)
        let result = retryingOnInterrupt { path.withSockaddr { Glibc.connect(fd, $0, $1) } }
        if result == 0 { return socket }
        let error = SystemError.current("connect \(path)")
        socket.close()
        throw error
    }

    /// A connected pair (`socketpair(AF_UNIX, SOCK_SEQPACKET)`), for tests and in-process links.
    public static func pair() throws(SystemError) -> (SeqPacketSocket, SeqPacketSocket) {
        var fds: [Int32] = [-1, -1]
        guard Glibc.socketpair(AF_UNIX, socketType, 0, &fds) == 0 else {
            throw .current("socketpair(AF_UNIX, SOCK_SEQPACKET)")
        }
        return (SeqPacketSocket(adopting: fds[0]), SeqPacketSocket(adopting: fds[1]))
    }

    /// Accepts one pending connection (`accept4` with `SOCK_CLOEXEC | SOCK_NONBLOCK`), or `nil`
    /// when none is pending. `ECONNABORTED` (the peer gave up while queued) also yields `nil`.
    public func accept() throws(SystemError) -> SeqPacketSocket? {
        let fd = retryingOnInterrupt { Accept4.call(fileDescriptor, Int32(SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue)) }
        if fd >= 0 { return SeqPacketSocket(adopting: fd) }
        let error = SystemError.current("accept4")
        switch error.errno {
        case .wouldBlock, .connectionAborted: return nil
        default: throw error
        }
    }

    // MARK: Data

    public enum SendOutcome: Equatable, Sendable {
        /// The whole frame is in the kernel's queue (a datagram is all or nothing).
        case sent
        /// The peer's receive queue is full; nothing was sent. Retry when `poll` says writable.
        case wouldBlock
    }

    /// Sends one frame as one datagram without blocking. `EPIPE`/`ECONNRESET` (peer gone) are
    /// thrown; `SIGPIPE` is never raised (`MSG_NOSIGNAL`).
    public func send(_ frame: UnsafeRawBufferPointer) throws(SystemError) -> SendOutcome {
        let flags = Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL)
        let n = retryingOnInterrupt { Glibc.send(fileDescriptor, frame.baseAddress, frame.count, flags) }
        if n >= 0 { return .sent }
        let error = SystemError.current("send")
        if error.errno == .wouldBlock { return .wouldBlock }
        throw error
    }

    /// Sends `frame` (convenience for control frames held in arrays).
    public func send(_ frame: [UInt8]) throws(SystemError) -> SendOutcome {
        try withBytes(of: frame) { (raw) throws(SystemError) -> SendOutcome in try send(raw) }
    }

    public enum ReceiveOutcome: Equatable, Sendable {
        /// One whole frame of this many bytes is at the start of the buffer.
        case frame(byteCount: Int)
        /// A datagram larger than the buffer arrived; it was consumed and cut to the buffer's
        /// size. For this protocol that is an oversized frame.
        case truncated(byteCount: Int)
        /// Nothing to read now.
        case wouldBlock
        /// The peer closed the connection (a zero-length read; this protocol never sends empty
        /// frames, so it is unambiguous).
        case endOfStream
    }

    /// Receives one datagram into `buffer`, reporting truncation instead of silently cutting the
    /// frame. Without `waiting` it does not block (`recvmsg` with `MSG_DONTWAIT`). With
    /// `waiting` on a socket in blocking mode (`setBlocking(true)`) it waits until a datagram
    /// arrives (`.frame`), the socket is shut down — by the peer or by `shutdown()` from another
    /// thread (`.endOfStream`) — or the receive timeout passes (`setReceiveTimeout`,
    /// `.wouldBlock`). On a socket still in non-blocking mode `waiting` changes nothing.
    public func receive(into buffer: UnsafeMutableRawBufferPointer, waiting: Bool = false) throws(SystemError) -> ReceiveOutcome {
        let flags = waiting ? Int32(MSG_CMSG_CLOEXEC) : Int32(MSG_DONTWAIT) | Int32(MSG_CMSG_CLOEXEC)
        var iov = iovec(iov_base: buffer.baseAddress, iov_len: buffer.count)
        return try withUnsafeMutablePointer(to: &iov) { (iovPointer) throws(SystemError) -> ReceiveOutcome in
            var message = msghdr()
            message.msg_iov = iovPointer
            message.msg_iovlen = 1
            let n = retryingOnInterrupt { Glibc.recvmsg(fileDescriptor, &message, flags) }
            if n > 0 {
                if message.msg_flags & Int32(MSG_TRUNC) != 0 { return .truncated(byteCount: n) }
                return .frame(byteCount: n)
            }
            if n == 0 { return buffer.isEmpty ? .wouldBlock : .endOfStream }
            let error = SystemError.current("recvmsg")
            switch error.errno {
            case .wouldBlock: return .wouldBlock
            case .connectionReset: return .endOfStream
            default: throw error
            }
        }
    }

    // MARK: Properties and lifetime

    /// The peer's pid/uid/gid as the kernel recorded them (`SO_PEERCRED`).
    public func peerCredentials() throws(SystemError) -> PeerCredentials {
        var credentials = LinuxUcred()
        var length = socklen_t(MemoryLayout<LinuxUcred>.size)
        guard Glibc.getsockopt(fileDescriptor, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0 else {
            throw .current("getsockopt(SO_PEERCRED)")
        }
        return PeerCredentials(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
    }

    /// `SO_SNDBUF` — the kernel doubles what is set; reading gives the doubled value.
    public func sendBufferSize() throws(SystemError) -> Int {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard Glibc.getsockopt(fileDescriptor, SOL_SOCKET, SO_SNDBUF, &value, &length) == 0 else {
            throw .current("getsockopt(SO_SNDBUF)")
        }
        return Int(value)
    }

    public func setSendBufferSize(_ bytes: Int) throws(SystemError) {
        var value = Int32(clamping: bytes)
        guard Glibc.setsockopt(fileDescriptor, SOL_SOCKET, SO_SNDBUF, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw .current("setsockopt(SO_SNDBUF)")
        }
    }

    /// Switches the descriptor between blocking and non-blocking mode (`O_NONBLOCK`). Sends and
    /// plain receives pass `MSG_DONTWAIT` and stay non-blocking either way; only
    /// `receive(into:waiting: true)` and `connect`/`accept` see the mode. The mode belongs to the
    /// open file: descriptors `dup`ed from this one share it.
    public func setBlocking(_ blocking: Bool) throws(SystemError) {
        let flags = fcntl(fileDescriptor, F_GETFL)
        guard flags >= 0 else { throw .current("fcntl(F_GETFL)") }
        let wanted = blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK
        guard wanted == flags || fcntl(fileDescriptor, F_SETFL, wanted) == 0 else { throw .current("fcntl(F_SETFL)") }
    }

    /// `SO_RCVTIMEO`: the longest a waiting receive blocks before answering `.wouldBlock`
    /// (0 = no limit).
    public func setReceiveTimeout(milliseconds: Int) throws(SystemError) {
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        guard Glibc.setsockopt(fileDescriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw .current("setsockopt(SO_RCVTIMEO)")
        }
    }

    public enum Readiness: Sendable {
        case readable, writable
    }

    /// Waits until the socket is readable/writable (or hung up), at most `timeoutMilliseconds`
    /// (-1 = forever). Returns `false` on timeout. For clients without an event loop of their own.
    public func poll(for readiness: Readiness, timeoutMilliseconds: Int32) throws(SystemError) -> Bool {
        let events = readiness == .readable ? Int16(POLLIN) : Int16(POLLOUT)
        var entry = pollfd(fd: fileDescriptor, events: events, revents: 0)
        let n = retryingOnInterrupt { Glibc.poll(&entry, 1, timeoutMilliseconds) }
        if n >= 0 { return n > 0 }
        throw .current("poll")
    }

    /// Stops both directions, waking a peer (and any thread of ours) blocked on this socket.
    public func shutdown() {
        _ = Glibc.shutdown(fileDescriptor, Int32(SHUT_RDWR))
    }

    /// Closes the descriptor. `EINTR` from `close` on Linux still closes it, so it is not retried.
    public func close() {
        _ = Glibc.close(fileDescriptor)
    }
}

/// `accept4(2)`: Glibc declares it only under `_GNU_SOURCE`, which Swift's Glibc module does
/// not define, so it is looked up once by name and called through its C signature.
enum Accept4 {
    typealias Function = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32

    static let function: Function? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "accept4") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()

    /// Falls back to `accept` + `fcntl` where the symbol is missing (never on glibc ≥ 2.10).
    static func call(_ fd: Int32, _ flags: Int32) -> Int32 {
        if let accept4 = function { return accept4(fd, nil, nil, flags) }
        let client = Glibc.accept(fd, nil, nil)
        guard client >= 0 else { return client }
        _ = fcntl(client, F_SETFD, FD_CLOEXEC)
        _ = fcntl(client, F_SETFL, fcntl(client, F_GETFL) | O_NONBLOCK)
        return client
    }
}
