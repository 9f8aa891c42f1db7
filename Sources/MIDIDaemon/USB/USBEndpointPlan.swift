import ALSASequencer
import ServiceCore
import UdevDevices

/// How one USB MIDI 1.0 card becomes one aggregate UMP endpoint (docs/design.md §3, seed 004):
/// the descriptor the service announces and which rawmidi substream carries which group.
///
/// - Identity: from `USBIdentityRegistry` (serial, else port path — see docs/identifiers.md).
/// - Transport-supplied info: the USB device's own strings and ids. The name is the product
///   string (what the kernel also uses for the card, "USB-Audio - <product>").
/// - Group terminal blocks: `USBGroupTerminalBlockLayout` — input substreams (the device sends)
///   are groups 0, 1… in substream order, each a block of direction **output** (from the
///   block's point of view: it sends to the host); output substreams (the host sends) are groups
///   0, 1… with direction **input**. Blocks are numbered from 1, inputs first. This is the
///   Windows convention (`MidiGroupTerminalBlockDirection`, block-relative), and the one
///   `GroupTerminalBlockDirection` documents.
/// - Group g of the endpoint: UMP sent to it on group g goes to output substream g; bytes from
///   input substream g arrive as UMP on group g.
struct USBEndpointPlan: Equatable {
    struct Port: Equatable {
        let group: UInt8
        let address: RawMIDISubstreamAddress
        let name: String
    }

    let descriptor: DeviceEndpointDescriptor
    /// Substreams the device sends on (rawmidi inputs), index = group.
    let inputs: [Port]
    /// Substreams the host sends to (rawmidi outputs), index = group.
    let outputs: [Port]
    /// Substreams beyond the 16th in one direction: no group left for them.
    let unmappedInputCount: Int
    let unmappedOutputCount: Int

    init(card: USBMIDICardInfo, identity: USBEndpointIdentity) {
        let inputSubstreams = card.inputSubstreams
        let outputSubstreams = card.outputSubstreams
        let layout = USBGroupTerminalBlockLayout(inputSubstreamNames: inputSubstreams.map(\.name),
                                                 outputSubstreamNames: outputSubstreams.map(\.name))
        func ports(_ substreams: [RawMidiSubstream]) -> [Port] {
            substreams.prefix(USBGroupTerminalBlockLayout.maximumGroupsPerDirection).enumerated().map { group, s in
                Port(group: UInt8(group),
                     address: RawMIDISubstreamAddress(card: card.cardNumber, device: s.device, subdevice: s.index),
                     name: s.name)
            }
        }
        inputs = ports(inputSubstreams)
        outputs = ports(outputSubstreams)
        unmappedInputCount = layout.unmappedInputCount
        unmappedOutputCount = layout.unmappedOutputCount

        let blocks = layout.blocks.map { spec in
            GroupTerminalBlock(number: spec.number, name: spec.name,
                               direction: spec.direction == .blockInput ? .input : .output,
                               firstGroup: spec.groupIndex, groupCount: spec.groupCount,
                               protocol: .midi1Message64)
        }
        let product = card.product.flatMap { $0.isEmpty ? nil : $0 }
        let name = product ?? "USB MIDI Device \(Self.hex4(card.vendorId)):\(Self.hex4(card.productId))"
        descriptor = DeviceEndpointDescriptor(
            id: identity.endpointDeviceId, transport: .usb, deviceInstanceId: identity.deviceInstanceId,
            nativeDataFormat: .byteStream,
            transportSupplied: TransportSuppliedInfo(
                name: name, description: "", serialNumber: card.serialNumber,
                vendorId: card.vendorId, productId: card.productId, manufacturer: card.manufacturer),
            groupTerminalBlocks: blocks,
            groupCount: max(1, inputs.count, outputs.count))
    }

    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
