// Fuzz target: what any ALSA client writing to a loopback's sequencer port makes the daemon
// read — the event decoder (ALSASequencer, `SequencerEvent(decoding:)`) and the bridge's
// translation of events into UMP (`SequencerInputTranslator`, compiled in from
// Sources/MIDIDaemon/ALSABridge by scripts/fuzz).
// Input: a sequence of snd_seq_event_t; a variable-length event's data follows it, its length
// cut to what is there (alsa-lib guarantees both). The event's destination port picks the
// bridge port (0, 1, or 2: not a port of the client).
//
// Invariants besides "no crash, no out-of-bounds read":
// - every decoded MIDI event the encoder can send encodes (`encodeFixed`) and decodes back to
//   itself (a 14-bit controller above 31 is decoded — the bridge sends its low 7 bits as a
//   plain control change, as alsa-lib does — but is not one the wrapper sends);
// - SysEx data is copied exactly;
// - the bridge makes only UMP types 1, 2 and 3, on the group it was given, and per port the
//   SysEx7 packets follow complete | start continue* end.
@testable import ALSASequencer
import CALSA
import UMP

func fuzz(_ input: UnsafeRawBufferPointer) {
    var cursor = InputCursor(input)
    var translator = SequencerInputTranslator(portCount: 2)
    var openSysEx = [false, false]
    while !cursor.isAtEnd {
        var ev = snd_seq_event_t()
        let fixed = cursor.take(MemoryLayout<snd_seq_event_t>.size)
        withUnsafeMutableBytes(of: &ev) { raw in
            fixed.withUnsafeBytes { raw.copyMemory(from: $0) }
        }
        var data: [UInt8] = []
        if calsa_ev_is_variable(&ev) != 0 {
            data = cursor.take(Int(min(ev.data.ext.len, 4096)))
            ev.data.ext.len = UInt32(data.count)
        }
        data.withUnsafeBytes { raw in
            if calsa_ev_is_variable(&ev) != 0 {
                ev.data.ext.ptr = UnsafeMutableRawPointer(mutating: raw.baseAddress)
            }
            let event = withUnsafePointer(to: &ev) { SequencerEvent(decoding: $0) }
            checkRoundTrip(event, data: data, variable: calsa_ev_is_variable(&ev) != 0)

            let port = Int(ev.dest.port % 3)
            let group = UInt8(ev.tag & 0x0F)
            translator.translate(event, portIndex: port, group: group) { packet in
                invariant(packet.group == group, "bridge packet \(packet) not in group \(group)")
                switch packet.messageType {
                case .systemCommonRealTime, .midi1ChannelVoice:
                    break
                case .data64:
                    guard let sysex = SysEx7Packet(packet) else { invariant(false, "malformed SysEx7 \(packet)"); return }
                    switch sysex.format {
                    case .complete: invariant(!openSysEx[port], "complete inside a SysEx on port \(port)")
                    case .start: invariant(!openSysEx[port], "start inside a SysEx on port \(port)"); openSysEx[port] = true
                    case .continue: invariant(openSysEx[port], "continue outside a SysEx on port \(port)")
                    case .end: invariant(openSysEx[port], "end outside a SysEx on port \(port)"); openSysEx[port] = false
                    }
                default:
                    invariant(false, "the bridge made a type-\(packet.messageType.rawValue) packet")
                }
            }
        }
    }
}

func checkRoundTrip(_ event: SequencerEvent, data: [UInt8], variable: Bool) {
    switch event {
    case .systemExclusive(let bytes):
        invariant(bytes == (variable ? data : []), "SysEx of \(bytes.count) bytes, expected \(data.count)")
    case .portSubscribed, .portUnsubscribed, .clientStarted, .clientExited, .clientChanged,
         .portStarted, .portExited, .portChanged, .other:
        break
    case .controlChange14(_, let controller, _) where controller >= 32:
        break
    default:
        var encoded = snd_seq_event_t()
        do {
            try event.encodeFixed(into: &encoded)
        } catch {
            invariant(false, "decoded \(event) does not encode: \(error)")
        }
        let again = withUnsafePointer(to: &encoded) { SequencerEvent(decoding: $0) }
        invariant(again == event, "\(event) → encode → \(again)")
    }
}
