@testable import MIDIDaemon
import Testing
import UMP

/// UMP → the MIDI 1.0 byte stream of one USB output substream (`MIDI1OutputQueue`).
@Suite("USB output: UMP to MIDI 1.0 bytes")
struct USBOutputQueueTests {
    /// Queues every packet and returns the outcomes and the bytes that would go to the device.
    func run(_ packets: [UMPPacket], capacity: Int = 1024) -> ([MIDI1OutputQueue.Outcome], [UInt8]) {
        var queue = MIDI1OutputQueue(capacity: capacity)
        let outcomes = packets.map { queue.enqueue($0) }
        return (outcomes, drainAll(&queue))
    }

    func drainAll(_ queue: inout MIDI1OutputQueue) -> [UInt8] {
        var bytes: [UInt8] = []
        while queue.drain({ run in bytes += run; return run.count }) > 0 {}
        return bytes
    }

    func sysEx(_ group: UInt8, _ payload: [UInt8]) -> [UMPPacket] { SysEx7.packets(group: group, payload: payload) }

    @Test func channelVoiceSystemAndRealTimePassAsTheyAre() {
        let (outcomes, bytes) = run([UMPPacket(0x2090_3C40), UMPPacket(0x20C0_0500), UMPPacket(0x10F2_1020),
                                     UMPPacket(0x10F8_0000), UMPPacket(0x10F6_0000)])
        #expect(outcomes.allSatisfy { $0 == .queued })
        #expect(bytes == [0x90, 0x3C, 0x40, 0xC0, 0x05, 0xF2, 0x10, 0x20, 0xF8, 0xF6])
    }

    @Test func midi2ChannelVoiceIsDownConverted() {
        // Note On velocity 0x8000 → 0x40; CC 7 = 0xFFFFFFFF → 0x7F; program change with bank.
        let (outcomes, bytes) = run([UMPPacket(0x4090_3C00, 0x8000_0000), UMPPacket(0x40B0_0700, 0xFFFF_FFFF),
                                     UMPPacket(0x40C0_0001, 0x0500_0203)])
        #expect(outcomes == [.queued, .queued, .queued])
        #expect(bytes == [0x90, 0x3C, 0x40, 0xB0, 0x07, 0x7F, 0xB0, 0x00, 0x02, 0xB0, 0x20, 0x03, 0xC0, 0x05])
    }

    @Test func sysExOfAnyLengthIsReassembled() {
        let payload = (0..<40).map { UInt8($0) }
        let (outcomes, bytes) = run(sysEx(0, payload) + sysEx(0, [0x7D]) + sysEx(0, []))
        #expect(outcomes.allSatisfy { $0 == .queued })
        #expect(bytes == [0xF0] + payload + [0xF7, 0xF0, 0x7D, 0xF7, 0xF0, 0xF7])
    }

    @Test func realTimeMayInterleaveASysExWithoutEndingIt() {
        let parts = sysEx(0, Array(1...12))
        let (outcomes, bytes) = run([parts[0], UMPPacket(0x10F8_0000), parts[1]])
        #expect(outcomes == [.queued, .queued, .queued])
        #expect(bytes == [0xF0, 1, 2, 3, 4, 5, 6, 0xF8, 7, 8, 9, 10, 11, 12, 0xF7])
    }

    @Test func anotherMessageEndsAnOpenSysExAndItsRestIsDropped() {
        let parts = sysEx(0, Array(1...14))   // start, continue, end
        let (outcomes, bytes) = run([parts[0], UMPPacket(0x2090_3C40), parts[1], parts[2], UMPPacket(0x2080_3C00)])
        #expect(outcomes == [.queued, .queuedAfterInterruptingSysEx, .sysExOutOfSequence, .sysExOutOfSequence, .queued])
        #expect(bytes == [0xF0, 1, 2, 3, 4, 5, 6, 0xF7, 0x90, 0x3C, 0x40, 0x80, 0x3C, 0x00])
    }

    @Test func aNewSysExStartEndsTheOpenOne() {
        let first = sysEx(0, Array(1...8)), second = sysEx(0, [9])
        let (outcomes, bytes) = run([first[0], second[0]])
        #expect(outcomes == [.queued, .queuedAfterInterruptingSysEx])
        #expect(bytes == [0xF0, 1, 2, 3, 4, 5, 6, 0xF7, 0xF0, 9, 0xF7])
    }

    @Test func continueOrEndWithoutStartIsDropped() {
        let parts = sysEx(0, Array(1...14))
        let (outcomes, bytes) = run([parts[1], parts[2]])
        #expect(outcomes == [.sysExOutOfSequence, .sysExOutOfSequence])
        #expect(bytes.isEmpty)
    }

    @Test func typesWithNoMIDI1FormGiveNothing() {
        let (outcomes, bytes) = run([
            UMPPacket(0x0010_1234),                                         // utility: JR timestamp
            UMPPacket(0xF001_0000, 0, 0, 0),                                // stream: endpoint discovery
            UMPPacket(0x5001_0001, 0x0203_0405, 0, 0),                      // SysEx8
            UMPPacket(0xD010_0000, 0, 0, 0),                                // flex data
            UMPPacket(0x4000_0000, 0x0000_0000),                            // MIDI 2.0 per-note controller
        ])
        #expect(outcomes == Array(repeating: .noMIDI1Form, count: 5))
        #expect(bytes.isEmpty)
    }

