/// One rawmidi substream (a MIDI port of a card).
public struct RawMidiSubstream: Hashable, Sendable, CustomStringConvertible {
    public enum Direction: String, Hashable, Sendable {
        /// The device sends, the host reads (`SNDRV_RAWMIDI_STREAM_INPUT`).
        case input
        /// The host writes, the device receives (`SNDRV_RAWMIDI_STREAM_OUTPUT`).
        case output
    }

    public let direction: Direction
    /// The rawmidi device number (`D` in `midiC<card>D<device>`).
    public let device: Int
    /// The substream (subdevice) number within the device and direction, from 0.
    public let index: Int
    /// The kernel's substream name, e.g. `Synth MIDI 1` (snd-usb-audio: `<product> MIDI <n>`,
    /// or the jack name from a quirk table).
    public let name: String

    public init(direction: Direction, device: Int, index: Int, name: String) {
        self.direction = direction
        self.device = device
        self.index = index
        self.name = name
    }

    public var description: String { "\(direction) \(device),\(index) \"\(name)\"" }
}

/// One rawmidi device of a card (`/dev/snd/midiC<card>D<device>`).
public struct RawMidiDeviceInfo: Hashable, Sendable {
    public let device: Int
    /// The character device, `/dev/snd/midiC1D0`.
    public let node: String
    /// The rawmidi device's name (first line of `/proc/asound/card<N>/midi<D>`).
    public let name: String
    public let inputs: [RawMidiSubstream]
    public let outputs: [RawMidiSubstream]

    public init(device: Int, node: String, name: String, inputs: [RawMidiSubstream], outputs: [RawMidiSubstream]) {
        self.device = device
        self.node = node
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
    }
}

/// A USB MIDI sound card as udev and the kernel describe it: what the daemon needs to make a
/// USB endpoint (identity facts, transport-supplied info, group terminal blocks, the devices to
/// open). Plain values; no libudev objects.
public struct USBMIDICardInfo: Hashable, Sendable {
    /// ALSA card number (`N` in `card<N>`, `hw:<N>`). Not an identity: it depends on plug order.
    public var cardNumber: Int
    /// The card's sysfs DEVPATH, the key that `.removed` reports.
    public var devpath: String
    public var vendorId: UInt16
    public var productId: UInt16
    /// `iSerialNumber` as the device reports it (sysattr `serial`), `nil` when it has none.
    /// Not judged here: placeholders are ServiceCore's business.
    public var serialNumber: String?
    public var manufacturer: String?
    public var product: String?
    /// udev `ID_PATH` (`pci-0000:00:14.0-usb-0:2:1.0`), or the same computed from sysfs.
    public var path: String
    /// udev `ID_PATH_TAG` (`pci-0000_00_14_0-usb-0_2_1_0`), or the same computed from sysfs.
    public var pathTag: String
    /// The card's rawmidi devices in device order.
    public var rawMidiDevices: [RawMidiDeviceInfo]

    public init(cardNumber: Int, devpath: String, vendorId: UInt16, productId: UInt16,
                serialNumber: String?, manufacturer: String?, product: String?,
                path: String, pathTag: String, rawMidiDevices: [RawMidiDeviceInfo]) {
        self.cardNumber = cardNumber
        self.devpath = devpath
        self.vendorId = vendorId
        self.productId = productId
        self.serialNumber = serialNumber
        self.manufacturer = manufacturer
        self.product = product
        self.path = path
        self.pathTag = pathTag
        self.rawMidiDevices = rawMidiDevices
    }

    /// Every input substream of the card, device by device, in substream order — the order in
    /// which they become groups 0, 1, 2… of the endpoint.
    public var inputSubstreams: [RawMidiSubstream] { rawMidiDevices.flatMap(\.inputs) }
    /// Every output substream, in the same order.
    public var outputSubstreams: [RawMidiSubstream] { rawMidiDevices.flatMap(\.outputs) }
}

/// What `SoundCardWatcher` reports.
public enum SoundCardEvent: Hashable, Sendable {
    /// A USB MIDI card is ready to use.
    case arrived(USBMIDICardInfo)
    /// The card reported earlier under this DEVPATH is gone.
    case removed(devpath: String)
}
