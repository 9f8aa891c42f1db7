/// A client as the kernel lists it (what `aconnect -l` prints on a `client` line).
public struct ClientInfo: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A program using alsa-lib.
        case user
        /// A kernel driver (System, Midi Through, sound card MIDI ports).
        case kernel
        /// A kind this wrapper does not know (newer kernels add UMP clients), by its number.
        case other(Int32)
    }

    public var id: ClientID
    public var name: String
    public var kind: Kind
    /// How many ports the client has.
    public var portCount: Int
    /// The sound card a kernel client belongs to (`snd_seq_client_info_get_card`): the card's
    /// MIDI ports (snd-seq-midi) are one client per card. `nil` for user clients and for kernel
    /// clients of no card (System, Midi Through).
    public var card: Int?

    public init(id: ClientID, name: String, kind: Kind, portCount: Int, card: Int? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.portCount = portCount
        self.card = card
    }
}

/// A port as the kernel lists it.
public struct PortInfo: Hashable, Sendable {
    public var address: Address
    public var name: String
    public var capabilities: PortCapabilities
    public var type: PortType
    public var midiChannels: Int

    public init(address: Address, name: String, capabilities: PortCapabilities, type: PortType, midiChannels: Int) {
        self.address = address
        self.name = name
        self.capabilities = capabilities
        self.type = type
        self.midiChannels = midiChannels
    }
}