    @Test func aFullQueueTakesAllOrNothingAndWrapsAround() {
        var queue = MIDI1OutputQueue(capacity: 32)
        for _ in 0..<10 { #expect(queue.enqueue(UMPPacket(0x2090_3C40)) == .queued) }   // 30 bytes
        #expect(queue.enqueue(UMPPacket(0x2090_3D40)) == .full)                          // 3 do not fit in 2
        #expect(queue.enqueue(UMPPacket(0x10F8_0000)) == .queued)                        // 1 does
        #expect(queue.count == 31)
        // Take 20, then queue 6 more: they wrap around the end of the ring.
        var taken: [UInt8] = []
        _ = queue.drain { run in taken += run.prefix(20); return min(20, run.count) }
        #expect(queue.enqueue(UMPPacket(0x2091_0102)) == .queued)
        #expect(queue.enqueue(UMPPacket(0x2092_0304)) == .queued)
        taken += drainAll(&queue)
        var expected: [UInt8] = []
        for _ in 0..<10 { expected += [0x90, 0x3C, 0x40] }
        expected += [0xF8, 0x91, 0x01, 0x02, 0x92, 0x03, 0x04]
        #expect(taken == expected)
    }

    /// Fills a 32-byte queue with the first four packets of a 42-byte SysEx (25 bytes) and three
    /// clock bytes (28), so that the next Continue (6 bytes) does not fit and cuts the SysEx.
    func cutSysEx() -> (MIDI1OutputQueue, [UMPPacket]) {
        var queue = MIDI1OutputQueue(capacity: 32)
        let parts = sysEx(2, Array(1...42))                       // start, 5 × continue, end
        for part in parts.prefix(4) { #expect(queue.enqueue(part) == .queued) }
        for _ in 0..<3 { #expect(queue.enqueue(UMPPacket(0x12F8_0000)) == .queued) }
        #expect(queue.count == 28)
        #expect(queue.enqueue(parts[4]) == .full)
        return (queue, parts)
    }

    @Test func aSysExCutByAFullQueueDropsItsRestAndPaysItsF7AtItsEnd() {
        var (queue, parts) = cutSysEx()
        #expect(queue.enqueue(parts[5]) == .sysExOutOfSequence)   // the rest of the cut SysEx
        let first = drainAll(&queue)
        #expect(first == [0xF0] + Array(1...24) + [0xF8, 0xF8, 0xF8])
        #expect(queue.enqueue(parts[6]) == .sysExOutOfSequence)   // its End: not sent, but F7 is
        #expect(queue.enqueue(UMPPacket(0x2290_3C40)) == .queued)
        #expect(drainAll(&queue) == [0xF7, 0x90, 0x3C, 0x40])
    }

    @Test func aSysExCutByAFullQueueIsTerminatedBeforeTheNextMessage() {
        var (queue, _) = cutSysEx()
        _ = drainAll(&queue)
        #expect(queue.enqueue(UMPPacket(0x2290_3C40)) == .queued)
        #expect(drainAll(&queue) == [0xF7, 0x90, 0x3C, 0x40])
        // Real time in between needs no terminator and does not pay it.
        var (other, _) = cutSysEx()
        _ = drainAll(&other)
        #expect(other.enqueue(UMPPacket(0x12F8_0000)) == .queued)
        #expect(other.enqueue(UMPPacket(0x12F2_0102)) == .queued)
        #expect(drainAll(&other) == [0xF8, 0xF7, 0xF2, 0x01, 0x02])
    }

    @Test func resetForgetsBytesAndTheOpenSysEx() {
        var queue = MIDI1OutputQueue(capacity: 64)
        let parts = sysEx(0, Array(1...12))
        #expect(queue.enqueue(parts[0]) == .queued)
        queue.reset()
        #expect(queue.isEmpty)
        #expect(queue.enqueue(parts[1]) == .sysExOutOfSequence)
    }

    /// The queue's own encoder gives exactly `UMPPacket.midi1Bytes` (the UMP module's
    /// translation) for every kind of packet, malformed ones included.
    @Test func encoderMatchesTheUMPModule() {
        var generator = SystemRandomNumberGenerator()
        var fixed: [UMPPacket] = [
            UMPPacket(0x4020_0102, 0x1234_5678),   // RPN: four control changes
            UMPPacket(0x4030_0102, 0x1234_5678),   // NRPN
            UMPPacket(0x40C0_0001, 0x0500_0203),   // program change with bank
            UMPPacket(0x4090_3C00, 0x0000_0000),   // note on velocity 0 → 1
            UMPPacket(0x3070_0102, 0x0304_0506),   // SysEx7 with a count above 6
            UMPPacket(0x30F2_0102, 0x0304_0506),   // reserved SysEx7 status
        ]
        for _ in 0..<20_000 {
            let type = [UInt32(1), 2, 3, 4].randomElement(using: &generator)!
            fixed.append(UMPPacket(type << 28 | UInt32.random(in: 0...0x0FFF_FFFF, using: &generator),
                                   UInt32.random(in: 0...UInt32.max, using: &generator)))
        }
        var scratch = [UInt8](repeating: 0, count: 16)
        for packet in fixed {
            let n = scratch.withUnsafeMutableBytes { MIDI1OutputQueue.encode(packet, into: $0) }
            #expect(Array(scratch[0..<n]) == packet.midi1Bytes, "\(packet)")
            if Array(scratch[0..<n]) != packet.midi1Bytes { break }
        }
    }
}
