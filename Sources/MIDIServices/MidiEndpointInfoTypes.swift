import IPC
import MIDIRules

// The parts of `MidiEndpointDeviceInformation`, named as in the Windows SDK. The service's
// description of an endpoint arrives as IPC's wire model (`EndpointInfo`, docs/ipc.md); the SDK
// hands out that value itself where the Windows name and shape are the wire's (the typealiases
// below) and otherwise wraps it: each property reads the wire value, nothing is copied. Every
// type is Encodable in the console's spelling (`midi … --json`), which scripts read: those keys
// are pinned by Tests/DaemonTests/ModelSpellingTests.swift (docs/design.md, "One endpoint model").

/// Which endpoints a listing or watcher includes (`MidiEndpointDeviceInformationFilters`),
/// with the Windows bit values (`MIDIRules`, shared with the service).
public typealias MidiEndpointDeviceInformationFilters = MIDIRules.MidiEndpointDeviceInformationFilters

/// `MidiEndpointDevicePurpose` (`MIDIRules`, shared with the service).
public typealias MidiEndpointDevicePurpose = MIDIRules.MidiEndpointDevicePurpose

/// `MidiEndpointNativeDataFormat` (`MIDIRules`, shared with the service).
public typealias MidiEndpointNativeDataFormat = MIDIRules.MidiEndpointNativeDataFormat

/// Direction of a function block or group terminal block, seen from the endpoint.
public typealias MidiBlockDirection = BlockDirection

/// The user's customizations (`MidiEndpointUserSuppliedInfo`), stored by the service.
public typealias MidiEndpointUserSuppliedInfo = UserSuppliedInfo

/// Device Identity notification (`MidiDeclaredDeviceIdentity`): SysEx manufacturer id (1 or 3
/// bytes), family, model, software revision.
public typealias MidiDeclaredDeviceIdentity = DeclaredDeviceIdentity

/// What the transport says about an endpoint (`MidiEndpointTransportSuppliedInfo`).
public struct MidiEndpointTransportSuppliedInfo: Sendable, Hashable {
    let wire: TransportSuppliedDetails
    /// `LOOP`, `DIAG`, `USB`.
    public let transportCode: String

    public var name: String { wire.name }
    public var description: String? { wire.description }
    /// USB `iSerialNumber`, or the unique identifier of a loopback endpoint.
    public var serialNumber: String? { wire.serialNumber }
    public var manufacturerName: String? { wire.manufacturerName }
    /// USB vendor/product ids; nil when the transport has none.
    public var vendorId: UInt16? { wire.vendorId }
    public var productId: UInt16? { wire.productId }
}

/// What the endpoint declared in-protocol (`MidiDeclaredEndpointInfo`); only what was captured.
/// The Device Identity it declared is `MidiEndpointDeviceInformation.declaredDeviceIdentity`.
public struct MidiDeclaredEndpointInfo: Sendable, Hashable {
    let wire: DeclaredEndpointInfo

    public var name: String? { wire.name }
    public var productInstanceId: String? { wire.productInstanceId }
    public var umpVersionMajor: UInt8? { wire.umpVersionMajor }
    public var umpVersionMinor: UInt8? { wire.umpVersionMinor }
    public var supportsMIDI10Protocol: Bool? { wire.supportsMIDI10Protocol }
    public var supportsMIDI20Protocol: Bool? { wire.supportsMIDI20Protocol }
    public var supportsSendingJitterReductionTimestamps: Bool? { wire.supportsSendingJitterReductionTimestamps }
    public var supportsReceivingJitterReductionTimestamps: Bool? { wire.supportsReceivingJitterReductionTimestamps }
    public var hasStaticFunctionBlocks: Bool? { wire.hasStaticFunctionBlocks }
    public var declaredFunctionBlockCount: UInt8? { wire.declaredFunctionBlockCount }
    /// Stream Configuration: 1 = MIDI 1.0, 2 = MIDI 2.0.
    public var configuredProtocol: UInt8? { wire.configuredProtocol }
}

/// `MidiFunctionBlock`, as declared by Function Block Info/Name notifications.
public struct MidiFunctionBlock: Sendable, Hashable {
    let wire: FunctionBlockInfo

    public var number: UInt8 { wire.number }
    public var name: String? { wire.name }
    public var isActive: Bool { wire.isActive }
    public var direction: MidiBlockDirection { wire.direction }
    /// 0-based.
    public var firstGroupIndex: UInt8 { wire.firstGroup }
    public var groupCount: UInt8 { wire.groupCount }
    /// 0 = unknown, 1 = receiver, 2 = sender, 3 = both.
    public var uiHint: UInt8? { wire.uiHint }
    /// 0 = not MIDI 1.0, 1 = MIDI 1.0 unrestricted, 2 = MIDI 1.0 restricted to 31.25 kb/s.
    public var midi10Connection: UInt8? { wire.midi10 }
    public var midiCIMessageVersionFormat: UInt8? { wire.midiCIMessageVersion }
    public var maxSystemExclusive8Streams: UInt8? { wire.maxSysEx8Streams }
}

/// `MidiGroupTerminalBlock`: for a USB MIDI 1.0 device one per active port, spanning one group.
public struct MidiGroupTerminalBlock: Sendable, Hashable {
    let wire: GroupTerminalBlockInfo

