import Foundation
import Glibc
import IPC
import Testing
import UMP

/// Issue 12, item 4: saving the config in place (truncate, pause, write) must never let a
/// reload see the empty file and tear down every pair.
@Suite("config saves in place", .serialized)
struct ConfigSaveRaceTests {
    static let idOne = "{0C1B3439-593F-4B7A-8950-4698D97B0897}"
    static let idTwo = "{B21B4973-3F85-48A0-8BA3-B35F44683D36}"

    /// Like an editor saving in place: open with O_TRUNC, pause, write, close.
    static func saveInPlace(_ path: String, _ text: String, pauseMicroseconds: useconds_t) throws {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { throw HarnessError("open \(path): \(errno)") }
        defer { close(fd) }
        usleep(pauseMicroseconds)
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == bytes.count else { throw HarnessError("short write") }
    }

    @Test func aReloadDuringASaveInPlaceKeepsEveryPairAndItsConnections() throws {
        let sandbox = try DaemonSandbox()
        let text = loopbackConfig([(Self.idOne, "Race 1A", "Race 1B", "race1"), (Self.idTwo, "Race 2A", "Race 2B", "race2")])
        try sandbox.writeConfig(text)
        let daemon = try DaemonProcess(sandbox)
        defer { withExtendedLifetime(daemon) {} }
        let client = try TestClient(path: sandbox.socketPath)
        try client.handshake()
        #expect(try client.pairs().count == 2)
        let opened = try client.open("loop_a_race1")

        // The trial: two saves 140 ms apart, the second pausing between its truncate
        // and its write — here longer than the settle delay, so a reload does land in the gap.
        try Self.saveInPlace(sandbox.configPath, text, pauseMicroseconds: 0)
        usleep(140_000)
        try Self.saveInPlace(sandbox.configPath, text, pauseMicroseconds: 400_000)
        #expect(daemon.waitForLog("is empty (a save in progress looks like this); keeping the 2 pairs"), "\(daemon.log)")
        usleep(500_000)   // the final content settles and is applied

        #expect(try client.pairs().count == 2)
        #expect(!daemon.log.contains("removed 2"), "\(daemon.log)")
        let closed = client.events.filter { if case (_, .connectionClosed) = $0 { return true } else { return false } }
        #expect(closed.isEmpty, "open connections were closed by the save")
        // The connection still works: the pair was never re-created.
        try client.sendUMP([TimestampedUMP(timestamp: 0, packet: UMPPacket(0x2090_3C40))], on: opened.connection, reportRequested: true)
        _ = try client.pairs()
        #expect(client.reports.last?.connection == opened.connection)
        #expect(client.reports.last?.rejected == 0)

        // Writing {} is how to say "no pairs": that is applied.
        try Self.saveInPlace(sandbox.configPath, "{}", pauseMicroseconds: 0)
        let none = try client.waitForPairs { $0.isEmpty }
        #expect(none.isEmpty)
    }
}
