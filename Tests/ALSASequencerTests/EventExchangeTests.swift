import ALSASequencer
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Two wrapper clients connected port to port on the real kernel, exchanging every kind.
@Suite(.needsSequencer) struct EventExchangeTests {
    /// Every MIDI 1.0 kind the wrapper sends, SysEx apart.
    static let everyFixedKind: [SequencerEvent] = [
        .noteOn(channel: 0, note: 60, velocity: 100),
        .noteOff(channel: 0, note: 60, velocity: 0),
        .noteOn(channel: 15, note: 127, velocity: 127),
        .keyPressure(channel: 3, note: 61, pressure: 99),
        .controlChange(channel: 1, controller: 7, value: 127),
        .controlChange(channel: 1, controller: 0, value: 0),
        .programChange(channel: 2, program: 42),
        .channelPressure(channel: 4, pressure: 1),
        .pitchBend(channel: 5, value: 0),
        .pitchBend(channel: 5, value: 8192),
        .pitchBend(channel: 5, value: 16383),
        .controlChange14(channel: 6, controller: 1, value: 0x2001),
        .nonRegisteredParameter(channel: 7, parameter: 0x1234, value: 0x0ABC),
        .registeredParameter(channel: 8, parameter: 0, value: 0x3FFF),
        .songPosition(0x2ABC),
        .songSelect(5),
        .timeCodeQuarterFrame(0x35),
        .tuneRequest, .timingClock, .start, .continue, .stop, .activeSensing, .systemReset,
    ]

    /// A 1,000-byte SysEx message: F0, 998 data bytes covering 0…127, F7.
    static let longSysEx: [UInt8] = [0xF0] + (0..<998).map { UInt8($0 % 128) } + [0xF7]

    struct Pair {
        let sender: SequencerClient
        let receiver: SequencerClient
        var from: Address { sender.address(of: PortID(0)) }
        var to: Address { receiver.address(of: PortID(0)) }
    }

    func connectedPair(_ base: String) throws -> Pair {
        let sender = try SequencerClient(name: uniqueName("\(base) Tx"))
        let receiver = try SequencerClient(name: uniqueName("\(base) Rx"))
        try sender.createPort(PortID(0), name: "out")
        try receiver.createPort(PortID(0), name: "in")
        try sender.connect(from: PortID(0), to: receiver.address(of: PortID(0)))
        return Pair(sender: sender, receiver: receiver)
    }

    /// The receiver's MIDI events, subscription notices aside.
    func midiEvents(_ events: [ReceivedEvent]) -> [ReceivedEvent] {
        events.filter {
            switch $0.event {
            case .portSubscribed, .portUnsubscribed: return false
            default: return true
            }
        }
    }

    @Test("every MIDI 1.0 kind arrives unchanged, in order, from the sender's port")
    func everyKind() throws {
        let pair = try connectedPair("KT Kinds")
        let shortSysEx: [UInt8] = [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7]
        for event in Self.everyFixedKind { try pair.sender.send(event, from: PortID(0)) }
        try pair.sender.send(.systemExclusive(shortSysEx), from: PortID(0))
        #expect(pair.sender.drainOutput() == 0)
        #expect(pair.sender.pendingOutputBytes == 0)

        let expected = Self.everyFixedKind + [.systemExclusive(shortSysEx)]
        // Everything the receiver gets: first the kernel's notice that the sender connected to
        // it (sent from 0:1 to the end that did not make the connection), then the MIDI events.
        let all = try pair.receiver.collect(what: "\(expected.count + 1) events") {
            $0.count >= expected.count + 1
        }
        #expect(all.first?.event == .portSubscribed(sender: pair.from, destination: pair.to))
        #expect(all.first?.source == .systemAnnounce)
        let received = Array(all.dropFirst())
        #expect(received.map(\.event) == expected)
        #expect(received.allSatisfy { $0.source == pair.from && $0.destination == pair.to })
        // The sender made the connection itself and is told nothing.
        #expect(try pair.sender.readEvent() == nil)
        #expect(pair.sender.droppedOutputEvents == 0)
    }

