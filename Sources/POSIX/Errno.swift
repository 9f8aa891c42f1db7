import Glibc

/// An operating-system error number: the one errno type of the project. `SystemError`,
/// `ALSAError` and `UdevError` all carry it, so code matches `.wouldBlock` or `.busy` the same
/// way whichever layer failed.
///
/// In the style of swift-system's `Errno`, kept to the values this code matches on; any other
/// number is still carried and printed (`description` is `strerror`'s text).
public struct Errno: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }
    public init(_ rawValue: Int32) { self.rawValue = rawValue }

    /// The calling thread's `errno`; read it right after the failing call.
    public static var current: Errno { Errno(Glibc.errno) }

    public var description: String {
        strerror(rawValue).map { String(cString: $0) } ?? "errno \(rawValue)"
    }

    /// `EINTR`: a signal interrupted the call before it did anything; call it again.
    public static let interrupted = Errno(EINTR)
    /// `EAGAIN` (= `EWOULDBLOCK` on Linux): nothing to read, or no room to write, now.
    public static let wouldBlock = Errno(EAGAIN)
    public static let noSuchFileOrDirectory = Errno(ENOENT)
    public static let noSuchDeviceOrAddress = Errno(ENXIO)
    public static let notADirectory = Errno(ENOTDIR)
    public static let invalidArgument = Errno(EINVAL)
    public static let notPermitted = Errno(EPERM)
    /// `EACCES`: e.g. `/dev/snd/seq` for a user outside the audio group.
    public static let permissionDenied = Errno(EACCES)
    public static let noMemory = Errno(ENOMEM)
    /// `EBUSY`: e.g. a rawmidi port another program has open.
    public static let busy = Errno(EBUSY)
    public static let brokenPipe = Errno(EPIPE)
    public static let connectionRefused = Errno(ECONNREFUSED)
    public static let connectionReset = Errno(ECONNRESET)
    public static let connectionAborted = Errno(ECONNABORTED)
    public static let addressInUse = Errno(EADDRINUSE)
}
