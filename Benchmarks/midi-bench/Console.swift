import Glibc
import POSIX

/// Unbuffered writes to stdout/stderr (the C `stdout`/`stderr` globals are not
/// concurrency-safe in Swift 6, and a role's lines must reach the coordinator's pipe at once).
enum Console {
    static func out(_ line: String) { write(line + "\n", to: STDOUT_FILENO) }
    static func error(_ line: String) { write(line + "\n", to: STDERR_FILENO) }

    private static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = retryingOnInterrupt { bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) } }
            guard n > 0 else { return }
            offset += n
        }
    }
}
