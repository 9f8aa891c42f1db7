import CALSA

extension SequencerClient {
    /// Every client the kernel has, in client-number order.
    public func clients() throws(ALSAError) -> [ClientInfo] {
        try withClientInfo("list clients") { (info) throws(ALSAError) in
            var result: [ClientInfo] = []
            snd_seq_client_info_set_client(info, -1)
            while snd_seq_query_next_client(handle, info) >= 0 {
                result.append(Self.clientInfo(from: info))
            }
            return result
        }
    }

    /// The kernel client of sound card `card` (its MIDI ports, made by snd-seq-midi), or `nil`
    /// when there is none (the card has no MIDI ports, or snd-seq-midi has not made it yet).
    public func client(ofCard card: Int) throws(ALSAError) -> ClientInfo? {
        try clients().first { $0.kind == .kernel && $0.card == card }
    }

    /// One client's description. Fails with `ENOENT` if no such client exists.
    public func clientInfo(_ client: ClientID) throws(ALSAError) -> ClientInfo {
        try withClientInfo("get client \(client)") { (info) throws(ALSAError) in
            try check(snd_seq_get_any_client_info(handle, Int32(client.rawValue), info),
                      "snd_seq_get_any_client_info(client \(client))")
            return Self.clientInfo(from: info)
        }
    }

    /// Every port of `client`, in port-number order.
    public func ports(of client: ClientID) throws(ALSAError) -> [PortInfo] {
        try withPortInfo("list ports of client \(client)") { (info) throws(ALSAError) in
            var result: [PortInfo] = []
            snd_seq_port_info_set_client(info, Int32(client.rawValue))
            snd_seq_port_info_set_port(info, -1)
            while snd_seq_query_next_port(handle, info) >= 0 {
                result.append(Self.portInfo(from: info))
            }
            return result
        }
    }

    /// One port's description. Fails with `ENOENT` if no such port exists.
    public func portInfo(_ address: Address) throws(ALSAError) -> PortInfo {
        try withPortInfo("get port \(address)") { (info) throws(ALSAError) in
            try check(snd_seq_get_any_port_info(handle, Int32(address.client.rawValue),
                                                Int32(address.port.rawValue), info),
                      "snd_seq_get_any_port_info(\(address))")
            return Self.portInfo(from: info)
        }
    }

    private static func clientInfo(from info: OpaquePointer) -> ClientInfo {
        let kind: ClientInfo.Kind
        let rawKind = snd_seq_client_info_get_type(info)
        switch rawKind {
        case SND_SEQ_USER_CLIENT: kind = .user
        case SND_SEQ_KERNEL_CLIENT: kind = .kernel
        default: kind = .other(Int32(bitPattern: rawKind.rawValue))
        }
        return ClientInfo(
            id: ClientID(UInt8(truncatingIfNeeded: snd_seq_client_info_get_client(info))),
            name: String(cString: snd_seq_client_info_get_name(info)),
            kind: kind,
            portCount: Int(snd_seq_client_info_get_num_ports(info)),
            card: { let card = snd_seq_client_info_get_card(info); return card >= 0 ? Int(card) : nil }())
    }

    private static func portInfo(from info: OpaquePointer) -> PortInfo {
        let address = Address(
            client: ClientID(UInt8(truncatingIfNeeded: snd_seq_port_info_get_client(info))),
            port: PortID(UInt8(truncatingIfNeeded: snd_seq_port_info_get_port(info))))
        return PortInfo(
            address: address,
            name: String(cString: snd_seq_port_info_get_name(info)),
            capabilities: PortCapabilities(rawValue: snd_seq_port_info_get_capability(info)),
            type: PortType(rawValue: snd_seq_port_info_get_type(info)),
            midiChannels: Int(snd_seq_port_info_get_midi_channels(info)))
    }
}