    @Test("a 1,000-byte SysEx arrives byte for byte, in 256-byte chunks")
    func longSysExChunked() throws {
        let pair = try connectedPair("KT SysEx")
        try pair.sender.sendSystemExclusive(Self.longSysEx, from: PortID(0))
        pair.sender.drainOutput()
        let chunks = midiEvents(try pair.receiver.collect(what: "SysEx ending in F7") { events in
            if case .systemExclusive(let bytes) = events.last?.event { return bytes.last == 0xF7 }
            return false
        })
        var assembled: [UInt8] = []
        for chunk in chunks {
            guard case .systemExclusive(let bytes) = chunk.event else {
                Issue.record("unexpected \(chunk.event)")
                continue
            }
            assembled += bytes
        }
        #expect(chunks.count == 4)
        #expect(assembled == Self.longSysEx)
    }

    @Test("a 1,000-byte SysEx sent as one event arrives as one event")
    func longSysExWhole() throws {
        let pair = try connectedPair("KT SysEx1")
        try pair.sender.send(.systemExclusive(Self.longSysEx), from: PortID(0))
        pair.sender.drainOutput()
        let received = midiEvents(try pair.receiver.collect(what: "one SysEx") { !midiEvents($0).isEmpty })
        #expect(received.map(\.event) == [.systemExclusive(Self.longSysEx)])
    }

    @Test("a 12,000-byte SysEx in default chunks arrives whole after reassembly")
    func veryLongSysEx() throws {
        let pair = try connectedPair("KT SysEx12k")
        // 47 chunks of 256 bytes need 470 cells; a default input FIFO has 200.
        try pair.receiver.setInputPool(SequencerClient.maximumInputPool)
        #expect(try pair.receiver.pool().inputPool == SequencerClient.maximumInputPool)
        let message: [UInt8] = [0xF0] + (0..<11_998).map { UInt8(($0 * 7) % 128) } + [0xF7]
        try pair.sender.sendSystemExclusive(message, from: PortID(0))
        pair.sender.drainOutput()
        var assembled: [UInt8] = []
        _ = try pair.receiver.collect(what: "12,000-byte SysEx") { events in
            assembled = events.reduce(into: []) { result, item in
                if case .systemExclusive(let bytes) = item.event { result += bytes }
            }
            return assembled.last == 0xF7
        }
        #expect(assembled == message)
        #expect(pair.sender.droppedOutputEvents == 0)
    }

    @Test("one SysEx event larger than the receiver's input pool is refused by the kernel and counted")
    func sysExLargerThanReceiverPool() throws {
        let pair = try connectedPair("KT Pool")
        // A default input FIFO has 200 cells of 28 bytes: no single event of 200 × 28 bytes fits.
        let tooLarge = [0xF0] + [UInt8](repeating: 0x22, count: 200 * 28 - 2) + [0xF7]
        try pair.sender.send(.systemExclusive(tooLarge), from: PortID(0))
        #expect(pair.sender.drainOutput() == 1)
        #expect(pair.sender.lastOutputError?.code == -ENOMEM)

        // The refusal marks the receiver as overflowed: its next read discards its whole FIFO,
        // even events that arrived after the refusal, and reports the overrun.
        try pair.sender.send(.noteOn(channel: 0, note: 64, velocity: 64), from: PortID(0))
        #expect(pair.sender.drainOutput() == 0)
        var afterRefusal: [SequencerEvent] = []
        try pair.receiver.readPendingEvents { afterRefusal.append($0.event) }
        #expect(afterRefusal.isEmpty)
        #expect(pair.receiver.inputOverruns == 1)

        // Find the largest size that does arrive, in 28-byte steps down (recorded for docs).
        var size = 200 * 28 - 28
        while size > 4000 {
            let message = [0xF0] + [UInt8](repeating: 0x11, count: size - 2) + [0xF7]
            try pair.sender.send(.systemExclusive(message), from: PortID(0))
            if pair.sender.drainOutput() == 0 {
                let received = midiEvents(try pair.receiver.collect(what: "a \(size)-byte SysEx") { !midiEvents($0).isEmpty })
                #expect(received.map(\.event) == [.systemExclusive(message)])
                break
            }
            try pair.receiver.readPendingEvents { _ in }  // consume the overrun the refusal caused
            size -= 28
        }
        print("largest single SysEx event a default-pool receiver takes: \(size) bytes")
        #expect(size >= 5000)
    }

