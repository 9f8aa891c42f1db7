internal import CUdev

/// A libudev library context (`struct udev`). Every device, monitor and enumerator keeps the
/// context it came from alive. libudev objects are not thread-safe: use a context and what it
/// made from one thread (the daemon's event loop) — hence not `Sendable`.
public final class UdevContext {
    let handle: OpaquePointer

    public init() throws(UdevError) {
        guard let h = udev_new() else { throw .fromErrno("udev_new") }
        handle = h
    }

    deinit { udev_unref(handle) }

    /// The device at a sysfs path (`/sys/devices/…/sound/card1`).
    public func device(syspath: String) throws(UdevError) -> UdevDevice {
        guard let d = udev_device_new_from_syspath(handle, syspath) else {
            throw .fromErrno("udev_device_new_from_syspath", subject: syspath)
        }
        return UdevDevice(owning: d, context: self)
    }

    /// The device with a subsystem and sysname (`sound`, `card1`).
    public func device(subsystem: String, sysname: String) throws(UdevError) -> UdevDevice {
        guard let d = udev_device_new_from_subsystem_sysname(handle, subsystem, sysname) else {
            throw .fromErrno("udev_device_new_from_subsystem_sysname", subject: "\(subsystem)/\(sysname)")
        }
        return UdevDevice(owning: d, context: self)
    }
}
