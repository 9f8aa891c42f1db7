/// Value resolution changes between MIDI 1.0 and MIDI 2.0 (M2-104-UM Appendix D, "Min-Center-Max"
/// scaling). Up-scaling keeps the minimum, the centre and the maximum exact: values at or below
/// the centre are shifted left; values above it are shifted and the bits below the centre bit
/// are repeated into the new low bits, so the maximum becomes all ones. Down-scaling is a plain
/// right shift, which makes every down(up(x)) == x.
public enum MIDIValueScaling {
    /// Scales `value` of `sourceBits` up to `destinationBits` (1 < sourceBits < destinationBits ≤ 32).
    @inlinable
    public static func scaleUp(_ value: UInt32, from sourceBits: Int, to destinationBits: Int) -> UInt32 {
        precondition(sourceBits > 1 && sourceBits < destinationBits && destinationBits <= 32,
                     "scaleUp from \(sourceBits) to \(destinationBits) bits")
        let scaleBits = UInt32(destinationBits - sourceBits)
        let source = value & ((1 << UInt32(sourceBits)) &- 1)
        let shifted = source << scaleBits
        let centre: UInt32 = 1 << UInt32(sourceBits - 1)
        if source <= centre { return shifted }
        // Repeat the bits below the centre bit into the vacated low bits.
        let repeatBits = UInt32(sourceBits - 1)
        var repeatValue = source & ((1 << repeatBits) - 1)
        if scaleBits > repeatBits {
            repeatValue <<= scaleBits - repeatBits
        } else {
            repeatValue >>= repeatBits - scaleBits
        }
        var result = shifted
        while repeatValue != 0 {
            result |= repeatValue
            repeatValue >>= repeatBits
        }
        return result
    }

    /// Scales `value` of `sourceBits` down to `destinationBits` by dropping low bits.
    @inlinable
    public static func scaleDown(_ value: UInt32, from sourceBits: Int, to destinationBits: Int) -> UInt32 {
        precondition(destinationBits > 0 && destinationBits < sourceBits && sourceBits <= 32,
                     "scaleDown from \(sourceBits) to \(destinationBits) bits")
        return value >> UInt32(sourceBits - destinationBits)
    }

    /// 7-bit velocity → 16-bit.
    @inlinable public static func upscale7To16(_ value: UInt8) -> UInt16 {
        UInt16(truncatingIfNeeded: scaleUp(UInt32(value), from: 7, to: 16))
    }
    /// 7-bit controller/pressure → 32-bit.
    @inlinable public static func upscale7To32(_ value: UInt8) -> UInt32 { scaleUp(UInt32(value), from: 7, to: 32) }
    /// 14-bit pitch bend / RPN data → 32-bit.
    @inlinable public static func upscale14To32(_ value: UInt16) -> UInt32 { scaleUp(UInt32(value), from: 14, to: 32) }
    /// 16-bit velocity → 7-bit.
    @inlinable public static func downscale16To7(_ value: UInt16) -> UInt8 { UInt8(value >> 9) }
    /// 32-bit value → 7-bit.
    @inlinable public static func downscale32To7(_ value: UInt32) -> UInt8 { UInt8(value >> 25) }
    /// 32-bit value → 14-bit.
    @inlinable public static func downscale32To14(_ value: UInt32) -> UInt16 { UInt16(value >> 18) }
}
