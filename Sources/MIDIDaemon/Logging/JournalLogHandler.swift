import Glibc
import Logging
import POSIX

/// swift-log handler writing one plain line per message to stderr.
///
/// Under systemd (stderr is the journal: `JOURNAL_STREAM` names stderr's device and inode) each
/// line starts with the syslog priority `<N>` that journald's stream protocol turns into the
/// entry's PRIORITY, and carries no timestamp (the journal adds its own). On a terminal or in a
/// file, lines start with the local time instead.
public struct JournalLogHandler: LogHandler {
    public enum Style: Sendable {
        /// `<6>message key=value` — stderr is connected to journald.
        case journal
        /// `2026-01-31 12:00:00.123 info message key=value`.
        case plain
    }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public let label: String
    public let style: Style
    private let fileDescriptor: Int32

    public init(label: String, level: Logger.Level, style: Style = JournalLogHandler.detectStyle(), fileDescriptor: Int32 = 2) {
        self.label = label
        self.logLevel = level
        self.style = style
        self.fileDescriptor = fileDescriptor
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var line = ""
        switch style {
        case .journal:
            line = "<\(Self.syslogPriority(event.level))>"
        case .plain:
            line = Self.timestamp() + " " + Self.levelName(event.level) + " "
        }
        line += event.message.description
        let merged = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
        if !merged.isEmpty {
            line += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        // Multi-line messages stay one journal entry per line, each with its priority.
        if style == .journal { line = line.replacingNewlines(prefix: "<\(Self.syslogPriority(event.level))>") }
        line += "\n"
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = retryingOnInterrupt { bytes.withUnsafeMutableBytes { Glibc.write(fileDescriptor, $0.baseAddress! + offset, $0.count - offset) } }
            if n > 0 { offset += n } else { break }
        }
    }

    /// syslog(3) priorities: trace/debug → 7 debug, info → 6, notice → 5, warning → 4,
    /// error → 3 err, critical → 2 crit.
    public static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: return "trace"
        case .debug: return "debug"
        case .info: return "info"
        case .notice: return "notice"
        case .warning: return "warning"
        case .error: return "error"
        case .critical: return "critical"
        }
    }

    /// `.journal` when `JOURNAL_STREAM` (`<device>:<inode>`) matches stderr, as systemd
    /// documents for stream-connected services; `.plain` otherwise (including when a child
    /// inherited the variable but had stderr redirected).
    public static func detectStyle(environment: [String: String] = ProcessEnvironment.current, fileDescriptor: Int32 = 2) -> Style {
        guard let value = environment["JOURNAL_STREAM"] else { return .plain }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return .plain }
        var info = stat()
        guard fstat(fileDescriptor, &info) == 0 else { return .plain }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode ? .journal : .plain
    }

    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        localtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        let ms = milliseconds < 10 ? "00\(milliseconds)" : milliseconds < 100 ? "0\(milliseconds)" : "\(milliseconds)"
        let text = String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text + "." + ms
    }
}

private extension String {
    func replacingNewlines(prefix: String) -> String {
        guard contains("\n") else { return self }
        return split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n" + prefix)
    }
}

/// The process environment as a dictionary (Glibc's `environ`), read once per call.
public enum ProcessEnvironment {
    public static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
