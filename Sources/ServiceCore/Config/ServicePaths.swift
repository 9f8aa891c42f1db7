import MIDIRules

/// Where the service keeps its files (docs/design.md §4, §8), as pure functions of the mode and the
/// environment, so every rule is testable without touching the machine.
///
/// | what | system mode | user mode |
/// | --- | --- | --- |
/// | config file | `/etc/midi-services/default.midiconfig.json` | `$XDG_CONFIG_HOME/midi-services/default.midiconfig.json` (`$HOME/.config`) |
/// | state directory | `/var/lib/midi-services` | `$XDG_STATE_HOME/midi-services` (`$HOME/.local/state`) |
/// | socket | `/run/midi-services/midisrv.sock` | `$XDG_RUNTIME_DIR/midi-services/midisrv.sock` |
///
/// As the XDG Base Directory specification says, an XDG variable that is unset, empty or not
/// an absolute path is ignored. A command-line path (`--config`, `--socket`) wins over
/// everything; for the socket, `$MIDI_SERVICES_SOCKET` comes next.
public enum ServicePaths {
    public enum Mode: String, Hashable, Sendable, CaseIterable {
        /// Run by systemd for the whole machine.
        case system
        /// Run by and for one user.
        case user
    }

    public enum ResolutionError: Error, Hashable, Sendable, CustomStringConvertible {
        /// Neither the XDG variable nor `HOME` gives an absolute directory.
        case noHomeDirectory(variable: String, purpose: String)
        /// User mode has no `XDG_RUNTIME_DIR` and nothing overrides the socket.
        case noRuntimeDirectory

        public var description: String {
            switch self {
            case .noHomeDirectory(let variable, let purpose):
                return "cannot find the \(purpose): neither \(variable) nor HOME is set to an absolute path"
            case .noRuntimeDirectory:
                return "cannot place the socket: XDG_RUNTIME_DIR is not set to an absolute path; pass --socket or set MIDI_SERVICES_SOCKET"
            }
        }
    }

    public static let directoryName = PathRules.serviceDirectoryName
    public static let configFileName = "default.midiconfig.json"
    public static let socketFileName = ServiceSocketPath.fileName
    public static let socketEnvironmentVariable = ServiceSocketPath.environmentVariable

    public static let systemConfigFile = "/etc/midi-services/default.midiconfig.json"
    public static let systemStateDirectory = "/var/lib/midi-services"
    public static let systemSocket = ServiceSocketPath.systemPath

    public static func configFile(mode: Mode, environment: [String: String], commandLine: String? = nil) throws(ResolutionError) -> String {
        if let commandLine, !commandLine.isEmpty { return commandLine }
        switch mode {
        case .system: return systemConfigFile
        case .user:
            let base = try xdgDirectory("XDG_CONFIG_HOME", homeRelative: ".config", environment: environment, purpose: "user configuration directory")
            return PathRules.join(base, directoryName, configFileName)
        }
    }

    public static func stateDirectory(mode: Mode, environment: [String: String]) throws(ResolutionError) -> String {
        switch mode {
        case .system: return systemStateDirectory
        case .user:
            let base = try xdgDirectory("XDG_STATE_HOME", homeRelative: ".local/state", environment: environment, purpose: "user state directory")
            return PathRules.join(base, directoryName)
        }
    }

    public static func socket(mode: Mode, environment: [String: String], commandLine: String? = nil) throws(ResolutionError) -> String {
        // The rule is MIDIRules.ServiceSocketPath, which the SDK follows too.
        if let chosen = ServiceSocketPath.override(explicit: commandLine, environment: { environment[$0] }) { return chosen }
        switch mode {
        case .system: return systemSocket
        case .user:
            guard let user = ServiceSocketPath.userPath(environment: { environment[$0] }) else {
                throw .noRuntimeDirectory
            }
            return user
        }
    }

    // MARK: -

    static func xdgDirectory(_ variable: String, homeRelative: String, environment: [String: String],
                             purpose: String) throws(ResolutionError) -> String {
        if let value = absolute(environment[variable]) { return value }
        guard let home = absolute(environment["HOME"]) else { throw .noHomeDirectory(variable: variable, purpose: purpose) }
        return PathRules.join(home, homeRelative)
    }

    static func absolute(_ value: String?) -> String? { PathRules.absolute(value) }
}
