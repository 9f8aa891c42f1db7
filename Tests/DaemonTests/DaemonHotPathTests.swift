import Foundation
import Glibc
import MIDIServices
import Testing
import UMP

/// The real `midisrv` allocates nothing per message it routes between SDK connections: reading
/// a frame, validating and decoding it, routing it through the loopback, writing it to the
/// receiver's batch and sending that. On a paced stream every message is its own frame, so one
/// allocation per frame is one per message — and on the bench machine a malloc/free pair per
/// frame cost ~5 µs of each message's latency (a String built for an error never thrown).
///
/// Measured with the `malloc` shim (Tests/support/malloc_count.c), which the daemon inherits
/// through LD_PRELOAD from the test process (`scripts/test` preloads it; plain `swift test`
/// skips this test and says why). SIGUSR2 opens and closes the shim's counting window in the
/// daemon; the count is written when the daemon exits. A failing run keeps the window's
/// backtraces in `/tmp/midisrv-hot-path-allocations.txt`; `Tests/support/alloc_sites.py`
/// symbolizes them.
@Suite("Daemon hot path")
struct DaemonHotPathTests {
    static let shimLoaded = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "shim_thread_malloc_count") != nil

    @Test(.enabled(if: shimLoaded, "needs the malloc-counting shim in LD_PRELOAD (Tests/support/malloc_count.c; scripts/test loads it)"))
    func routingMessagesAllocatesNothingPerMessage() throws {
        let scratch = try DaemonSandbox()
        let countFile = scratch.directory + "/malloc-count", traceFile = scratch.directory + "/malloc-trace"
        let daemon = try SDKDaemon(config: defaultPairConfig,
                                   environment: ["MALLOC_COUNT_FILE": countFile, "MALLOC_TRACE_FILE": traceFile])
        let session = try daemon.session()
        let a = try session.createEndpointConnection(endpointDeviceId: defaultA)
        let b = try session.createEndpointConnection(endpointDeviceId: defaultB)
        let received = b.collect()
        try a.open()
        try b.open()

        // Warm-up: whatever grows once (batch buffers, the runtime's metadata caches) grows now.
        for index in 0..<200 { _ = a.sendSingleMessageWords(timestamp: 0, 0x2090_3C00 | UInt32(index & 0x7F)) }
        #expect(received.wait(for: 200).count == 200)

        daemon.process.signal(SIGUSR2)   // window open (pending before any of the frames below)
        let singles = 2_000, batches = 20, batchSize = 100
        for index in 0..<singles {
            // Paced a little so that most go through the daemon as frames of their own.
            #expect(a.sendSingleMessageWords(timestamp: 0, 0x2090_3C00 | UInt32(index & 0x7F)) == .succeeded)
            if index % 50 == 49 { usleep(1_000) }
        }
        let batch = (0..<batchSize).map { TimestampedUMP(timestamp: 0, packet: UMPPacket(0x4090_3C00, UInt32($0) << 16)) }
        for _ in 0..<batches { #expect(a.sendMultipleMessages(batch) == .succeeded) }
        let total = 200 + singles + batches * batchSize
        #expect(received.wait(for: total).count == total)
        daemon.process.signal(SIGUSR2)   // window closed
        session.close()
        try daemon.stop()

        let counts = try String(contentsOfFile: countFile, encoding: .utf8).split(separator: " ")
        let window = try #require(counts.count == 2 ? Int(counts[1].trimmingCharacters(in: .whitespacesAndNewlines)) : nil,
                                  "count file holds \(counts)")
        let messages = singles + batches * batchSize
        print("daemon hot path: \(window) allocations in the window of \(messages) messages")
        // A handful is the daemon's own business (the config watcher, a client hanging up);
        // one per frame would be thousands.
        #expect(window <= 20, "\(window) allocations while routing \(messages) messages; backtraces in /tmp/midisrv-hot-path-allocations.txt")
        if window > 20 {
            unlink("/tmp/midisrv-hot-path-allocations.txt")
            _ = try? FileManager.default.copyItem(atPath: traceFile, toPath: "/tmp/midisrv-hot-path-allocations.txt")
        }
    }
}
