import Glibc
@testable import MIDIDaemon
import ServiceCore
import Testing
import UMP

/// The USB device path allocates nothing per message — UMP to a device (types 2, 4, 3) with the
/// per-iteration flush, and bytes from a device to UMP — even unoptimised.
///
/// Counting needs the `malloc` shim (Tests/support/malloc_count.c) loaded into the test
/// process; it counts the test's own thread, as other tests run in parallel. `scripts/test`
/// preloads it; plain `swift test` skips this test and says why. By hand:
///
///     gcc -O2 -shared -fPIC -o /tmp/malloc_count.so Tests/support/malloc_count.c
///     LD_PRELOAD=/tmp/malloc_count.so swift test --filter USBHotPathTests
@Suite("USB hot path")
struct USBHotPathTests {
    typealias Counter = @convention(c) () -> UInt
    static let counter: Counter? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "shim_thread_malloc_count")
        .map { unsafeBitCast($0, to: Counter.self) }

    /// Mallocs during `rounds` rounds of: a MIDI 1.0 note, a MIDI 2.0 note and a two-packet SysEx
    /// sent to the device, one iteration's flush, the device's bytes read back, and one message
    /// from the device.
    func mallocs(rounds: Int, count: Counter) throws -> UInt {
        let rig = USBBridgeRig()
        rig.manager.cardArrived(usbCard())
        let receiver = CollectingReceiver()
        receiver.messages.reserveCapacity(rounds + 16)
        let connection = try rig.service.openConnection(to: usbId("usb_1209_4d49_ser-0001"), receiver: receiver)
        // Warm up: open the substreams, grow whatever grows once.
        _ = rig.service.send(UMPPacket(0x2090_3C40), timestamp: 0, from: connection)
        _ = rig.service.send(UMPPacket(0x2190_3C40), timestamp: 0, from: connection)
        try rig.turn(2)
        let device = try #require(rig.manager.devices.first)
        let in0 = try #require(rig.ports.input(card: 1, 0))
        let out0 = try #require(rig.ports.output(card: 1, 0)), out1 = try #require(rig.ports.output(card: 1, 1))
        _ = out0.take()
        _ = out1.take()
        let sysEx = SysEx7.packets(group: 1, payload: Array(1...12))
        var note: (UInt8, UInt8, UInt8) = (0x90, 0x3C, 0x40)
        var sink: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        let start = count()
        for _ in 0..<rounds {
            _ = rig.service.send(UMPPacket(0x2090_3C40), timestamp: 0, from: connection)
            _ = rig.service.send(UMPPacket(0x4191_3C00, 0x8000_0000), timestamp: 0, from: connection)
            _ = rig.service.send(sysEx[0], timestamp: 0, from: connection)
            _ = rig.service.send(sysEx[1], timestamp: 0, from: connection)
            rig.manager.iterate()
            _ = withUnsafeMutableBytes(of: &sink) { Glibc.read(out0.readEnd, $0.baseAddress, $0.count) }
            _ = withUnsafeMutableBytes(of: &sink) { Glibc.read(out1.readEnd, $0.baseAddress, $0.count) }
            _ = withUnsafeBytes(of: &note) { Glibc.write(in0.writeEnd, $0.baseAddress, 3) }
            device.inputs[0].readAvailable()
        }
        let used = count() - start
        #expect(receiver.messages.count == rounds)
        return used
    }

    @Test(.enabled(if: counter != nil, "needs the malloc-counting shim in LD_PRELOAD (Tests/support/malloc_count.c; scripts/test loads it)"))
    func noAllocationPerMessage() throws {
        let count = try #require(Self.counter)
        let none = try mallocs(rounds: 0, count: count)
        let many = try mallocs(rounds: 4000, count: count)
        print("USB hot path: \(none) mallocs for 0 rounds, \(many) for 4000")
        #expect(many <= none + 16, "\(many) mallocs in 4000 rounds of 5 messages")
    }
}
