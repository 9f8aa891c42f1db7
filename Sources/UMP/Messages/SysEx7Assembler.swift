/// Collects type-3 (SysEx7) packets back into whole System Exclusive messages, one message in
/// progress per group (M2-104-UM §7.7: SysEx on different groups may interleave; on one group it
/// may not). The one SysEx assembler of the project: every output that needs whole messages
/// (the ALSA bridge's SYSEX events, tests, tools) uses it.
///
/// **No allocation per message.** Each group has one buffer, grown to the longest message seen
/// and reused; a finished message is lent to the caller (`append(_:problem:complete:)`) and is
/// valid only during that call. `append(_:problem:) -> [UInt8]?` is the convenience for callers
/// that keep messages; it returns a copy, so it allocates.
///
/// **Framing.** `.payload` gives the data bytes only; `.midi1Message` gives F0, the data bytes,
/// F7 — a MIDI 1.0 System Exclusive message, as the ALSA sequencer wants it. Data bytes are
/// masked to 7 bits (SysEx7 carries 7-bit data; a set high bit would be a status byte in
/// MIDI 1.0). `maximumSize` counts what is kept, framing included.
///
/// **Broken sequences — one rule.** A Continue or End with no message in progress is dropped
/// (`continueWithoutStart`, `endWithoutStart`). A Start or Complete that arrives while a message
/// is in progress on its group *interrupts* it: the partial message is abandoned
/// (`interrupted`) and the new one begins, so a new message is never lost because of an earlier
/// broken one. A message that grows beyond `maximumSize` is dropped up to its End (`tooLong`).
/// Abandoning costs an assembler nothing, because it emits nothing before the End. An output
/// that streams bytes as they come (`MIDIDaemon`'s USB rawmidi queue, `MIDI1OutputQueue`) has
/// already sent the partial message when the interruption arrives; it follows the same rule by
/// ending the abandoned message with F7, the only way a MIDI 1.0 byte stream can abandon one.
public struct SysEx7Assembler: Sendable {
    /// What a finished message holds.
    public enum Framing: Sendable {
        /// The data bytes only (no F0/F7).
        case payload
        /// F0, the data bytes, F7.
        case midi1Message
    }

    public let framing: Framing
    /// Largest message kept, framing included; longer ones are dropped (`tooLong`).
    public let maximumSize: Int

    private var buffers: [[UInt8]] = Array(repeating: [], count: 16)
    private var states: [State] = Array(repeating: .idle, count: 16)

    private enum State: Sendable { case idle, collecting, discarding }

    public init(framing: Framing = .payload, maximumSize: Int = 1 << 20) {
        self.framing = framing
        self.maximumSize = max(maximumSize, framing == .midi1Message ? 2 : 0)
    }

    /// The older spelling: payload framing with a limit on the payload.
    public init(maximumPayloadSize: Int) {
        self.init(framing: .payload, maximumSize: maximumPayloadSize)
    }

    /// Feeds one packet. When it completes a message, `complete` gets it — a view of the group's
    /// buffer, valid only during the call. Packets that do not form a valid sequence are
    /// reported to `problem` (what, and on which group) and assembly carries on. Packets of
    /// other message types are ignored.
    public mutating func append(
        _ packet: UMPPacket, problem: (SysEx7AssemblyError) -> Void = { _ in },
        complete: ([UInt8]) -> Void
    ) {
        guard packet.messageType == .data64 else { return }
        let g = Int(packet.word0 >> 24 & 0xF)
        guard let sysex = SysEx7Packet(packet) else {
            problem(.malformedPacket(group: UInt8(g), word0: packet.word0))
            return
        }
        switch sysex.format {
        case .complete, .start:
            if states[g] == .collecting {
                problem(.interrupted(group: UInt8(g), discardedByteCount: payloadCount(g)))
            }
            begin(g)
            add(sysex.bytes, group: g, problem: problem)
            if sysex.format == .complete { finish(g, complete) }
        case .continue, .end:
            switch states[g] {
            case .idle:
                problem(sysex.format == .end ? .endWithoutStart(group: UInt8(g)) : .continueWithoutStart(group: UInt8(g)))
            case .discarding:
                if sysex.format == .end { states[g] = .idle }
            case .collecting:
                add(sysex.bytes, group: g, problem: problem)
                if sysex.format == .end { finish(g, complete) }
            }
        }
    }

