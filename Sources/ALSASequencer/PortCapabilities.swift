import CALSA

/// What other clients may do with a port (`SND_SEQ_PORT_CAP_*`).
public struct PortCapabilities: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Others may read events from the port.
    public static let read = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_READ))
    /// Others may write events to the port.
    public static let write = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_WRITE))
    public static let syncRead = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_SYNC_READ))
    public static let syncWrite = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_SYNC_WRITE))
    /// Reading and writing at the same time is allowed.
    public static let duplex = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_DUPLEX))
    /// Others may subscribe to read from the port (`SUBS_READ`).
    public static let subscriptionRead = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_SUBS_READ))
    /// Others may subscribe to write to the port (`SUBS_WRITE`).
    public static let subscriptionWrite = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_SUBS_WRITE))
    /// Routing by third parties is not allowed; the port is hidden from `aconnect -l`-style lists.
    public static let noExport = PortCapabilities(rawValue: UInt32(SND_SEQ_PORT_CAP_NO_EXPORT))

    /// READ|WRITE|SUBS_READ|SUBS_WRITE|DUPLEX: a port any program can play to and record from.
    public static let duplexMIDI: PortCapabilities = [.read, .write, .subscriptionRead, .subscriptionWrite, .duplex]
}
