import Testing
@testable import UMP

/// Packet sizes and groups per message type, from M2-104-UM Table 2 ("Message Type (MT)
/// Allocation"): 32 bits for 0, 1, 2, 6, 7; 64 for 3, 4, 8, 9, A; 96 for B, C; 128 for 5, D, E, F.
@Suite struct MessageTypeTests {
    static let table: [(UInt8, Int)] = [
        (0x0, 1), (0x1, 1), (0x2, 1), (0x3, 2), (0x4, 2), (0x5, 4), (0x6, 1), (0x7, 1),
        (0x8, 2), (0x9, 2), (0xA, 2), (0xB, 3), (0xC, 3), (0xD, 4), (0xE, 4), (0xF, 4),
    ]

    @Test(arguments: table)
    func wordCount(type: UInt8, words: Int) {
        let packet = UMPPacket(UInt32(type) << 28 | 0x0123_4567, 0x1111_1111, 0x2222_2222, 0x3333_3333)
        #expect(packet.messageType.rawValue == type)
        #expect(packet.wordCount == words)
        // The table-lookup form batch readers use, with any bits below the type.
        #expect(UMPMessageType.wordCount(forWord0: UInt32(type) << 28) == words)
        #expect(UMPMessageType.wordCount(forWord0: UInt32(type) << 28 | 0x0FFF_FFFF) == words)
        #expect(packet.words.count == words)
        // Words beyond the size are dropped so equal packets compare equal.
        for index in words..<4 { #expect(packet[index] == 0) }
        #expect(UMPPacket(words: packet.words) == packet)
        #expect(UMPPacket(words: Array(repeating: UInt32(type) << 28, count: words + 1)) == nil)
        #expect(UMPPacket(words: [UInt32]()) == nil)
    }

    @Test func allSixteenTypesCovered() {
        #expect(UMPMessageType.allCases.count == 16)
        #expect(Set(Self.table.map(\.0)) == Set(UMPMessageType.allCases.map(\.rawValue)))
    }

    @Test func groupOnlyWhereTheTypeHasOne() {
        #expect(UMPPacket(0x0010_1234).group == nil)  // utility: groupless
        #expect(UMPPacket(0xF000_0101).group == nil)  // stream: groupless
        #expect(UMPPacket(0x2A90_3C40).group == 0xA)
        #expect(UMPPacket(0x2A90_3C40).channel == 0)
        #expect(UMPPacket(0x4593_3C00, 0x8208_0000).channel == 3)
        #expect(UMPPacket(0x1AF8_0000).channel == nil)
    }

    @Test func reservedTypesStayRaw() {
        for type in [0x6, 0x7, 0x8, 0x9, 0xA, 0xB, 0xC, 0xE] as [UInt32] {
            let packet = UMPPacket(type << 28 | 0x0ABC_DEF0, 1, 2, 3)
            #expect(packet.message == .unknown(packet))
            #expect(UMPPacket(packet.message) == packet)
            #expect(packet.humanDescription.contains("reserved"))
        }
    }
}
