// Fuzz target: the daemon's and the SDK's frame decoder (IPC.FrameDecoder) on a sequence of
// datagrams, as one connection would receive them (fragments, batches in between, anything).
// Input: datagrams, each prefixed by its u16 length.
//
// Invariants besides "no crash, no memory error":
// - a datagram that yields no frame leaves a fragmented body pending;
// - every decoded frame encodes (Frame.encoded) to datagrams no larger than a frame, which a
//   fresh decoder turns back into the same frame;
// - the binary frames (hello, welcome, refusal, send report, UMP batch) re-encode to exactly
//   the bytes received: the decoder accepts only their one canonical form.
@testable import IPC
import UMP

func fuzz(_ input: UnsafeRawBufferPointer) {
    var cursor = InputCursor(input)
    // A small reassembly bound, so that fuzzing reaches it.
    var decoder = FrameDecoder(maximumMessageSize: 1 << 17)
    while let datagram = cursor.chunk() {
        let frame: Frame?
        do {
            frame = try decoder.decode(datagram)
        } catch {
            // The daemon ends the connection here; start a fresh one.
            decoder = FrameDecoder(maximumMessageSize: 1 << 17)
            continue
        }
        guard let frame else {
            invariant(decoder.hasPendingFragments, "no frame, yet no fragment pending")
            continue
        }
        checkRoundTrip(frame, received: datagram)
    }
}

func checkRoundTrip(_ frame: Frame, received: [UInt8]) {
    let datagrams = frame.encoded()
    invariant(!datagrams.isEmpty, "\(frame.kind) encoded to nothing")
    var again = FrameDecoder()
    var decoded: Frame?
    for (index, datagram) in datagrams.enumerated() {
        invariant(datagram.count <= WireFormat.maximumFrameSize, "encoded datagram of \(datagram.count) bytes")
        do {
            decoded = try again.decode(datagram)
        } catch {
            invariant(false, "re-encoded \(frame.kind) does not decode: \(error)")
        }
        invariant((decoded == nil) == (index < datagrams.count - 1), "fragments of a re-encoded \(frame.kind) misplaced")
    }
    invariant(decoded == frame, "\(frame.kind) changed by a round trip: \(frame) became \(String(describing: decoded))")
    switch frame {
    case .hello, .welcome, .refusal, .sendReport, .umpBatch:
        invariant(datagrams == [received], "\(frame.kind) accepted in a non-canonical form")
    default:
        break
    }
}
