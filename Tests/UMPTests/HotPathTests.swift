import Testing
@testable import UMP

/// The hot-path types hold no references: copying, decoding and parsing them cannot allocate
/// or retain (a "plain old data" type has no heap storage at all).
@Suite struct HotPathTests {
    @Test func hotPathTypesArePlainData() {
        #expect(_isPOD(UMPPacket.self))
        #expect(_isPOD(UMPMessage.self))
        #expect(_isPOD(UMPPacketBytes.self))
        #expect(_isPOD(MIDI1StreamParser.self))
        #expect(_isPOD(MIDI2ToMIDI1Translator.self))
    }

    @Test func parserStateIsSmall() {
        // Inline state only: a few bytes plus two words of pending SysEx.
        #expect(MemoryLayout<MIDI1StreamParser>.size <= 24)
    }
}
