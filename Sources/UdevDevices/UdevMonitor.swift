#if canImport(Glibc)
import Glibc
#endif
internal import CUdev

/// A netlink listener for device events. Made for a poll loop: `fileDescriptor` becomes
/// readable when events wait, and `receive()` never blocks.
public final class UdevMonitor {
    /// Which netlink multicast group to listen on.
    public enum Source: String, Sendable {
        /// Events after udevd has run its rules (properties such as `ID_VENDOR_ID` present).
        /// The only source a service should use.
        case udev
        /// Raw kernel events, before rules. For diagnostics.
        case kernel
    }

    let handle: OpaquePointer
    let context: UdevContext
    public let source: Source
    private var receiving = false

    public init(context: UdevContext, source: Source = .udev) throws(UdevError) {
        guard let m = udev_monitor_new_from_netlink(context.handle, source.rawValue) else {
            throw .fromErrno("udev_monitor_new_from_netlink", subject: source.rawValue)
        }
        handle = m
        self.context = context
        self.source = source
    }

    deinit { udev_monitor_unref(handle) }

    /// Only pass events of this subsystem (and devtype) — filtered in the kernel (BPF), before
    /// they wake the process. Call before `enableReceiving()`.
    public func filter(subsystem: String, devtype: String? = nil) throws(UdevError) {
        let rc = udev_monitor_filter_add_match_subsystem_devtype(handle, subsystem, devtype)
        guard rc >= 0 else {
            throw .fromReturn(rc, "udev_monitor_filter_add_match_subsystem_devtype", subject: subsystem)
        }
        if receiving {
            let rc = udev_monitor_filter_update(handle)
            guard rc >= 0 else { throw .fromReturn(rc, "udev_monitor_filter_update", subject: subsystem) }
        }
    }

    /// Binds the socket; events are queued from here on. The socket is made non-blocking.
    public func enableReceiving() throws(UdevError) {
        let rc = udev_monitor_enable_receiving(handle)
        guard rc >= 0 else { throw .fromReturn(rc, "udev_monitor_enable_receiving", subject: source.rawValue) }
        let fd = fileDescriptor
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) >= 0 else {
            throw .fromErrno("fcntl(O_NONBLOCK)", subject: "udev monitor socket")
        }
        receiving = true
    }

    /// Asks the kernel for a larger socket buffer, so a burst of events (a hub with many
    /// devices) is not dropped while the loop is busy. Needs CAP_NET_ADMIN above rmem_max.
    public func setReceiveBufferSize(_ bytes: Int32) throws(UdevError) {
        let rc = udev_monitor_set_receive_buffer_size(handle, bytes)
        guard rc >= 0 else { throw .fromReturn(rc, "udev_monitor_set_receive_buffer_size", subject: "\(bytes)") }
    }

    /// The socket to poll for readability.
    public var fileDescriptor: Int32 { udev_monitor_get_fd(handle) }

    /// The next queued event, or `nil` when none is waiting (never blocks). Call until `nil`
    /// after the descriptor polls readable.
    public func receive() -> UdevDevice? {
        guard let d = udev_monitor_receive_device(handle) else { return nil }
        return UdevDevice(owning: d, context: context)
    }
}
