/// Running totals for `midi service status`. They only grow while the service lives.
public struct ServiceCounters: Sendable, Equatable {
    /// Messages that reached their destination endpoint (counted once per message, however
    /// many connections received it), scheduled ones included when they are delivered.
    public var messagesRouted: UInt64 = 0
    /// Individual hand-overs to receivers and devices that succeeded.
    public var receiverDeliveries: UInt64 = 0
    /// Hand-overs refused by a full receiver (or device) queue.
    public var receiverOverflows: UInt64 = 0
    /// Messages dropped because their loopback pair was muted (the sender was told "sent").
    public var messagesDroppedWhileMuted: UInt64 = 0
    /// Messages queued for a future timestamp.
    public var messagesScheduled: UInt64 = 0
    /// Queued messages whose endpoint had gone away by their due time.
    public var scheduledMessagesDiscarded: UInt64 = 0
    /// Messages refused because their timestamp was beyond the look-ahead.
    public var messagesRefusedTooFarAhead: UInt64 = 0
    /// Messages refused because the scheduler queue was full.
    public var messagesRefusedQueueFull: UInt64 = 0
    /// Sends refused because the words did not make a valid packet.
    public var invalidMessages: UInt64 = 0
    /// Ping requests answered by the diagnostic ping endpoint.
    public var pingRequestsAnswered: UInt64 = 0
    /// Name / product-id notification packets out of sequence (Continue without Start, an
    /// interrupted text, a text over the spec's length); assembly carries on.
    public var malformedStreamText: UInt64 = 0
    /// Messages that arrived from devices.
    public var deviceMessagesReceived: UInt64 = 0

    public init() {}

    /// Everything refused by the scheduler.
    public var messagesRefusedByScheduler: UInt64 { messagesRefusedTooFarAhead + messagesRefusedQueueFull }
}
