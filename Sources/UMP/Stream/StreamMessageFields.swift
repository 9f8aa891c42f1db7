// The fields of UMP Stream messages (M2-104-UM §7.1), as typed values.

/// Which notifications an Endpoint Discovery asks for (word 1, bits 0–4).
public struct EndpointDiscoveryFilter: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let endpointInfo = EndpointDiscoveryFilter(rawValue: 0x01)
    public static let deviceIdentity = EndpointDiscoveryFilter(rawValue: 0x02)
    public static let endpointName = EndpointDiscoveryFilter(rawValue: 0x04)
    public static let productInstanceId = EndpointDiscoveryFilter(rawValue: 0x08)
    public static let streamConfiguration = EndpointDiscoveryFilter(rawValue: 0x10)
    /// Everything the spec defines.
    public static let all: EndpointDiscoveryFilter = [
        .endpointInfo, .deviceIdentity, .endpointName, .productInstanceId, .streamConfiguration,
    ]
}

/// Endpoint Discovery (status 0x000).
public struct EndpointDiscovery: Hashable, Sendable {
    public var umpVersionMajor: UInt8
    public var umpVersionMinor: UInt8
    public var filter: EndpointDiscoveryFilter

    /// Defaults to UMP version 1.1, asking for everything.
    public init(umpVersionMajor: UInt8 = 1, umpVersionMinor: UInt8 = 1, filter: EndpointDiscoveryFilter = .all) {
        self.umpVersionMajor = umpVersionMajor
        self.umpVersionMinor = umpVersionMinor
        self.filter = filter
    }
}

/// Endpoint Info Notification (status 0x001).
/// Word 1: `s nnnnnnn 00000000000000 M2 M1 000000 RXJR TXJR`.
public struct EndpointInfoNotification: Hashable, Sendable {
    public var umpVersionMajor: UInt8
    public var umpVersionMinor: UInt8
    /// Function blocks never change while the endpoint exists.
    public var staticFunctionBlocks: Bool
    /// Number of function blocks, 0…32 (7-bit field).
    public var numberOfFunctionBlocks: UInt8
    /// M2 — the endpoint supports the MIDI 2.0 Protocol.
    public var supportsMIDI2Protocol: Bool
    /// M1 — the endpoint supports the MIDI 1.0 Protocol.
    public var supportsMIDI1Protocol: Bool
    /// RXJR — can receive JR Timestamps.
    public var receivesJRTimestamps: Bool
    /// TXJR — can send JR Timestamps.
    public var transmitsJRTimestamps: Bool

    public init(umpVersionMajor: UInt8 = 1, umpVersionMinor: UInt8 = 1, staticFunctionBlocks: Bool,
                numberOfFunctionBlocks: UInt8, supportsMIDI2Protocol: Bool, supportsMIDI1Protocol: Bool,
                receivesJRTimestamps: Bool = false, transmitsJRTimestamps: Bool = false) {
        self.umpVersionMajor = umpVersionMajor
        self.umpVersionMinor = umpVersionMinor
        self.staticFunctionBlocks = staticFunctionBlocks
        self.numberOfFunctionBlocks = numberOfFunctionBlocks
        self.supportsMIDI2Protocol = supportsMIDI2Protocol
        self.supportsMIDI1Protocol = supportsMIDI1Protocol
        self.receivesJRTimestamps = receivesJRTimestamps
        self.transmitsJRTimestamps = transmitsJRTimestamps
    }
}

/// Device Identity Notification (status 0x002): the identity of MIDI-CI / Identity Reply.
public struct DeviceIdentityNotification: Hashable, Sendable {
    /// The three SysEx ID bytes (7 bits each), first byte in bits 16–22: a one-byte ID 0x41 is
    /// `0x41_00_00`, a three-byte ID 00 21 09 is `0x00_21_09`.
    public var manufacturerId: UInt32
    /// Device family, 14 bits (sent as LSB then MSB).
    public var family: UInt16
    /// Device family model number, 14 bits (sent as LSB then MSB).
    public var familyModel: UInt16
    /// Software revision level, four 7-bit bytes, first byte in bits 24–30.
    public var softwareRevision: UInt32

    public init(manufacturerId: UInt32, family: UInt16, familyModel: UInt16, softwareRevision: UInt32) {
        self.manufacturerId = manufacturerId & 0x7F_7F7F
        self.family = family & 0x3FFF
        self.familyModel = familyModel & 0x3FFF
        self.softwareRevision = softwareRevision & 0x7F7F_7F7F
    }
}

