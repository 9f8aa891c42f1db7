import Glibc
import POSIX

/// Tells the service manager how start-up, reloads and stopping go: systemd's `sd_notify`
/// protocol (sd_notify(3)) without libsystemd — one `AF_UNIX` datagram of `KEY=value` lines to
/// the socket named by `NOTIFY_SOCKET` (a path, or an abstract name written with a leading `@`).
///
/// Without `NOTIFY_SOCKET` (started by hand, `Type=simple`) every call does nothing. A message
/// that cannot be sent is returned as an error for the caller to log; it never stops the daemon.
public final class SystemdNotifier {
    /// The socket address, as given in `NOTIFY_SOCKET`; nil when not under a service manager.
    public let address: String?
    /// How often the service manager wants `WATCHDOG=1` at the latest (`WatchdogSec=`, passed
    /// as `WATCHDOG_USEC`), in nanoseconds; nil when no watchdog is armed for this process.
    public let watchdogInterval: UInt64?
    private var descriptor: Int32 = -1

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` and removes them from the
    /// environment (sd_notify's `unset_environment`), so nothing this process starts sends
    /// notifications in its name. `pid` is this process's (a parameter so tests can vary it).
    public init(environment: [String: String], pid: pid_t = getpid(), unsetEnvironment: Bool = true) {
        let value = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        // Only Unix socket addresses are supported (systemd also knows vsock: for VMs talking to
        // their host, not for a service on this machine).
        if let value, value.hasPrefix("/") || value.hasPrefix("@") {
            address = value
        } else {
            address = nil
        }
        // sd_watchdog_enabled(3): WATCHDOG_USEC is for us only when WATCHDOG_PID is absent or
        // names this process (a child that inherited the variables must not ping).
        let watchdogPid = environment["WATCHDOG_PID"].flatMap { pid_t($0) }
        if address != nil, let usec = environment["WATCHDOG_USEC"].flatMap({ UInt64($0) }), usec > 0,
           watchdogPid == nil || watchdogPid == pid {
            watchdogInterval = usec.multipliedReportingOverflow(by: 1000).overflow ? UInt64.max : usec * 1000
        } else {
            watchdogInterval = nil
        }
        if unsetEnvironment {
            unsetenv("NOTIFY_SOCKET")
            unsetenv("WATCHDOG_USEC")
            unsetenv("WATCHDOG_PID")
        }
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    public var isActive: Bool { address != nil }

    /// Start-up finished: the socket accepts clients and the configured endpoints exist.
    public func ready(status: String) throws(SystemError) { try send(["READY=1", "STATUS=\(status)", "MAINPID=\(getpid())"]) }

    /// A reload (SIGHUP) begins; `ready(status:)` ends it. `MONOTONIC_USEC` is what
    /// `Type=notify-reload` (systemd 253+) matches the reload request with; older managers ignore it.
    public func reloading() throws(SystemError) {
        try send(["RELOADING=1", "STATUS=re-reading the configuration", "MONOTONIC_USEC=\(MonotonicClock.now() / 1000)"])
    }

    /// The daemon is shutting down.
    public func stopping() throws(SystemError) { try send(["STOPPING=1", "STATUS=stopping"]) }

    /// The keep-alive ping: sent from the event loop's thread, so it stops when the loop stops
    /// turning (a handler stuck, a deadlock) and systemd then kills and restarts the daemon.
    public func watchdog() throws(SystemError) { try send(["WATCHDOG=1"]) }

    /// Free-form status shown by `systemctl status`.
    public func status(_ text: String) throws(SystemError) { try send(["STATUS=\(text)"]) }

    /// Sends the lines as one datagram. A no-op without `NOTIFY_SOCKET`.
    public func send(_ lines: [String]) throws(SystemError) {
        guard let address else { return }
        if descriptor < 0 {
            descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw .current("socket(AF_UNIX, SOCK_DGRAM) for NOTIFY_SOCKET") }
        }
        // A status line may carry a path or name with a newline in it; a newline would end the
        // line early, so it becomes a space.
        let message = Array(lines.map { $0.replacing("\n", with: " ") }.joined(separator: "\n").utf8)
        var sockaddrValue = sockaddr_un()
        sockaddrValue.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(address.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }   // abstract namespace
        let capacity = MemoryLayout.size(ofValue: sockaddrValue.sun_path)
        guard pathBytes.count < capacity || (pathBytes.first == 0 && pathBytes.count <= capacity) else {
            throw SystemError(operation: "NOTIFY_SOCKET \(address)", errno: Errno(ENAMETOOLONG))
        }
        withUnsafeMutableBytes(of: &sockaddrValue.sun_path) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        // Abstract names are not NUL-terminated: the length says where they end.
        let length = socklen_t(MemoryLayout.offset(of: \sockaddr_un.sun_path)! + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let sent = message.withUnsafeBytes { bytes in
            withUnsafePointer(to: &sockaddrValue) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                    retryingOnInterrupt { sendto(descriptor, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), address, length) }
                }
            }
        }
        guard sent >= 0 else { throw .current("sendto NOTIFY_SOCKET \(address)") }
    }
}
