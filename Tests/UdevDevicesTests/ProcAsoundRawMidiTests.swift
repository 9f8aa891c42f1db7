import Testing
@testable import UdevDevices

@Suite struct ProcAsoundRawMidiTests {
    @Test func twoByTwo() throws {
        let info = try ProcAsoundRawMidi(parsing: Captured.procRawMidi2x2)
        #expect(info.name == "Test Synth")
        #expect(info.outputs == [0, 1])
        #expect(info.inputs == [0, 1])
    }

    @Test func oneInThreeOutWithAnOpenSubstream() throws {
        let info = try ProcAsoundRawMidi(parsing: Captured.procRawMidi1in3outOpen)
        #expect(info.name == "Synth g1")
        #expect(info.outputs == [0, 1, 2])
        #expect(info.inputs == [0])
    }

    @Test func outputOnlyDevice() throws {
        let info = try ProcAsoundRawMidi(parsing: "Out Only\n\nOutput 0\n  Tx bytes     : 0\n")
        #expect(info.outputs == [0])
        #expect(info.inputs.isEmpty)
    }

    @Test func emptyTextIsAnError() {
        #expect(throws: ProcAsoundRawMidi.ParseError.empty) { try ProcAsoundRawMidi(parsing: "") }
        #expect(throws: ProcAsoundRawMidi.ParseError.empty) { try ProcAsoundRawMidi(parsing: "  \nOutput 0\n") }
    }

    @Test func aMalformedHeaderSaysWhere() {
        #expect(throws: ProcAsoundRawMidi.ParseError.malformedSubstreamLine(line: 3, text: "Output x")) {
            try ProcAsoundRawMidi(parsing: "Name\n\nOutput x\n")
        }
    }
}
