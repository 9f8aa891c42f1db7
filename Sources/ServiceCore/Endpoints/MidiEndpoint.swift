import MIDIRules

/// A snapshot of one endpoint as the service knows it (the Linux side of
/// `MidiEndpointDeviceInformation`). Every endpoint is bidirectional UMP and multi-client
/// (docs/design.md §3). Snapshots are values: they do not change when the endpoint does — watch
/// `EndpointEvent`s for that.
public struct MidiEndpoint: Sendable, Equatable {
    public let id: EndpointDeviceId
    public let transport: TransportCode
    /// The parent device (`MIDIU_LOOP_TRANSPORT`, `MIDIU_DIAG_TRANSPORT`, `USB\VID_…`).
    public let deviceInstanceId: DeviceInstanceId
    public let purpose: MidiEndpointDevicePurpose
    public let nativeDataFormat: MidiEndpointNativeDataFormat

    public var transportSupplied: TransportSuppliedInfo
    public var declared: DeclaredEndpointState
    public var groupTerminalBlocks: [GroupTerminalBlock]
    public var customization: EndpointCustomization
    /// Number of UMP groups the endpoint exposes (1…16): a loopback pair's `groupCount`,
    /// 16 for diagnostics, what the transport says for devices.
    public var groupCount: Int

    /// For loopback endpoints: the pair and the side; `nil` otherwise.
    public var loopbackAssociationId: AssociationId?
    public var loopbackSide: LoopbackSide?
    /// Whether the loopback pair this endpoint belongs to is muted. Always false otherwise.
    public var isMuted: Bool
    /// Its MIDI 1.0 ports: published or not (UMP only), how they are named, whether their
    /// ALSA subscriptions come back. Resolved against the global defaults at creation.
    public var legacyPorts: LegacyPortSettings

    public init(id: EndpointDeviceId, transport: TransportCode, deviceInstanceId: DeviceInstanceId,
                purpose: MidiEndpointDevicePurpose = .normalMessageEndpoint,
                nativeDataFormat: MidiEndpointNativeDataFormat = .universalMIDIPacket,
                transportSupplied: TransportSuppliedInfo, declared: DeclaredEndpointState = .init(),
                groupTerminalBlocks: [GroupTerminalBlock] = [], customization: EndpointCustomization = .init(),
                groupCount: Int = 16, loopbackAssociationId: AssociationId? = nil,
                loopbackSide: LoopbackSide? = nil, isMuted: Bool = false,
                legacyPorts: LegacyPortSettings = .builtIn) {
        self.id = id
        self.transport = transport
        self.deviceInstanceId = deviceInstanceId
        self.purpose = purpose
        self.nativeDataFormat = nativeDataFormat
        self.transportSupplied = transportSupplied
        self.declared = declared
        self.groupTerminalBlocks = groupTerminalBlocks
        self.customization = customization
        self.groupCount = groupCount
        self.loopbackAssociationId = loopbackAssociationId
        self.loopbackSide = loopbackSide
        self.isMuted = isMuted
        self.legacyPorts = legacyPorts
    }

    /// The name to show: the user's custom name, else the in-protocol (declared) endpoint name,
    /// else the transport-supplied name. Blank names are skipped.
    public var displayName: String {
        if let custom = customization.name, !custom.isBlank { return custom }
        if let declaredName = declared.endpointName, !declaredName.isBlank { return declaredName }
        return transportSupplied.name
    }

    /// The description to show: the user's custom description, else the transport's.
    public var displayDescription: String {
        if let custom = customization.description, !custom.isBlank { return custom }
        return transportSupplied.description
    }

    /// Diagnostic loopback A/B and ping: not listed unless a filter asks for them.
    public var isDiagnostic: Bool { purpose == .diagnosticLoopback || purpose == .diagnosticPing }

    /// Whether `filter` selects this endpoint (`MidiEndpointDeviceInformation.FindAll(filter)`).
    public func matches(_ filter: MidiEndpointDeviceInformationFilters) -> Bool {
        filter.admits(purpose: purpose, nativeDataFormat: nativeDataFormat)
    }
}

extension StringProtocol {
    /// Empty or only whitespace.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }
}