    public var number: UInt8 { wire.number }
    public var name: String? { wire.name }
    public var direction: MidiBlockDirection { wire.direction }
    /// 0-based. "Port N of a device" = EndpointDeviceId + this group.
    public var firstGroupIndex: UInt8 { wire.firstGroup }
    public var groupCount: UInt8 { wire.groupCount }
    /// "midi1", "midi2", or nil when unknown.
    public var `protocol`: String? { wire.protocol }
}

/// Loopback facts of a loopback endpoint.
public struct MidiLoopbackEndpointInfo: Sendable, Hashable {
    let wire: LoopbackEndpointDetails

    /// `{GUID}` of the pair.
    public var associationId: String { wire.associationId }
    /// "A" or "B".
    public var side: String { wire.side }
    public var uniqueId: String { wire.uniqueIdentifier }
    /// From the configuration file (cannot be removed through the API).
    public var isPersistent: Bool { wire.isPersistent }
    public var isMuted: Bool { wire.isMuted }
    public var pairedEndpointDeviceId: String? { wire.pairedEndpointId }
}

// MARK: The console's spelling

extension MidiEndpointTransportSuppliedInfo: Encodable {
    private enum CodingKeys: String, CodingKey {
        case name, description, serialNumber, manufacturerName, vendorId, productId, transportCode
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(serialNumber, forKey: .serialNumber)
        try c.encodeIfPresent(manufacturerName, forKey: .manufacturerName)
        try c.encodeIfPresent(vendorId, forKey: .vendorId)
        try c.encodeIfPresent(productId, forKey: .productId)
        try c.encode(transportCode, forKey: .transportCode)
    }
}

extension MidiDeclaredEndpointInfo: Encodable {
    private enum CodingKeys: String, CodingKey {
        case name, productInstanceId, umpVersionMajor, umpVersionMinor, supportsMIDI10Protocol, supportsMIDI20Protocol,
             supportsSendingJitterReductionTimestamps, supportsReceivingJitterReductionTimestamps, hasStaticFunctionBlocks,
             declaredFunctionBlockCount, configuredProtocol
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(productInstanceId, forKey: .productInstanceId)
        try c.encodeIfPresent(umpVersionMajor, forKey: .umpVersionMajor)
        try c.encodeIfPresent(umpVersionMinor, forKey: .umpVersionMinor)
        try c.encodeIfPresent(supportsMIDI10Protocol, forKey: .supportsMIDI10Protocol)
        try c.encodeIfPresent(supportsMIDI20Protocol, forKey: .supportsMIDI20Protocol)
        try c.encodeIfPresent(supportsSendingJitterReductionTimestamps, forKey: .supportsSendingJitterReductionTimestamps)
        try c.encodeIfPresent(supportsReceivingJitterReductionTimestamps, forKey: .supportsReceivingJitterReductionTimestamps)
        try c.encodeIfPresent(hasStaticFunctionBlocks, forKey: .hasStaticFunctionBlocks)
        try c.encodeIfPresent(declaredFunctionBlockCount, forKey: .declaredFunctionBlockCount)
        try c.encodeIfPresent(configuredProtocol, forKey: .configuredProtocol)
    }
}

extension MidiFunctionBlock: Encodable {
    private enum CodingKeys: String, CodingKey {
        case number, name, isActive, direction, firstGroupIndex, groupCount, uiHint, midi10Connection,
             midiCIMessageVersionFormat, maxSystemExclusive8Streams
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encode(isActive, forKey: .isActive)
        try c.encode(direction, forKey: .direction)
        try c.encode(firstGroupIndex, forKey: .firstGroupIndex)
        try c.encode(groupCount, forKey: .groupCount)
        try c.encodeIfPresent(uiHint, forKey: .uiHint)
        try c.encodeIfPresent(midi10Connection, forKey: .midi10Connection)
        try c.encodeIfPresent(midiCIMessageVersionFormat, forKey: .midiCIMessageVersionFormat)
        try c.encodeIfPresent(maxSystemExclusive8Streams, forKey: .maxSystemExclusive8Streams)
    }
}

extension MidiGroupTerminalBlock: Encodable {
    private enum CodingKeys: String, CodingKey {
        case number, name, direction, firstGroupIndex, groupCount, `protocol`
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(number, forKey: .number)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encode(direction, forKey: .direction)
        try c.encode(firstGroupIndex, forKey: .firstGroupIndex)
        try c.encode(groupCount, forKey: .groupCount)
        try c.encodeIfPresent(`protocol`, forKey: .protocol)
    }
}

extension MidiLoopbackEndpointInfo: Encodable {
    private enum CodingKeys: String, CodingKey {
        case associationId, side, uniqueId, isPersistent, isMuted, pairedEndpointDeviceId
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(associationId, forKey: .associationId)
        try c.encode(side, forKey: .side)
        try c.encode(uniqueId, forKey: .uniqueId)
        try c.encode(isPersistent, forKey: .isPersistent)
        try c.encode(isMuted, forKey: .isMuted)
        try c.encodeIfPresent(pairedEndpointDeviceId, forKey: .pairedEndpointDeviceId)
    }
}