/// The protocol in a Stream Configuration message.
public struct MIDIProtocol: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// 0x01 — MIDI 1.0 Protocol.
    public static let midi1 = MIDIProtocol(rawValue: 0x01)
    /// 0x02 — MIDI 2.0 Protocol.
    public static let midi2 = MIDIProtocol(rawValue: 0x02)
}

/// Stream Configuration Request (0x005) and Notification (0x006).
/// Word 0: `1111 00 status pppppppp 000000 RXJR TXJR`.
public struct StreamConfiguration: Hashable, Sendable {
    public var `protocol`: MIDIProtocol
    public var receivesJRTimestamps: Bool
    public var transmitsJRTimestamps: Bool

    public init(protocol: MIDIProtocol, receivesJRTimestamps: Bool = false, transmitsJRTimestamps: Bool = false) {
        self.protocol = `protocol`
        self.receivesJRTimestamps = receivesJRTimestamps
        self.transmitsJRTimestamps = transmitsJRTimestamps
    }
}

/// Which notifications a Function Block Discovery asks for.
public struct FunctionBlockDiscoveryFilter: OptionSet, Hashable, Sendable {
    public var rawValue: UInt8
    @inlinable public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let info = FunctionBlockDiscoveryFilter(rawValue: 0x01)
    public static let name = FunctionBlockDiscoveryFilter(rawValue: 0x02)
    public static let all: FunctionBlockDiscoveryFilter = [.info, .name]
}

/// Function Block Discovery (status 0x010).
public struct FunctionBlockDiscovery: Hashable, Sendable {
    /// The function block asked about, or `allFunctionBlocks` (0xFF).
    public var functionBlock: UInt8
    public var filter: FunctionBlockDiscoveryFilter
    public static let allFunctionBlocks: UInt8 = 0xFF

    public init(functionBlock: UInt8 = FunctionBlockDiscovery.allFunctionBlocks,
                filter: FunctionBlockDiscoveryFilter = .all) {
        self.functionBlock = functionBlock
        self.filter = filter
    }
}

/// Direction of a function block, relative to the endpoint (2 bits).
public enum FunctionBlockDirection: UInt8, Hashable, Sendable, CaseIterable {
    case reserved = 0
    /// Receives MIDI messages only.
    case input = 1
    /// Sends MIDI messages only.
    case output = 2
    case bidirectional = 3
}

/// UI hint of a function block (2 bits).
public enum FunctionBlockUIHint: UInt8, Hashable, Sendable, CaseIterable {
    case unknown = 0
    case receiver = 1
    case sender = 2
    case senderAndReceiver = 3
}

/// Whether a function block represents a MIDI 1.0 port (2 bits).
public enum FunctionBlockMIDI1: UInt8, Hashable, Sendable, CaseIterable {
    case notMIDI1 = 0
    /// MIDI 1.0, bandwidth not restricted.
    case unrestricted = 1
    /// MIDI 1.0, restricted to 31.25 kb/s.
    case restricted31250 = 2
    case reserved = 3
}

/// Function Block Info Notification (status 0x011).
/// Word 0: `1111 00 status a bbbbbbb rr uu mm dd`; word 1: first group, groups spanned,
/// MIDI-CI message version, maximum number of SysEx8 streams.
public struct FunctionBlockInfoNotification: Hashable, Sendable {
    public var functionBlock: UInt8
    public var isActive: Bool
    public var uiHint: FunctionBlockUIHint
    public var midi1: FunctionBlockMIDI1
    public var direction: FunctionBlockDirection
    /// First group (0…15, wire value).
    public var firstGroup: UInt8
    public var numberOfGroupsSpanned: UInt8
    public var midiCIMessageVersion: UInt8
    public var maxSysEx8Streams: UInt8

    public init(functionBlock: UInt8, isActive: Bool = true, uiHint: FunctionBlockUIHint = .unknown,
                midi1: FunctionBlockMIDI1 = .notMIDI1, direction: FunctionBlockDirection,
                firstGroup: UInt8, numberOfGroupsSpanned: UInt8 = 1, midiCIMessageVersion: UInt8 = 0,
                maxSysEx8Streams: UInt8 = 0) {
        self.functionBlock = functionBlock
        self.isActive = isActive
        self.uiHint = uiHint
        self.midi1 = midi1
        self.direction = direction
        self.firstGroup = firstGroup
        self.numberOfGroupsSpanned = numberOfGroupsSpanned
        self.midiCIMessageVersion = midiCIMessageVersion
        self.maxSysEx8Streams = maxSysEx8Streams
    }
}
