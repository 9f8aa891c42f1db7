import UMP

/// Collects type-3 (SysEx7) packets into whole MIDI 1.0 System Exclusive messages — F0, the
/// payload, F7 — one message in progress per group, for the ALSA side, which wants a SysEx as
/// one event.
///
/// Unlike the UMP module's `SysEx7Assembler`, which hands out a new array per message, this
/// one keeps one buffer per group, grown to the longest message seen and reused, and lends it
/// to the caller while it emits: no allocation per message once warmed up.
///
/// Broken sequences follow the UMP module's rules: Continue/End with nothing in progress is
/// dropped; a Start or Complete that interrupts a message drops the partial one and begins
/// its own; a message longer than `maximumMessageSize` is dropped up to its End. Each drop is
/// counted.
struct SysExOutputAssembler {
    /// Largest message (F0 and F7 included) kept.
    let maximumMessageSize: Int

    private var buffers: [[UInt8]] = Array(repeating: [], count: 16)
    private var states: [State] = Array(repeating: .idle, count: 16)
    /// Messages dropped: broken sequences and over-long messages.
    private(set) var droppedMessages: UInt64 = 0
    /// Packets dropped because no message was in progress on their group.
    private(set) var strayPackets: UInt64 = 0

    private enum State { case idle, collecting, discarding }

    init(maximumMessageSize: Int = 1 << 20) {
        self.maximumMessageSize = max(maximumMessageSize, 2)
    }

    /// Feeds a type-3 packet. When it completes a message, `complete` gets the whole message
    /// (F0 … F7) — a view of the group's buffer, valid only during the call.
    mutating func append(_ packet: UMPPacket, complete: ([UInt8]) -> Void) {
        guard let sysex = SysEx7Packet(packet) else {
            strayPackets &+= 1
            return
        }
        let group = Int(packet.word0 >> 24 & 0xF)
        switch sysex.format {
        case .complete, .start:
            if states[group] == .collecting { droppedMessages &+= 1 }
            buffers[group].removeAll(keepingCapacity: true)
            buffers[group].append(0xF0)
            states[group] = .collecting
            add(sysex.bytes, group: group)
            if sysex.format == .complete { finish(group, complete) }
        case .continue, .end:
            switch states[group] {
            case .idle:
                strayPackets &+= 1
            case .discarding:
                if sysex.format == .end { states[group] = .idle }
            case .collecting:
                add(sysex.bytes, group: group)
                if sysex.format == .end { finish(group, complete) }
            }
        }
    }

    /// Forgets every message in progress.
    mutating func reset() {
        for group in 0..<16 {
            buffers[group].removeAll(keepingCapacity: true)
            states[group] = .idle
        }
    }

    private mutating func add(_ bytes: UMPPacketBytes, group: Int) {
        guard states[group] == .collecting else { return }
        // +1: room for the closing F7.
        guard buffers[group].count + bytes.count + 1 <= maximumMessageSize else {
            buffers[group].removeAll(keepingCapacity: true)
            states[group] = .discarding
            droppedMessages &+= 1
            return
        }
        var index = 0
        while index < bytes.count {
            buffers[group].append(bytes[index] & 0x7F)
            index += 1
        }
    }

    private mutating func finish(_ group: Int, _ complete: ([UInt8]) -> Void) {
        if states[group] == .collecting {
            buffers[group].append(0xF7)
            complete(buffers[group])
            buffers[group].removeAll(keepingCapacity: true)
        }
        states[group] = .idle
    }
}
