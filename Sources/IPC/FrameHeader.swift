/// The 8 bytes in front of every frame: magic `"MS"` u16 · kind u8 · flags u8 · payload
/// length u32, little-endian. Identical in every protocol version.
public struct FrameHeader: Hashable, Sendable {
    public var kind: FrameKind
    public var flags: FrameFlags
    public var payloadLength: Int

    public init(kind: FrameKind, flags: FrameFlags = [], payloadLength: Int) {
        self.kind = kind
        self.flags = flags
        self.payloadLength = payloadLength
    }

    /// Parses and checks the header of one received datagram: size limits, magic, kind, flags
    /// valid for that kind, and that the declared length is exactly the datagram's remainder.
    public init(validating frame: UnsafeRawBufferPointer) throws(FrameError) {
        guard frame.count <= WireFormat.maximumFrameSize else {
            throw .oversized(byteCount: frame.count, maximum: WireFormat.maximumFrameSize)
        }
        guard frame.count >= 2 else {
            throw .truncated(what: "frame header", needed: WireFormat.headerSize, available: frame.count)
        }
        var reader = ByteReader(frame)
        let magic = try reader.u16("frame magic")
        guard magic == WireFormat.magic else { throw .badMagic(magic) }
        guard frame.count >= WireFormat.headerSize else {
            throw .truncated(what: "frame header", needed: WireFormat.headerSize, available: frame.count)
        }
        let rawKind = try reader.u8("frame kind")
        guard let kind = FrameKind(rawValue: rawKind) else { throw .unknownKind(rawKind) }
        let rawFlags = try reader.u8("frame flags")
        let flags = FrameFlags(rawValue: rawFlags)
        // Single flags, not array literals: an unoptimised build allocates an array for those,
        // once per received frame.
        let allowed: FrameFlags = kind.isFragmentable ? .moreFragments
            : kind == .umpBatch ? .reportRequested : FrameFlags()
        guard allowed.isSuperset(of: flags) else { throw .invalidFlags(kind: rawKind, flags: rawFlags) }
        let declared = Int(try reader.u32("payload length"))
        guard declared == reader.remaining else {
            throw .lengthMismatch(declared: declared, actual: reader.remaining)
        }
        self.kind = kind
        self.flags = flags
        self.payloadLength = declared
    }

    /// Writes the header into the first 8 bytes of `buffer`.
    public func write(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= WireFormat.headerSize, "frame buffer smaller than a header")
        buffer.storeBytes(of: WireFormat.magic.littleEndian, toByteOffset: 0, as: UInt16.self)
        buffer.storeBytes(of: kind.rawValue, toByteOffset: 2, as: UInt8.self)
        buffer.storeBytes(of: flags.rawValue, toByteOffset: 3, as: UInt8.self)
        buffer.storeBytes(of: UInt32(truncatingIfNeeded: payloadLength).littleEndian, toByteOffset: 4, as: UInt32.self)
    }

    var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: WireFormat.headerSize)
        out.withUnsafeMutableBytes { write(into: $0) }
        return out
    }
}
