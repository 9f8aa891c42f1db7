/// What a send call did — the Windows `MidiSendMessageResults` flags, same bit values.
/// `succeeded` alone means every message went to the service; on failure `failed` is combined
/// with one or more reasons.
///
/// The result says whether the service *accepted* the messages. What became of them later
/// (a receiver's queue was full, the scheduler refused a far-future timestamp) arrives
/// asynchronously and is counted in `MidiEndpointConnection.deliveryLosses`.
public struct MidiSendMessageResults: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let succeeded = MidiSendMessageResults(rawValue: 0x8000_0000)
    public static let failed = MidiSendMessageResults(rawValue: 0x1000_0000)
    /// The socket to the service stayed full for longer than the send timeout.
    public static let bufferFull = MidiSendMessageResults(rawValue: 0x0001_0000)
    /// The connection is not open (never opened, closed, or the service went away).
    public static let endpointConnectionClosedOrInvalid = MidiSendMessageResults(rawValue: 0x0004_0000)
    /// The number of words does not match the message type of the first word.
    public static let invalidMessageTypeForWordCount = MidiSendMessageResults(rawValue: 0x0010_0000)
    public static let invalidMessageOther = MidiSendMessageResults(rawValue: 0x0020_0000)
    /// An index/count into a word array was out of range.
    public static let dataIndexOutOfRange = MidiSendMessageResults(rawValue: 0x0040_0000)
    /// Some messages of a multiple-message send went out before the failure.
    public static let messageListPartiallyProcessed = MidiSendMessageResults(rawValue: 0x0080_0000)

    /// Whether the send succeeded (`MidiEndpointConnection.SendMessageSucceeded`).
    @inlinable public var isSuccess: Bool { contains(.succeeded) && !contains(.failed) }

    public var description: String {
        var names: [String] = []
        if contains(.succeeded) { names.append("succeeded") }
        if contains(.failed) { names.append("failed") }
        if contains(.bufferFull) { names.append("bufferFull") }
        if contains(.endpointConnectionClosedOrInvalid) { names.append("endpointConnectionClosedOrInvalid") }
        if contains(.invalidMessageTypeForWordCount) { names.append("invalidMessageTypeForWordCount") }
        if contains(.invalidMessageOther) { names.append("invalidMessageOther") }
        if contains(.dataIndexOutOfRange) { names.append("dataIndexOutOfRange") }
        if contains(.messageListPartiallyProcessed) { names.append("messageListPartiallyProcessed") }
        return "[" + names.joined(separator: ", ") + "]"
    }

    @usableFromInline static let closed: MidiSendMessageResults = [.failed, .endpointConnectionClosedOrInvalid]
    @usableFromInline static let wrongWordCount: MidiSendMessageResults = [.failed, .invalidMessageTypeForWordCount]
}
