import MIDIRules

extension MidiEndpointDeviceInformation {
    /// The short form of an EndpointDeviceId (`loop_a_default`, `diag_loopback_a`,
    /// `usb_1209_4d49_ser-0001`): the instance part between the fixed prefix and suffix
    /// (`MIDIRules.EndpointDeviceIdFormat`), which every command that takes an endpoint accepts.
    /// Nil for an id not in the MIDI Services form.
    public static func shortId(of endpointDeviceId: String) -> String? {
        EndpointDeviceIdFormat.instance(of: endpointDeviceId)
    }

    /// `shortId(of:)` of this endpoint.
    public var shortId: String? { Self.shortId(of: endpointDeviceId) }
}
