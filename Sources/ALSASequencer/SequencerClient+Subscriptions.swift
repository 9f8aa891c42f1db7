import CALSA

extension SequencerClient {
    /// Subscribes `port` of this client to `source`: events `source` sends to its subscribers
    /// arrive on `port` (`snd_seq_connect_from`). `port` needs the WRITE capability.
    public func connect(from source: Address, to port: PortID) throws(ALSAError) {
        try check(snd_seq_connect_from(handle, Int32(port.rawValue),
                                       Int32(source.client.rawValue), Int32(source.port.rawValue)),
                  "snd_seq_connect_from(\(source) -> \(address(of: port)))")
    }

    /// Subscribes `destination` to `port` of this client (`snd_seq_connect_to`): events this
    /// client sends from `port` to its subscribers reach `destination`.
    public func connect(from port: PortID, to destination: Address) throws(ALSAError) {
        try check(snd_seq_connect_to(handle, Int32(port.rawValue),
                                     Int32(destination.client.rawValue), Int32(destination.port.rawValue)),
                  "snd_seq_connect_to(\(address(of: port)) -> \(destination))")
    }

    /// Undoes `connect(from:to:)` for a source address.
    public func disconnect(from source: Address, to port: PortID) throws(ALSAError) {
        try check(snd_seq_disconnect_from(handle, Int32(port.rawValue),
                                          Int32(source.client.rawValue), Int32(source.port.rawValue)),
                  "snd_seq_disconnect_from(\(source) -> \(address(of: port)))")
    }

    /// Undoes `connect(from:to:)` for a destination address.
    public func disconnect(from port: PortID, to destination: Address) throws(ALSAError) {
        try check(snd_seq_disconnect_to(handle, Int32(port.rawValue),
                                        Int32(destination.client.rawValue), Int32(destination.port.rawValue)),
                  "snd_seq_disconnect_to(\(address(of: port)) -> \(destination))")
    }

    /// Subscribes `port` to System Announce (0:1): from now on `port` receives
    /// `clientStarted/Exited/Changed` and `portStarted/Exited/Changed` for every client in the
    /// system, and the subscription notices. `port` needs the WRITE capability; a private port
    /// (`[.write, .noExport]`) keeps it out of other programs' lists.
    public func subscribeToAnnouncements(on port: PortID) throws(ALSAError) {
        try connect(from: .systemAnnounce, to: port)
    }
}