    /// Feeds one packet and returns a copy of the message it completes (nil otherwise). For
    /// callers that keep whole messages; it allocates the array it returns.
    public mutating func append(
        _ packet: UMPPacket, problem: (SysEx7AssemblyError) -> Void = { _ in }
    ) -> [UInt8]? {
        var result: [UInt8]?
        append(packet, problem: problem) { message in result = Array(message[...]) }
        return result
    }

    /// Drops any partly collected message on every group.
    public mutating func reset() {
        for g in 0..<16 {
            buffers[g].removeAll(keepingCapacity: true)
            states[g] = .idle
        }
    }

    private func payloadCount(_ g: Int) -> Int {
        framing == .midi1Message ? max(buffers[g].count - 1, 0) : buffers[g].count
    }

    private mutating func begin(_ g: Int) {
        buffers[g].removeAll(keepingCapacity: true)
        if framing == .midi1Message { buffers[g].append(0xF0) }
        states[g] = .collecting
    }

    private mutating func add(_ bytes: UMPPacketBytes, group g: Int, problem: (SysEx7AssemblyError) -> Void) {
        guard states[g] == .collecting else { return }
        let closing = framing == .midi1Message ? 1 : 0   // room for the F7
        guard buffers[g].count + bytes.count + closing <= maximumSize else {
            buffers[g].removeAll(keepingCapacity: true)
            states[g] = .discarding
            problem(.tooLong(group: UInt8(g), limit: maximumSize))
            return
        }
        var index = 0
        while index < bytes.count {
            buffers[g].append(bytes[index] & 0x7F)
            index += 1
        }
    }

    private mutating func finish(_ g: Int, _ complete: ([UInt8]) -> Void) {
        if states[g] == .collecting {
            if framing == .midi1Message { buffers[g].append(0xF7) }
            complete(buffers[g])
            buffers[g].removeAll(keepingCapacity: true)
        }
        states[g] = .idle
    }
}

/// Why a run of SysEx7 packets could not be assembled.
public enum SysEx7AssemblyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A Continue packet arrived on `group` with no message in progress; it was dropped.
    case continueWithoutStart(group: UInt8)
    /// An End packet arrived on `group` with no message in progress; it was dropped.
    case endWithoutStart(group: UInt8)
    /// A Start or Complete packet arrived while a message was in progress on `group`; the
    /// partial message (`discardedByteCount` bytes) was dropped and the new one taken.
    case interrupted(group: UInt8, discardedByteCount: Int)
    /// The message on `group` grew beyond `limit` bytes; it is dropped up to its End packet.
    case tooLong(group: UInt8, limit: Int)
    /// A type-3 packet with a reserved status or a byte count above 6.
    case malformedPacket(group: UInt8, word0: UInt32)

    public var description: String {
        switch self {
        case .continueWithoutStart(let g):
            return "SysEx7 Continue packet on group \(g + 1) without a Start; dropped"
        case .endWithoutStart(let g):
            return "SysEx7 End packet on group \(g + 1) without a Start; dropped"
        case .interrupted(let g, let n):
            return "SysEx7 message on group \(g + 1) interrupted by a new message; \(n) bytes dropped"
        case .tooLong(let g, let limit):
            return "SysEx7 message on group \(g + 1) longer than \(limit) bytes; dropped"
        case .malformedPacket(let g, let w0):
            return "malformed SysEx7 packet on group \(g + 1): word 0 = 0x\(hex(w0, width: 8))"
        }
    }
}
