import UMP

/// Whoever holds a connection: receives every message that arrives at the connection's
/// endpoint. Called synchronously on the service's thread, on the hot path: implementations
/// copy the message into their own bounded queue and return at once. They must not call back
/// into the service from `receive`.
public protocol EndpointReceiver: AnyObject {
    /// Takes one message. Returns `false` when the receiver's queue is full and the message was
    /// not taken; the service counts it (`ServiceCounters.receiverOverflows`) and carries on
    /// with the other receivers — a slow receiver never blocks anyone else.
    func receive(_ message: TimestampedUMP) -> Bool

    /// Takes a run of messages that arrived together, in order, each as `receive(_:)` would.
    /// Returns how many were not taken (queue full). The service hands a loopback's frame over
    /// in runs so that a receiver can copy many messages in one tight loop instead of being
    /// called once per message; the default implementation calls `receive(_:)` for each.
    func receive(contentsOf messages: UnsafeBufferPointer<TimestampedUMP>) -> Int

    /// Whether this receiver looks at the messages' timestamps. A loopback stamps a message
    /// sent with timestamp 0 with its arrival time for its receivers; when none of them reads
    /// it (the ALSA bridge's clients: ALSA events carry no such time),
    /// `MidiService.send(each:from:)` does not read the clock at all. Default: true. Asked
    /// once, when the connection opens.
    var readsTimestamps: Bool { get }
}

extension EndpointReceiver {
    public var readsTimestamps: Bool { true }

    public func receive(contentsOf messages: UnsafeBufferPointer<TimestampedUMP>) -> Int {
        var refused = 0
        var index = 0
        while index < messages.count {
            if !receive(messages[index]) { refused += 1 }
            index += 1
        }
        return refused
    }
}

/// A connection opened on an endpoint. Valid until closed, or until its endpoint goes away;
/// ids are never reused while the service lives (a slot index plus a generation).
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    /// Low 32 bits: slot index; high 32 bits: generation (never 0).
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    init(handle: SlotHandle) {
        rawValue = UInt64(handle.index) | (UInt64(handle.generation) << 32)
    }
    var handle: SlotHandle {
        SlotHandle(index: UInt32(truncatingIfNeeded: rawValue), generation: UInt32(truncatingIfNeeded: rawValue >> 32))
    }

    public var description: String { "connection \(UInt32(truncatingIfNeeded: rawValue))/\(rawValue >> 32)" }
}

/// Why a connection could not be opened.
public enum ConnectionError: Error, Equatable, CustomStringConvertible {
    case endpointNotFound(EndpointDeviceId)

    public var description: String {
        switch self {
        case .endpointNotFound(let id): return "cannot open a connection: no endpoint \(id)"
        }
    }
}
