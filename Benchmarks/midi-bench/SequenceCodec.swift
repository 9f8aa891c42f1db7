import UMP

/// Carries a sequence number inside a 32-bit UMP so the receiver can check that every message
/// arrived, once, in order — without widening the message (the throughput target is about
/// 32-bit UMPs).
///
/// The message is a MIDI 1.0 channel voice Note On (type 2, status 0x9); its group (4 bits),
/// channel (4), note (7) and velocity (7) hold 22 bits of sequence, most significant first.
/// The count wraps at 2²²; the receiver compares modulo that, which is exact as long as fewer
/// than 2²¹ messages go missing in a row.
enum SequenceCodec {
    static let bits = 22
    static let modulus: UInt32 = 1 << 22
    static let mask: UInt32 = modulus - 1

    @inline(__always)
    static func packet(_ sequence: UInt32) -> UMPPacket {
        let s = sequence & mask
        let group = (s >> 18) & 0xF
        let channel = (s >> 14) & 0xF
        let note = (s >> 7) & 0x7F
        let velocity = s & 0x7F
        return UMPPacket(0x2000_0000 | group << 24 | 0x9 << 20 | channel << 16 | note << 8 | velocity)
    }

    /// The sequence number a packet carries, or `nil` when it is not one of ours.
    @inline(__always)
    static func sequence(of packet: UMPPacket) -> UInt32? {
        let w = packet.word0
        guard w & 0xF0F0_8080 == 0x2090_0000 else { return nil }
        return (w >> 24 & 0xF) << 18 | (w >> 16 & 0xF) << 14 | (w >> 8 & 0x7F) << 7 | (w & 0x7F)
    }

    /// Signed distance from `expected` to `actual` on the wrapping sequence (−2²¹ ..< 2²¹).
    @inline(__always)
    static func distance(from expected: UInt32, to actual: UInt32) -> Int {
        let forward = (actual &- expected) & mask
        return forward < modulus / 2 ? Int(forward) : Int(forward) - Int(modulus)
    }
}

/// Follows a stream of sequence numbers and counts what is wrong with it.
struct SequenceChecker {
    private(set) var expected: UInt32 = 0
    /// Messages that arrived as expected.
    private(set) var inOrder = 0
    /// Messages skipped over (a jump forward); may later arrive out of order.
    private(set) var gaps = 0
    /// Messages that arrived after a later one (a jump backward or a duplicate).
    private(set) var outOfOrder = 0
    /// Messages that are not sequence messages at all.
    private(set) var foreign = 0

    init(first: UInt32 = 0) { expected = first & SequenceCodec.mask }

    @inline(__always)
    mutating func observe(_ packet: UMPPacket) {
        guard let sequence = SequenceCodec.sequence(of: packet) else {
            foreign &+= 1
            return
        }
        observe(sequence: sequence)
    }

    /// A message that is not one of ours.
    @inline(__always)
    mutating func observeForeign() { foreign &+= 1 }

    /// One sequence number (modulo 2²²), however it was carried.
    @inline(__always)
    mutating func observe(sequence: UInt32) {
        let distance = SequenceCodec.distance(from: expected, to: sequence)
        if distance == 0 {
            inOrder &+= 1
            expected = (expected &+ 1) & SequenceCodec.mask
        } else if distance > 0 {
            gaps &+= distance
            inOrder &+= 1
            expected = (sequence &+ 1) & SequenceCodec.mask
        } else {
            outOfOrder &+= 1
        }
    }

    /// Messages received in any form.
    var received: Int { inOrder + outOfOrder + foreign }

    /// How far along the sequence the stream has come: messages that arrived in order plus
    /// those skipped over. The stream is complete when this reaches the number sent.
    var position: Int { inOrder + gaps }

    /// Of `sent` messages, how many never arrived (skipped ones that came late count as out of
    /// order, not lost).
    func lost(sent: Int) -> Int { max(0, sent - inOrder - outOfOrder) }
}
