/// What became of each message of a batch sent with `MidiService.send(each:now:from:)`, which —
/// unlike `send(_:from:)` — goes on past a refused message, as a daemon must for a frame of
/// messages that arrived together and is answered with one report.
public struct BatchSendTally: Sendable, Equatable {
    /// Messages taken (delivered, scheduled, or dropped because their pair is muted).
    public var accepted: Int
    /// Messages the scheduler refused: queue full, or a timestamp beyond the look-ahead.
    public var schedulerRefused: Int
    /// Messages refused for any other reason (the connection is closed or never existed).
    public var rejected: Int
    /// Deliveries refused by a full receiver queue, over all messages.
    public var receiverOverflows: Int

    public init(accepted: Int = 0, schedulerRefused: Int = 0, rejected: Int = 0, receiverOverflows: Int = 0) {
        self.accepted = accepted
        self.schedulerRefused = schedulerRefused
        self.rejected = rejected
        self.receiverOverflows = receiverOverflows
    }

    /// Counts one message's result.
    @inline(__always)
    mutating func count(_ result: SendResult) {
        receiverOverflows &+= result.receiverOverflows
        if result.succeeded {
            accepted &+= 1
        } else if !result.status.isDisjoint(with: [.scheduleQueueFull, .timestampOutOfRange]) {
            schedulerRefused &+= 1
        } else {
            rejected &+= 1
        }
    }
}
