extension MidiEndpointDeviceInformation {
    /// The short form of an EndpointDeviceId (`loop_a_default`, `diag_loopback_a`,
    /// `usb_1209_4d49_ser-0001`): the instance part between the fixed prefix and suffix, which
    /// every command that takes an endpoint accepts. Nil for an id not in the MIDI Services form.
    public static func shortId(of endpointDeviceId: String) -> String? {
        let id = endpointDeviceId.lowercased()
        let prefix = idPrefix.lowercased()
        guard id.hasPrefix(prefix), id.hasSuffix(idSuffix), id.count > prefix.count + idSuffix.count else { return nil }
        return String(id.dropFirst(prefix.count).dropLast(idSuffix.count))
    }

    /// `shortId(of:)` of this endpoint.
    public var shortId: String? { Self.shortId(of: endpointDeviceId) }
}
