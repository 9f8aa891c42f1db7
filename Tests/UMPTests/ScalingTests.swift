import Testing
@testable import UMP

/// Min-centre-max scaling, M2-104-UM Appendix D; vectors from docs/design.md §5.
@Suite struct ScalingTests {
    @Test func designVectors7To16() {
        #expect(MIDIValueScaling.upscale7To16(0x00) == 0x0000)
        #expect(MIDIValueScaling.upscale7To16(0x40) == 0x8000)
        #expect(MIDIValueScaling.upscale7To16(0x41) == 0x8208)
        #expect(MIDIValueScaling.upscale7To16(0x7F) == 0xFFFF)
    }

    @Test func designVectors7To32And14To32() {
        #expect(MIDIValueScaling.upscale7To32(0x41) == 0x8208_2082)
        #expect(MIDIValueScaling.upscale7To32(0x40) == 0x8000_0000)
        #expect(MIDIValueScaling.upscale7To32(0x7F) == 0xFFFF_FFFF)
        #expect(MIDIValueScaling.upscale14To32(0x2001) == 0x8004_0020)
        #expect(MIDIValueScaling.upscale14To32(0x2000) == 0x8000_0000)
        #expect(MIDIValueScaling.upscale14To32(0x3FFF) == 0xFFFF_FFFF)
        #expect(MIDIValueScaling.upscale14To32(0x0000) == 0)
    }

    @Test func downScalingIsARightShift() {
        #expect(MIDIValueScaling.downscale16To7(0x8208) == 0x41)
        #expect(MIDIValueScaling.downscale16To7(0x01FF) == 0x00)
        #expect(MIDIValueScaling.downscale32To7(0xFFFF_FFFF) == 0x7F)
        #expect(MIDIValueScaling.downscale32To14(0x8004_0020) == 0x2001)
        #expect(MIDIValueScaling.scaleDown(0xABCD, from: 16, to: 8) == 0xAB)
    }

    @Test func every7BitValueSurvivesUpAndDown() {
        var previous16: UInt16? = nil
        for v in UInt8(0)...0x7F {
            let up16 = MIDIValueScaling.upscale7To16(v)
            let up32 = MIDIValueScaling.upscale7To32(v)
            #expect(MIDIValueScaling.downscale16To7(up16) == v)
            #expect(MIDIValueScaling.downscale32To7(up32) == v)
            // Monotonic: a louder MIDI 1.0 velocity is never quieter after scaling.
            if let previous16 { #expect(up16 > previous16) }
            previous16 = up16
        }
    }

    @Test func every14BitValueSurvivesUpAndDown() {
        var failures = 0
        var previous: UInt32? = nil
        for v in UInt16(0)...0x3FFF {
            let up = MIDIValueScaling.upscale14To32(v)
            if MIDIValueScaling.downscale32To14(up) != v { failures += 1 }
            if let previous, up <= previous { failures += 1 }
            previous = up
        }
        #expect(failures == 0)
    }

    @Test func genericScaleUpMatchesTheSpecificHelpers() {
        for v in UInt32(0)...0x7F {
            #expect(MIDIValueScaling.scaleUp(v, from: 7, to: 16) == UInt32(MIDIValueScaling.upscale7To16(UInt8(v))))
        }
        // Values at or below the centre are a plain shift.
        #expect(MIDIValueScaling.scaleUp(0x20, from: 7, to: 16) == 0x20 << 9)
    }
}
