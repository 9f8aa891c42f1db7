import Foundation
import Glibc
import IPC
import Testing

/// What the real `midisrv` says about USB devices on a machine without udevd (this build
/// machine, containers). With udevd and real devices: the VM group usb-endpoints.
@Suite("midisrv USB status")
struct USBDaemonStatusTests {
    @Test(.enabled(if: access("/run/udev/control", F_OK) != 0, "udevd runs here; the VM group usb-endpoints covers hotplug"))
    func withoutUdevdTheFallbackIsSaidOnceAndShownInStatus() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake(name: "usb-status")
        guard case .status(let status) = try client.request(.serviceStatus) else { Issue.record("no status"); return }
        #expect(!status.udev.available)
        #expect(status.udev.detail.contains("no udev daemon (/run/udev/control does not exist)"))
        #expect(status.udev.detail.contains("scanning sysfs"))
        let lines = daemon.log.split(separator: "\n").filter { $0.contains("no udev daemon") }
        #expect(lines.count == 1, "\(lines)")
        #expect(lines.first?.contains(" notice ") == true, "said once, at notice level")
    }
}
