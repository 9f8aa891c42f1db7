import Glibc
import POSIX

/// Real-time scheduling for one thread: the daemon's event-loop thread and, when an
/// application opts in, the SDK's reader thread (docs/daemon.md, "Real-time scheduling").
///
/// A MIDI wake-up is a few microseconds of work; under normal scheduling (SCHED_OTHER) it waits
/// behind whatever else is runnable — a DAW's worker threads, a browser — so on a busy machine
/// the tail of the latency grows by scheduler time slices. SCHED_FIFO lets the thread run as
/// soon as its descriptor is ready. The thread still blocks (epoll, recvmsg) when idle: a FIFO
/// thread that waits costs nothing, and the kernel's real-time throttling
/// (`/proc/sys/kernel/sched_rt_runtime_us`, 95 % by default) bounds what a flood could take.
///
/// Asked of the kernel directly; it grants the policy when the process runs as root, has
/// CAP_SYS_NICE, or `RLIMIT_RTPRIO` allows the priority (systemd `LimitRTPRIO=`, the `audio`
/// group's `rtprio` in limits.conf). When refused, `request` says why and what grants it, and
/// the thread keeps normal scheduling.
public enum RealtimeScheduling {
    /// The default SCHED_FIFO priority (1…99, higher runs first): 20. That is below the audio
    /// graph threads of PipeWire and JACK setups (PipeWire's data threads default to 88), which
    /// have a hard deadline every period and must not wait for MIDI bookkeeping, and above
    /// every normal thread. It is also rtkit's default ceiling (`--max-realtime-priority=20`), so
    /// the same number works wherever rtkit-style limits are configured.
    public static let defaultPriority: Int32 = 20
    /// The range Linux accepts for SCHED_FIFO; 0 means "normal scheduling" in options.
    public static let priorityRange: ClosedRange<Int32> = 1...99
    /// SCHED_RESET_ON_FORK (<linux/sched.h>; Swift's Glibc does not export it): or'ed into the
    /// policy, children and new threads start with normal scheduling.
    static let resetOnFork: Int32 = 0x4000_0000

    public enum Outcome: Equatable, Sendable, CustomStringConvertible {
        /// The thread now runs SCHED_FIFO at this priority.
        case granted(priority: Int32)
        /// Priority 0 was asked for: normal scheduling, nothing changed.
        case disabled
        /// The kernel refused; the thread keeps normal scheduling. `reason` is a whole sentence
        /// for the log: the limit that refused it and what would grant it.
        case refused(priority: Int32, reason: String)

        public var description: String {
            switch self {
            case .granted(let priority): return "SCHED_FIFO priority \(priority)"
            case .disabled: return "normal scheduling (real-time priority 0)"
            case .refused(let priority, let reason): return "normal scheduling: SCHED_FIFO \(priority) refused: \(reason)"
            }
        }
    }

    /// Puts the calling thread into SCHED_FIFO at `priority` (0: leave it as it is). With
    /// SCHED_RESET_ON_FORK, so threads and processes it creates later start with normal
    /// scheduling instead of inheriting the real-time class.
    public static func requestForCurrentThread(priority: Int32) -> Outcome {
        guard priority != 0 else { return .disabled }
        guard priorityRange.contains(priority) else {
            return .refused(priority: priority, reason: "\(priority) is outside SCHED_FIFO's \(priorityRange.lowerBound)…\(priorityRange.upperBound)")
        }
        var parameter = sched_param(sched_priority: priority)
        let result = pthread_setschedparam(pthread_self(), SCHED_FIFO | resetOnFork, &parameter)
        if result == 0 { return .granted(priority: priority) }
        return .refused(priority: priority, reason: refusalReason(priority: priority, errno: result))
    }

    /// The calling thread's policy and priority now, for logs and tests.
    public static func currentThreadPolicy() -> (policy: Int32, priority: Int32) {
        var policy: Int32 = 0
        var parameter = sched_param()
        guard pthread_getschedparam(pthread_self(), &policy, &parameter) == 0 else { return (-1, 0) }
        return (policy & ~resetOnFork, parameter.sched_priority)
    }

    /// `RLIMIT_RTPRIO`'s soft limit of this process (0 when real-time scheduling is not allowed
    /// without CAP_SYS_NICE), or nil when it cannot be read; `RLIM_INFINITY` as `Int.max`.
    public static func priorityLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(__RLIMIT_RTPRIO.rawValue), &limit) == 0 else { return nil }
        return limit.rlim_cur >= rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    static func refusalReason(priority: Int32, errno code: Int32) -> String {
        guard code == EPERM else {
            return SystemError(operation: "pthread_setschedparam(SCHED_FIFO, \(priority))", errno: Errno(code)).description
        }
        let limit = priorityLimit()
        if let limit, limit >= Int(priority) {
            // The limit allows it, so something else refused: a kernel with real-time group
            // scheduling gives a cgroup without a real-time budget none at all.
            return "not permitted although RLIMIT_RTPRIO (\(limit == Int.max ? "unlimited" : "\(limit)")) allows \(priority); "
                + "the control group may have no real-time budget (CONFIG_RT_GROUP_SCHED: cpu.rt_runtime_us)"
        }
        let shown = limit.map { "\($0)" } ?? "unreadable"
        return "not permitted (RLIMIT_RTPRIO is \(shown), below \(priority), and no CAP_SYS_NICE); "
            + "grant it with LimitRTPRIO=\(priority) in the systemd unit or an rtprio limit in /etc/security/limits.d for the user"
    }
}
