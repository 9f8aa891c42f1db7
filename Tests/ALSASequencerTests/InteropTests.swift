import ALSASequencer
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The wrapper against alsa-utils' own programs: what legacy software sees.
@Suite(.needsSequencer) struct InteropTests {
    /// A format-0 Standard MIDI File: note on C4 velocity 100, control change 7 = 90, note off.
    static let smf: [UInt8] = [
        0x4D, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 0, 0, 1, 0, 96,   // MThd, format 0, 1 track, 96 ppq
        0x4D, 0x54, 0x72, 0x6B, 0, 0, 0, 16,                   // MTrk, 16 bytes
        0x00, 0x90, 0x3C, 0x64,
        0x00, 0xB0, 0x07, 0x5A,
        0x01, 0x80, 0x3C, 0x40,
        0x00, 0xFF, 0x2F, 0x00,
    ]

    @Test("aplaymidi plays a file into a wrapper port")
    func aplaymidiToWrapper() throws {
        let receiver = try SequencerClient(name: uniqueName("KT Aplay"))
        try receiver.createPort(PortID(0), name: "in")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kt-\(getpid()).mid")
        try Data(Self.smf).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        _ = try run("/usr/bin/aplaymidi", ["-p", receiver.address(of: PortID(0)).description, file.path])
        let expected: [SequencerEvent] = [
            .noteOn(channel: 0, note: 60, velocity: 100),
            .controlChange(channel: 0, controller: 7, value: 90),
            .noteOff(channel: 0, note: 60, velocity: 64),
        ]
        let events = try receiver.collect(what: "aplaymidi's three events") { received in
            received.contains { $0.event == expected.last }
        }
        let midi = events.map(\.event).filter { expected.contains($0) }
        #expect(midi == expected)
    }

    @Test("aseqdump prints what a wrapper port sends")
    func wrapperToAseqdump() throws {
        let watcher = try SequencerClient(name: uniqueName("KT DumpWatch"))
        try watcher.createPort(PortID(0), name: "announce", capabilities: [.write, .noExport], type: .application)
        try watcher.subscribeToAnnouncements(on: PortID(0))
        let sender = try SequencerClient(name: uniqueName("KT Dump"))
        try sender.createPort(PortID(0), name: "out")
        let source = sender.address(of: PortID(0))

        // aseqdump writes to a file, line-buffered, and is ended with SIGKILL: a process
        // spawned from the test runner inherits its blocked signal mask, so SIGINT/SIGTERM
        // would stay pending forever (see docs/testing-vm.md).
        let dump = try BackgroundProgram("/usr/bin/stdbuf", ["-oL", "/usr/bin/aseqdump", "-p", source.description])
        defer { dump.stop() }

        // aseqdump subscribes to our port; wait until the kernel says so.
        _ = try watcher.collect(what: "aseqdump subscribing to \(source)") { received in
            received.contains {
                if case .portSubscribed(let from, _) = $0.event { return from == source }
                return false
            }
        }
        try sender.send(.noteOn(channel: 2, note: 61, velocity: 99), from: PortID(0))
        try sender.send(.systemExclusive([0xF0, 0x7D, 0x01, 0x02, 0xF7]), from: PortID(0))
        try sender.send(.pitchBend(channel: 3, value: 0), from: PortID(0))
        sender.drainOutput()
        let output = try dump.waitForOutput(what: "aseqdump printing the pitch bend") { $0.contains("Pitch bend") }
        // Compare with the columns' spacing collapsed: aseqdump pads them.
        let lines = output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        let from = source.description
        #expect(lines.contains("\(from) Note on 2, note 61, velocity 99"), "\(output)")
        #expect(lines.contains("\(from) System exclusive F0 7D 01 02 F7"), "\(output)")
        #expect(lines.contains("\(from) Pitch bend 3, value -8192"), "\(output)")
    }
}
