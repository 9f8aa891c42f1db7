/// The shape of an EndpointDeviceId (docs/design.md §2), the one definition the service, the wire
/// format and the SDK all use:
///
///     \\?\swd#midisrv#midiu_<instance>#{e7cce071-3c03-423f-88d3-f1045d02552b}
///
/// Always lower case; the GUID is the UMP bidirectional device interface class, the same for
/// every endpoint. `ServiceCore.EndpointDeviceId` is the typed value built on these rules.
public enum EndpointDeviceIdFormat {
    public static let prefix = #"\\?\swd#midisrv#midiu_"#
    public static let interfaceClassSuffix = "#{e7cce071-3c03-423f-88d3-f1045d02552b}"
    /// The end of the prefix a short form may start with: `midiu_loop_a_default`.
    public static let instanceMarker = "midiu_"

    /// Instances start with one of these (loopback A and B, diagnostics, USB devices); a typed
    /// short form that starts with none of them is not an id (it may be a name).
    public static let knownInstancePrefixes = ["loop_a_", "loop_b_", "diag_", "usb_"]

    /// The instances of the always-present diagnostic endpoints.
    public static let diagnosticsLoopbackAInstance = "diag_loopback_a"
    public static let diagnosticsLoopbackBInstance = "diag_loopback_b"
    public static let diagnosticsPingInstance = "diag_ping"

    /// The full, lower-case id of an instance (`loop_a_default`, `diag_ping`…).
    public static func id(instance: String) -> String {
        (prefix + instance + interfaceClassSuffix).lowercased()
    }

    /// The instance part of a full id in this format (any case), lower-cased; nil for an id not
    /// in the MIDI Services form. The short form users type (`loop_a_default`).
    public static func instance(of id: String) -> String? {
        let lower = id.lowercased()
        guard lower.hasPrefix(prefix), lower.hasSuffix(interfaceClassSuffix),
              lower.count > prefix.count + interfaceClassSuffix.count else { return nil }
        return String(lower.dropFirst(prefix.count).dropLast(interfaceClassSuffix.count))
    }

    /// The instance of a loopback endpoint: `loop_a_<uniqueid>` / `loop_b_<uniqueid>`, where
    /// `sideLetter` is `a` or `b`.
    public static func loopbackInstance(sideLetter: String, uniqueIdentifier: String) -> String {
        "loop_\(sideLetter)_\(uniqueIdentifier)".lowercased()
    }

    /// Characters an instance may hold (USB serials bring `-` and `.`).
    public static func isInstanceCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-" || c == ".")
    }
}
