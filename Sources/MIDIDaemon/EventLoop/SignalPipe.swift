import Glibc
import POSIX

/// The self-pipe the signal handler writes to: the only state a C signal handler can reach.
/// Written once at installation, before any signal can arrive, then only read.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1
/// Set by the handler on SIGTERM/SIGINT, so that work that runs long before the loop reads the
/// pipe (applying a configuration of thousands of pairs) can stop early.
nonisolated(unsafe) private var terminationSignalled: Int32 = 0

/// Turns SIGTERM, SIGINT and SIGHUP into readable bytes on a pipe that the event loop watches
/// (the classic self-pipe), so signal handling runs in the loop, not in a signal handler.
/// `signalfd` would need every thread's mask blocked; the Swift runtime may start threads we
/// do not control, so the self-pipe is the robust choice. SIGPIPE is ignored (sockets use
/// MSG_NOSIGNAL; this covers stderr and pipes).
public final class SignalPipe {
    public let readEnd: Int32
    public let writeEnd: Int32
    public static let handledSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    public init() throws(SystemError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .current("pipe") }
        readEnd = fds[0]
        writeEnd = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        signalPipeWriteEnd = writeEnd
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var byte = UInt8(truncatingIfNeeded: signal)
            let saved = errno
            if signal == SIGTERM || signal == SIGINT { terminationSignalled = 1 }
            _ = write(signalPipeWriteEnd, &byte, 1)   // async-signal-safe; a full pipe just drops it
            errno = saved
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        for signal in Self.handledSignals {
            guard sigaction(signal, &action, nil) == 0 else { throw .current("sigaction(\(signal))") }
        }
        // A parent may have started us with these blocked (posix_spawn inherits the mask; some
        // runtimes block signals in their threads): unblock them, or SIGTERM would never arrive.
        var mask = sigset_t()
        sigemptyset(&mask)
        for signal in Self.handledSignals { sigaddset(&mask, signal) }
        guard sigprocmask(SIG_UNBLOCK, &mask, nil) == 0 else { throw .current("sigprocmask") }
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        _ = sigaction(SIGPIPE, &ignore, nil)
    }

    /// Whether SIGTERM or SIGINT arrived (it is also in the pipe, for the loop).
    public var terminationRequested: Bool { terminationSignalled != 0 }

    /// Reads the pending signal numbers (in arrival order, duplicates kept).
    public func drain() -> [Int32] {
        var signals: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            signals += buffer.prefix(n).map { Int32($0) }
        }
        return signals
    }

    /// Restores default dispositions and closes the pipe.
    public func uninstall() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = SIG_DFL
        for signal in Self.handledSignals { _ = sigaction(signal, &action, nil) }
        close(readEnd)
        close(writeEnd)
    }
}
