import CALSA

#if canImport(Glibc)
import Glibc
import POSIX
#endif

/// An error reported by alsa-lib or the kernel's sequencer, carrying what failed.
///
/// `code` is the negative ALSA/errno code exactly as alsa-lib returned it (alsa-lib reports
/// errors as `-errno`; `errno` is the same number as the project's one `Errno` type),
/// `message` is `snd_strerror(code)`, and `operation` names the call and the object it acted
/// on, so a log line says what and where without further context.
public struct ALSAError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The negative error code (for example `-EAGAIN`, `-ENOENT`).
    public var code: Int32
    /// What was being done, e.g. `"snd_seq_create_port(port 3 of client 128)"`.
    public var operation: String
    /// `snd_strerror(code)`.
    public var message: String

    public init(code: Int32, operation: String) {
        // alsa-lib always returns negative codes; accept a positive errno too so a caller that
        // holds one (e.g. from a plain syscall) builds the same value.
        let negative = code > 0 ? -code : code
        self.code = negative
        self.operation = operation
        if let text = snd_strerror(negative) {
            self.message = String(cString: text)
        } else {
            self.message = "error \(negative)"
        }
    }

    /// The operating-system error number (`-code`).
    public var errno: Errno { Errno(-code) }

    /// `EAGAIN`: nothing to read now (input), or the kernel cannot take more now (output).
    public var isWouldBlock: Bool { errno == .wouldBlock }

    public var description: String { "\(operation): \(message) (ALSA error \(code))" }
}

extension ALSAError {
    /// An argument the wrapper refused before calling alsa-lib (`EINVAL`), saying why.
    static func invalidArgument(_ operation: String) -> ALSAError {
        ALSAError(code: -EINVAL, operation: operation)
    }
}

/// Turns an alsa-lib return value into a thrown `ALSAError` when negative.
///
/// The operation text is an autoclosure so the success path builds no string.
@inline(__always)
@discardableResult
func check(_ result: Int32, _ operation: @autoclosure () -> String) throws(ALSAError) -> Int32 {
    if result < 0 { throw ALSAError(code: result, operation: operation()) }
    return result
}
