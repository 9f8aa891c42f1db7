/// The answer to a send (`MidiSendMessageResults`): whether the message was taken, why not,
/// and how many receivers could not take it. Receiver overflows do not make a send fail — the
/// message was sent; the receiver that lost it is counted and reported separately.
public struct SendResult: Sendable, Equatable, CustomStringConvertible {
    /// Status bits. The values follow Windows `MidiSendMessageResults` where Windows' values
    /// are distinct bits; `messageListPartiallyProcessed` gets its own bit here.
    public struct Status: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Set together with every failure reason below.
        public static let failed = Status(rawValue: 0x8000_0000)
        /// The scheduler queue is full (Windows `BufferFull`).
        public static let scheduleQueueFull = Status(rawValue: 0x0001_0000)
        /// The connection was closed, never existed, or its endpoint went away.
        public static let connectionClosedOrInvalid = Status(rawValue: 0x0004_0000)
        /// The words given do not make exactly one packet of the message type's size.
        public static let invalidMessageTypeForWordCount = Status(rawValue: 0x0010_0000)
        /// Other malformed input (e.g. an empty word list).
        public static let invalidMessageOther = Status(rawValue: 0x0020_0000)
        /// The timestamp is further ahead than the scheduler's look-ahead.
        public static let timestampOutOfRange = Status(rawValue: 0x0080_0000)
        /// A batch stopped at a failure after some of its messages were accepted.
        public static let messageListPartiallyProcessed = Status(rawValue: 0x0200_0000)
    }

    public var status: Status
    /// Messages taken by the service (delivered, scheduled, or dropped because muted).
    /// A batch stops at the first refused message: `messagesAccepted` is its index.
    public var messagesAccepted: Int
    /// Deliveries refused by a full receiver queue (or a device that could not take the message).
    public var receiverOverflows: Int

    // `Status(rawValue: 0)`, not `[]`: an array literal allocates in unoptimised builds, and this
    // runs once per message.
    public init(status: Status = Status(rawValue: 0), messagesAccepted: Int = 0, receiverOverflows: Int = 0) {
        self.status = status
        self.messagesAccepted = messagesAccepted
        self.receiverOverflows = receiverOverflows
    }

    /// True unless the message (or some message of a batch) was refused.
    @inlinable public var succeeded: Bool { !status.contains(.failed) }

    static let sentOne = SendResult(messagesAccepted: 1)
    static let connectionClosed = SendResult(status: [.failed, .connectionClosedOrInvalid])
    static let timestampOutOfRange = SendResult(status: [.failed, .timestampOutOfRange])
    static let scheduleQueueFull = SendResult(status: [.failed, .scheduleQueueFull])
    static let invalidWordCount = SendResult(status: [.failed, .invalidMessageTypeForWordCount])
    static let invalidOther = SendResult(status: [.failed, .invalidMessageOther])

    public var description: String {
        var parts: [String] = []
        if status.contains(.connectionClosedOrInvalid) { parts.append("connection closed or invalid") }
        if status.contains(.scheduleQueueFull) { parts.append("scheduler queue full") }
        if status.contains(.timestampOutOfRange) { parts.append("timestamp beyond the scheduling look-ahead") }
        if status.contains(.invalidMessageTypeForWordCount) { parts.append("word count does not match the message type") }
        if status.contains(.invalidMessageOther) { parts.append("invalid message") }
        if status.contains(.messageListPartiallyProcessed) { parts.append("batch partially processed") }
        var text = succeeded ? "sent \(messagesAccepted)" : "failed after \(messagesAccepted) accepted: " + parts.joined(separator: ", ")
        if receiverOverflows > 0 { text += " (\(receiverOverflows) receiver overflow\(receiverOverflows == 1 ? "" : "s"))" }
        return text
    }
}
