@testable import MIDIDaemon
import Testing

/// Where the sequencer path cuts the byte stream when the card's buffer has less room than
/// there is to send: before a status byte, so another program's event never lands inside one of
/// our messages — except inside a SysEx longer than the room.
@Suite struct USBSequencerOutputTests {
    func cut(_ bytes: [UInt8], _ limit: Int) -> Int {
        bytes.withUnsafeBytes { USBSequencerOutput.messageBoundary(in: $0, atMost: limit) }
    }

    @Test func cutsBeforeTheLastMessageThatDoesNotFit() {
        let notes: [UInt8] = [0x90, 60, 64, 0x90, 62, 65, 0x80, 60, 0]
        #expect(cut(notes, 8) == 6)
        #expect(cut(notes, 6) == 6)
        #expect(cut(notes, 5) == 3)
        #expect(cut(notes, 3) == 3)
    }

    @Test func aShortMessageThatDoesNotFitWaits() {
        #expect(cut([0x90, 60, 64, 0x90], 2) == 0)
        #expect(cut([0xC0, 5, 0x90], 1) == 0)
    }

    @Test func realTimeBytesDoNotStartAMessage() {
        // F8 inside a note is not a boundary; the note on at index 0 is one message of 4 bytes.
        #expect(cut([0x90, 60, 0xF8, 64, 0x90, 1, 2], 3) == 0)
        #expect(cut([0x90, 60, 0xF8, 64, 0x90, 1, 2], 5) == 4)
    }

    @Test func aLongSysExIsCutWhereTheRoomEnds() {
        let sysex: [UInt8] = [0xF0] + Array(repeating: 0x11, count: 100) + [0xF7, 0x90, 1, 2]
        #expect(cut(sysex, 50) == 50)
        // Its continuation (data bytes first) too.
        #expect(cut(Array(sysex[50...]), 20) == 20)
        // F7 ends the SysEx, it starts nothing: the next boundary is the note after it.
        #expect(cut(sysex, 102) == 102)
        #expect(cut(sysex, 103) == 102)
        #expect(cut(sysex, 101) == 101)
    }
}
