/// Where the daemon's socket is (docs/design.md §4, §8): the one rule the daemon
/// (`ServiceCore.ServicePaths`) and the SDK (`MidiServiceSocket`) both follow, so they name the
/// same socket by the same string (they once drifted apart over trailing slashes).
///
/// An explicit path wins, then `$MIDI_SERVICES_SOCKET`; otherwise the system daemon's socket is
/// `/run/midi-services/midisrv.sock` and a user daemon's is
/// `$XDG_RUNTIME_DIR/midi-services/midisrv.sock` (the variable must be an absolute path).
public enum ServiceSocketPath {
    public static let environmentVariable = "MIDI_SERVICES_SOCKET"
    /// The XDG Base Directory variable naming a user's runtime directory.
    public static let runtimeDirectoryVariable = "XDG_RUNTIME_DIR"
    public static let directoryName = PathRules.serviceDirectoryName
    public static let fileName = "midisrv.sock"
    public static let systemPath = "/run/midi-services/midisrv.sock"

    /// An explicit path (command line, API) or `$MIDI_SERVICES_SOCKET`, in that order, when
    /// either is non-empty.
    public static func override(explicit: String?, environment: (String) -> String?) -> String? {
        if let explicit, !explicit.isEmpty { return explicit }
        if let value = environment(environmentVariable), !value.isEmpty { return value }
        return nil
    }

    /// A user daemon's socket in `runtimeDirectory` (`$XDG_RUNTIME_DIR`); nil when that is unset
    /// or not an absolute path.
    public static func userPath(runtimeDirectory: String?) -> String? {
        guard let runtime = PathRules.absolute(runtimeDirectory) else { return nil }
        return PathRules.join(runtime, directoryName, fileName)
    }

    /// A user daemon's socket by `$XDG_RUNTIME_DIR` as `environment` has it.
    public static func userPath(environment: (String) -> String?) -> String? {
        userPath(runtimeDirectory: environment(runtimeDirectoryVariable))
    }
}
