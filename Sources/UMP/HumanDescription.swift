// One-line descriptions of packets for people (the console's monitor, logs, test failures).
// Groups and channels are shown 1-based ("G1".."G16", "CH1".."CH16"), as MIDI users count them;
// every other number (notes, controller indexes, programs, banks, function block numbers) is
// the wire value. MIDI 1.0 values are decimal, MIDI 2.0 values hex.

extension UMPPacket: CustomStringConvertible {
    /// The raw words in hex, e.g. `[40932C00 82080000]`.
    public var description: String {
        "[" + words.map { hex($0, width: 8) }.joined(separator: " ") + "]"
    }

    /// One line saying what the packet is, e.g. `G1 CH3 Note On  n=60 v=0x8208 (MIDI 2.0)`.
    public var humanDescription: String {
        message.humanDescription
    }
}

extension UMPMessage {
    /// One line saying what the message is; see `UMPPacket.humanDescription`.
    public var humanDescription: String {
        switch self {
        case .utility(let m): return m.humanDescription
        case .system(let g, let m): return "G\(g + 1) " + m.humanDescription
        case .midi1ChannelVoice(let g, let c, let m): return "G\(g + 1) CH\(c + 1) " + m.humanDescription + " (MIDI 1.0)"
        case .sysEx7(let g, let m): return "G\(g + 1) SysEx7 \(m.format.name) [\(m.bytes.count)] \(m.bytes)".trimmingSpaces
        case .midi2ChannelVoice(let g, let c, let m): return "G\(g + 1) CH\(c + 1) " + m.humanDescription + " (MIDI 2.0)"
        case .data128(let g, let m): return "G\(g + 1) " + m.humanDescription
        case .flexData(let m): return m.humanDescription
        case .stream(let m): return m.humanDescription
        case .unknown(let p): return Self.unknownDescription(p)
        }
    }

    static func unknownDescription(_ p: UMPPacket) -> String {
        let type = p.messageType
        let kind: String
        switch type {
        case .reserved6, .reserved7, .reserved8, .reserved9, .reservedA, .reservedB, .reservedC, .reservedE:
            kind = "Type \(hex(type.rawValue, width: 1)) (reserved)"
        default:
            kind = "Type \(hex(type.rawValue, width: 1)) (reserved status)"
        }
        return kind + " " + p.description
    }
}

