import UMP

/// One received message: its timestamp and packet (`MidiMessageReceivedEventArgs`). A plain
/// value — building one and handing it to a callback never allocates.
public struct MidiMessageReceivedEventArgs: Sendable, Hashable {
    /// When the service received the message (CLOCK_MONOTONIC ns, `MidiClock`), or the
    /// timestamp it was sent with, per the endpoint's rules (diagnostic loopbacks keep it as
    /// sent; loopbacks keep non-zero timestamps).
    public var timestamp: UInt64
    public var packet: UMPPacket

    @inlinable
    public init(timestamp: UInt64, packet: UMPPacket) {
        self.timestamp = timestamp
        self.packet = packet
    }

    @inlinable
    public init(_ message: TimestampedUMP) {
        self.init(timestamp: message.timestamp, packet: message.packet)
    }

    @inlinable public var messageType: UMPMessageType { packet.messageType }
    /// `PeekFirstWord`.
    @inlinable public var firstWord: UInt32 { packet.word0 }
    @inlinable public var wordCount: Int { packet.wordCount }
    /// The words (allocates an array; use `packet` on hot paths).
    public var words: [UInt32] { packet.words }
    /// `FillWords`: the four words (unused ones are 0) and how many are valid.
    @inlinable public func fillWords() -> (count: Int, UInt32, UInt32, UInt32, UInt32) {
        (packet.wordCount, packet.word0, packet.word1, packet.word2, packet.word3)
    }
    @inlinable public var timestampedPacket: TimestampedUMP { TimestampedUMP(timestamp: timestamp, packet: packet) }
}
