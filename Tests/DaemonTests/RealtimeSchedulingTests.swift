import Dispatch
import Foundation
import Glibc
import IPC
import MIDIServices
import Testing

/// Real-time scheduling (docs/daemon.md, "Real-time scheduling"): the real `midisrv` asks for
/// SCHED_FIFO on its event-loop thread only, says so in one log line, and keeps serving at normal
/// scheduling when the kernel refuses; the SDK's reader thread opts in per session. The policy
/// is read back from the kernel (`/proc/<pid>/task/<tid>/stat`), not from our own report.
@Suite("Real-time scheduling", .serialized)
struct RealtimeSchedulingTests {
    /// Policy (SCHED_OTHER 0, SCHED_FIFO 1) and real-time priority of every thread of `pid`, by
    /// thread id, as the kernel reports them (fields 41 and 40 of stat, after the command name).
    static func threadPolicies(pid: Int32) -> [Int32: (name: String, policy: Int, priority: Int)] {
        var result: [Int32: (String, Int, Int)] = [:]
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        for task in tasks {
            guard let tid = Int32(task),
                  let stat = try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/stat", encoding: .utf8),
                  let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { continue }
            let name = String(stat[stat.index(after: open)..<close])
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            // After "pid (comm) ", field 3 (state) is fields[0]: rt_priority (40) is fields[37], policy (41) fields[38].
            guard fields.count > 38, let priority = Int(fields[37]), let policy = Int(fields[38]) else { continue }
            result[tid] = (name, policy, priority)
        }
        return result
    }

