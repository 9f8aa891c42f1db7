import IPC
import UMP

/// Reads the messages of one UMP batch frame in place, checking every bound as it goes, for
/// the bench's own receivers (relay and raw-IPC paths).
///
/// The bench keeps this walker of its own rather than `IPC.UMPBatchReader` so that the
/// baseline's receive path shares no code with the path being measured: a change to the
/// reader then shows up as a change of the daemon paths against an unchanged baseline. (It was
/// first written because the reader then built a String per message; that is long fixed.)
/// Same layout (docs/ipc.md), same checks — a frame is rejected before any of its messages is
/// delivered.
enum BatchWalker {
    enum Failure: Error, CustomStringConvertible {
        case malformed(String)
        var description: String { if case .malformed(let reason) = self { return reason }; return "" }
    }

    /// Validates the whole batch, then hands each message to `sink` with `arrival`.
    @inline(__always)
    static func deliver(_ frame: UnsafeRawBufferPointer, header: FrameHeader, to sink: MessageSink, arrival: UInt64) throws(Failure) {
        let start = UMPBatchLayout.firstMessageOffset
        guard header.kind == .umpBatch, frame.count >= start else {
            throw .malformed("not a UMP batch, or shorter than its prefix (\(frame.count) bytes)")
        }
        let count = Int(UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: WireFormat.headerSize + 4, as: UInt32.self)))
        guard count <= (frame.count - start) / UMPBatchLayout.minimumMessageSize else {
            throw .malformed("count \(count) cannot fit in \(frame.count) bytes")
        }
        // First pass: every message's extent, and nothing left over.
        var offset = start
        for index in 0..<count {
            guard frame.count - offset >= UMPBatchLayout.minimumMessageSize else {
                throw .malformed("message \(index) starts past the end")
            }
            let word0 = UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self))
            let size = 8 + 4 * UMPMessageType(word0: word0).wordCount
            guard frame.count - offset >= size else { throw .malformed("message \(index) runs past the end") }
            offset += size
        }
        guard offset == frame.count else { throw .malformed("\(frame.count - offset) bytes after the last message") }
        // Second pass: deliver.
        offset = start
        for _ in 0..<count {
            let timestamp = UInt64(littleEndian: frame.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            var packet = UMPPacket(UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)))
            let words = packet.wordCount
            for word in 1..<words {
                packet[word] = UInt32(littleEndian: frame.loadUnaligned(fromByteOffset: offset + 8 + 4 * word, as: UInt32.self))
            }
            offset += 8 + 4 * words
            sink.take(TimestampedUMP(timestamp: timestamp, packet: packet), arrival: arrival)
        }
    }
}
