// Fuzz target: the JSON body of every control frame — requests (what any client can send the
// daemon), responses and events (what the SDK decodes). Input: byte 0 picks request, response
// or event; byte 1 the operation, reply kind or event kind; the rest is the JSON body, sent as
// one datagram or, when long, as fragments.
//
// Invariants: no crash (a body of 513 '[' once ended midisrv inside Foundation's JSON
// parser); a body that decodes re-encodes to one that decodes to the same value.
@testable import IPC
import UMP

func fuzz(_ input: UnsafeRawBufferPointer) {
    var cursor = InputCursor(input)
    let selector = cursor.u8()
    let code = UInt16(cursor.u8())
    let body = cursor.rest()
    let kind: FrameKind
    var sub: [UInt8]
    switch selector % 3 {
    case 0: kind = .request; sub = [7, 0, 0, 0, UInt8(code & 0xFF), 0]
    case 1: kind = .response; sub = [7, 0, 0, 0, UInt8(code & 0xFF), 0]
    default: kind = .event; sub = [UInt8(code & 0xFF), 0, 1, 0, 0, 0]
    }
    // Split like Frame.encoded: the same sub-header on every fragment.
    let chunkSize = selector & 0x80 != 0 ? 64 : WireFormat.maximumFrameSize - WireFormat.headerSize - sub.count
    var decoder = FrameDecoder()
    var start = 0
    repeat {
        let end = min(start + chunkSize, body.count)
        let more = end < body.count
        var datagram = FrameHeader(kind: kind, flags: more ? .moreFragments : [], payloadLength: sub.count + end - start).bytes
        datagram += sub
        datagram += body[start..<end]
        let frame: Frame?
        do {
            frame = try decoder.decode(datagram)
        } catch {
            return
        }
        invariant((frame == nil) == more, "fragment \(start) of \(body.count): frame \(String(describing: frame))")
        if let frame { checkRoundTrip(frame) }
        start = end
    } while start < body.count
}

func checkRoundTrip(_ frame: Frame) {
    var again = FrameDecoder()
    var decoded: Frame?
    for datagram in frame.encoded() {
        do {
            decoded = try again.decode(datagram)
        } catch {
            invariant(false, "re-encoded \(frame.kind) does not decode: \(error)")
        }
    }
    invariant(decoded == frame, "\(frame) changed by a round trip into \(String(describing: decoded))")
}
