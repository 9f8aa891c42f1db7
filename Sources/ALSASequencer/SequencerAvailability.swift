import CALSA

#if canImport(Glibc)
import Glibc
import POSIX
#endif

/// Whether this machine has a usable ALSA sequencer, so the daemon can say so once and run
/// without the bridge instead of failing.
public enum SequencerAvailability: Hashable, Sendable {
    case available
    /// Why not, in words fit for a log line.
    case unavailable(reason: String)

    /// The device node alsa-lib's `hw` sequencer opens.
    public static let devicePath = "/dev/snd/seq"

    /// Checks that `/dev/snd/seq` exists and that a sequencer client can be opened.
    ///
    /// The node is checked first so a machine without it gets a clear reason and no alsa-lib
    /// "cannot open" noise on stderr.
    public static func check(devicePath: String = SequencerAvailability.devicePath) -> SequencerAvailability {
        var status = stat()
        if stat(devicePath, &status) != 0 {
            return .unavailable(reason: "\(devicePath): \(Errno.current) (is the snd-seq kernel module loaded?)")
        }
        let fd = open(devicePath, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let error = Errno.current
            let hint = error == .permissionDenied ? " (is this user in the audio group?)" : ""
            return .unavailable(reason: "cannot open \(devicePath): \(error)\(hint)")
        }
        close(fd)
        var handle: OpaquePointer?
        let result = snd_seq_open(&handle, "default", SND_SEQ_OPEN_DUPLEX, SND_SEQ_NONBLOCK)
        if result < 0 {
            return .unavailable(reason: ALSAError(code: result, operation: "snd_seq_open(\"default\")").description)
        }
        if let handle { snd_seq_close(handle) }
        return .available
    }

    public var isAvailable: Bool { self == .available }
}
