import ALSASequencer
import POSIX

/// Why a bench role could not do its job: what failed, and where.
enum BenchError: Error, CustomStringConvertible {
    /// A system call failed: the call (with its argument) and errno.
    case system(SystemError)
    /// The peer closed, refused, or answered something unexpected.
    case protocolFailure(String)
    /// A child process or the daemon misbehaved.
    case process(String)
    /// Nothing arrived for too long.
    case timeout(String)
    /// An ALSA sequencer call failed (the ALSA runs): the call and ALSA's code.
    case alsa(ALSAError)

    var description: String {
        switch self {
        case .system(let error): return error.description
        case .protocolFailure(let message): return message
        case .process(let message): return message
        case .timeout(let message): return "timed out: \(message)"
        case .alsa(let error): return error.description
        }
    }
}
