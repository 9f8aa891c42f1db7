import ALSASequencer
import Foundation

/// What the ALSA comparisons (`alsa`, `alsa-loaded`) send through: a temporary midisrv with one
/// transient loopback pair ("Bench ALSA"), whose bridge clients make the route app → A → B →
/// app, and the user relay (`alsa-relay`, app → relay → app) in its own process. With a
/// real-time priority, the daemon's loop and the relay's thread run SCHED_FIFO at it, or the
/// rig fails.
final class ALSARig {
    /// One way through the sequencer: the sender writes to `to`, the receiver reads from `from`.
    struct Route {
        var name: String
        var label: String
        var to: Address
        var from: Address
    }

    let daemon: DaemonInstance
    let relay: ChildProcess
    /// A client of its own for looking up addresses.
    let probe: SequencerClient
    let bridge: Route
    let userRelay: Route

    init(own: String, daemonExecutable: String, scratch: String, name: String = "alsa",
         realtimePriority: Int32 = 0) throws(BenchError) {
        daemon = try DaemonInstance(executable: daemonExecutable, scratch: scratch, name: name, realtimePriority: realtimePriority)
        try daemon.requireLoopScheduling(priority: realtimePriority)
        let control = try DaemonControl(socketPath: daemon.socketPath, clientName: "midi-bench alsa")
        _ = try control.createLoopbackPair(name: "Bench ALSA", uniqueIdentifier: "BENCHALSA")
        control.close()
        do { probe = try SequencerClient(name: "midi-bench probe") } catch { throw .alsa(error) }
        let a = try ALSAAddressArgument.waitForClient(named: "Bench ALSA (A)", using: probe, seconds: 20)
        let b = try ALSAAddressArgument.waitForClient(named: "Bench ALSA (B)", using: probe, seconds: 20)
        bridge = Route(name: "bridge", label: "bridge A→B (\(a.client)→\(b.client))", to: a, from: b)
        relay = try ChildProcess(name: "ALSA relay", executable: own,
                                 arguments: ["alsa-relay", "--rt-priority", "\(realtimePriority)"])
        let announced: String
        do { announced = try relay.readLine(timeoutSeconds: 20) } catch {
            throw .process("the ALSA relay did not start (see its error above): \(error)")
        }
        guard announced.hasPrefix("ready "), let relayClient = UInt8(announced.dropFirst(6)) else {
            throw .process("the ALSA relay printed \"\(announced)\" instead of ready <client>")
        }
        let relayAddress = Address(client: ClientID(relayClient), port: PortID(0))
        userRelay = Route(name: "relay", label: "user relay (\(relayAddress))", to: relayAddress, from: relayAddress)
    }

    func stop() {
        relay.stop()
        daemon.stop()
    }

    /// One latency round along `route`, from fresh application ends: `count` paced events
    /// measured after `warmup`; the measured samples are appended to `samples`.
    static func latencyRound(_ route: Route, count: Int, warmup: Int, intervalMicroseconds: Int,
                             samples: inout [UInt64]) throws(BenchError) -> ALSARunResult {
        let ends = try ALSAEnds(to: route.to, from: route.from, label: route.name)
        let buffer = SampleBuffer(capacity: count)
        let result = try ALSALoops.latency(ends, route: route.name, count: count, warmup: warmup,
                                           interval: UInt64(intervalMicroseconds) * 1000,
                                           timeoutMilliseconds: 5000, samples: buffer)
        samples += buffer.recorded
        return result
    }
}
