import ALSASequencer
import Testing

/// `/proc/asound/seq/clients` in the format kernel 6.1 prints (sound/core/seq/seq_clientmgr.c,
/// with a USB MIDI card as card 1), and the card ⇄ client and substream ⇄ port rules. No
/// kernel needed; the VM group usb-endpoints checks the real file.
@Suite struct SequencerClientTableTests {
    static let sample = """
    Client info
      cur  clients : 5
      peak clients : 6
      max  clients : 192

    Client   0 : "System" [Kernel]
      Port   0 : "Timer" (Rwe-)
      Port   1 : "Announce" (R-e-)
        Connecting To: 128:0
    Client  14 : "Midi Through" [Kernel]
      Port   0 : "Midi Through Port-0" (RWe-)
    Client  20 : "MIDI Gadget" [Kernel]
      Port   0 : "MIDI Gadget MIDI 1" (RWeX)
      Port   1 : "MIDI Gadget MIDI 2" (RWeX)
      Port  32 : "MIDI Gadget "Extra" 1" (RWeX)
    Client 128 : "Stable A" [User]
      Port   0 : "Stable A" (RWeX)
        Connected From: 0:1
      Output pool :
        Pool size          : 500
      Input pool :
        Pool size          : 2048
    """

    @Test func clientsAndPortsAreRead() {
        let table = SequencerClientTable(procText: Self.sample)
        #expect(table.clients.map(\.number) == [0, 14, 20, 128])
        #expect(table.clients.map(\.isKernel) == [true, true, true, false])
        let gadget = table.clients[2]
        #expect(gadget.name == "MIDI Gadget")
        #expect(gadget.ports.map(\.number) == [0, 1, 32])
        #expect(gadget.ports[2].name == #"MIDI Gadget "Extra" 1"#, "a name with quotes in it is kept whole")
        #expect(table.clients[3].ports.map(\.name) == ["Stable A"], "pool and connection lines are not ports")
    }

    @Test func aCardsClientIsTheFirstKernelClientInItsRange() {
        let table = SequencerClientTable(procText: Self.sample)
        #expect(SequencerClientTable.clientNumbers(ofCard: 0) == 16...19)
        #expect(SequencerClientTable.clientNumbers(ofCard: 1) == 20...23)
        #expect(table.midiClient(ofCard: 2) == nil)
        #expect(table.midiClient(ofCard: 1)?.name == "MIDI Gadget")
        #expect(table.midiClient(ofCard: 0) == nil)
        #expect(table.midiClient(ofCard: 14) == nil, "user clients (128) are never a card's")
        #expect(SequencerClientTable.portNumber(device: 1, substream: 2) == 34)
    }

    @Test func garbageGivesNoClients() {
        #expect(SequencerClientTable(procText: "").clients.isEmpty)
        #expect(SequencerClientTable(procText: "Client x : nothing\n  Port : \"\"").clients.isEmpty)
        #expect(SequencerClientTable.read(path: "/nonexistent/clients") == nil)
    }
}
