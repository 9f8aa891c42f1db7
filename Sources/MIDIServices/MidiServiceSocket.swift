import Glibc

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
public enum MidiServiceSocket {
    public static let environmentVariable = "MIDI_SERVICES_SOCKET"
    public static let systemPath = "/run/midi-services/midisrv.sock"
    public static let userRelativePath = "midi-services/midisrv.sock"

    /// The path a session connects to when given `explicit` (nil: none).
    public static func resolve(explicit: String? = nil) -> String {
        resolve(explicit: explicit, environment: { key in getenv(key).map { String(cString: $0) } },
                fileExists: { path in access(path, F_OK) == 0 })
    }

    /// The rule itself, with the environment and the file system passed in (for tests).
    public static func resolve(explicit: String?, environment: (String) -> String?,
                               fileExists: (String) -> Bool) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment(environmentVariable), !fromEnvironment.isEmpty { return fromEnvironment }
        if let runtime = environment("XDG_RUNTIME_DIR"), runtime.hasPrefix("/") {
            // Trailing slashes stripped as the daemon does (ServicePaths.join), so both name the
            // socket by the same string.
            var directory = Substring(runtime)
            while directory.count > 1, directory.hasSuffix("/") { directory.removeLast() }
            let user = (directory == "/" ? "/" : directory + "/") + userRelativePath
            if fileExists(user) { return user }
        }
        return systemPath
    }
}
