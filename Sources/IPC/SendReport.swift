/// What became of UMP a connection sent, daemon → sender. Binary, fixed size:
/// `connection u32 · messages u32 · receiver overflow u32 · scheduler refused u32 · rejected u32`.
///
/// Sent after a batch when something was not delivered, or when the batch asked for a report
/// (`FrameFlags.reportRequested`). Counts are additive; the format allows `messages == 0` for
/// losses discovered later (the current daemon sends none: see docs/daemon.md).
/// Messages sent to a muted pair count as delivered, as the design requires.
public struct SendReport: Hashable, Sendable {
    public var connection: ConnectionHandle
    /// Messages of the batch this report answers (0 for a late report).
    public var messages: UInt32
    /// (message, receiver) deliveries dropped because that receiver's queue was full. One
    /// message to three full receivers counts 3. Other receivers got it.
    public var receiverOverflow: UInt32
    /// Messages the scheduler refused: timestamp beyond the look-ahead, or its queue full.
    public var schedulerRefused: UInt32
    /// Messages refused for another reason (connection not open, endpoint gone).
    public var rejected: UInt32

    public init(connection: ConnectionHandle, messages: UInt32, receiverOverflow: UInt32 = 0,
                schedulerRefused: UInt32 = 0, rejected: UInt32 = 0) {
        self.connection = connection
        self.messages = messages
        self.receiverOverflow = receiverOverflow
        self.schedulerRefused = schedulerRefused
        self.rejected = rejected
    }

    /// Whether anything was lost.
    public var hasLosses: Bool { receiverOverflow != 0 || schedulerRefused != 0 || rejected != 0 }

    public static let payloadSize = 20

    func encodePayload(into w: inout ByteWriter) {
        w.u32(connection.rawValue); w.u32(messages); w.u32(receiverOverflow); w.u32(schedulerRefused); w.u32(rejected)
    }

    init(payload r: inout ByteReader) throws(FrameError) {
        let connection = try r.u32("send report connection")
        let messages = try r.u32("send report messages")
        let overflow = try r.u32("send report receiver overflow")
        let refused = try r.u32("send report scheduler refused")
        let rejected = try r.u32("send report rejected")
        try r.expectEnd("send report")
        self.init(connection: ConnectionHandle(connection), messages: messages, receiverOverflow: overflow,
                  schedulerRefused: refused, rejected: rejected)
    }
}
