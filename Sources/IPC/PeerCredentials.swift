import Glibc

/// Who is on the other end of a Unix socket, as the kernel recorded it at `connect` time
/// (`SO_PEERCRED`). Cannot be forged by the peer.
public struct PeerCredentials: Equatable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    public var description: String { "pid \(pid) uid \(uid) gid \(gid)" }
}

/// Layout of `struct ucred` (<sys/socket.h>), which Glibc's Swift overlay hides behind
/// `_GNU_SOURCE`: `pid_t pid; uid_t uid; gid_t gid;` — three 32-bit fields on every Linux ABI.
struct LinuxUcred {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
