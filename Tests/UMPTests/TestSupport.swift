@testable import UMP

/// Feeds `bytes` to a fresh parser and collects the packets.
func parse(_ bytes: [UInt8], group: UInt8 = 0) -> [UMPPacket] {
    var parser = MIDI1StreamParser()
    var packets: [UMPPacket] = []
    parser.feed(bytes, group: group) { packets.append($0) }
    return packets
}

/// MIDI 1.0 bytes of a run of packets.
func bytes(of packets: [UMPPacket]) -> [UInt8] {
    packets.flatMap(\.midi1Bytes)
}

/// A SysEx payload of `count` data bytes with a recognisable pattern (never 0, never ≥ 0x80).
func sysExPayload(_ count: Int) -> [UInt8] {
    (0..<count).map { UInt8(1 + $0 % 126) }
}
