import CALSA

/// What kind of thing a port is (`SND_SEQ_PORT_TYPE_*`), as shown to other programs.
public struct PortType: OptionSet, Hashable, Sendable {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let specific = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_SPECIFIC))
    /// Understands MIDI messages in general.
    public static let midiGeneric = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_MIDI_GENERIC))
    public static let midiGM = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_MIDI_GM))
    public static let midiGS = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_MIDI_GS))
    public static let midiXG = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_MIDI_XG))
    public static let midiMT32 = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_MIDI_MT32))
    public static let midiGM2 = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_MIDI_GM2))
    public static let synth = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_SYNTH))
    public static let directSample = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_DIRECT_SAMPLE))
    public static let sample = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_SAMPLE))
    /// Backed by hardware.
    public static let hardware = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_HARDWARE))
    /// Backed by software.
    public static let software = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_SOFTWARE))
    public static let synthesizer = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_SYNTHESIZER))
    /// Connects to other devices (a port in the "MIDI port" sense).
    public static let port = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_PORT))
    public static let application = PortType(rawValue: UInt32(SND_SEQ_PORT_TYPE_APPLICATION))

    /// MIDI_GENERIC|SOFTWARE|PORT: what a software MIDI endpoint shows itself as.
    public static let softwareMIDIPort: PortType = [.midiGeneric, .software, .port]
    /// MIDI_GENERIC|SOFTWARE|APPLICATION: a port of a program, not a connector. PipeWire's
    /// ALSA MIDI bridge presents a port as *physical* (and terminal) when its type has HARDWARE,
    /// PORT or SPECIFIC (spa/plugins/alsa, `init_port`); DAWs and patchbays sort those with the
    /// hardware. The ALSA bridge's loopback ports use this type, so they appear as software.
    public static let softwareMIDIApplication: PortType = [.midiGeneric, .software, .application]
}
