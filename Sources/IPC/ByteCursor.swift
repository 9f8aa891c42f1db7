/// Bounds-checked little-endian reads from an untrusted frame. Every read names what it was
/// reading, so a rejection says which field was short. The name is an autoclosure, built only
/// when a read fails: a caller interpolating a count into it (`"UMP batch of \(n) messages"`)
/// must not allocate a String for every frame that is fine.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    /// Advances past `count` bytes the caller has already bounds-checked.
    mutating func skip(_ count: Int) { offset += count }

    mutating func require(_ count: Int, _ what: @autoclosure () -> String) throws(FrameError) {
        guard count >= 0, remaining >= count else {
            throw .truncated(what: what(), needed: count, available: remaining)
        }
    }

    mutating func u8(_ what: @autoclosure () -> String) throws(FrameError) -> UInt8 {
        try require(1, what())
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16(_ what: @autoclosure () -> String) throws(FrameError) -> UInt16 {
        try require(2, what())
        defer { offset += 2 }
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    mutating func u32(_ what: @autoclosure () -> String) throws(FrameError) -> UInt32 {
        try require(4, what())
        defer { offset += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    mutating func u64(_ what: @autoclosure () -> String) throws(FrameError) -> UInt64 {
        try require(8, what())
        defer { offset += 8 }
        return UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// The next `count` bytes, as a slice of the frame (no copy).
    mutating func bytes(_ count: Int, _ what: @autoclosure () -> String) throws(FrameError) -> UnsafeRawBufferPointer {
        try require(count, what())
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + count)])
    }

    /// Everything left.
    mutating func rest() -> UnsafeRawBufferPointer {
        defer { offset = bytes.count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset...])
    }

    /// A `u16` length followed by that many UTF-8 bytes, at most `maximum` of them.
    mutating func string(_ what: @autoclosure () -> String, maximum: Int) throws(FrameError) -> String {
        let length = Int(try u16("\(what()) length"))
        guard length <= maximum else {
            throw .invalidText(field: what(), reason: "\(length) bytes long, at most \(maximum) allowed")
        }
        let raw = try bytes(length, what())
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw .invalidText(field: what(), reason: "not valid UTF-8")
        }
        return text
    }

    func expectEnd(_ what: @autoclosure () -> String) throws(FrameError) {
        guard remaining == 0 else { throw .trailingBytes(what: what(), count: remaining) }
    }
}

/// Little-endian appends for control frames (which may allocate; the UMP hot path uses
/// `UMPBatchWriter` instead).
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 64) { bytes.reserveCapacity(capacity) }

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func append<C: Collection>(_ raw: C) where C.Element == UInt8 { bytes.append(contentsOf: raw) }

    /// `u16` length + UTF-8; the caller has already bounded the length.
    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        u16(UInt16(clamping: utf8.count))
        bytes.append(contentsOf: utf8.prefix(Int(UInt16.max)))
    }
}

extension String {
    /// The longest prefix of whole characters whose UTF-8 fits in `maximumBytes`.
    func truncatedToUTF8(_ maximumBytes: Int) -> String {
        guard utf8.count > maximumBytes else { return self }
        var result = ""
        var used = 0
        for character in self {
            let size = character.utf8.count
            if used + size > maximumBytes { break }
            result.append(character)
            used += size
        }
        return result
    }
}

/// `Array.withUnsafeBytes` is `rethrows`, which erases a typed error; this keeps it.
func withBytes<R, E: Error>(of array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
    var result: Result<R, E>?
    array.withUnsafeBytes { raw in
        result = Result { () throws(E) -> R in try body(raw) }
    }
    return try result!.get()   // withUnsafeBytes always runs its closure
}
