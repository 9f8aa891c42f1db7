internal import CUdev

/// A scan of the devices present now (`udev_enumerate`). Works without udevd — it reads sysfs —
/// but then devices carry only kernel properties, no rule-made ones.
public final class UdevEnumerator {
    let handle: OpaquePointer
    let context: UdevContext

    public init(context: UdevContext) throws(UdevError) {
        guard let e = udev_enumerate_new(context.handle) else { throw .fromErrno("udev_enumerate_new") }
        handle = e
        self.context = context
    }

    deinit { udev_enumerate_unref(handle) }

    public func matchSubsystem(_ subsystem: String) throws(UdevError) {
        let rc = udev_enumerate_add_match_subsystem(handle, subsystem)
        guard rc >= 0 else { throw .fromReturn(rc, "udev_enumerate_add_match_subsystem", subject: subsystem) }
    }

    /// Shell glob on the sysname (`card*`, `midiC*D*`).
    public func matchSysname(_ pattern: String) throws(UdevError) {
        let rc = udev_enumerate_add_match_sysname(handle, pattern)
        guard rc >= 0 else { throw .fromReturn(rc, "udev_enumerate_add_match_sysname", subject: pattern) }
    }

    public func matchProperty(_ key: String, value: String) throws(UdevError) {
        let rc = udev_enumerate_add_match_property(handle, key, value)
        guard rc >= 0 else { throw .fromReturn(rc, "udev_enumerate_add_match_property", subject: "\(key)=\(value)") }
    }

    /// Only `parent` and devices below it.
    public func matchParent(_ parent: UdevDevice) throws(UdevError) {
        let rc = udev_enumerate_add_match_parent(handle, parent.handle)
        guard rc >= 0 else { throw .fromReturn(rc, "udev_enumerate_add_match_parent", subject: parent.syspath) }
    }

    /// Scans and returns the matching devices, sorted by syspath as libudev sorts them. A device
    /// that vanishes between the scan and its lookup is left out.
    public func scanDevices() throws(UdevError) -> [UdevDevice] {
        let rc = udev_enumerate_scan_devices(handle)
        guard rc >= 0 else { throw .fromReturn(rc, "udev_enumerate_scan_devices") }
        var devices: [UdevDevice] = []
        var entry = udev_enumerate_get_list_entry(handle)
        while let e = entry {
            if let path = udev_list_entry_get_name(e),
               let d = udev_device_new_from_syspath(context.handle, path) {
                devices.append(UdevDevice(owning: d, context: context))
            }
            entry = udev_list_entry_get_next(e)
        }
        return devices
    }
}
