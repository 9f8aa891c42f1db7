import Glibc
import POSIX

/// Crash-safe file replacement: write a temporary file in the same directory, fsync it, rename
/// it over the target, fsync the directory. After a crash at any point the target is either
/// the old content or the new, never a mix or empty.
public enum AtomicFile {
    /// Replaces `path` with `bytes`. A new file gets `mode`; an existing file keeps its mode
    /// (and, when we may, its owner and group).
    ///
    /// Safe in a directory others can write (issue 12): the temporary file is created with
    /// `O_EXCL | O_NOFOLLOW`, so a link or file planted at its name is never opened — a planted
    /// one is removed and the file created afresh; mode and owner are copied only from a
    /// regular file at `path` (`lstat`: never through a link), and applied to the temporary
    /// file this call created. A symbolic link at `path` is never replaced by a regular file
    /// (its target would silently stop being the file in use): one owned by this process's
    /// user or root is followed and its target replaced; any other is refused (`ELOOP`).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(SystemError) {
        let (directory, name) = FileChangeWatcher.split(path)
        let temporary = temporaryPath(directory: directory, name: name, pid: getpid())
        var existing = stat()
        let hadFile: Bool
        if lstat(path, &existing) == 0 {
            switch existing.st_mode & S_IFMT {
            case S_IFREG: hadFile = true
            case S_IFLNK:
                // A link this process's user (or root) made is followed: its target is replaced
                // and the link kept (a config kept elsewhere, e.g. in a dotfiles repository).
                // A link anyone else made is refused: following it would let that user aim a
                // root daemon's write at any file (the kernel's protected_symlinks rule, too).
                guard existing.st_uid == geteuid() || existing.st_uid == 0 else {
                    throw SystemError(operation: "replace \(path): it is a symbolic link owned by uid \(existing.st_uid), neither this process's user (uid \(geteuid())) nor root; not followed. Name the target itself as the file", errno: Errno(ELOOP))
                }
                guard let resolved = realpath(path, nil) else { throw .current("resolve the symbolic link \(path)") }
                defer { free(resolved) }
                try write(bytes, to: String(cString: resolved), mode: mode)
                return
            default:
                throw SystemError(operation: "replace \(path): it is not a regular file", errno: .invalidArgument)
            }
        } else {
            hadFile = false
        }
        let createMode = hadFile ? existing.st_mode & 0o7777 : mode
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        var fd = open(temporary, flags, createMode)
        if fd < 0 && errno == EEXIST {
            // Left by an earlier process with our pid, or planted: unlink removes the entry
            // itself (a link, not its target); then create ours.
            unlink(temporary)
            fd = open(temporary, flags, createMode)
        }
        guard fd >= 0 else { throw .current("open \(temporary)") }
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        do {
            defer { close(fd) }
            var offset = 0
            while offset < bytes.count {
                let n = retryingOnInterrupt { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) } }
                if n < 0 { throw SystemError.current("write \(temporary)") }
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

    /// `.<name>.tmp-<pid>`, next to the file it will replace.
    static func temporaryPath(directory: String, name: String, pid: pid_t) -> String {
        directory + "/." + name + ".tmp-\(pid)"
    }

    /// Removes the temporary files an earlier process killed mid-`write` left next to `path`
    /// (`.<name>.tmp-<pid>` whose pid is no longer running). Called at start. Returns the
    /// names removed.
    @discardableResult
    public static func removeStaleTemporaries(of path: String) -> [String] {
        let (directory, name) = FileChangeWatcher.split(path)
        let prefix = "." + name + ".tmp-"
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var removed: [String] = []
        while let entry = readdir(dir) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard entryName.hasPrefix(prefix), let pid = pid_t(entryName.dropFirst(prefix.count)), pid > 0 else { continue }
            guard pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            if unlink(directory + "/" + entryName) == 0 { removed.append(entryName) }
        }
        return removed
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
        // O_NONBLOCK: a FIFO at the path must not block the event loop; it is refused below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw .current("open \(path)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .current("fstat \(path)") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SystemError(operation: "read \(path): not a regular file", errno: .invalidArgument)
        }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = retryingOnInterrupt { chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } }
            if n < 0 { throw .current("read \(path)") }
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
        guard info.st_mode & S_IFMT == S_IFDIR else { throw SystemError(operation: "mkdir \(path)", errno: .notADirectory) }
    }
}
