import Glibc

/// Calls `systemCall` again for as long as it fails with `EINTR` — the one retry loop for the
/// system calls that return -1 and set `errno`. Whatever else it returns is returned, with
/// `errno` as the call left it (read `Errno.current` or `SystemError.current` next).
///
/// Not for calls that report errors another way (`clock_nanosleep` returns the number; alsa-lib
/// returns `-errno`), nor for `close`, which on Linux has closed the descriptor even when it
/// reports `EINTR`. Inlined: it sits on the hot path (`send`, `recvmsg`).
@inlinable @inline(__always)
public func retryingOnInterrupt<Result: BinaryInteger>(_ systemCall: () -> Result) -> Result {
    while true {
        let result = systemCall()
        if result != -1 || Glibc.errno != EINTR { return result }
    }
}
