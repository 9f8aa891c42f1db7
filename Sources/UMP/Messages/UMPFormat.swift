/// How one packet relates to the packets around it, for messages that may span several packets:
/// SysEx7 "status" (M2-104-UM §7.7), SysEx8 status (§7.8), Flex Data "Format" (§7.5) and UMP Stream
/// "Format" (§7.1). The spec uses the same four values for all of them.
public enum UMPFormat: UInt8, Hashable, Sendable, CaseIterable {
    /// The whole message is in this packet.
    case complete = 0
    /// First packet of a message that continues.
    case start = 1
    /// A middle packet.
    case `continue` = 2
    /// Last packet.
    case end = 3

    /// The spec's word for the value, as shown in descriptions.
    public var name: String {
        switch self {
        case .complete: return "Complete"
        case .start: return "Start"
        case .continue: return "Continue"
        case .end: return "End"
        }
    }

    /// The format for packet `index` of a message that is split into `count` packets.
    @inlinable
    public static func forPacket(_ index: Int, of count: Int) -> UMPFormat {
        if count <= 1 { return .complete }
        if index == 0 { return .start }
        return index == count - 1 ? .end : .continue
    }
}
