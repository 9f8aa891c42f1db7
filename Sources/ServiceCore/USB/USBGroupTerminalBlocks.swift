/// The group terminal blocks of a USB MIDI 1.0 device presented as one UMP endpoint
/// (docs/design.md §3, seed 004): every active rawmidi substream becomes a single-direction block
/// spanning exactly one group. Groups are numbered from 0 among the inputs and from 0 among the
/// outputs, in substream order — "port N of this device" is the EndpointDeviceId plus the
/// group index, as on Windows.
///
/// Directions follow the Windows MIDI Services convention (`MidiGroupTerminalBlockDirection`):
/// from the *block's* point of view. A rawmidi **input** substream (the device sends, the host
/// reads — a MIDI IN port to applications) is a `blockOutput`; a rawmidi **output** substream
/// (the host writes to the device) is a `blockInput`.
public struct USBGroupTerminalBlockSpec: Hashable, Sendable {
    public enum Direction: UInt8, Hashable, Sendable {
        /// The block receives messages: applications send to it (rawmidi output substream).
        case blockInput = 1
        /// The block sends messages: applications receive from it (rawmidi input substream).
        case blockOutput = 2
    }

    /// Block number, 1-based as in USB MIDI 2.0 descriptors and the Windows service: inputs
    /// first (1…i), then outputs (i+1…).
    public let number: UInt8
    public let direction: Direction
    /// The one group the block spans (`FirstGroup`; `GroupCount` is always 1).
    public let groupIndex: UInt8
    public let name: String

    public var groupCount: UInt8 { 1 }

    public init(number: UInt8, direction: Direction, groupIndex: UInt8, name: String) {
        self.number = number
        self.direction = direction
        self.groupIndex = groupIndex
        self.name = name
    }
}

/// The blocks of one device, and what did not fit: UMP has 16 groups per direction, so a
/// device with more than 16 substreams in one direction (possible only with several rawmidi
/// devices on one card) keeps its first 16; the rest are counted for the daemon to report.
public struct USBGroupTerminalBlockLayout: Hashable, Sendable {
    public static let maximumGroupsPerDirection = 16

    public let blocks: [USBGroupTerminalBlockSpec]
    /// Input substreams beyond the 16th, not mapped to a group.
    public let unmappedInputCount: Int
    /// Output substreams beyond the 16th, not mapped to a group.
    public let unmappedOutputCount: Int

    /// - Parameters:
    ///   - inputSubstreamNames: names of the rawmidi input substreams (device → host), in
    ///     substream order across the card's rawmidi devices.
    ///   - outputSubstreamNames: names of the rawmidi output substreams (host → device).
    public init(inputSubstreamNames: [String], outputSubstreamNames: [String]) {
        let limit = Self.maximumGroupsPerDirection
        let inputs = inputSubstreamNames.prefix(limit)
        let outputs = outputSubstreamNames.prefix(limit)
        var blocks: [USBGroupTerminalBlockSpec] = []
        blocks.reserveCapacity(inputs.count + outputs.count)
        var number: UInt8 = 1
        for (group, name) in inputs.enumerated() {
            blocks.append(.init(number: number, direction: .blockOutput, groupIndex: UInt8(group), name: name))
            number += 1
        }
        for (group, name) in outputs.enumerated() {
            blocks.append(.init(number: number, direction: .blockInput, groupIndex: UInt8(group), name: name))
            number += 1
        }
        self.blocks = blocks
        unmappedInputCount = inputSubstreamNames.count - inputs.count
        unmappedOutputCount = outputSubstreamNames.count - outputs.count
    }

    /// Blocks applications receive from (rawmidi inputs), in group order.
    public var inputBlocks: [USBGroupTerminalBlockSpec] { blocks.filter { $0.direction == .blockOutput } }
    /// Blocks applications send to (rawmidi outputs), in group order.
    public var outputBlocks: [USBGroupTerminalBlockSpec] { blocks.filter { $0.direction == .blockInput } }
}
