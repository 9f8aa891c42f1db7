import UMP

/// A validated view of one received UMP batch frame, read in place: no copy, no allocation.
/// The initializer checks the whole frame — header, count, every message's extent, no trailing
/// bytes — before any message is handed out, so a malformed batch delivers nothing.
/// Valid only while the frame's bytes are.
public struct UMPBatchReader: Sequence {
    public let connection: ConnectionHandle
    public let count: Int
    public let flags: FrameFlags
    @usableFromInline let messages: UnsafeRawBufferPointer

    /// Validates a whole datagram (header included).
    public init(frame: UnsafeRawBufferPointer) throws(FrameError) {
        let header = try FrameHeader(validating: frame)
        guard header.kind == .umpBatch else {
            throw .unexpected(kind: header.kind.rawValue, state: "where a UMP batch was expected")
        }
        try self.init(header: header, frame: frame)
    }

    /// Validates the payload of a datagram whose header was already validated.
    public init(header: FrameHeader, frame: UnsafeRawBufferPointer) throws(FrameError) {
        try self.init(header: header, frame: frame, storage: nil)
    }

    /// Validates the payload and, in the same pass, copies every message into `destination`
    /// (the daemon's path: one walk over the frame instead of a check and then a decode). On
    /// a malformed frame it throws; what was copied so far must then be ignored. A frame
    /// holding more messages than `destination` has room for is refused as invalid.
    public init(header: FrameHeader, frame: UnsafeRawBufferPointer,
                decodingInto destination: UnsafeMutableBufferPointer<TimestampedUMP>) throws(FrameError) {
        try self.init(header: header, frame: frame, storage: destination)
    }

    @inline(__always)
    private init(header: FrameHeader, frame: UnsafeRawBufferPointer,
                 storage: UnsafeMutableBufferPointer<TimestampedUMP>?) throws(FrameError) {
        var reader = ByteReader(frame, offset: WireFormat.headerSize)
        let connection = try reader.u32("UMP batch connection handle")
        let declaredCount = Int(try reader.u32("UMP batch message count"))
        // Reject impossible counts before walking: each message needs at least 12 bytes.
        guard declaredCount <= reader.remaining / UMPBatchLayout.minimumMessageSize else {
            throw .invalidBatch(reason: "count \(declaredCount) cannot fit in \(reader.remaining) bytes")
        }
        if let storage, declaredCount > storage.count {
            throw .invalidBatch(reason: "\(declaredCount) messages, more than the \(storage.count) there is room for")
        }
        let start = reader.offset
        // While 24 bytes remain, the next message fits whatever its size (at most 8 + 16
        // bytes): no bounds check per message — all but the last few messages of a frame. A
        // throughput run's daemon spent about a third of its per-message instructions here.
        var first = 0
        var offset = start
        if let storage {
            while first < declaredCount && frame.count - offset >= 24 {
                let word0 = UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
                let size = 8 + 4 * UMPMessageType.wordCount(forWord0: word0)
                storage[first] = Self.message(at: offset, in: frame, word0: word0, size: size)
                offset += size
                first += 1
            }
        } else {
            while first < declaredCount && frame.count - offset >= 24 {
                let word0 = UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
                offset += 8 + 4 * UMPMessageType.wordCount(forWord0: word0)
                first += 1
            }
        }
        reader.skip(offset - start)
        for index in first..<declaredCount {
            // Plain integer checks: the description string is built only when throwing, so a
            // valid batch costs no allocation per message.
            let available = reader.remaining
            guard available >= UMPBatchLayout.minimumMessageSize else {
                throw .truncated(what: "UMP batch message \(index)", needed: UMPBatchLayout.minimumMessageSize,
                                 available: available)
            }
            let offset = reader.offset
            let word0 = UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
            let size = 8 + 4 * UMPMessageType.wordCount(forWord0: word0)
            guard available >= size else {
                throw .invalidBatch(reason: "message \(index) needs \(size) bytes, \(available) left")
            }
            if let storage { storage[index] = Self.message(at: offset, in: frame, word0: word0, size: size) }
            reader.skip(size)
        }
        try reader.expectEnd("UMP batch of \(declaredCount) messages")
        self.connection = ConnectionHandle(connection)
        self.count = declaredCount
        self.flags = header.flags
        self.messages = UnsafeRawBufferPointer(rebasing: frame[start...])
    }

    public var reportRequested: Bool { flags.contains(.reportRequested) }

    public struct Iterator: IteratorProtocol {
        @usableFromInline let bytes: UnsafeRawBufferPointer
        @usableFromInline var offset = 0

        @usableFromInline init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        /// Bounds were checked by the reader's initializer; the guards below only keep a
        /// hand-built iterator from reading past the end.
        @inlinable @inline(__always)
        public mutating func next() -> TimestampedUMP? {
            let available = bytes.count - offset
            guard available >= UMPBatchLayout.minimumMessageSize else { return nil }
            let word0 = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
            let size = 8 + 4 * UMPMessageType.wordCount(forWord0: word0)
            guard available >= size else { return nil }
            let message = UMPBatchReader.message(at: offset, in: bytes, word0: word0, size: size)
            offset += size
            return message
        }
    }

    /// The message at `offset`, whose first word and size were read and bounds-checked by the
    /// caller. While 24 bytes remain (all but the last messages of a frame) the four word
    /// slots are loaded unconditionally and `UMPPacket.init` clears the ones past the
    /// message's size: no branch per word.
    @inlinable @inline(__always)
    static func message(at offset: Int, in bytes: UnsafeRawBufferPointer, word0: UInt32, size: Int) -> TimestampedUMP {
        let timestamp = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
        if bytes.count - offset >= 24 {
            return TimestampedUMP(timestamp: timestamp, packet: UMPPacket(
                word0,
                UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)),
                UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self)),
                UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 20, as: UInt32.self))))
        }
        var packet = UMPPacket(word0)
        var index = 1
        while 8 + 4 * index < size {
            packet[index] = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8 + 4 * index, as: UInt32.self))
            index += 1
        }
        return TimestampedUMP(timestamp: timestamp, packet: packet)
    }

    public func makeIterator() -> Iterator { Iterator(bytes: messages) }

    public var underestimatedCount: Int { count }

    /// Copies up to `destination.count` messages into caller-owned storage; returns how many.
    public func decode(into destination: UnsafeMutableBufferPointer<TimestampedUMP>) -> Int {
        var written = 0
        var iterator = makeIterator()
        while written < destination.count, let message = iterator.next() {
            destination[written] = message
            written += 1
        }
        return written
    }
}
