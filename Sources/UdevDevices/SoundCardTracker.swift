/// The event rules of docs/design.md §6, apart from any I/O, so they can be tested with captured
/// udev events:
///
/// - only card devices (`card<N>`) matter; rawmidi and control devices are not events;
/// - a card has *arrived* when an event carries `SOUND_INITIALIZED=1` — udev's sound rules set
///   it on the card's `change` event, after every device of the card exists and with the USB
///   identity (`ID_VENDOR_ID`, `ID_SERIAL_SHORT`, `ID_PATH_TAG`) imported; the `add` event has
///   none of it. (In practice no `add` carries the property; the rule looks at the property,
///   not the action, so that a `udevadm trigger --action=add` replay still works.)
/// - udev repeats `change` events (`udevadm trigger`): a card already reported is not reported
///   again;
/// - on `remove` the sysfs ancestry is gone, so a removal is recognised by DEVPATH among the
///   cards reported earlier; cards never reported (not USB, no MIDI) produce nothing.
public struct SoundCardTracker: Sendable {
    /// What the tracker decided about one event.
    public enum Decision: Hashable, Sendable {
        case arrived(USBMIDICardInfo)
        case removed(devpath: String)
        /// Not an event for the daemon, with why (for debug logging).
        case ignored(String)
    }

    /// Why a sound card is not a USB MIDI endpoint.
    public enum Rejection: Error, Hashable, Sendable, CustomStringConvertible {
        /// No `usb`/`usb_device` ancestor: an on-board or virtual card, or a USB gadget's own
        /// `f_midi` card (its parent is the UDC, not a USB device).
        case noUSBParent
        /// A USB card without rawmidi devices (an audio interface without MIDI).
        case noRawMidi
        /// The identity could not be read (the device left while we looked, or sysfs is odd).
        case unreadable(String)

        public var description: String {
            switch self {
            case .noUSBParent: return "not a USB device (no usb_device ancestor)"
            case .noRawMidi: return "USB card without MIDI ports"
            case .unreadable(let why): return "USB identity unreadable: \(why)"
            }
        }
    }

    /// DEVPATHs of the cards reported as arrived and not yet removed.
    public private(set) var reported: [String: USBMIDICardInfo] = [:]

    public init() {}

    /// `card0`, `card12` — the card devices; `controlC0`, `midiC0D0`, `pcmC0D0p` are not.
    public static func isCardSysname(_ sysname: String) -> Bool {
        guard sysname.hasPrefix("card") else { return false }
        let digits = sysname.dropFirst(4)
        return !digits.isEmpty && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    /// One udev event for a device of subsystem `sound`. `inspect` reads the card (only called
    /// when the event is an arrival of a card not reported yet).
    public mutating func handle(action: String?, devpath: String, sysname: String,
                                soundInitialized: Bool,
                                inspect: () -> Result<USBMIDICardInfo, Rejection>) -> Decision {
        guard Self.isCardSysname(sysname) else { return .ignored("\(sysname) is not a card device") }
        if action == "remove" {
            guard reported.removeValue(forKey: devpath) != nil else {
                return .ignored("\(devpath) removed, was not a USB MIDI card")
            }
            return .removed(devpath: devpath)
        }
        guard soundInitialized else {
            return .ignored("\(devpath) \(action ?? "enumerated") without SOUND_INITIALIZED=1: identity not ready")
        }
        guard reported[devpath] == nil else { return .ignored("\(devpath) already reported") }
        switch inspect() {
        case .success(let info):
            reported[devpath] = info
            return .arrived(info)
        case .failure(let rejection):
            return .ignored("\(devpath): \(rejection)")
        }
    }

    /// Forgets every card, e.g. when the monitor had to be recreated; returns the DEVPATHs the
    /// daemon should treat as removed.
    public mutating func reset() -> [String] {
        defer { reported = [:] }
        return reported.keys.sorted()
    }
}
