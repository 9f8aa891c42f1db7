internal import CUdev

/// One sysfs device as libudev sees it: from an enumeration (current state, udev database
/// properties when udevd has processed it) or from a monitor (an event, with `action`).
public final class UdevDevice {
    let handle: OpaquePointer
    /// Keeps the library context alive for as long as the device.
    let context: UdevContext

    /// Takes over one reference to `handle`.
    init(owning handle: OpaquePointer, context: UdevContext) {
        self.handle = handle
        self.context = context
    }

    deinit { udev_device_unref(handle) }

    /// `/sys/devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0/sound/card1`
    public var syspath: String { Self.string(udev_device_get_syspath(handle)) ?? "" }
    /// `/devices/platform/dummy_hcd.0/usb1/1-1/1-1:1.0/sound/card1` — the key that survives
    /// `remove`.
    public var devpath: String { Self.string(udev_device_get_devpath(handle)) ?? "" }
    public var subsystem: String? { Self.string(udev_device_get_subsystem(handle)) }
    public var devtype: String? { Self.string(udev_device_get_devtype(handle)) }
    /// `card1`, `midiC1D0`
    public var sysname: String { Self.string(udev_device_get_sysname(handle)) ?? "" }
    /// The trailing number of the sysname (`1` for `card1`).
    public var sysnum: String? { Self.string(udev_device_get_sysnum(handle)) }
    /// `/dev/snd/midiC1D0`, for devices with a node.
    public var devnode: String? { Self.string(udev_device_get_devnode(handle)) }
    public var driver: String? { Self.string(udev_device_get_driver(handle)) }
    /// The event's action (`add`, `change`, `remove`, `bind`, `unbind`); `nil` for devices from
    /// an enumeration.
    public var action: UdevAction? { Self.string(udev_device_get_action(handle)).map(UdevAction.init(rawValue:)) }
    /// Whether udevd has processed the device (has a database entry). Always false without udevd.
    public var isInitialized: Bool { udev_device_get_is_initialized(handle) > 0 }
    /// The kernel's event sequence number; 0 for enumerated devices.
    public var sequenceNumber: UInt64 { UInt64(udev_device_get_seqnum(handle)) }

    /// One property (`ID_VENDOR_ID`, `SOUND_INITIALIZED`…).
    public func property(_ key: String) -> String? {
        Self.string(udev_device_get_property_value(handle, key))
    }

    /// All properties: the uevent's plus, for processed devices, what the rules added.
    public var properties: [String: String] {
        var result: [String: String] = [:]
        var entry = udev_device_get_properties_list_entry(handle)
        while let e = entry {
            if let name = Self.string(udev_list_entry_get_name(e)) {
                result[name] = Self.string(udev_list_entry_get_value(e)) ?? ""
            }
            entry = udev_list_entry_get_next(e)
        }
        return result
    }

    /// A sysfs attribute of this device (`idVendor`, `serial`, `number`…), read from sysfs
    /// (libudev caches it). `nil` when the attribute does not exist or cannot be read; a USB
    /// device without an `iSerialNumber` has no `serial` attribute.
    public func sysattrValue(_ name: String) -> String? {
        Self.string(udev_device_get_sysattr_value(handle, name))
    }

    /// The nearest ancestor with this subsystem (and devtype, when given) — e.g. `usb` /
    /// `usb_device` for the USB device a sound card belongs to. `nil` when there is none (a
    /// gadget's own `f_midi` card), or when sysfs no longer has it (the device left already).
    public func parent(subsystem: String, devtype: String? = nil) -> UdevDevice? {
        guard let p = udev_device_get_parent_with_subsystem_devtype(handle, subsystem, devtype) else { return nil }
        // The parent belongs to this device in libudev; take our own reference.
        return UdevDevice(owning: udev_device_ref(p), context: context)
    }

    /// The direct parent device.
    public var parent: UdevDevice? {
        guard let p = udev_device_get_parent(handle) else { return nil }
        return UdevDevice(owning: udev_device_ref(p), context: context)
    }

    static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// A uevent action. Unknown actions are kept as they came.
public struct UdevAction: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let add = UdevAction(rawValue: "add")
    public static let change = UdevAction(rawValue: "change")
    public static let remove = UdevAction(rawValue: "remove")
    public static let bind = UdevAction(rawValue: "bind")
    public static let unbind = UdevAction(rawValue: "unbind")
    public static let move = UdevAction(rawValue: "move")
}
