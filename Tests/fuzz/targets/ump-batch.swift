// Fuzz target: the UMP batch reader, the daemon's hot-path decoder (IPC.UMPBatchReader).
// Input: byte 0 = header flags, bytes 1–2 a payload-length skew (mostly 0: a consistent
// header), the rest the batch payload (connection · count · messages).
//
// Invariants:
// - the checking reader (init(frame:)) and the decoding reader (init(header:frame:decodingInto:),
//   the daemon's path) refuse exactly the same frames;
// - for an accepted frame, iterating, decode(into:) and decodingInto: give the same messages,
//   `count` of them, and FrameDecoder agrees;
// - UMPBatchWriter writes those messages back to exactly the bytes received.
@testable import IPC
import UMP

nonisolated(unsafe) let storage = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: UMPBatchLayout.maximumMessageCount + 1)
nonisolated(unsafe) let decodedCopy = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: UMPBatchLayout.maximumMessageCount + 1)
nonisolated(unsafe) let writerStorage = FrameBuffer()

func fuzz(_ input: UnsafeRawBufferPointer) {
    var cursor = InputCursor(input)
    let flags = cursor.u8()
    let skew = Int(Int8(bitPattern: cursor.u8()))
    let payload = cursor.rest()
    guard payload.count + WireFormat.headerSize <= WireFormat.maximumFrameSize else { return }
    var frame = [UInt8](repeating: 0, count: WireFormat.headerSize)
    frame[0] = 0x4D; frame[1] = 0x53; frame[2] = FrameKind.umpBatch.rawValue; frame[3] = flags
    let declared = UInt32(truncatingIfNeeded: payload.count + (skew % 7 == 0 ? skew : 0))
    withUnsafeBytes(of: declared.littleEndian) { frame.replaceSubrange(4..<8, with: $0) }
    frame += payload

    frame.withUnsafeBytes { raw in
        var checked: UMPBatchReader?
        var checkError: (any Error)?
        do { checked = try UMPBatchReader(frame: raw) } catch { checkError = error }

        var decodingError: (any Error)?
        var decoding: UMPBatchReader?
        do {
            let header = try FrameHeader(validating: raw)
            decoding = try UMPBatchReader(header: header, frame: raw, decodingInto: storage)
        } catch {
            decodingError = error
        }
        invariant((checkError == nil) == (decodingError == nil),
                  "checking reader: \(String(describing: checkError)); decoding reader: \(String(describing: decodingError))")
        guard let checked, let decoding else { return }

        let iterated = Array(checked)
        invariant(iterated.count == checked.count, "iterated \(iterated.count) of \(checked.count)")
        invariant(decoding.count == checked.count && decoding.connection == checked.connection && decoding.flags == checked.flags,
                  "readers disagree on the batch's fields")
        invariant(Array(storage.prefix(decoding.count)) == iterated, "decodingInto: differs from iteration")
        let copied = checked.decode(into: decodedCopy)
        invariant(copied == checked.count && Array(decodedCopy.prefix(copied)) == iterated, "decode(into:) differs")

        var frameDecoder = FrameDecoder()
        if case .umpBatch(let batch)? = try? frameDecoder.decode(raw) {
            invariant(batch.messages == iterated && batch.connection == checked.connection, "FrameDecoder differs")
        } else {
            invariant(false, "FrameDecoder refused a batch the reader accepted")
        }

        var writer = UMPBatchWriter(writerStorage, connection: checked.connection, flags: checked.flags)
        for message in iterated {
            invariant(writer.append(message), "writer full before \(iterated.count) messages")
        }
        let written = Array(writer.finish())
        invariant(written == frame, "writer gives \(written.count) bytes for a \(frame.count)-byte frame, or other bytes")
    }
}
