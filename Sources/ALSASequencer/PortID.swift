/// A port number within one sequencer client (0…253; 254/255 are addressing wildcards).
public struct PortID: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public init(_ rawValue: UInt8) { self.rawValue = rawValue }

    /// Port 0 of the System client: the system timer.
    public static let systemTimer = PortID(0)
    /// Port 1 of the System client: announcements of clients and ports appearing, changing, leaving.
    public static let systemAnnounce = PortID(1)

    /// The highest port number a client can create (`SND_SEQ_ADDRESS_UNKNOWN` − 1).
    public static let maximum = PortID(252)

    public static func < (lhs: PortID, rhs: PortID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}
