import Glibc
import MIDIRules

/// Where the SDK looks for the daemon's socket (docs/design.md §8, docs/sdk.md).
///
/// 1. an explicit path (`MidiSession.create(name:socketPath:)`, `midi --socket`);
/// 2. `$MIDI_SERVICES_SOCKET` when set and non-empty;
/// 3. the per-user daemon's socket `$XDG_RUNTIME_DIR/midi-services/midisrv.sock` when that file
///    exists (a user daemon started with `midisrv --user`);
/// 4. the system daemon's socket `/run/midi-services/midisrv.sock`.
///
/// A daemon decides between user and system paths by who runs it; a client cannot know which
/// one runs, so it prefers the user's own daemon when there is one and falls back to the system
/// one — the same rule for root and everyone else.
///
/// The paths and the precedence are `MIDIRules.ServiceSocketPath`, the rule the daemon follows.
public enum MidiServiceSocket {
    public static let environmentVariable = ServiceSocketPath.environmentVariable
    public static let systemPath = ServiceSocketPath.systemPath
    public static let userRelativePath = ServiceSocketPath.directoryName + "/" + ServiceSocketPath.fileName

    /// The path a session connects to when given `explicit` (nil: none).
    public static func resolve(explicit: String? = nil) -> String {
        resolve(explicit: explicit, environment: { key in getenv(key).map { String(cString: $0) } },
                fileExists: { path in access(path, F_OK) == 0 })
    }

    /// The rule itself, with the environment and the file system passed in (for tests).
    public static func resolve(explicit: String?, environment: (String) -> String?,
                               fileExists: (String) -> Bool) -> String {
        if let chosen = ServiceSocketPath.override(explicit: explicit, environment: environment) { return chosen }
        if let user = ServiceSocketPath.userPath(environment: environment), fileExists(user) {
            return user
        }
        return systemPath
    }
}
