import Glibc
import IPC

/// Crash-safe file replacement: write a temporary file in the same directory, fsync it, rename
/// it over the target, fsync the directory. After a crash at any point the target is either
/// the old content or the new, never a mix or empty.
public enum AtomicFile {
    /// Replaces `path` with `bytes`. A new file gets `mode`; an existing file keeps its mode
    /// (and, when we may, its owner and group).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(SystemError) {
        let (directory, name) = FileChangeWatcher.split(path)
        let temporary = directory + "/." + name + ".tmp-\(getpid())"
        var existing = stat()
        let hadFile = stat(path, &existing) == 0
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, hadFile ? existing.st_mode & 0o7777 : mode)
        guard fd >= 0 else { throw .current("open \(temporary)") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw SystemError.current("write \(temporary)")
                }
                offset += n
            }
            if hadFile {
                _ = fchmod(fd, existing.st_mode & 0o7777)
                _ = fchown(fd, existing.st_uid, existing.st_gid)   // fails harmlessly when not root
            }
            guard fsync(fd) == 0 else { throw SystemError.current("fsync \(temporary)") }
        } catch let error as SystemError {
            throw error
        } catch {
            preconditionFailure("only SystemError is thrown above")
        }
        guard rename(temporary, path) == 0 else { throw .current("rename \(temporary) → \(path)") }
        ok = true
        try syncDirectory(directory)
    }

    /// `fsync` on the directory makes the rename itself durable.
    public static func syncDirectory(_ directory: String) throws(SystemError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .current("open \(directory)") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .current("fsync \(directory)") }
    }

    /// Reads a whole file; `nil` when it does not exist.
    public static func read(_ path: String) throws(SystemError) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .current("open \(path)")
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .current("read \(path)")
            }
            if n == 0 { break }
            result += chunk.prefix(n)
        }
        return result
    }

    /// `mkdir -p` with `mode` for the directories it creates.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0 && errno != EEXIST {
                throw .current("mkdir \(current)")
            }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { throw .current("stat \(path)") }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw SystemError(operation: "mkdir \(path)", errno: ENOTDIR) }
    }
}
