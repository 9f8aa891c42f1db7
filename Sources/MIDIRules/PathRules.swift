/// How the service's paths are put together, shared by every path rule (the socket here, the
/// configuration file and state directory in `ServiceCore.ServicePaths`).
public enum PathRules {
    /// The service's directory in every base directory (`/etc`, `/run`, `$XDG_CONFIG_HOME`…).
    public static let serviceDirectoryName = "midi-services"

    /// `value` when it is an absolute path, else nil: as the XDG Base Directory specification
    /// says, a variable that is unset, empty or relative is ignored.
    public static func absolute(_ value: String?) -> String? {
        guard let value, value.hasPrefix("/") else { return nil }
        return value
    }

    /// Joins with single slashes, whatever trailing slashes the first part has
    /// (`/run/user/1000//` + `midi-services` → `/run/user/1000/midi-services`).
    public static func join(_ base: String, _ parts: String...) -> String {
        var path = base
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        for part in parts { path += (path.hasSuffix("/") ? "" : "/") + part }
        return path
    }
}
