import Glibc

/// What the machine offers the daemon's optional parts, checked once at start so the daemon can
/// say — once — what it runs without (docs/design.md §6).
public struct PlatformProbe: Sendable {
    /// `/dev/snd/seq` exists (the ALSA sequencer is loaded).
    public var hasSequencer: Bool
    /// A udev daemon runs (`/run/udev/control` exists).
    public var hasUdevDaemon: Bool

    public static func current(sequencerPath: String = "/dev/snd/seq", udevControlPath: String = "/run/udev/control") -> PlatformProbe {
        PlatformProbe(hasSequencer: access(sequencerPath, F_OK) == 0, hasUdevDaemon: access(udevControlPath, F_OK) == 0)
    }
}
