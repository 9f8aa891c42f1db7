import CALSA

#if canImport(Glibc)
import Glibc
#endif

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

    /// How many subscribers read from `port` of this client now (the kernel's count of read
    /// subscriptions, `snd_seq_port_info_get_read_use`): whether an event sent from `port` to
    /// its subscribers reaches anyone. One `ioctl`; allocates nothing (the port info is on the
    /// stack), so a hot path may ask now and then.
    public func readerCount(of port: PortID) throws(ALSAError) -> Int {
        let size = snd_seq_port_info_sizeof()
        let result: (count: Int32, status: Int32) = withUnsafeTemporaryAllocation(byteCount: size, alignment: 16) { buffer in
            guard let base = buffer.baseAddress else { return (0, -ENOMEM) }
            memset(base, 0, size)
            let info = OpaquePointer(base)
            let status = snd_seq_get_port_info(handle, Int32(port.rawValue), info)
            return (status < 0 ? 0 : snd_seq_port_info_get_read_use(info), status)
        }
        try check(result.status, "snd_seq_get_port_info(\(address(of: port)))")
        return Int(result.count)
    }

    /// Subscribes `port` to System Announce (0:1): from now on `port` receives
    /// `clientStarted/Exited/Changed` and `portStarted/Exited/Changed` for every client in the
    /// system, and the subscription notices. `port` needs the WRITE capability; a private port
    /// (`[.write, .noExport]`) keeps it out of other programs' lists.
    public func subscribeToAnnouncements(on port: PortID) throws(ALSAError) {
        try connect(from: .systemAnnounce, to: port)
    }
}