    /// Whether this process may use SCHED_FIFO at `priority` (root, CAP_SYS_NICE or RLIMIT_RTPRIO):
    /// tried on a scratch thread, which then ends.
    static func realtimeAllowed(_ priority: Int32) -> Bool {
        final class Box: @unchecked Sendable { var granted = false }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.granted = RealtimeScheduling.requestForCurrentThread(priority: priority) == .granted(priority: priority)
            done.signal()
        }
        thread.start()
        done.wait()
        return box.granted
    }

    static let mayUseFIFO = realtimeAllowed(9)
    static let canDropSysNice = FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit") && geteuid() == 0

    @Test(.enabled(if: mayUseFIFO, "this process may not use SCHED_FIFO (not root, no CAP_SYS_NICE, RLIMIT_RTPRIO too low)"))
    func eventLoopThreadRunsFIFOAndNoOtherThreadDoes() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox, extraArguments: ["--realtime-priority", "7"])
        #expect(daemon.waitForLog("event loop: SCHED_FIFO priority 7"), "\(daemon.log)")
        let pid = daemon.process.processIdentifier
        let threads = Self.threadPolicies(pid: pid)
        let loop = try #require(threads[pid], "no stat for the main thread")
        #expect(loop.policy == 1 && loop.priority == 7, "main (event loop) thread: policy \(loop.policy), priority \(loop.priority)")
        for (tid, thread) in threads where tid != pid {
            #expect(thread.policy == 0, "thread \(tid) (\(thread.name)) should keep normal scheduling, has policy \(thread.policy)")
        }
        // And it serves: a client completes the handshake and a request.
        let client = try TestClient(path: sandbox.socketPath)
        guard case .welcome? = try client.handshake(name: "rt test") else { Issue.record("no welcome"); return }
        guard case .status = try client.request(.serviceStatus) else { Issue.record("no status reply"); return }
    }

    // A real refusal: the daemon is started without CAP_SYS_NICE in its bounding set (root
    // loses it at exec) and with RLIMIT_RTPRIO 0, as a user instance without limits has it.
    @Test(.enabled(if: canDropSysNice, "needs root, setpriv and prlimit (util-linux) to start midisrv without CAP_SYS_NICE"))
    func refusedRealtimeIsOneLineAndTheDaemonServesAtNormalScheduling() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox, extraArguments: ["--realtime-priority", "20"],
                                       launcher: ["/usr/bin/prlimit", "--rtprio=0", "/usr/bin/setpriv", "--bounding-set", "-sys_nice",
                                                  "--inh-caps", "-sys_nice"])
        #expect(daemon.waitForLog("event loop keeps normal scheduling: SCHED_FIFO 20 refused: not permitted (RLIMIT_RTPRIO is 0"),
                "\(daemon.log)")
        #expect(daemon.log.contains("LimitRTPRIO=20"), "the line should say what grants it:\n\(daemon.log)")
        let pid = daemon.process.processIdentifier
        let loop = try #require(Self.threadPolicies(pid: pid)[pid])
        #expect(loop.policy == 0)
        let client = try TestClient(path: sandbox.socketPath)
        guard case .welcome? = try client.handshake(name: "rt test") else { Issue.record("no welcome"); return }
        guard case .status = try client.request(.serviceStatus) else { Issue.record("no status reply"); return }
    }

    @Test func priorityZeroAsksForNothing() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox, extraArguments: ["--realtime-priority", "0"])
        #expect(daemon.waitForLog("event loop: normal scheduling (real-time priority 0)"), "\(daemon.log)")
        let pid = daemon.process.processIdentifier
        #expect(Self.threadPolicies(pid: pid)[pid]?.policy == 0)
    }

    @Test func outOfRangePriorityIsRefusedAtTheCommandLine() throws {
        let sandbox = try DaemonSandbox()
        let daemon = try DaemonProcess(sandbox, extraArguments: ["--realtime-priority", "100"], waitForSocket: false)
        let status = daemon.waitForExit(timeout: 20)
        #expect(status != nil && status != 0)
        #expect(daemon.log.contains("--realtime-priority 100: give 1-99 for SCHED_FIFO, or 0 for normal scheduling"), "\(daemon.log)")
    }

    @Test func sdkReaderThreadOptsIn() throws {
        let daemon = try SDKDaemon()
        let plain = try daemon.session("plain reader")
        defer { plain.close() }
        #expect(plain.readerThreadScheduling == "normal scheduling (real-time priority 0)")

        #expect(throws: MidiServiceError.self) {
            try MidiSession.create(name: "bad", socketPath: daemon.socketPath, readerThreadRealtimePriority: 100)
        }
    }

    @Test(.enabled(if: mayUseFIFO, "this process may not use SCHED_FIFO (not root, no CAP_SYS_NICE, RLIMIT_RTPRIO too low)"))
    func sdkReaderThreadRunsFIFOWhenAsked() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let before = Self.threadPolicies(pid: getpid())
        let session = try MidiSession.create(name: "rt reader", socketPath: daemon.socketPath, readerThreadRealtimePriority: 9)
        defer { session.close() }
        #expect(session.readerThreadScheduling == "SCHED_FIFO priority 9")
        // Exactly one thread turned FIFO, a new one (the reader; its name is not checked: the
        // kernel keeps 15 bytes of a thread name and Foundation's longer one is not set), and
        // no thread that existed before — the caller's included — changed.
        let after = Self.threadPolicies(pid: getpid())
        let fifo = after.filter { before[$0.key] == nil && $0.value.policy == 1 }
        #expect(fifo.count == 1 && fifo.first?.value.priority == 9, "new FIFO threads: \(fifo)")
        for (tid, thread) in before where thread.policy == 0 {
            #expect(after[tid].map { $0.policy == 0 } ?? true, "thread \(tid) (\(thread.name)) became real-time")
        }
        // Messages still arrive through it (the reader thread calls the callback).
        let a = try session.createEndpointConnection(endpointDeviceId: defaultA)
        let b = try session.createEndpointConnection(endpointDeviceId: defaultB)
        let received = b.collect()
        try a.open()
        try b.open()
        for note in 0..<3 { #expect(a.sendSingleMessageWords(timestamp: 0, 0x2090_3C00 | UInt32(note)).isSuccess) }
        #expect(received.wait(for: 3).count == 3)
    }
}
