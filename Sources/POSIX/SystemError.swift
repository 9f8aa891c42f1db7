import Glibc

/// A failed system call: which operation, and the `errno` it left behind.
///
/// Carries the number (`Errno`), not a message, so callers can match on it (`.wouldBlock`,
/// `.connectionRefused`…); `description` renders it the way `strerror` would.
public struct SystemError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The call that failed, e.g. `"connect"`, or `"bind /run/midi-services/midisrv.sock"`.
    public var operation: String
    /// The `errno` value the call set.
    public var errno: Errno

    public init(operation: String, errno: Errno) {
        self.operation = operation
        self.errno = errno
    }

    /// Captures the calling thread's current `errno`; call it right after the failing call.
    public static func current(_ operation: String) -> SystemError {
        SystemError(operation: operation, errno: .current)
    }

    public var description: String {
        "\(operation): \(errno) (errno \(errno.rawValue))"
    }
}
