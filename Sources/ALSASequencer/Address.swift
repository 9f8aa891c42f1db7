import CALSA

/// A sequencer address: client and port, written `client:port` as `aconnect` does.
public struct Address: Hashable, Sendable, CustomStringConvertible {
    public var client: ClientID
    public var port: PortID

    public init(client: ClientID, port: PortID) {
        self.client = client
        self.port = port
    }

    /// 0:1, where the kernel announces clients and ports.
    public static let systemAnnounce = Address(client: .system, port: .systemAnnounce)

    public var description: String { "\(client):\(port)" }

    init(_ raw: snd_seq_addr_t) {
        self.init(client: ClientID(raw.client), port: PortID(raw.port))
    }
}
