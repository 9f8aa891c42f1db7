import Foundation
import Glibc

/// CPU time actually spent by a process, all threads, in nanoseconds — from the scheduler's
/// own accounting (`/proc/<pid>/task/*/schedstat`, first field), which is exact, unlike the
/// 10 ms ticks of `/proc/<pid>/stat`. On a machine shared with other work this is the robust
/// figure: a busy neighbour stretches wall-clock rates but not the CPU a message costs.
enum CPUTime {
    static func nanoseconds(pid: Int32) -> UInt64? {
        let directory = "/proc/\(pid)/task"
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        var total: UInt64 = 0
        for task in tasks {
            guard let text = try? String(contentsOfFile: "\(directory)/\(task)/schedstat", encoding: .utf8),
                  let first = text.split(separator: " ").first, let value = UInt64(first) else { continue }
            total += value
        }
        return total
    }

    /// This process, threads that already ended included (`getrusage`, microsecond resolution).
    static func ownNanoseconds() -> UInt64 {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let micros = (Int64(usage.ru_utime.tv_sec) + Int64(usage.ru_stime.tv_sec)) * 1_000_000
            + Int64(usage.ru_utime.tv_usec) + Int64(usage.ru_stime.tv_usec)
        return UInt64(max(0, micros)) * 1000
    }
}