    @Test("a SysEx chunk larger than one event can hold is refused, not truncated")
    func oversizedChunk() throws {
        let pair = try connectedPair("KT Big")
        let tooBig = [UInt8](repeating: 0x10, count: pair.sender.maximumEventDataSize + 1)
        let error = #expect(throws: ALSAError.self) { try pair.sender.send(.systemExclusive(tooBig), from: PortID(0)) }
        #expect(error?.code == -EINVAL)
        #expect(pair.sender.pendingOutputBytes == 0)
        let badChunk = #expect(throws: ALSAError.self) {
            try pair.sender.sendSystemExclusive([0xF0, 0xF7], from: PortID(0), chunkSize: 0)
        }
        #expect(badChunk?.operation.contains("chunk size 0") == true)
    }

    @Test("events to an explicit address arrive without a subscription")
    func explicitDestination() throws {
        let sender = try SequencerClient(name: uniqueName("KT Direct Tx"))
        let receiver = try SequencerClient(name: uniqueName("KT Direct Rx"))
        try sender.createPort(PortID(0), name: "out")
        try receiver.createPort(PortID(4), name: "in")
        try sender.send(.programChange(channel: 9, program: 3), from: PortID(0), to: receiver.address(of: PortID(4)))
        sender.drainOutput()
        let received = try receiver.collect(what: "program change") { !$0.isEmpty }
        #expect(received.first?.event == .programChange(channel: 9, program: 3))
        #expect(received.first?.destination == receiver.address(of: PortID(4)))
    }

    @Test("a receiver that does not read loses events; the sender counts drops and goes on")
    func slowReceiverDrops() throws {
        let pair = try connectedPair("KT Slow")
        #expect(try pair.receiver.pool().inputPool == 200)
        // Far more than the receiver's input FIFO (200 cells by default) holds.
        for index in 0..<3000 {
            try pair.sender.send(.controlChange(channel: 0, controller: 1, value: UInt8(index % 128)), from: PortID(0))
        }
        pair.sender.drainOutput()
        let dropped = pair.sender.droppedOutputEvents
        #expect(dropped > 2000 && dropped < 3000, "dropped \(dropped)")
        let error = try #require(pair.sender.lastOutputError)
        #expect(error.code == -EAGAIN || error.code == -ENOMEM, "\(error)")
        #expect(pair.sender.pendingOutputBytes == 0)

        // On overflow the kernel discards the receiver's whole FIFO and says so on the next
        // read: the reader sees the overrun, and none of the stale events.
        var count = 0
        try pair.receiver.readPendingEvents { event in
            if case .controlChange = event.event { count += 1 }
        }
        #expect(pair.receiver.inputOverruns == 1)
        #expect(count < 3000 - Int(dropped))

        // After the loss the connection still works, with nothing dropped.
        try pair.sender.send(.noteOn(channel: 0, note: 1, velocity: 2), from: PortID(0))
        #expect(pair.sender.drainOutput() == 0)
        let after = try pair.receiver.collect(what: "note after overflow") { events in
            events.contains { $0.event == .noteOn(channel: 0, note: 1, velocity: 2) }
        }
        #expect(!after.isEmpty)
    }

    @Test("disconnecting stops delivery")
    func disconnect() throws {
        let pair = try connectedPair("KT Disc")
        try pair.sender.disconnect(from: PortID(0), to: pair.to)
        try pair.sender.send(.noteOn(channel: 0, note: 1, velocity: 1), from: PortID(0))
        pair.sender.drainOutput()
        try pair.receiver.connect(from: pair.from, to: PortID(0))
        try pair.sender.send(.noteOn(channel: 0, note: 2, velocity: 2), from: PortID(0))
        pair.sender.drainOutput()
        let received = midiEvents(try pair.receiver.collect(what: "second note") { events in
            events.contains { $0.event == .noteOn(channel: 0, note: 2, velocity: 2) }
        })
        #expect(received.map(\.event) == [.noteOn(channel: 0, note: 2, velocity: 2)])
    }
}
