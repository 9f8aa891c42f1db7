/// A Group Terminal Block (`MidiGroupTerminalBlock`): a transport-level statement of which
/// groups of an endpoint carry traffic and in which direction. USB MIDI 1.0 devices get one
/// single-direction block per rawmidi substream, each spanning exactly one group (seed 004).
public struct GroupTerminalBlock: Sendable, Equatable {
    /// The block number, as the transport numbers it (USB MIDI 2.0 numbers from 1).
    public var number: UInt8
    public var name: String
    public var direction: GroupTerminalBlockDirection
    /// Index (0…15) of the first group the block spans.
    public var firstGroup: UInt8
    /// Number of groups spanned (1…16).
    public var groupCount: UInt8
    public var `protocol`: GroupTerminalBlockProtocol

    public init(number: UInt8, name: String, direction: GroupTerminalBlockDirection,
                firstGroup: UInt8, groupCount: UInt8, protocol: GroupTerminalBlockProtocol = .unknown) {
        self.number = number
        self.name = name
        self.direction = direction
        self.firstGroup = firstGroup
        self.groupCount = groupCount
        self.protocol = `protocol`
    }

    /// Whether the block spans group index `group` (0…15).
    public func includesGroup(_ group: UInt8) -> Bool {
        group >= firstGroup && Int(group) < Int(firstGroup) + Int(groupCount)
    }
}

/// Direction of a group terminal block, seen from the block (USB MIDI 2.0 §5.4.2.1):
/// `input` blocks take messages from the host, `output` blocks send messages to it.
public enum GroupTerminalBlockDirection: String, Sendable, Equatable, CaseIterable {
    case bidirectional
    case input
    case output
}

/// `bDefaultProtocol` of a USB MIDI 2.0 group terminal block.
public enum GroupTerminalBlockProtocol: UInt8, Sendable, Equatable, CaseIterable {
    case unknown = 0x00
    case midi1Message64 = 0x01
    case midi1Message64WithJitterReduction = 0x02
    case midi1Message128 = 0x03
    case midi1Message128WithJitterReduction = 0x04
    case midi2 = 0x11
    case midi2WithJitterReduction = 0x12
}
