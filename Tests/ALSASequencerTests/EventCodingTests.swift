@testable import ALSASequencer
import CALSA
import Testing
import POSIX

/// Encoding to `snd_seq_event_t` and decoding back, without a kernel: runs everywhere.
@Suite struct EventCodingTests {
    static let fixedEvents: [SequencerEvent] = [
        .noteOn(channel: 0, note: 60, velocity: 100),
        .noteOn(channel: 15, note: 127, velocity: 0),
        .noteOff(channel: 9, note: 36, velocity: 64),
        .keyPressure(channel: 3, note: 61, pressure: 99),
        .controlChange(channel: 1, controller: 7, value: 127),
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

    @Test("every fixed-length MIDI event survives encode → decode", arguments: fixedEvents)
    func roundTrip(_ event: SequencerEvent) throws {
        var ev = snd_seq_event_t()
        try event.encodeFixed(into: &ev)
        #expect(calsa_ev_is_variable(&ev) == 0)
        let decoded = withUnsafePointer(to: &ev) { SequencerEvent(decoding: $0) }
        #expect(decoded == event)
    }

    @Test("pitch bend is stored in ALSA's signed form")
    func pitchBendStorage() throws {
        var ev = snd_seq_event_t()
        try SequencerEvent.pitchBend(channel: 0, value: 0).encodeFixed(into: &ev)
        #expect(ev.data.control.value == -8192)
        try SequencerEvent.pitchBend(channel: 0, value: 16383).encodeFixed(into: &ev)
        #expect(ev.data.control.value == 8191)
        try SequencerEvent.pitchBend(channel: 0, value: 8192).encodeFixed(into: &ev)
        #expect(ev.data.control.value == 0)
    }

    @Test("out-of-range values are refused with EINVAL naming the field", arguments: [
        (SequencerEvent.noteOn(channel: 16, note: 60, velocity: 1), "channel 16"),
        (.noteOn(channel: 0, note: 128, velocity: 1), "note 128"),
        (.controlChange(channel: 0, controller: 7, value: 200), "value 200"),
        (.pitchBend(channel: 0, value: 16384), "value 16384"),
        (.controlChange14(channel: 0, controller: 40, value: 1), "controller 40"),
        (.songSelect(128), "song 128"),
    ])
    func refusesOutOfRange(_ event: SequencerEvent, _ mentions: String) {
        var ev = snd_seq_event_t()
        let error = #expect(throws: ALSAError.self) { try event.encodeFixed(into: &ev) }
        #expect(error?.code == -EINVAL)
        #expect(error?.operation.contains(mentions) == true, "\(String(describing: error))")
    }

    @Test("kernel notices and unknown types cannot be sent", arguments: [
        SequencerEvent.clientStarted(ClientID(130)), .portExited(Address(client: ClientID(1), port: PortID(2))),
        .portSubscribed(sender: .systemAnnounce, destination: .systemAnnounce), .other(type: 99),
    ])
    func refusesNotices(_ event: SequencerEvent) {
        var ev = snd_seq_event_t()
        #expect(throws: ALSAError.self) { try event.encodeFixed(into: &ev) }
    }

    @Test("received values are masked to their MIDI width")
    func masksReceivedValues() {
        var ev = snd_seq_event_t()
        calsa_ev_set_control(&ev, EventTypeCode.controller, 0x13, 0x187, 0x1FF)
        let decoded = withUnsafePointer(to: &ev) { SequencerEvent(decoding: $0) }
        #expect(decoded == .controlChange(channel: 3, controller: 7, value: 0x7F))
    }

    @Test("a SysEx event decodes to a copy of its bytes")
    func decodesSysEx() {
        var bytes: [UInt8] = [0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7]
        var ev = snd_seq_event_t()
        let decoded = bytes.withUnsafeMutableBytes { raw in
            calsa_ev_set_sysex(&ev, UInt32(raw.count), raw.baseAddress)
            return withUnsafePointer(to: &ev) { SequencerEvent(decoding: $0) }
        }
        bytes[1] = 0  // the decoded value must not alias the buffer
        #expect(decoded == .systemExclusive([0xF0, 0x7E, 0x7F, 0x06, 0x01, 0xF7]))
    }

    @Test("unknown event types decode as .other")
    func decodesOther() {
        var ev = snd_seq_event_t()
        calsa_ev_set_plain(&ev, 90)  // SND_SEQ_EVENT_USR0
        #expect(withUnsafePointer(to: &ev) { SequencerEvent(decoding: $0) } == .other(type: 90))
    }
}

@Suite struct NamingAndErrorTests {
    @Test("long names are shortened to 63 bytes on a character boundary")
    func fitsNames() {
        #expect(SequencerName.fitted("Loopback A") == "Loopback A")
        let long = String(repeating: "é", count: 40)  // 80 bytes
        let fitted = SequencerName.fitted(long)
        #expect(fitted.utf8.count == 62)
        #expect(fitted == String(repeating: "é", count: 31))
        #expect(SequencerName.fitted("a\u{0}b") == "a")
    }

    @Test("an ALSAError says what failed, the code and snd_strerror's text")
    func errorText() {
        let error = ALSAError(code: -ENOENT, operation: "snd_seq_get_any_port_info(130:4)")
        #expect(error.code == -ENOENT)
        #expect(error.errno == .noSuchFileOrDirectory)
        #expect(error.message == "No such file or directory")
        #expect(error.description == "snd_seq_get_any_port_info(130:4): No such file or directory (ALSA error -2)")
        #expect(ALSAError(code: EAGAIN, operation: "x").isWouldBlock)
    }

    @Test("a missing device node is reported as unavailable with the path and why")
    func missingDevice() {
        let result = SequencerAvailability.check(devicePath: "/nonexistent/snd/seq")
        guard case .unavailable(let reason) = result else {
            Issue.record("expected unavailable, got \(result)")
            return
        }
        #expect(reason.contains("/nonexistent/snd/seq"))
        #expect(reason.contains("No such file or directory"))
    }

    @Test("client and port values print as aconnect writes them")
    func addressText() {
        #expect(Address(client: ClientID(128), port: PortID(3)).description == "128:3")
        #expect(Address.systemAnnounce == Address(client: .system, port: PortID(1)))
        #expect(PortCapabilities.duplexMIDI.rawValue == 0x73)
        #expect(PortType.softwareMIDIPort.rawValue == (1 << 1) | (1 << 17) | (1 << 19))
    }
}
