/// One rawmidi substream: card, device and subdevice, as in `hw:C,D,S` (`amidi -l` lists
/// them). A USB MIDI 1.0 device's ports are the substreams of its card's rawmidi devices.
public struct RawMIDISubstreamAddress: Hashable, Sendable, CustomStringConvertible {
    /// ALSA card number (`C`), e.g. 1 for `/dev/snd/midiC1D0`.
    public var card: Int
    /// Rawmidi device number on the card (`D`).
    public var device: Int
    /// Substream (subdevice) number within the device and direction (`S`), from 0.
    public var subdevice: Int

    public init(card: Int, device: Int, subdevice: Int) {
        self.card = card
        self.device = device
        self.subdevice = subdevice
    }

    /// The alsa-lib name that opens exactly this substream: `hw:C,D,S`.
    public var name: String { "hw:\(card),\(device),\(subdevice)" }

    public var description: String { name }
}
