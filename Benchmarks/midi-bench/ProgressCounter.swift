import Glibc
import POSIX
import Synchronization

/// How many messages the receiver has taken so far, in a page of shared memory (a file both
/// processes map): the back channel of the throughput runs' flow control. The sender keeps at
/// most a window of messages unacknowledged, so the run measures how fast the path carries
/// messages, never how fast a queue can be overfilled — the daemon drops (and reports) what a
/// slow receiver's queue cannot hold, by design, and the relay would block.
///
/// One writer (the receiver, a relaxed store per message: a plain store on x86), one reader
/// (the sender, once per batch). No syscall, no lock.
final class ProgressCounter {
    private let mapping: UnsafeMutableRawPointer
    private let counter: UnsafeMutablePointer<Atomic<UInt64>>
    static let size = 4096

    /// Maps `path`. With `create` (the receiver), a fresh zero-filled page replaces whatever
    /// was there — a new file, never a truncated old one, so a stale sender still mapping the
    /// old file cannot fault on it.
    init(path: String, create: Bool) throws(BenchError) {
        if create { unlink(path) }
        let flags = create ? (O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC) : (O_RDWR | O_CLOEXEC)
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else { throw .system(.current("open \(path)")) }
        defer { close(fd) }
        if create, ftruncate(fd, off_t(Self.size)) != 0 { throw .system(.current("ftruncate \(path)")) }
        guard let address = mmap(nil, Self.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
              address != MAP_FAILED else {
            throw .system(.current("mmap \(path)"))
        }
        mapping = address
        counter = address.bindMemory(to: Atomic<UInt64>.self, capacity: 1)
    }

    deinit { munmap(mapping, Self.size) }

    @inline(__always)
    func store(_ value: UInt64) { counter.pointee.store(value, ordering: .releasing) }

    @inline(__always)
    func load() -> UInt64 { counter.pointee.load(ordering: .acquiring) }
}
