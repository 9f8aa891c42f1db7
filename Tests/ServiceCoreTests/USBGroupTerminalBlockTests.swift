import Testing
@testable import ServiceCore

@Suite struct USBGroupTerminalBlockTests {
    typealias Spec = USBGroupTerminalBlockSpec

    @Test func twoInputsTwoOutputs() {
        let layout = USBGroupTerminalBlockLayout(
            inputSubstreamNames: ["Synth MIDI 1", "Synth MIDI 2"],
            outputSubstreamNames: ["Synth MIDI 1", "Synth MIDI 2"])
        #expect(layout.blocks == [
            Spec(number: 1, direction: .blockOutput, groupIndex: 0, name: "Synth MIDI 1"),
            Spec(number: 2, direction: .blockOutput, groupIndex: 1, name: "Synth MIDI 2"),
            Spec(number: 3, direction: .blockInput, groupIndex: 0, name: "Synth MIDI 1"),
            Spec(number: 4, direction: .blockInput, groupIndex: 1, name: "Synth MIDI 2"),
        ])
        #expect(layout.blocks.allSatisfy { $0.groupCount == 1 })
        #expect(layout.unmappedInputCount == 0 && layout.unmappedOutputCount == 0)
    }

    @Test func oneInputThreeOutputs() {
        let layout = USBGroupTerminalBlockLayout(
            inputSubstreamNames: ["In A"],
            outputSubstreamNames: ["Out A", "Out B", "Out C"])
        #expect(layout.inputBlocks.map(\.groupIndex) == [0])
        #expect(layout.inputBlocks.map(\.name) == ["In A"])
        #expect(layout.outputBlocks.map(\.groupIndex) == [0, 1, 2])
        #expect(layout.outputBlocks.map(\.name) == ["Out A", "Out B", "Out C"])
        #expect(layout.outputBlocks.allSatisfy { $0.direction == .blockInput })
        #expect(layout.blocks.map(\.number) == [1, 2, 3, 4])
    }

    @Test func noSubstreamsNoBlocks() {
        #expect(USBGroupTerminalBlockLayout(inputSubstreamNames: [], outputSubstreamNames: []).blocks.isEmpty)
    }

    @Test func moreThanSixteenPerDirectionAreCountedNotMapped() {
        let names = (1...18).map { "Port \($0)" }
        let layout = USBGroupTerminalBlockLayout(inputSubstreamNames: names, outputSubstreamNames: ["Out"])
        #expect(layout.inputBlocks.count == 16)
        #expect(layout.inputBlocks.last?.groupIndex == 15)
        #expect(layout.unmappedInputCount == 2)
        #expect(layout.outputBlocks.map(\.groupIndex) == [0])
    }
}
