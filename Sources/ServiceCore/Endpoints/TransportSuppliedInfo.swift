/// What the transport knows about an endpoint before any MIDI is exchanged
/// (`MidiEndpointTransportSuppliedInfo` in the Windows SDK). For loopbacks it is the pair
/// definition; for USB devices it comes from the device descriptors through udev.
public struct TransportSuppliedInfo: Sendable, Equatable {
    /// The name the transport gives the endpoint: a loopback's defined name, a USB product name.
    public var name: String
    /// Optional free text; empty when the transport supplies none.
    public var description: String
    /// USB `iSerialNumber` or another transport serial; `nil` when there is none.
    public var serialNumber: String?
    /// USB vendor id; `nil` when the transport has none (Windows reports 0).
    public var vendorId: UInt16?
    /// USB product id; `nil` when the transport has none (Windows reports 0).
    public var productId: UInt16?
    /// USB manufacturer string or the software vendor.
    public var manufacturer: String?

    public init(name: String, description: String = "", serialNumber: String? = nil,
                vendorId: UInt16? = nil, productId: UInt16? = nil, manufacturer: String? = nil) {
        self.name = name
        self.description = description
        self.serialNumber = serialNumber
        self.vendorId = vendorId
        self.productId = productId
        self.manufacturer = manufacturer
    }
}

/// The user's own name and description for an endpoint, stored against its EndpointDeviceId
/// and surviving restarts and replugs (docs/design.md §2 "Names are not identities").
public struct EndpointCustomization: Sendable, Equatable {
    /// `nil` = not customized. Never blank: the service stores a blank name as `nil`.
    public var name: String?
    /// `nil` = not customized.
    public var description: String?
    /// The user's names for MIDI 1.0 (ALSA) group ports, by group index (0-based): they win
    /// over every naming approach (`midi endpoint <id> rename-port`). Never blank.
    public var portNames: [UInt8: String]

    public init(name: String? = nil, description: String? = nil, portNames: [UInt8: String] = [:]) {
        self.name = name
        self.description = description
        self.portNames = portNames
    }

    public var isEmpty: Bool { name == nil && description == nil && portNames.isEmpty }
}
