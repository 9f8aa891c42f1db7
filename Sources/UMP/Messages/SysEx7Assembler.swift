/// Collects type-3 (SysEx7) packets back into whole System Exclusive messages, one message in
/// progress per group (M2-104-UM §7.7: SysEx on different groups may interleave; on one group it
/// may not). The one SysEx assembler of the project: every output that needs whole messages
/// (the ALSA bridge's SYSEX events, SDK applications, tests, tools) uses it.
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
/// **Broken sequences** follow `SysEx7Sequence`, the one rule every MIDI 1.0 output uses: a
/// Continue or End with no message in progress is dropped (`continueWithoutStart`,
/// `endWithoutStart`); a Start or Complete while a message is in progress abandons it
/// (`interrupted`) and begins its own; a message that grows beyond `maximumSize` is dropped up
/// to its End (`tooLong`). Packets of other types do not touch a message in progress (UMP lets
/// them come between SysEx7 packets).
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
    private var sequences: [SysEx7Sequence] = Array(repeating: SysEx7Sequence(), count: 16)

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
        switch sequences[g].advance(sysex.format) {
        case .begins(let abandoning):
            if abandoning == .inMessage {
                problem(.interrupted(group: UInt8(g), discardedByteCount: payloadCount(g)))
            }
            buffers[g].removeAll(keepingCapacity: true)
            if framing == .midi1Message { buffers[g].append(0xF0) }
            if add(sysex.bytes, group: g, problem: problem), sysex.format == .complete { finish(g, complete) }
        case .continues:
            _ = add(sysex.bytes, group: g, problem: problem)
        case .ends:
            if add(sysex.bytes, group: g, problem: problem) { finish(g, complete) }
        case .droppedRest:
            break
        case .withoutStart:
            problem(sysex.format == .end ? .endWithoutStart(group: UInt8(g)) : .continueWithoutStart(group: UInt8(g)))
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
            sequences[g].reset()
        }
    }

    private func payloadCount(_ g: Int) -> Int {
        framing == .midi1Message ? max(buffers[g].count - 1, 0) : buffers[g].count
    }

    /// Adds a packet's bytes; false (and the rest of the message dropped) when the message
    /// would grow beyond `maximumSize`.
    private mutating func add(_ bytes: UMPPacketBytes, group g: Int, problem: (SysEx7AssemblyError) -> Void) -> Bool {
        let closing = framing == .midi1Message ? 1 : 0   // room for the F7
        guard buffers[g].count + bytes.count + closing <= maximumSize else {
            buffers[g].removeAll(keepingCapacity: true)
            sequences[g].dropRest()
            problem(.tooLong(group: UInt8(g), limit: maximumSize))
            return false
        }
        var index = 0
        while index < bytes.count {
            buffers[g].append(bytes[index] & 0x7F)
            index += 1
        }
        return true
    }

    private mutating func finish(_ g: Int, _ complete: ([UInt8]) -> Void) {
        if framing == .midi1Message { buffers[g].append(0xF7) }
        complete(buffers[g])
        buffers[g].removeAll(keepingCapacity: true)
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
