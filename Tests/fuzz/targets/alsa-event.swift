// Fuzz target: the ALSA sequencer event decoder (ALSASequencer, SequencerEvent(decoding:)) —
// what any ALSA client that writes to a loopback's sequencer port makes the daemon read.
// Input: the bytes of a snd_seq_event_t; for a variable-length event the rest of the input is
// its data, and its length is cut to what is there (alsa-lib guarantees both).
//
// Invariants: no crash or out-of-bounds read; every decoded MIDI event encodes (the decoder
// only produces values the encoder accepts) and decodes back to itself; SysEx data is copied
// exactly.
@testable import ALSASequencer
import CALSA

func fuzz(_ input: UnsafeRawBufferPointer) {
    let eventSize = MemoryLayout<snd_seq_event_t>.size
    var ev = snd_seq_event_t()
    withUnsafeMutableBytes(of: &ev) { raw in
        raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: input.prefix(eventSize)))
    }
    let extra = Array(input.dropFirst(eventSize))
    extra.withUnsafeBytes { data in
        if calsa_ev_is_variable(&ev) != 0 {
            ev.data.ext.len = min(ev.data.ext.len, UInt32(data.count))
            ev.data.ext.ptr = UnsafeMutableRawPointer(mutating: data.baseAddress)
        }
        let event = withUnsafePointer(to: &ev) { SequencerEvent(decoding: $0) }
        switch event {
        case .systemExclusive(let bytes):
            let expected = calsa_ev_is_variable(&ev) != 0 ? Array(data.prefix(Int(ev.data.ext.len))) : []
            invariant(bytes == expected, "SysEx of \(bytes.count) bytes, expected \(expected.count)")
        case .portSubscribed, .portUnsubscribed, .clientStarted, .clientExited, .clientChanged,
             .portStarted, .portExited, .portChanged, .other:
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
}
