import Testing
@testable import UMP

/// SysEx7 packets (type 3), M2-104-UM §7.7: up to 6 bytes per packet, status
/// complete/start/continue/end in bits 20–23, byte count in bits 16–19.
@Suite struct SysExTests {
    @Test func packetLayout() {
        let packet = SysEx7Packet.packet(group: 4, format: .complete, bytes: [0x7E, 0x7F, 0x06, 0x01])
        #expect(packet.words == [0x3404_7E7F, 0x0601_0000])
        guard case .sysEx7(4, let sysex) = packet.message else { Issue.record("not SysEx7"); return }
        #expect(sysex.format == .complete)
        #expect(Array(sysex.bytes) == [0x7E, 0x7F, 0x06, 0x01])
        // Byte count 7 is impossible: kept raw.
        #expect(UMPPacket(0x3007_0000, 0).message == .unknown(UMPPacket(0x3007_0000, 0)))
    }

    @Test(arguments: [0, 1, 6, 7, 12, 13, 100, 1000])
    func splitAndReassemble(size: Int) {
        let payload = sysExPayload(size)
        let packets = SysEx7.packets(group: 2, payload: payload)
        #expect(packets.count == max(1, (size + 5) / 6))
        let formats = packets.compactMap { SysEx7Packet($0)?.format }
        if size <= 6 {
            #expect(formats == [.complete])
        } else {
            #expect(formats.first == .start && formats.last == .end)
            #expect(formats.dropFirst().dropLast().allSatisfy { $0 == .continue })
        }
        #expect(packets.allSatisfy { $0.group == 2 })
        // Every packet but the last is full.
        #expect(packets.dropLast().allSatisfy { SysEx7Packet($0)?.bytes.count == 6 })

        var assembler = SysEx7Assembler()
        var results: [[UInt8]] = []
        for packet in packets {
            if let whole = assembler.append(packet, problem: { Issue.record("unexpected: \($0)") }) {
                results.append(whole)
            }
        }
        #expect(results == [payload])
    }

    @Test func assemblerKeepsGroupsApart() {
        let a = SysEx7.packets(group: 0, payload: sysExPayload(20))
        let b = SysEx7.packets(group: 1, payload: Array(repeating: 0x55, count: 8))
        var assembler = SysEx7Assembler()
        var results: [[UInt8]] = []
        for packet in [a[0], b[0], a[1], b[1], a[2], a[3]] {
            if let whole = assembler.append(packet) { results.append(whole) }
        }
        #expect(results == [Array(repeating: 0x55, count: 8), sysExPayload(20)])
    }

    @Test func assemblerReportsBrokenSequencesWithGroup() {
        let packets = SysEx7.packets(group: 3, payload: sysExPayload(13))  // start, continue, end
        let complete = SysEx7.packets(group: 3, payload: [1, 2])
        var problems: [SysEx7AssemblyError] = []
        var assembler = SysEx7Assembler()
        #expect(assembler.append(packets[1]) { problems.append($0) } == nil)
        #expect(assembler.append(packets[2]) { problems.append($0) } == nil)
        #expect(assembler.append(packets[0]) { problems.append($0) } == nil)
        // A Complete interrupting a message is still delivered.
        #expect(assembler.append(complete[0]) { problems.append($0) } == [1, 2])
        #expect(problems == [
            .continueWithoutStart(group: 3), .endWithoutStart(group: 3),
            .interrupted(group: 3, discardedByteCount: 6),
        ])
        #expect(problems[0].description.contains("group 4"))  // shown 1-based
    }

    @Test func assemblerDropsOverlongMessagesUntilTheirEnd() {
        var assembler = SysEx7Assembler(maximumPayloadSize: 10)
        var problems: [SysEx7AssemblyError] = []
        var results: [[UInt8]] = []
        for packet in SysEx7.packets(group: 0, payload: sysExPayload(30)) + SysEx7.packets(group: 0, payload: [9]) {
            if let whole = assembler.append(packet, problem: { problems.append($0) }) { results.append(whole) }
        }
        #expect(problems == [.tooLong(group: 0, limit: 10)])
        #expect(results == [[9]])
    }
}
