/// Message type 0xD, Flex Data (M2-104-UM §7.5): 128 bits. The header in word 0 is decoded;
/// the 12 bytes of payload (words 1–3) are kept as they are, their meaning depending on
/// status bank and status (tempo, time signature, text, …).
/// Word 0: `1101 gggg ffaa cccc bbbbbbbb ssssssss` — group, format, address, channel,
/// status bank, status.
public struct FlexDataMessage: Hashable, Sendable {
    public var group: UInt8
    public var format: UMPFormat
    public var address: FlexDataAddress
    /// The channel (0…15); meaningful when `address == .channel`.
    public var channel: UInt8
    public var statusBank: UInt8
    public var status: UInt8
    public var word1: UInt32
    public var word2: UInt32
    public var word3: UInt32

    public init(group: UInt8, format: UMPFormat, address: FlexDataAddress, channel: UInt8,
                statusBank: UInt8, status: UInt8, word1: UInt32 = 0, word2: UInt32 = 0, word3: UInt32 = 0) {
        self.group = group
        self.format = format
        self.address = address
        self.channel = channel
        self.statusBank = statusBank
        self.status = status
        self.word1 = word1
        self.word2 = word2
        self.word3 = word3
    }

    /// Decodes the header of a type-D packet; `nil` for another type.
    @inlinable
    public init?(_ packet: UMPPacket) {
        guard packet.messageType == .flexData else { return nil }
        let w0 = packet.word0
        self.init(group: UInt8(w0.field(24, 4)),
                  format: UMPFormat(rawValue: UInt8(w0.field(22, 2))) ?? .complete,
                  address: FlexDataAddress(rawValue: UInt8(w0.field(20, 2))) ?? .channel,
                  channel: UInt8(w0.field(16, 4)), statusBank: w0.byte(2), status: w0.byte(3),
                  word1: packet.word1, word2: packet.word2, word3: packet.word3)
    }

    /// The packet for this message.
    @inlinable
    public var packet: UMPPacket {
        UMPPacket(0xD000_0000 | UInt32(group & 0xF) << 24 | UInt32(format.rawValue) << 22
                  | UInt32(address.rawValue & 0x3) << 20 | UInt32(channel & 0xF) << 16
                  | UInt32(statusBank) << 8 | UInt32(status), word1, word2, word3)
    }
}

/// Whom a Flex Data message is addressed to (the 2-bit "addrs" field).
public enum FlexDataAddress: UInt8, Hashable, Sendable, CaseIterable {
    /// To the channel in the channel field.
    case channel = 0
    /// To the whole group.
    case group = 1
    case reserved2 = 2
    case reserved3 = 3
}
