@testable import ALSASequencer
import Foundation
import Testing

/// `RawMIDIProcStatus` reads the state of a rawmidi output that snd-seq-midi holds for the USB
/// transport (its only flow control). The text is what kernel 6.1 prints for a USB card with
/// two outputs, the first opened (`snd_rawmidi_proc_info_read`).
@Suite struct RawMIDIProcStatusTests {
    static let sample = """
    Test Synth

    Output 0
      Tx bytes     : 6010
      Owner PID    : 321
      Mode         : native
      Buffer size  : 4096
      Avail        : 3000

    Output 1
      Tx bytes     : 0

    Input 0
      Rx bytes     : 12
      Owner PID    : 321
      Buffer size  : 4096
      Avail        : 0
      Overruns     : 0

    """

    func parse(_ text: String, _ subdevice: Int) -> RawMIDIProcStatus.OutputBuffer? {
        Array(text.utf8).withUnsafeBytes { RawMIDIProcStatus.parseOutput($0, subdevice: subdevice) }
    }

    @Test func anOpenOutputShowsItsSizeAndRoom() {
        let buffer = parse(Self.sample, 0)
        #expect(buffer == RawMIDIProcStatus.OutputBuffer(size: 4096, available: 3000))
        #expect(buffer?.pending == 1096)
    }

    @Test func aClosedOutputOrAMissingOneHasNoState() {
        #expect(parse(Self.sample, 1) == nil)
        #expect(parse(Self.sample, 2) == nil)
        // The input section's numbers are not taken for an output.
        #expect(parse("Input 0\n  Buffer size  : 4096\n  Avail        : 10\n", 0) == nil)
    }

    @Test func outputTenIsNotOutputOne() {
        let text = "Output 10\n  Buffer size  : 4096\n  Avail        : 1\n\nOutput 1\n  Buffer size  : 4096\n  Avail        : 4000\n"
        #expect(parse(text, 1)?.available == 4000)
        #expect(parse(text, 10)?.available == 1)
    }

    func section(_ text: String, input: Bool, _ subdevice: Int) -> RawMIDIProcStatus.Section {
        Array(text.utf8).withUnsafeBytes { RawMIDIProcStatus.parseSection($0, input: input, subdevice: subdevice) }
    }

    @Test func theOwnerOfAnOpenSubstreamInEitherDirection() {
        #expect(section(Self.sample, input: true, 0).ownerPID == 321)
        #expect(section(Self.sample, input: false, 0).ownerPID == 321)
        // Closed, or absent: no owner.
        #expect(section(Self.sample, input: false, 1).ownerPID == nil)
        #expect(section(Self.sample, input: true, 1).ownerPID == nil)
        // Input 0's numbers are its own, not Output 0's.
        #expect(section(Self.sample, input: true, 0) == RawMIDIProcStatus.Section(ownerPID: 321, size: 4096, available: 0))
    }

    @Test func describesTheOwnerByItsCommandName() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("procowner-\(getpid())")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("card2"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("321"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.sample.write(to: root.appendingPathComponent("card2/midi0"), atomically: true, encoding: .utf8)
        try "amidi\n".write(to: root.appendingPathComponent("321/comm"), atomically: true, encoding: .utf8)
        let status = RawMIDIProcStatus(card: 2, device: 0, root: root.path)
        #expect(status.describeOwner(input: true, subdevice: 0, procRoot: root.path) == "pid 321 (amidi)")
        #expect(status.describeOwner(input: false, subdevice: 1, procRoot: root.path) == nil)
        // The process has gone: the pid alone.
        try FileManager.default.removeItem(at: root.appendingPathComponent("321"))
        #expect(status.describeOwner(input: true, subdevice: 0, procRoot: root.path) == "pid 321")
    }

    @Test func readsTheFileAndSaysNilForAMissingCard() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("procstatus-\(getpid())")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("card3"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try Self.sample.write(to: root.appendingPathComponent("card3/midi0"), atomically: true, encoding: .utf8)
        let status = RawMIDIProcStatus(card: 3, device: 0, root: root.path)
        #expect(status.output(subdevice: 0)?.available == 3000)
        #expect(RawMIDIProcStatus(card: 4, device: 0, root: root.path).output(subdevice: 0) == nil)
    }
}
