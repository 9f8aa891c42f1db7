import Glibc
import POSIX

/// Watches one file by watching its directory with inotify, so that every way an editor saves
/// is seen: in-place writes (IN_CLOSE_WRITE), write-temp-then-rename-over (IN_MOVED_TO),
/// delete + create, and the file disappearing (IN_DELETE / IN_MOVED_FROM).
///
/// Changes are coalesced: the callback runs once the file has been quiet for `settleDelay`
/// nanoseconds, so an editor's several syscalls produce one reload. Every write and truncation
/// (IN_MODIFY) restarts the quiet period: a reload due from an earlier save must not fire
/// between the next save's truncate and its write (issue 12). A writer pausing longer than
/// that still shows an empty or partial file; the config manager keeps the routing for those.
public final class FileChangeWatcher {
    public let directory: String
    public let fileName: String
    public let settleDelay: UInt64
    private let inotifyDescriptor: Int32
    private let loop: EventLoop
    private var tokens: [EventLoop.Token] = []
    private var dueAt: UInt64?
    private let onChange: () -> Void

    private static let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE
                                     | IN_DELETE_SELF | IN_MOVE_SELF)

    public init(path: String, loop: EventLoop, settleDelay: UInt64 = 150_000_000,
                onChange: @escaping () -> Void) throws(SystemError) {
        let split = FileChangeWatcher.split(path)
        directory = split.directory
        fileName = split.name
        self.settleDelay = settleDelay
        self.loop = loop
        self.onChange = onChange
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw .current("inotify_init1") }
        guard inotify_add_watch(fd, directory, Self.mask) >= 0 else {
            let error = SystemError.current("inotify_add_watch \(directory)")
            close(fd)
            throw error
        }
        inotifyDescriptor = fd
        tokens.append(loop.registerDescriptor(fd) { [unowned self] _ in self.readEvents() })
        tokens.append(loop.addTimer(nextDeadline: { [unowned self] in self.dueAt }) { [unowned self] _ in
            self.dueAt = nil
            self.onChange()
        })
    }

    public func invalidate() {
        for token in tokens { loop.unregister(token) }
        tokens.removeAll()
        close(inotifyDescriptor)
    }

    deinit {
        if !tokens.isEmpty { invalidate() }
    }

    private func readEvents() {
        let size = 4096
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        var relevant = false
        while true {
            let n = read(inotifyDescriptor, buffer.baseAddress, size)
            if n <= 0 { break }
            var offset = 0
            // struct inotify_event { int wd; uint32_t mask, cookie, len; char name[len]; }
            while offset + 16 <= n {
                let mask = buffer.load(fromByteOffset: offset + 4, as: UInt32.self)
                let length = Int(buffer.load(fromByteOffset: offset + 12, as: UInt32.self))
                guard offset + 16 + length <= n else { break }
                let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[(offset + 16)..<(offset + 16 + length)])
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                if name == fileName || mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_Q_OVERFLOW) != 0 {
                    relevant = true
                }
                offset += 16 + length
            }
        }
        if relevant { dueAt = MonotonicClock.now() + settleDelay }
    }

    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}
