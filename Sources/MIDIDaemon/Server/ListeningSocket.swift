import Glibc
import IPC
import POSIX

/// Why the daemon could not take its socket path.
public enum SocketClaimError: Error, Equatable, CustomStringConvertible {
    /// A daemon answers on the path.
    case alreadyRunning(path: String)
    /// Something other than a socket is at the path; we never delete what we did not make.
    case notASocket(path: String)
    case invalidPath(SocketPath.ValidationError)
    case system(SystemError)

    public var description: String {
        switch self {
        case .alreadyRunning(let path): return "another midisrv is running on \(path)"
        case .notASocket(let path): return "\(path) exists and is not a socket; refusing to replace it"
        case .invalidPath(let error): return error.description
        case .system(let error): return error.description
        }
    }
}

/// Claims the socket path for this daemon (the single-instance rule) and listens on it.
public enum ListeningSocket {
    public struct Claimed {
        public let socket: SeqPacketSocket
        public let path: SocketPath
        /// A stale socket file (nobody listening) was replaced.
        public let replacedStale: Bool
        /// The group the socket file was given (`audio` when it exists), or why not.
        public let groupNote: String
        /// Device and inode of the socket file this daemon bound, so that it removes that file
        /// and never one another daemon has since bound at the same path.
        public let fileIdentity: FileIdentity?
    }

    /// A file's device and inode number.
    public struct FileIdentity: Equatable, Sendable {
        public let device: UInt64
        public let inode: UInt64

        /// The identity of whatever is at `path` (without following a link), nil when nothing is.
        public static func of(_ path: String) -> FileIdentity? {
            var info = stat()
            guard lstat(path, &info) == 0 else { return nil }
            return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }
    }

    /// Removes the socket file at shutdown — only if it is still the one this daemon bound. A
    /// second daemon that replaced it (the first one stopped answering, or its file was
    /// removed by hand) keeps its socket. Returns whether the file was removed.
    @discardableResult
    public static func release(_ path: String, identity: FileIdentity?) -> Bool {
        guard let identity, FileIdentity.of(path) == identity else { return false }
        return unlink(path) == 0
    }

    /// - Creates the parent directory (0755) if needed.
    /// - If a socket file exists: connect to it. Success → another daemon runs there: refuse.
    ///   ECONNREFUSED → stale file left by a daemon that died: remove and continue.
    /// - bind + listen; mode 0660; group `audio` when that group exists (`groupName`).
    public static func claim(_ pathText: String, groupName: String = "audio") throws(SocketClaimError) -> Claimed {
        let path: SocketPath
        do { path = try SocketPath(pathText) } catch { throw .invalidPath(error) }
        let (directory, _) = FileChangeWatcher.split(path.path)
        do { try AtomicFile.makeDirectories(directory) } catch { throw .system(error) }

        var replacedStale = false
        var info = stat()
        if lstat(path.path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFSOCK else { throw .notASocket(path: path.path) }
            do {
                let probe = try SeqPacketSocket.connected(to: path)
                probe.close()
                throw SocketClaimError.alreadyRunning(path: path.path)
            } catch let error as SocketClaimError {
                throw error
            } catch let error as SystemError where error.errno == .connectionRefused {
                guard unlink(path.path) == 0 || errno == ENOENT else { throw .system(.current("unlink \(path)")) }
                replacedStale = true
            } catch let error as SystemError where error.errno == .noSuchFileOrDirectory {
                // Vanished between lstat and connect: nothing to replace.
            } catch let error as SystemError {
                throw .system(error)
            } catch {
                preconditionFailure("unreachable")
            }
        }

        // umask for the bind so the file is never briefly wider than 0660.
        let savedMask = umask(0o117)
        let socket: SeqPacketSocket
        do {
            socket = try SeqPacketSocket.listening(at: path, backlog: 128)
        } catch {
            umask(savedMask)
            // Two daemons starting at the same moment: the loser sees EADDRINUSE.
            if error.errno == .addressInUse { throw .alreadyRunning(path: path.path) }
            throw .system(error)
        }
        umask(savedMask)
        _ = chmod(path.path, 0o660)

        var groupNote: String
        if let group = getgrnam(groupName) {
            let gid = group.pointee.gr_gid
            if chown(path.path, uid_t.max, gid) == 0 {
                groupNote = "group \(groupName)"
            } else {
                groupNote = "group \(groupName) not set: \(SystemError.current("chown").description)"
            }
        } else {
            groupNote = "no group \(groupName) on this system; socket keeps the daemon's group"
        }
        return Claimed(socket: socket, path: path, replacedStale: replacedStale, groupNote: groupNote,
                       fileIdentity: FileIdentity.of(path.path))
    }
}
