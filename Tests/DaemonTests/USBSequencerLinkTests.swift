import ALSASequencer
import Foundation
import Glibc
@testable import MIDIDaemon
import Testing

/// What a failed subscription to a card's sequencer port becomes. The kernel's answers cannot be
/// produced here without a sound card (the VM tier's usb-endpoints group meets the real ones:
/// `amidi` holding a substream); this checks the mapping and the message from a proc file
/// written like kernel 6.1's.
@Suite struct USBSequencerLinkTests {
    let port = Address(client: ClientID(24), port: PortID(0))
    let substream = RawMIDISubstreamAddress(card: 5, device: 0, subdevice: 0)

    @Test func anExistingSubscriptionIsKept() throws {
        try USBSequencerLink.acceptAlreadySubscribed(ALSAError(code: -EBUSY, operation: "connect"),
                                                     port: port, substream: substream, input: true)
    }

    @Test func aSubstreamHeldDirectlyIsBusyAndNamesItsHolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("seqbusy-\(getpid())")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("card5"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        // Our own pid as the holder: /proc/<pid>/comm exists for it.
        try "Test Synth\n\nInput 0\n  Rx bytes     : 0\n  Owner PID    : \(getpid())\n  Buffer size  : 4096\n  Avail        : 0\n  Overruns     : 0\n"
            .write(to: root.appendingPathComponent("card5/midi0"), atomically: true, encoding: .utf8)
        let error = #expect(throws: ALSAError.self) {
            try USBSequencerLink.acceptAlreadySubscribed(ALSAError(code: -EAGAIN, operation: "connect"),
                                                         port: port, substream: substream, input: true, procRoot: root.path)
        }
        #expect(error?.errno.rawValue == EBUSY)
        let text = error?.operation ?? ""
        #expect(text.contains("rawmidi input hw:5,0,0 is held exclusively by pid \(getpid()) ("), "\(text)")
        #expect(text.contains("24:0"), "\(text)")
    }

    @Test func aHolderTheProcFileDoesNotShowIsAnotherProgram() {
        let error = #expect(throws: ALSAError.self) {
            try USBSequencerLink.acceptAlreadySubscribed(ALSAError(code: -EAGAIN, operation: "connect"),
                                                         port: port, substream: substream, input: false, procRoot: "/nonexistent")
        }
        #expect(error?.errno.rawValue == EBUSY)
        #expect(error?.operation.contains("rawmidi output hw:5,0,0 is held exclusively by another program") == true)
    }

    @Test func otherErrorsPassThrough() {
        let error = #expect(throws: ALSAError.self) {
            try USBSequencerLink.acceptAlreadySubscribed(ALSAError(code: -ENOENT, operation: "connect"),
                                                         port: port, substream: substream, input: true)
        }
        #expect(error?.errno.rawValue == ENOENT)
    }
}
