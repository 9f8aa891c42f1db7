#if canImport(Glibc)
import Glibc
import POSIX
#endif

/// A failed libudev or system call: which operation, on what, and the errno it left.
public struct UdevError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The call that failed, e.g. `udev_monitor_new_from_netlink`.
    public let operation: String
    /// What it was applied to (a syspath, a subsystem, a file), when there is one.
    public let subject: String?
    /// The errno value, nil when the library gave none.
    public let errno: Errno?

    public init(operation: String, subject: String? = nil, errno: Errno?) {
        self.operation = operation
        self.subject = subject
        self.errno = errno
    }

    /// libudev reports failures either as a negative errno return value or as NULL with errno
    /// set; both land here.
    static func fromReturn(_ code: Int32, _ operation: String, subject: String? = nil) -> UdevError {
        UdevError(operation: operation, subject: subject, errno: code == 0 ? nil : Errno(code < 0 ? -code : code))
    }

    static func fromErrno(_ operation: String, subject: String? = nil) -> UdevError {
        UdevError(operation: operation, subject: subject, errno: Errno.current.rawValue == 0 ? nil : .current)
    }

    public var description: String {
        var text = operation
        if let subject { text += " (\(subject))" }
        if let errno {
            text += " failed: \(errno) (errno \(errno.rawValue))"
        } else {
            text += " failed"
        }
        return text
    }
}
