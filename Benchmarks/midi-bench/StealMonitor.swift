import Foundation
import Glibc
import Synchronization

/// Watches the CPU time the hypervisor takes from this machine while a round runs, per CPU,
/// so that a loaded comparison can tell a round the hypervisor stalled from one the code did.
///
/// On a virtual machine the host deschedules a vCPU now and then; every thread on it stops,
/// real-time ones too, and one such stall of 60–100 ms sets a latency round's p99 (20 ms delays
/// 100 messages paced every 200 µs). The kernel accounts it as `steal` in `/proc/stat` when the
/// vCPU runs again, so a stall shows as one jump of that CPU's steal. A thread samples every
/// CPU's steal every 10 ms and keeps the largest jump of one CPU between two samples (the
/// "burst") and the total: the burst is what decides whether a round is repeated, the total
/// is reported beside it. `/proc/stat` counts in USER_HZ ticks (10 ms here), so a burst of
/// 20 ms as read means at least ~10 ms really stolen at once.
final class StealMonitor: @unchecked Sendable {
    /// What the hypervisor took while one round ran.
    struct Reading: Codable, Sendable {
        /// All CPUs together, ms.
        var totalMilliseconds: Int
        /// The largest rise of one CPU's steal between two samples 10 ms apart, ms.
        var burstMilliseconds: Int
        /// The CPU of that burst ("cpu1"), empty when there was none.
        var burstCPU: String
    }

    private struct State {
        var running = true
        var first: [Int] = []
        var last: [Int] = []
        var burst = 0
        var burstCPU = -1

        /// Takes a new sample: the largest rise of one CPU since the last sample so far.
        mutating func record(_ now: [Int]?) {
            guard let now, now.count == last.count else { return }
            for cpu in now.indices where now[cpu] - last[cpu] > burst {
                burst = now[cpu] - last[cpu]
                burstCPU = cpu
            }
            last = now
        }
    }

    private let state = Mutex(State())
    private var thread: pthread_t?
    static let samplingInterval: UInt64 = 10_000_000

    /// Every CPU's steal in ms, in the order of `/proc/stat`'s `cpuN` lines; nil where the
    /// kernel does not report steal (not a VM, or an old kernel).
    static func perCPUMilliseconds() -> [Int]? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        let hertz = sysconf(Int32(_SC_CLK_TCK))
        guard hertz > 0 else { return nil }
        var values: [Int] = []
        for line in text.split(separator: "\n") {
            guard line.hasPrefix("cpu") else { break }
            // "cpuN user nice system idle iowait irq softirq steal …", in USER_HZ; skip the
            // "cpu " total line.
            let fields = line.split(separator: " ")
            guard fields[0] != "cpu" else { continue }
            guard fields.count > 8, let ticks = Int(fields[8]) else { return nil }
            values.append(ticks * 1000 / hertz)
        }
        return values.isEmpty ? nil : values
    }

    /// CPU time the hypervisor took from this machine's CPUs so far, all CPUs together, in ms;
    /// nil where the kernel does not report it. The loaded reports print its rise per condition.
    static func totalMilliseconds() -> Int? {
        perCPUMilliseconds()?.reduce(0, +)
    }

    /// Starts sampling; nil when there is no steal to read.
    static func start() -> StealMonitor? {
        guard let first = perCPUMilliseconds() else { return nil }
        let monitor = StealMonitor()
        monitor.state.withLock { $0.first = first; $0.last = first }
        let box = Unmanaged.passRetained(monitor)
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            let monitor = Unmanaged<StealMonitor>.fromOpaque(argument!).takeRetainedValue()
            monitor.sample()
            return nil
        }, box.toOpaque())
        guard created == 0 else {
            box.release()
            return nil
        }
        monitor.thread = thread
        return monitor
    }

    private func sample() {
        while true {
            BenchClock.sleep(nanoseconds: Self.samplingInterval)
            let now = Self.perCPUMilliseconds()
            let running = state.withLock { state -> Bool in
                guard state.running else { return false }
                state.record(now)
                return true
            }
            if !running { return }
        }
    }

    /// Stops sampling (after one last sample) and says what the hypervisor took since `start`.
    func stop() -> Reading {
        state.withLock { $0.running = false }
        if let thread { pthread_join(thread, nil) }
        // The last stretch since the thread's last sample.
        let now = Self.perCPUMilliseconds()
        return state.withLock { state in
            state.record(now)
            let total = zip(state.last, state.first).reduce(0) { $0 + $1.0 - $1.1 }
            return Reading(totalMilliseconds: total, burstMilliseconds: state.burst,
                           burstCPU: state.burstCPU >= 0 ? "cpu\(state.burstCPU)" : "")
        }
    }
}
