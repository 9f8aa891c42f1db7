/// Deliveries of scheduled messages that full receivers refused when the messages fell due,
/// summed for the connection that sent them. The sender's send result said "scheduled"; this
/// is what it learns later (`MidiService.deliverDue(now:)`).
public struct LateReceiverOverflow: Hashable, Sendable {
    /// The connection the messages were sent on. It may have been closed since.
    public let sender: ConnectionID
    /// (message, receiver) deliveries refused, as in `SendResult.receiverOverflows`.
    public var overflows: Int

    public init(sender: ConnectionID, overflows: Int) {
        self.sender = sender
        self.overflows = overflows
    }

    /// Adds `count` to `sender`'s entry of `list`. Overflows are rare and few senders are
    /// involved at once: a linear search, and the list allocated only on the first overflow.
    static func add(_ count: Int, for sender: ConnectionID, to list: inout [LateReceiverOverflow]) {
        if let index = list.firstIndex(where: { $0.sender == sender }) {
            list[index].overflows += count
        } else {
            list.append(LateReceiverOverflow(sender: sender, overflows: count))
        }
    }
}
