#if canImport(Glibc)
import Glibc
#endif

/// A failed libudev or system call: which operation, on what, and the errno it left.
public struct UdevError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The call that failed, e.g. `udev_monitor_new_from_netlink`.
    public let operation: String
    /// What it was applied to (a syspath, a subsystem, a file), when there is one.
    public let subject: String?
    /// The errno value (positive), 0 when the library gave none.
    public let errno: Int32

    public init(operation: String, subject: String? = nil, errno: Int32) {
        self.operation = operation
        self.subject = subject
        self.errno = errno
    }

    /// libudev reports failures either as a negative errno return value or as NULL with errno
    /// set; both land here.
    static func fromReturn(_ code: Int32, _ operation: String, subject: String? = nil) -> UdevError {
        UdevError(operation: operation, subject: subject, errno: code < 0 ? -code : code)
    }

    static func fromErrno(_ operation: String, subject: String? = nil) -> UdevError {
        UdevError(operation: operation, subject: subject, errno: Glibc.errno)
    }

    public var description: String {
        var text = operation
        if let subject { text += " (\(subject))" }
        if errno != 0 {
            text += " failed: " + String(cString: strerror(errno)) + " (errno \(errno))"
        } else {
            text += " failed"
        }
        return text
    }
}
