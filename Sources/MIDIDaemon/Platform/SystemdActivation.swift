import Glibc
import IPC
import POSIX

/// Why a socket systemd passed (`LISTEN_FDS`) cannot be served.
public enum SystemdActivationError: Error, Equatable, CustomStringConvertible {
    /// `LISTEN_FDS` is not a count, or `LISTEN_PID` not a pid.
    case malformedEnvironment(variable: String, value: String)
    /// midisrv serves one socket; the socket unit listed more (or none).
    case wrongDescriptorCount(Int)
    /// The descriptor is not a listening `AF_UNIX` `SOCK_SEQPACKET` socket (`ListenSequentialPacket=`).
    case notASequentialPacketListener(descriptor: Int32, reason: String)
    case system(SystemError)

    public var description: String {
        switch self {
        case .malformedEnvironment(let variable, let value):
            return "socket activation: \(variable)=\"\(value)\" is not a number"
        case .wrongDescriptorCount(let count):
            return "socket activation: systemd passed \(count) sockets (LISTEN_FDS); midisrv serves exactly one - give its socket unit one ListenSequentialPacket= line"
        case .notASequentialPacketListener(let descriptor, let reason):
            return "socket activation: descriptor \(descriptor) is not a listening Unix SOCK_SEQPACKET socket (\(reason)); use ListenSequentialPacket= in the socket unit"
        case .system(let error):
            return "socket activation: \(error)"
        }
    }
}

/// The listening socket systemd handed over (socket activation), found the way `sd_listen_fds`
/// finds it but without libsystemd: `LISTEN_PID` must be our pid, `LISTEN_FDS` counts the
/// descriptors from 3 (`SD_LISTEN_FDS_START`). The protocol is systemd's
/// "sd_listen_fds(3)"; nothing else in the environment is needed.
public struct SystemdActivation {
    /// The first descriptor systemd passes.
    public static let firstDescriptor: Int32 = 3

    /// The adopted listening socket (non-blocking, close-on-exec).
    public let socket: SeqPacketSocket
    /// The file-system path it is bound to, or nil for an abstract or unnamed socket.
    public let path: String?
    /// `LISTEN_FDNAMES` (the socket unit's `FileDescriptorName=`, by default its unit name).
    public let name: String?

    /// The socket passed to this process, or nil when nothing was passed to it (no `LISTEN_PID`,
    /// or another process's pid: the variables were inherited, not meant for us).
    /// The variables are removed from the environment either way, as `sd_listen_fds(1)` does,
    /// so nothing this process starts mistakes them for its own.
    public static func adopt(environment: [String: String], pid: pid_t = getpid(),
                             unsetEnvironment: Bool = true) throws(SystemdActivationError) -> SystemdActivation? {
        defer {
            if unsetEnvironment {
                unsetenv("LISTEN_PID")
                unsetenv("LISTEN_FDS")
                unsetenv("LISTEN_FDNAMES")
            }
        }
        guard let pidText = environment["LISTEN_PID"] else { return nil }
        guard let listenPid = pid_t(pidText) else { throw .malformedEnvironment(variable: "LISTEN_PID", value: pidText) }
        guard listenPid == pid else { return nil }
        let countText = environment["LISTEN_FDS"] ?? ""
        guard let count = Int(countText), count >= 0 else { throw .malformedEnvironment(variable: "LISTEN_FDS", value: countText) }
        if count == 0 { return nil }
        guard count == 1 else { throw .wrongDescriptorCount(count) }
        let fd = firstDescriptor
        let path = try checkListener(fd)
        // systemd passes sockets blocking (unless NonBlocking=yes) and without FD_CLOEXEC; the
        // event loop needs accept() to say EAGAIN, and no child should inherit the listener.
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else { throw .system(.current("fcntl O_NONBLOCK on descriptor \(fd)")) }
        let descriptorFlags = fcntl(fd, F_GETFD)
        guard descriptorFlags >= 0, fcntl(fd, F_SETFD, descriptorFlags | FD_CLOEXEC) == 0 else {
            throw .system(.current("fcntl FD_CLOEXEC on descriptor \(fd)"))
        }
        let name = environment["LISTEN_FDNAMES"].flatMap { $0.split(separator: ":").first.map(String.init) }
        return SystemdActivation(socket: SeqPacketSocket(adopting: fd), path: path, name: name)
    }

    /// Checks that `fd` is a listening `AF_UNIX` `SOCK_SEQPACKET` socket; returns its path.
    public static func checkListener(_ fd: Int32) throws(SystemdActivationError) -> String? {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .notASequentialPacketListener(descriptor: fd, reason: SystemError.current("fstat").description)
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else { throw .notASequentialPacketListener(descriptor: fd, reason: "not a socket") }
        guard let type = socketOption(fd, SO_TYPE), type == Int32(SOCK_SEQPACKET.rawValue) else {
            throw .notASequentialPacketListener(descriptor: fd, reason: "not SOCK_SEQPACKET")
        }
        guard socketOption(fd, SO_ACCEPTCONN) == 1 else {
            throw .notASequentialPacketListener(descriptor: fd, reason: "not listening (Accept=yes is not supported)")
        }
        var address = sockaddr_un()
        var length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw .system(.current("getsockname on descriptor \(fd)")) }
        guard address.sun_family == sa_family_t(AF_UNIX) else {
            throw .notASequentialPacketListener(descriptor: fd, reason: "address family \(address.sun_family), not AF_UNIX")
        }
        let pathLength = Int(length) - MemoryLayout.offset(of: \sockaddr_un.sun_path)!
        guard pathLength > 0 else { return nil }
        return withUnsafeBytes(of: &address.sun_path) { raw -> String? in
            let bytes = Array(raw.prefix(pathLength))
            guard let first = bytes.first, first != 0 else { return nil }   // abstract socket: no file
            return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    private static func socketOption(_ fd: Int32, _ option: Int32) -> Int32? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, SOL_SOCKET, option, &value, &length) == 0 ? value : nil
    }
}
