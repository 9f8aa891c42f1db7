@testable import MIDIDaemon
import Testing
import UMP

/// The two MIDI 1.0 outputs — whole messages (`SysEx7Assembler`, the ALSA bridge) and the USB
/// byte stream (`MIDI1OutputQueue`) — judge broken SysEx7 sequences by one rule
/// (`SysEx7Sequence`): the same packets are dropped, the same messages are interrupted, and every
/// message the assembler delivers reaches the device byte for byte. The one difference is the
/// documented one: the byte stream ends an interrupted message with F7 (its bytes already went
/// out), the assembler delivers nothing of it.
@Suite("SysEx: one rule for both MIDI 1.0 outputs")
struct SysExOutputRuleTests {
    static func start(_ bytes: [UInt8]) -> UMPPacket { SysEx7Packet.packet(group: 0, format: .start, bytes: bytes) }
    static func more(_ bytes: [UInt8]) -> UMPPacket { SysEx7Packet.packet(group: 0, format: .continue, bytes: bytes) }
    static func end(_ bytes: [UInt8]) -> UMPPacket { SysEx7Packet.packet(group: 0, format: .end, bytes: bytes) }
    static func whole(_ bytes: [UInt8]) -> UMPPacket { SysEx7Packet.packet(group: 0, format: .complete, bytes: bytes) }

    /// Sequences, each with what the rule says: (interrupted messages, packets without a Start).
    static let cases: [(name: String, packets: [UMPPacket], interrupted: Int, withoutStart: Int)] = [
        ("well formed", SysEx7.packets(group: 0, payload: Array(1...20)) + [whole([1, 2])], 0, 0),
        ("Continue and End without a Start", [more([1]), end([2]), whole([3])], 0, 2),
        ("a Start interrupted by a Complete", [start([1, 2, 3, 4, 5, 6]), whole([7])], 1, 0),
        ("a Start interrupted by a Start", [start([1]), more([2]), start([3]), end([4])], 1, 0),
        ("the interrupted message's End comes late", [start([1]), whole([2]), end([3])], 1, 1),
        ("everything at once", [end([9]), start([1]), start([2]), more([3]), whole([4]), more([5]), end([6])], 2, 3),
    ]

    /// F0 … F7 messages in a byte stream.
    static func messages(in bytes: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var current: [UInt8]?
        for byte in bytes {
            if byte == 0xF0 { current = [0xF0] } else if current != nil { current!.append(byte) }
            if byte == 0xF7, let message = current {
                result.append(message)
                current = nil
            }
        }
        return result
    }

    @Test(arguments: 0..<cases.count)
    func bothOutputsFollowOneRule(_ index: Int) {
        let testCase = Self.cases[index]
        var assembler = SysEx7Assembler(framing: .midi1Message)
        var delivered: [[UInt8]] = []
        var interrupted = 0, withoutStart = 0
        for packet in testCase.packets {
            assembler.append(packet, problem: { problem in
                switch problem {
                case .interrupted: interrupted += 1
                case .continueWithoutStart, .endWithoutStart: withoutStart += 1
                default: Issue.record("unexpected \(problem)")
                }
            }, complete: { delivered.append($0) })
        }
        #expect(interrupted == testCase.interrupted, "\(testCase.name): assembler")
        #expect(withoutStart == testCase.withoutStart, "\(testCase.name): assembler")

        var queue = MIDI1OutputQueue(capacity: 4096)
        let outcomes = testCase.packets.map { queue.enqueue($0) }
        var bytes: [UInt8] = []
        while queue.drain({ run in bytes += run; return run.count }) > 0 {}
        #expect(outcomes.filter { $0 == .queuedAfterInterruptingSysEx }.count == testCase.interrupted, "\(testCase.name): USB")
        #expect(outcomes.filter { $0 == .sysExOutOfSequence }.count == testCase.withoutStart, "\(testCase.name): USB")
        #expect(!queue.isInsideSysEx, "\(testCase.name): the device is left outside a SysEx")

        // What the device gets: the assembler's messages, plus one F7-ended message per interruption.
        let streamed = Self.messages(in: bytes)
        #expect(streamed.count == delivered.count + testCase.interrupted, "\(testCase.name)")
        var remaining = streamed[...]
        for message in delivered {
            guard let at = remaining.firstIndex(of: message) else {
                Issue.record("\(testCase.name): \(message) delivered whole but not streamed whole: \(streamed)")
                break
            }
            remaining = remaining[(at + 1)...]
        }
    }
}
