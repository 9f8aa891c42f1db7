// Small internal helpers shared by the message files: bit-field access and hex formatting
// without Foundation (the module imports nothing so that it stays usable on every hot path).

extension UInt32 {
    /// `width` bits starting at bit `shift` (bit 0 = least significant).
    @inlinable @inline(__always)
    func field(_ shift: UInt32, _ width: UInt32) -> UInt32 {
        (self >> shift) & ((1 << width) - 1)
    }

    /// Byte `index` of the word, 0 = most significant (the order the spec's figures use).
    @inlinable @inline(__always)
    func byte(_ index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: self >> UInt32(24 - 8 * index))
    }
}

extension UMPPacket {
    /// Byte `index` (0…15) of the packet, in the big-endian order of the spec's figures.
    @inlinable
    func byte(at index: Int) -> UInt8 {
        self[index >> 2].byte(index & 3)
    }

    /// Sets byte `index` (0…15), big-endian order.
    @inlinable
    mutating func setByte(at index: Int, _ value: UInt8) {
        let shift = UInt32(24 - 8 * (index & 3))
        let word = self[index >> 2]
        self[index >> 2] = (word & ~(0xFF << shift)) | (UInt32(value) << shift)
    }
}

/// Hex formatting for descriptions, e.g. `hex(0x2C, width: 2)` → `"2C"`.
@usableFromInline
func hex<T: BinaryInteger>(_ value: T, width: Int) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
