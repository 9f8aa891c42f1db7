/// Turns a MIDI 1.0 byte stream (a DIN/USB/rawmidi port, an ALSA raw event) into UMP packets of
/// types 1 (system common/real time), 2 (MIDI 1.0 channel voice) and 3 (SysEx7), as the UMP
/// specification's default translation does (M2-104-UM Appendix D / §7.7).
///
/// The parser is a small value with no heap storage: `feed` never allocates.
/// - Running status is honoured; system common messages and SysEx clear it (MIDI 1.0 §"Running
///   Status"), real-time messages do not.
/// - Real-time bytes (F8, FA, FB, FC, FE, FF) are emitted at once wherever they appear — inside a
///   SysEx or between the bytes of another message — and leave the parser's state untouched.
///   The undefined F9 and FD are dropped the same way.
/// - SysEx (F0 … F7) of any length becomes type-3 packets of up to 6 bytes: one Complete, or
///   Start, Continue…, End. F0 and F7 are not carried. Any status byte other than real time
///   ends a SysEx as F7 would (MIDI 1.0 says it terminates the message); that byte is then
///   handled normally. An F7 outside a SysEx is ignored.
/// - Data bytes with no status to belong to (at start, after a system common message, after
///   F4/F5) are dropped. The undefined system common statuses F4 and F5 are dropped and clear
///   running status.
public struct MIDI1StreamParser: Sendable {
    /// Status of the message being collected: a channel voice status (also the running status),
    /// F1/F2/F3 while their data arrives, or 0 for none.
    @usableFromInline var status: UInt8 = 0
    @usableFromInline var firstData: UInt8 = 0
    @usableFromInline var haveFirstData = false

    @usableFromInline var inSysEx = false
    /// Whether a Start packet has gone out for the SysEx in progress.
    @usableFromInline var sysExStarted = false
    /// Bytes waiting for a packet (0…6): bytes 0–1 in `sysExHigh`'s low 16 bits, 2–5 in `sysExLow`.
    @usableFromInline var sysExCount: UInt8 = 0
    @usableFromInline var sysExHigh: UInt32 = 0
    @usableFromInline var sysExLow: UInt32 = 0

    public init() {}

    /// Drops any partly received message and the running status.
    public mutating func reset() {
        self = MIDI1StreamParser()
    }

    /// Feeds a sequence of bytes.
    @inlinable
    public mutating func feed<S: Sequence>(_ bytes: S, group: UInt8, emit: (UMPPacket) -> Void) where S.Element == UInt8 {
        for byte in bytes { feed(byte, group: group, emit: emit) }
    }

    /// Feeds one byte; `emit` is called for every packet it completes (0, 1 or, when a status
    /// byte ends a SysEx and is itself complete, 2).
    @inlinable
    public mutating func feed(_ byte: UInt8, group: UInt8, emit: (UMPPacket) -> Void) {
        let g = UInt32(group & 0xF) << 24
        if byte >= 0xF8 {
            // Real time: never disturbs what is being collected.
            if byte != 0xF9 && byte != 0xFD {
                emit(UMPPacket(0x1000_0000 | g | UInt32(byte) << 16))
            }
            return
        }
        if byte >= 0x80 {
            if inSysEx {
                finishSysEx(group: g, emit: emit)
                if byte == 0xF7 { return }
            }
            haveFirstData = false
            switch byte {
            case 0xF0:
                status = 0
                inSysEx = true
                sysExStarted = false
                sysExCount = 0
                sysExHigh = 0
                sysExLow = 0
            case 0xF1, 0xF2, 0xF3:
                status = byte
            case 0xF6:
                status = 0
                emit(UMPPacket(0x1000_0000 | g | 0xF6 << 16))
            case 0xF4, 0xF5, 0xF7:
                status = 0
            default:
                status = byte  // channel voice: also the running status
            }
            return
        }
        // Data byte.
        if inSysEx {
            appendSysEx(byte, group: g, emit: emit)
            return
        }
        guard status != 0 else { return }  // stray data byte
        let needed: Int
        switch status {
        case 0xF1, 0xF3: needed = 1
        case 0xF2: needed = 2
        default: needed = (status & 0xF0) == 0xC0 || (status & 0xF0) == 0xD0 ? 1 : 2
        }
        if needed == 2 && !haveFirstData {
            firstData = byte
            haveFirstData = true
            return
        }
        let (d1, d2): (UInt8, UInt8) = needed == 2 ? (firstData, byte) : (byte, 0)
        haveFirstData = false
        let type: UInt32 = status >= 0xF0 ? 0x1000_0000 : 0x2000_0000
        emit(UMPPacket(type | g | UInt32(status) << 16 | UInt32(d1) << 8 | UInt32(d2)))
        if status >= 0xF0 { status = 0 }  // system common: no running status
    }

    /// A whole channel voice message — `status` 0x80…0xEF and its data bytes (`data2` is
    /// ignored for program change and channel pressure) — handled exactly as feeding its bytes
    /// one by one would be (an unfinished SysEx ends first; the status becomes the running
    /// status), in one step. For a source that delivers whole messages (an ALSA event), this
    /// saves three passes through the byte state machine per message.
    @inlinable
    public mutating func feedChannelVoice(status byte: UInt8, _ data1: UInt8, _ data2: UInt8, group: UInt8,
                                          emit: (UMPPacket) -> Void) {
        let g = UInt32(group & 0xF) << 24
        if inSysEx { finishSysEx(group: g, emit: emit) }
        haveFirstData = false
        status = byte
        let high = byte & 0xF0
        let second: UInt32 = high == 0xC0 || high == 0xD0 ? 0 : UInt32(data2 & 0x7F)
        emit(UMPPacket(0x2000_0000 | g | UInt32(byte) << 16 | UInt32(data1 & 0x7F) << 8 | second))
    }

    @inlinable
    mutating func appendSysEx(_ byte: UInt8, group g: UInt32, emit: (UMPPacket) -> Void) {
        if sysExCount == 6 {
            // Only now is it known that the SysEx goes on past these six bytes.
            emitSysEx(format: sysExStarted ? .continue : .start, group: g, emit: emit)
            sysExStarted = true
        }
        let index = UInt32(sysExCount)
        if index < 2 {
            sysExHigh |= UInt32(byte) << (8 * (1 - index))
        } else {
            sysExLow |= UInt32(byte) << (8 * (5 - index))
        }
        sysExCount += 1
    }

    @inlinable
    mutating func finishSysEx(group g: UInt32, emit: (UMPPacket) -> Void) {
        emitSysEx(format: sysExStarted ? .end : .complete, group: g, emit: emit)
        inSysEx = false
        sysExStarted = false
    }

    @inlinable
    mutating func emitSysEx(format: UMPFormat, group g: UInt32, emit: (UMPPacket) -> Void) {
        emit(UMPPacket(0x3000_0000 | g | UInt32(format.rawValue) << 20 | UInt32(sysExCount) << 16 | sysExHigh,
                       sysExLow))
        sysExCount = 0
        sysExHigh = 0
        sysExLow = 0
    }
}