/// Message names are padded to 8 characters so that short monitor lines line up.
@usableFromInline
func padded(_ name: String) -> String {
    name.count >= 8 ? name : name + String(repeating: " ", count: 8 - name.count)
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

extension UtilityMessage {
    public var humanDescription: String {
        switch self {
        case .noop: return "NOOP"
        case .jrClock(let t): return "JR Clock t=0x\(hex(t, width: 4))"
        case .jrTimestamp(let t): return "JR Timestamp t=0x\(hex(t, width: 4))"
        case .deltaClockstampTicksPerQuarterNote(let t): return "Delta Clockstamp TPQN \(t)"
        case .deltaClockstamp(let ticks): return "Delta Clockstamp \(ticks)"
        }
    }
}

extension SystemMessage {
    public var humanDescription: String {
        switch self {
        case .timeCodeQuarterFrame(let v): return "MTC Quarter Frame 0x\(hex(v, width: 2))"
        case .songPositionPointer(let v): return "Song Position Pointer \(v)"
        case .songSelect(let v): return "Song Select \(v)"
        case .tuneRequest: return "Tune Request"
        case .timingClock: return "Timing Clock"
        case .start: return "Start"
        case .continue: return "Continue"
        case .stop: return "Stop"
        case .activeSensing: return "Active Sensing"
        case .reset: return "Reset"
        }
    }
}

extension MIDI1ChannelVoiceMessage {
    public var humanDescription: String {
        switch self {
        case .noteOff(let n, let v): return padded("Note Off") + " n=\(n) v=\(v)"
        case .noteOn(let n, let v): return padded("Note On") + " n=\(n) v=\(v)"
        case .polyPressure(let n, let p): return "Poly Pressure n=\(n) p=\(p)"
        case .controlChange(let i, let v): return "Control Change cc=\(i) v=\(v)"
        case .programChange(let p): return "Program Change p=\(p)"
        case .channelPressure(let p): return "Channel Pressure p=\(p)"
        case .pitchBend(let v): return "Pitch Bend v=\(v)"
        }
    }
}

extension MIDI2ChannelVoiceMessage {
    public var humanDescription: String {
        func v32(_ v: UInt32) -> String { "0x" + hex(v, width: 8) }
        func attribute(_ type: NoteAttributeType, _ value: UInt16) -> String {
            type == .none && value == 0 ? "" : " attr=\(type.rawValue):0x\(hex(value, width: 4))"
        }
        switch self {
        case .registeredPerNoteController(let n, let i, let v):
            return "Registered Per-Note Controller n=\(n) index=\(i) v=\(v32(v))"
        case .assignablePerNoteController(let n, let i, let v):
            return "Assignable Per-Note Controller n=\(n) index=\(i) v=\(v32(v))"
        case .registeredController(let b, let i, let v):
            return "Registered Controller bank=\(b) index=\(i) v=\(v32(v))"
        case .assignableController(let b, let i, let v):
            return "Assignable Controller bank=\(b) index=\(i) v=\(v32(v))"
        case .relativeRegisteredController(let b, let i, let v):
            return "Relative Registered Controller bank=\(b) index=\(i) delta=\(v)"
        case .relativeAssignableController(let b, let i, let v):
            return "Relative Assignable Controller bank=\(b) index=\(i) delta=\(v)"
        case .perNotePitchBend(let n, let v):
            return "Per-Note Pitch Bend n=\(n) v=\(v32(v))"
        case .noteOff(let n, let v, let t, let a):
            return padded("Note Off") + " n=\(n) v=0x\(hex(v, width: 4))" + attribute(t, a)
        case .noteOn(let n, let v, let t, let a):
            return padded("Note On") + " n=\(n) v=0x\(hex(v, width: 4))" + attribute(t, a)
        case .polyPressure(let n, let v):
            return "Poly Pressure n=\(n) p=\(v32(v))"
        case .controlChange(let i, let v):
            return "Control Change cc=\(i) v=\(v32(v))"
        case .programChange(let p, let bank):
            return "Program Change p=\(p)" + (bank.map { " bank=\($0.msb):\($0.lsb)" } ?? "")
        case .channelPressure(let v):
            return "Channel Pressure p=\(v32(v))"
        case .pitchBend(let v):
            return "Pitch Bend v=\(v32(v))"
        case .perNoteManagement(let n, let o):
            var flags: [String] = []
            if o.contains(.detachControllers) { flags.append("detach") }
            if o.contains(.resetControllers) { flags.append("reset") }
            return "Per-Note Management n=\(n)" + (flags.isEmpty ? "" : " " + flags.joined(separator: ","))
        }
    }
}

extension Data128Message {
    public var humanDescription: String {
        switch self {
        case .sysEx8(let format, let stream, let bytes):
            return "SysEx8 \(format.name) stream=\(stream) [\(bytes.count)] \(bytes)".trimmingSpaces
        case .mixedDataSetHeader(let h):
            return "Mixed Data Set Header id=\(h.mdsId) chunk=\(h.chunkNumber)/\(h.numberOfChunks) bytes=\(h.validByteCount)"
                + " manufacturer=0x\(hex(h.manufacturerId, width: 4)) device=0x\(hex(h.deviceId, width: 4))"
        case .mixedDataSetPayload(let id, let bytes):
            return "Mixed Data Set Payload id=\(id) \(bytes)"
        }
    }
}

extension FlexDataMessage {
    public var humanDescription: String {
        let target: String
        switch address {
        case .channel: target = "G\(group + 1) CH\(channel + 1)"
        case .group: target = "G\(group + 1)"
        case .reserved2, .reserved3: target = "G\(group + 1) address=\(address.rawValue)"
        }
        return target + " Flex Data \(format.name) bank=0x\(hex(statusBank, width: 2)) status=0x\(hex(status, width: 2))"
    }
}

extension UMPStreamMessage {
    public var humanDescription: String {
        func text(_ bytes: UMPPacketBytes) -> String { "\"" + String(decoding: Array(bytes), as: UTF8.self) + "\"" }
        switch self {
        case .endpointDiscovery(let d):
            return "Endpoint Discovery v\(d.umpVersionMajor).\(d.umpVersionMinor) filter=0x\(hex(d.filter.rawValue, width: 2))"
        case .endpointInfoNotification(let i):
            var flags: [String] = []
            if i.staticFunctionBlocks { flags.append("static") }
            if i.supportsMIDI1Protocol { flags.append("M1") }
            if i.supportsMIDI2Protocol { flags.append("M2") }
            if i.receivesJRTimestamps { flags.append("RXJR") }
            if i.transmitsJRTimestamps { flags.append("TXJR") }
            return "Endpoint Info Notification v\(i.umpVersionMajor).\(i.umpVersionMinor)"
                + " FBs=\(i.numberOfFunctionBlocks)" + (flags.isEmpty ? "" : " " + flags.joined(separator: " "))
        case .deviceIdentityNotification(let d):
            return "Device Identity Notification manufacturer=\(hex(d.manufacturerId, width: 6))"
                + " family=0x\(hex(d.family, width: 4)) model=0x\(hex(d.familyModel, width: 4))"
                + " version=\(hex(d.softwareRevision, width: 8))"
        case .endpointNameNotification(let f, let t):
            return "Endpoint Name Notification \(f.name) " + text(t)
        case .productInstanceIdNotification(let f, let t):
            return "Product Instance Id Notification \(f.name) " + text(t)
        case .streamConfigurationRequest(let c):
            return "Stream Configuration Request " + c.humanDescription
        case .streamConfigurationNotification(let c):
            return "Stream Configuration Notification " + c.humanDescription
        case .functionBlockDiscovery(let d):
            let which = d.functionBlock == FunctionBlockDiscovery.allFunctionBlocks ? "all" : "FB\(d.functionBlock)"
            return "Function Block Discovery \(which) filter=0x\(hex(d.filter.rawValue, width: 2))"
        case .functionBlockInfoNotification(let f):
            let last = Int(f.firstGroup) + Int(f.numberOfGroupsSpanned)
            let groups = f.numberOfGroupsSpanned <= 1 ? "G\(Int(f.firstGroup) + 1)" : "G\(Int(f.firstGroup) + 1)-G\(last)"
            return "Function Block Info Notification FB\(f.functionBlock) \(f.isActive ? "active" : "inactive")"
                + " \(f.direction) \(groups) ui=\(f.uiHint) midi1=\(f.midi1)"
                + " ci=0x\(hex(f.midiCIMessageVersion, width: 2)) sysex8=\(f.maxSysEx8Streams)"
        case .functionBlockNameNotification(let f, let fb, let t):
            return "Function Block Name Notification FB\(fb) \(f.name) " + text(t)
        case .startOfClip: return "Start of Clip"
        case .endOfClip: return "End of Clip"
        }
    }
}

extension StreamConfiguration {
    var humanDescription: String {
        let name = self.protocol == .midi1 ? "MIDI 1.0" : self.protocol == .midi2 ? "MIDI 2.0"
            : "protocol 0x\(hex(self.protocol.rawValue, width: 2))"
        return name + (receivesJRTimestamps ? " RXJR" : "") + (transmitsJRTimestamps ? " TXJR" : "")
    }
}
