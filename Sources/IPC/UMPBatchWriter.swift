import UMP

/// Layout of a UMP batch payload (after the 8-byte header):
///
///     connection handle u32 · message count u32 · count × (timestamp u64 · 1–4 words u32)
///
/// little-endian, packed (timestamps are not 8-aligned after odd word counts; readers use
/// unaligned loads). The word count of each message is implied by the type nibble of its first
/// word, exactly as in UMP itself.
public enum UMPBatchLayout {
    /// connection + count.
    public static let prefixSize = 8
    /// Offset of the first message within the frame.
    public static let firstMessageOffset = WireFormat.headerSize + prefixSize
    /// Timestamp + at least one word.
    public static let minimumMessageSize = 12
    /// The most messages one maximum-size frame can carry (all one-word messages).
    public static let maximumMessageCount = (WireFormat.maximumFrameSize - firstMessageOffset) / minimumMessageSize

    /// Bytes a message occupies in a batch.
    @inlinable public static func encodedSize(of packet: UMPPacket) -> Int { 8 + 4 * packet.wordCount }
}

/// Encodes timestamped UMP into a caller-owned buffer, in place, without allocating: append
/// until it returns `false` (frame full), `finish()` to stamp header and count, send the bytes,
/// `reset` and go on. The buffer must stay valid while the writer is used.
public struct UMPBatchWriter {
    public let buffer: UnsafeMutableRawBufferPointer
    public private(set) var connection: ConnectionHandle
    public var flags: FrameFlags
    @usableFromInline var storedCount: Int = 0
    @usableFromInline var storedByteCount: Int = UMPBatchLayout.firstMessageOffset

    /// Messages appended since the last reset.
    @inlinable public var count: Int { storedCount }
    /// Bytes of the frame so far, header included.
    @inlinable public var byteCount: Int { storedByteCount }

    /// - Parameter buffer: at least `UMPBatchLayout.firstMessageOffset + 12` bytes; only the
    ///   first `WireFormat.maximumFrameSize` are used.
    public init(buffer: UnsafeMutableRawBufferPointer, connection: ConnectionHandle, flags: FrameFlags = []) {
        precondition(buffer.count >= UMPBatchLayout.firstMessageOffset + UMPBatchLayout.minimumMessageSize,
                     "UMP batch buffer too small")
        self.buffer = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, WireFormat.maximumFrameSize)])
        self.connection = connection
        self.flags = flags
    }

    public init(_ storage: FrameBuffer, connection: ConnectionHandle, flags: FrameFlags = []) {
        self.init(buffer: storage.bytes, connection: connection, flags: flags)
    }

    public var isEmpty: Bool { count == 0 }

    /// Bytes still free for messages.
    @inlinable public var remainingCapacity: Int { buffer.count - storedByteCount }

    /// Appends one message; `false` (and nothing written) when it does not fit.
    @inlinable
    public mutating func append(timestamp: UInt64, packet: UMPPacket) -> Bool {
        let size = UMPBatchLayout.encodedSize(of: packet)
        guard remainingCapacity >= size else { return false }
        var offset = storedByteCount
        buffer.storeBytes(of: timestamp.littleEndian, toByteOffset: offset, as: UInt64.self)
        offset += 8
        for index in 0..<packet.wordCount {
            buffer.storeBytes(of: packet[index].littleEndian, toByteOffset: offset, as: UInt32.self)
            offset += 4
        }
        storedByteCount = offset
        storedCount += 1
        return true
    }

    @inlinable
    public mutating func append(_ message: TimestampedUMP) -> Bool {
        append(timestamp: message.timestamp, packet: message.packet)
    }

    /// Appends messages from the start of `messages` for as long as they fit; returns how many
    /// were appended (fewer than `messages.count` only when the frame is full). The loop of a
    /// daemon forwarding a frame: while 24 bytes are free, a message's timestamp and all four
    /// words are stored unconditionally and the end moved by its real size (the words past it
    /// are overwritten by the next message or lie beyond the frame's end); only the last few
    /// messages of a frame take the exact path.
    @inlinable
    public mutating func append(contentsOf messages: UnsafeBufferPointer<TimestampedUMP>) -> Int {
        var index = 0
        var offset = storedByteCount
        // While there is room for the largest message (8 + 16 bytes).
        while index < messages.count && buffer.count - offset >= 24 {
            let message = messages[index]
            buffer.storeBytes(of: message.timestamp.littleEndian, toByteOffset: offset, as: UInt64.self)
            buffer.storeBytes(of: message.packet.word0.littleEndian, toByteOffset: offset + 8, as: UInt32.self)
            buffer.storeBytes(of: message.packet.word1.littleEndian, toByteOffset: offset + 12, as: UInt32.self)
            buffer.storeBytes(of: message.packet.word2.littleEndian, toByteOffset: offset + 16, as: UInt32.self)
            buffer.storeBytes(of: message.packet.word3.littleEndian, toByteOffset: offset + 20, as: UInt32.self)
            offset += UMPBatchLayout.encodedSize(of: message.packet)
            index += 1
        }
        storedByteCount = offset
        storedCount += index
        // The frame's last bytes: exactly.
        while index < messages.count && append(messages[index]) { index += 1 }
        return index
    }

    /// Writes header, connection and count; returns the complete frame (valid until the next
    /// append or reset).
    public mutating func finish() -> UnsafeRawBufferPointer {
        FrameHeader(kind: .umpBatch, flags: flags, payloadLength: byteCount - WireFormat.headerSize)
            .write(into: buffer)
        buffer.storeBytes(of: connection.rawValue.littleEndian, toByteOffset: WireFormat.headerSize, as: UInt32.self)
        buffer.storeBytes(of: UInt32(count).littleEndian, toByteOffset: WireFormat.headerSize + 4, as: UInt32.self)
        return UnsafeRawBufferPointer(rebasing: buffer[0..<byteCount])
    }

    /// Empties the batch, optionally for another connection.
    public mutating func reset(connection: ConnectionHandle? = nil, flags: FrameFlags? = nil) {
        if let connection { self.connection = connection }
        if let flags { self.flags = flags }
        storedCount = 0
        storedByteCount = UMPBatchLayout.firstMessageOffset
    }
}
