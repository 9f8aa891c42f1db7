/// Collects type-3 packets back into whole SysEx payloads, one message in progress per group
/// (M2-104-UM §7.7: SysEx on different groups may interleave; on one group it may not).
/// Assembly allocates — it is for consumers of whole messages, not the routing hot path.
public struct SysEx7Assembler: Sendable {
    /// Largest payload kept; longer messages are dropped with `SysEx7AssemblyError.tooLong`.
    public let maximumPayloadSize: Int

    private var buffers: [[UInt8]] = Array(repeating: [], count: 16)
    private var state: [State] = Array(repeating: .idle, count: 16)

    private enum State: Sendable { case idle, collecting, discarding }

    public init(maximumPayloadSize: Int = 1 << 20) {
        self.maximumPayloadSize = maximumPayloadSize
    }

    /// Feeds one packet. Returns the payload (without F0/F7) when `packet` completes a message,
    /// `nil` while one is still being collected or when `packet` is not a SysEx7 packet.
    /// Packets that do not form a valid sequence are reported to `problem` (what, and on which
    /// group) and assembly carries on: a Start or Complete that interrupts a message still begins
    /// its own, so a new message is never lost because of an earlier broken one.
    public mutating func append(
        _ packet: UMPPacket, problem: (SysEx7AssemblyError) -> Void = { _ in }
    ) -> [UInt8]? {
        guard packet.messageType == .data64, let group = packet.group else { return nil }
        guard let sysex = SysEx7Packet(packet) else {
            problem(.malformedPacket(group: group, word0: packet.word0))
            return nil
        }
        let g = Int(group)
        switch sysex.format {
        case .complete, .start:
            if state[g] == .collecting {
                problem(.interrupted(group: group, discardedByteCount: buffers[g].count))
            }
            reset(g)
            if sysex.format == .complete { return Array(sysex.bytes) }
            state[g] = .collecting
            add(sysex.bytes, group: g, problem: problem)
            return nil
        case .continue, .end:
            switch state[g] {
            case .idle:
                problem(sysex.format == .end ? .endWithoutStart(group: group) : .continueWithoutStart(group: group))
                return nil
            case .discarding:
                if sysex.format == .end { reset(g) }
                return nil
            case .collecting:
                add(sysex.bytes, group: g, problem: problem)
                guard sysex.format == .end else { return nil }
                defer { reset(g) }
                return state[g] == .collecting ? buffers[g] : nil
            }
        }
    }

    /// Drops any partly collected message on every group.
    public mutating func reset() {
        for g in 0..<16 { reset(g) }
    }

    private mutating func reset(_ g: Int) {
        buffers[g].removeAll(keepingCapacity: true)
        state[g] = .idle
    }

    private mutating func add(_ bytes: UMPPacketBytes, group g: Int, problem: (SysEx7AssemblyError) -> Void) {
        guard buffers[g].count + bytes.count <= maximumPayloadSize else {
            buffers[g].removeAll(keepingCapacity: false)
            state[g] = .discarding
            problem(.tooLong(group: UInt8(g), limit: maximumPayloadSize))
            return
        }
        buffers[g].append(contentsOf: bytes)
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
