import Foundation
import Glibc
import IPC
import Testing

/// Issue 12, items 5 and 6: a configuration of thousands of pairs does not hold the daemon
/// deaf to SIGTERM, and a burst of renames is saved once, not once per rename.
@Suite("daemon under load", .serialized)
struct ServiceLoadTests {
    static func guid(_ n: Int) -> String {
        let hex = String(n, radix: 16, uppercase: true)
        return "{" + String(repeating: "0", count: 8 - hex.count) + hex + "-0000-4000-8000-000000000000}"
    }

    @Test func sigtermIsHonouredWhileAThousandsOfPairsConfigIsApplied() throws {
        let sandbox = try DaemonSandbox()
        try sandbox.writeConfig(loopbackConfig((0..<4000).map { n in (Self.guid(n + 1), "Load \(n) A", "Load \(n) B", "l\(n)") }))
        let daemon = try DaemonProcess(sandbox, waitForSocket: false)
        #expect(daemon.waitForLog("starting ("))
        daemon.signal(SIGTERM)
        let status = daemon.waitForExit(timeout: 20)
        #expect(status == 0, "midisrv did not stop within 20 s of SIGTERM during the apply:\n\(daemon.log.suffix(1500))")
        #expect(daemon.log.contains("SIGTERM: stopping"))
    }

    @Test func aBurstOfRenamesIsSavedOnceAndSurvivesARestart() throws {
        let sandbox = try DaemonSandbox()
        var daemon: DaemonProcess? = try DaemonProcess(sandbox)
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        for n in 1...40 {
            guard case .endpoint = try client.request(.renameEndpoint(RenameEndpointRequest(endpoint: "diag_loopback_a", name: "Burst \(n)"))) else {
                Issue.record("rename \(n) failed"); return
            }
        }
        #expect(daemon?.waitForLog("state saved to") == true)
        usleep(700_000)
        let saves = daemon?.log.components(separatedBy: "state saved to").count ?? 1
        #expect(saves - 1 >= 1 && saves - 1 <= 3, "\(saves - 1) saves for 40 renames")
        daemon?.signal(SIGTERM)
        #expect(daemon?.waitForExit() == 0)
        daemon = try DaemonProcess(sandbox, logName: "second.log")
        let again = try TestClient(path: sandbox.socketPath)
        try again.handshake()
        guard case .endpoint(let info) = try again.request(.endpointProperties(EndpointReference(endpoint: "diag_loopback_a"))) else {
            Issue.record("no properties"); return
        }
        #expect(info.name == "Burst 40")
        withExtendedLifetime(daemon) {}
    }

    @Test func aRenameRightBeforeSigtermIsSaved() throws {
        let sandbox = try DaemonSandbox()
        var daemon: DaemonProcess? = try DaemonProcess(sandbox)
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        guard case .endpoint = try client.request(.renameEndpoint(RenameEndpointRequest(endpoint: "diag_loopback_b", name: "Last word"))) else {
            Issue.record("rename failed"); return
        }
        daemon?.signal(SIGTERM)
        #expect(daemon?.waitForExit() == 0)
        daemon = try DaemonProcess(sandbox, logName: "second.log")
        let again = try TestClient(path: sandbox.socketPath)
        try again.handshake()
        guard case .endpoint(let info) = try again.request(.endpointProperties(EndpointReference(endpoint: "diag_loopback_b"))) else {
            Issue.record("no properties"); return
        }
        #expect(info.name == "Last word")
        withExtendedLifetime(daemon) {}
    }
}
