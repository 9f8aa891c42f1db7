/// Message type 0x5, 128-bit data messages (M2-104-UM §7.8–7.9): System Exclusive 8 and the
/// Mixed Data Set. Word 0: `0101 gggg ssss ....` — group, status, then per-status fields.
public enum Data128Message: Hashable, Sendable {
    /// Status 0x0–0x3 — one packet of an 8-bit System Exclusive message: its stream id and
    /// 0…13 data bytes.
    case sysEx8(format: UMPFormat, streamId: UInt8, bytes: UMPPacketBytes)
    /// Status 0x8 — Mixed Data Set Header.
    case mixedDataSetHeader(MixedDataSetHeader)
    /// Status 0x9 — Mixed Data Set Payload: 14 bytes of the chunk `mdsId`.
    case mixedDataSetPayload(mdsId: UInt8, bytes: UMPPacketBytes)

    /// Largest number of data bytes (stream id not counted) in one SysEx8 packet.
    public static let maxSysEx8BytesPerPacket = 13

    /// Decodes a type-5 packet; `nil` for another type, a reserved status or an impossible count.
    @inlinable
    public init?(_ packet: UMPPacket) {
        guard packet.messageType == .data128 else { return nil }
        let w0 = packet.word0
        let status = UInt8(w0.field(20, 4))
        switch status {
        case 0x0...0x3:
            // "Number of bytes" counts the stream id too: 1…14 on a valid packet.
            let count = Int(w0.field(16, 4))
            guard count >= 1, count <= 14, let format = UMPFormat(rawValue: status) else { return nil }
            self = .sysEx8(format: format, streamId: w0.byte(2),
                           bytes: UMPPacketBytes(packet: packet, offset: 3, count: count - 1))
        case 0x8:
            self = .mixedDataSetHeader(MixedDataSetHeader(
                mdsId: UInt8(w0.field(16, 4)),
                validByteCount: UInt16(truncatingIfNeeded: w0),
                numberOfChunks: UInt16(truncatingIfNeeded: packet.word1 >> 16),
                chunkNumber: UInt16(truncatingIfNeeded: packet.word1),
                manufacturerId: UInt16(truncatingIfNeeded: packet.word2 >> 16),
                deviceId: UInt16(truncatingIfNeeded: packet.word2),
                subId1: UInt16(truncatingIfNeeded: packet.word3 >> 16),
                subId2: UInt16(truncatingIfNeeded: packet.word3)))
        case 0x9:
            self = .mixedDataSetPayload(mdsId: UInt8(w0.field(16, 4)),
                                        bytes: UMPPacketBytes(packet: packet, offset: 2, count: 14))
        default:
            return nil
        }
    }

    /// The packet for this message on `group`.
    @inlinable
    public func packet(group: UInt8) -> UMPPacket {
        let g = UInt32(group & 0xF) << 24
        switch self {
        case .sysEx8(let format, let streamId, let bytes):
            return Self.sysEx8Packet(group: group, format: format, streamId: streamId, bytes: bytes)
        case .mixedDataSetHeader(let h):
            return UMPPacket(0x5080_0000 | g | UInt32(h.mdsId & 0xF) << 16 | UInt32(h.validByteCount),
                             UInt32(h.numberOfChunks) << 16 | UInt32(h.chunkNumber),
                             UInt32(h.manufacturerId) << 16 | UInt32(h.deviceId),
                             UInt32(h.subId1) << 16 | UInt32(h.subId2))
        case .mixedDataSetPayload(let mdsId, let bytes):
            var packet = UMPPacket(0x5090_0000 | g | UInt32(mdsId & 0xF) << 16, 0, 0, 0)
            for (i, byte) in bytes.prefix(14).enumerated() { packet.setByte(at: 2 + i, byte) }
            return packet
        }
    }

    /// A SysEx8 packet with up to 13 data `bytes` after the stream id.
    @inlinable
    public static func sysEx8Packet<C: Collection>(group: UInt8, format: UMPFormat, streamId: UInt8,
                                                   bytes: C) -> UMPPacket where C.Element == UInt8 {
        var packet = UMPPacket(0x5000_0000 | UInt32(group & 0xF) << 24 | UInt32(format.rawValue) << 20
                               | UInt32(streamId) << 8, 0, 0, 0)
        var count = 0
        for byte in bytes.prefix(maxSysEx8BytesPerPacket) {
            packet.setByte(at: 3 + count, byte)
            count += 1
        }
        packet.word0 |= UInt32(count + 1) << 16
        return packet
    }
}

/// The header of one chunk of a Mixed Data Set (M2-104-UM §7.9).
public struct MixedDataSetHeader: Hashable, Sendable {
    /// Mixed Data Set id, 0…15.
    public var mdsId: UInt8
    /// Number of valid bytes in this chunk (header fields after word 0 plus the payloads).
    public var validByteCount: UInt16
    public var numberOfChunks: UInt16
    public var chunkNumber: UInt16
    public var manufacturerId: UInt16
    public var deviceId: UInt16
    public var subId1: UInt16
    public var subId2: UInt16

    public init(mdsId: UInt8, validByteCount: UInt16, numberOfChunks: UInt16, chunkNumber: UInt16,
                manufacturerId: UInt16, deviceId: UInt16, subId1: UInt16, subId2: UInt16) {
        self.mdsId = mdsId
        self.validByteCount = validByteCount
        self.numberOfChunks = numberOfChunks
        self.chunkNumber = chunkNumber
        self.manufacturerId = manufacturerId
        self.deviceId = deviceId
        self.subId1 = subId1
        self.subId2 = subId2
    }
}
