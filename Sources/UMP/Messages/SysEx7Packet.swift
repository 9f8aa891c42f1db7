/// Message type 0x3, one packet of a 7-bit System Exclusive message (M2-104-UM §7.7): 64 bits.
/// Word 0: `0011 gggg ssss nnnn 0aaaaaaa 0bbbbbbb`, word 1: four more data bytes — group,
/// status (complete/start/continue/end), number of valid bytes 0…6, the bytes. The MIDI 1.0
/// framing bytes F0 and F7 are not carried; the status says where the message starts and ends.
public struct SysEx7Packet: Hashable, Sendable {
    /// Where this packet sits in the message.
    public var format: UMPFormat
    /// The 0…6 data bytes of this packet.
    public var bytes: UMPPacketBytes

    /// Largest number of data bytes one packet carries.
    public static let maxBytesPerPacket = 6

    /// Decodes a type-3 packet; `nil` for another type, a reserved status or a byte count above 6.
    @inlinable
    public init?(_ packet: UMPPacket) {
        guard packet.messageType == .data64 else { return nil }
        let status = packet.word0.field(20, 4), count = Int(packet.word0.field(16, 4))
        guard let format = UMPFormat(rawValue: UInt8(status)), count <= Self.maxBytesPerPacket else { return nil }
        self.format = format
        self.bytes = UMPPacketBytes(packet: packet, offset: 2, count: count)
    }

    /// Builds the packet for up to 6 `bytes` (extra bytes are not taken; each is masked to 7 bits).
    @inlinable
    public static func packet<C: Collection>(group: UInt8, format: UMPFormat, bytes: C) -> UMPPacket
    where C.Element == UInt8 {
        var packet = UMPPacket(0x3000_0000 | UInt32(group & 0xF) << 24 | UInt32(format.rawValue) << 20)
        var count = 0
        for byte in bytes.prefix(maxBytesPerPacket) {
            packet.setByte(at: 2 + count, byte & 0x7F)
            count += 1
        }
        packet.word0 |= UInt32(count) << 16
        return packet
    }

    /// The packet for this value on `group`.
    @inlinable
    public func packet(group: UInt8) -> UMPPacket {
        Self.packet(group: group, format: format, bytes: bytes)
    }
}

/// Splitting a SysEx payload into type-3 packets.
public enum SysEx7 {
    /// Number of packets `byteCount` payload bytes need (an empty message still takes one).
    @inlinable
    public static func packetCount(forPayloadSize byteCount: Int) -> Int {
        max(1, (byteCount + SysEx7Packet.maxBytesPerPacket - 1) / SysEx7Packet.maxBytesPerPacket)
    }

    /// Calls `emit` with the type-3 packets that carry `payload` — the bytes between F0 and F7,
    /// not including them: one Complete packet for 0…6 bytes, else Start, Continue…, End.
    @inlinable
    public static func forEachPacket<C: Collection>(group: UInt8, payload: C, _ emit: (UMPPacket) -> Void)
    where C.Element == UInt8 {
        let total = packetCount(forPayloadSize: payload.count)
        var index = 0
        var chunkStart = payload.startIndex
        while index < total {
            let chunkEnd = payload.index(chunkStart, offsetBy: SysEx7Packet.maxBytesPerPacket,
                                         limitedBy: payload.endIndex) ?? payload.endIndex
            emit(SysEx7Packet.packet(group: group, format: .forPacket(index, of: total),
                                     bytes: payload[chunkStart..<chunkEnd]))
            chunkStart = chunkEnd
            index += 1
        }
    }

    /// The type-3 packets that carry `payload` (bytes between F0 and F7).
    public static func packets<C: Collection>(group: UInt8, payload: C) -> [UMPPacket] where C.Element == UInt8 {
        var result: [UMPPacket] = []
        result.reserveCapacity(packetCount(forPayloadSize: payload.count))
        forEachPacket(group: group, payload: payload) { result.append($0) }
        return result
    }
}
