/// How endpoint names are compared and when one is blank (docs/design.md §3), the same for the
/// SDK and console (before sending) and the service and configuration loader (again). What a
/// name may contain and how long it may be is `ServiceCore.EndpointText`.
public enum EndpointNameRules {
    /// A name as it is compared and kept: surrounding whitespace (spaces, tabs, line breaks)
    /// removed.
    public static func trimmed<S: StringProtocol>(_ name: S) -> S.SubSequence {
        let start = name.firstIndex(where: { !$0.isWhitespace }) ?? name.endIndex
        let end = name.lastIndex(where: { !$0.isWhitespace }).map(name.index(after:)) ?? start
        return name[start..<end]
    }

    /// Names are required: empty or only whitespace is not a name.
    public static func isBlank<S: StringProtocol>(_ name: S) -> Bool {
        name.allSatisfy(\.isWhitespace)
    }

    /// The form in which loopback endpoint names are compared for uniqueness: trimmed and
    /// lower-cased, because they become ALSA client names, which users address by name.
    public static func comparable<S: StringProtocol>(_ name: S) -> String {
        String(trimmed(name)).lowercased()
    }
}
