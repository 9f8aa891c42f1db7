/// A run of payload bytes carried inside one packet (SysEx7, SysEx8, Mixed Data Set payloads,
/// stream-message text). A view over the packet's words, stored inline: decoding a packet into
/// a `UMPMessage` never allocates, and the bytes can be iterated or copied out when needed.
public struct UMPPacketBytes: RandomAccessCollection, Hashable, Sendable, CustomStringConvertible {
    @usableFromInline let packet: UMPPacket
    @usableFromInline let offset: Int

    /// Number of bytes (0…14).
    public let count: Int

    /// The bytes `offset ..< offset + count` of `packet`, counted 0…15 in the big-endian order of
    /// the spec's figures (byte 0 is the top byte of word 0).
    @inlinable
    public init(packet: UMPPacket, offset: Int, count: Int) {
        let clampedOffset = Swift.max(0, Swift.min(offset, 16))
        self.packet = packet
        self.offset = clampedOffset
        self.count = Swift.max(0, Swift.min(count, 16 - clampedOffset))
    }

    /// Up to 16 `bytes`, copied into inline storage (extra bytes are not taken).
    @inlinable
    public init<C: Sequence>(_ bytes: C) where C.Element == UInt8 {
        var storage = UMPPacket(0xF000_0000)  // a 4-word type, so all 16 bytes are kept
        var count = 0
        for byte in bytes {
            guard count < 16 else { break }
            storage.setByte(at: count, byte)
            count += 1
        }
        self.init(packet: storage, offset: 0, count: count)
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }

    @inlinable
    public subscript(position: Int) -> UInt8 {
        precondition(position >= 0 && position < count, "UMPPacketBytes index \(position) out of range 0..<\(count)")
        return packet.byte(at: offset + position)
    }

    // Equality is by content: two views of the same bytes are equal whatever the rest of the packet.
    @inlinable
    public static func == (lhs: UMPPacketBytes, rhs: UMPPacketBytes) -> Bool {
        lhs.elementsEqual(rhs)
    }

    @inlinable
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for byte in self { hasher.combine(byte) }
    }

    /// Space-separated hex, e.g. `7E 7F 06 01`.
    public var description: String {
        map { hex($0, width: 2) }.joined(separator: " ")
    }
}
