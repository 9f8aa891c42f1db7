import ArgumentParser
import Foundation
import Glibc
import POSIX
import MIDIServices

/// `--socket`, shared by every command that talks to the service.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The service's socket (default: $MIDI_SERVICES_SOCKET, else the user's or the system daemon's socket).",
        valueName: "path"))
    var socket: String?

    /// Connects; a service that is not there is exit status 3.
    func openSession() throws -> MidiSession {
        try MidiSession.create(name: "midi console", socketPath: socket)
    }
}

/// The Windows console's word order `midi endpoint <id> <verb> …` is accepted and turned into
/// argument-parser's `midi endpoint <verb> <id> …`.
enum ConsoleArguments {
    static let endpointVerbs: Set<String> = ["properties", "props", "information", "info", "send-message", "send-ump", "send",
                                             "monitor", "listen", "rename", "rename-port", "clear-declared"]
    static let endpointSubcommands: Set<String> = endpointVerbs.union(["list", "help"])

    /// `midi endpoint <id>` alone shows the endpoint's properties.
    static func normalized(_ arguments: [String]) -> [String] {
        guard arguments.count >= 2, arguments[0] == "endpoint" || arguments[0] == "ep" else { return arguments }
        let command = arguments[0]
        let id = arguments[1]
        guard !id.hasPrefix("-"), !endpointSubcommands.contains(id) else { return arguments }
        if arguments.count == 2 || arguments[2].hasPrefix("-") {
            return [command, "properties", id] + arguments[2...]
        }
        guard endpointVerbs.contains(arguments[2]) else { return arguments }
        return [command, arguments[2], id] + arguments[3...]
    }
}

/// Printing: tables and key/value blocks for people, JSON for scripts, errors on stderr.
enum ConsoleOutput {
    static func error(_ message: String) {
        write("midi: error: \(message)\n", to: STDERR_FILENO)
    }

    static func note(_ message: String) {
        write(message + "\n", to: STDERR_FILENO)
    }

    /// One line on stdout, written at once (unbuffered), so that pipes see every line as soon
    /// as it is printed — monitor and watch-endpoints are read line by line by scripts.
    static func line(_ text: String = "") {
        write(text + "\n", to: STDOUT_FILENO)
    }

    /// Text to stderr, as is.
    static func raw(_ text: String, toStandardError: Bool) {
        write(text, to: toStandardError ? STDERR_FILENO : STDOUT_FILENO)
    }

    private static func write(_ text: String, to descriptor: Int32, json: Bool = false) {
        var text = json ? TerminalText.jsonEscaped(text) : TerminalText.escaped(text)
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = retryingOnInterrupt { Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset) }
                if n > 0 { offset += n } else { return }
            }
        }
    }

    /// Pretty JSON (sorted keys) for a whole document.
    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        write(String(decoding: try encoder.encode(value), as: UTF8.self) + "\n", to: STDOUT_FILENO, json: true)
    }

    /// One compact JSON object per line (monitor, watch-endpoints).
    static func jsonLine<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        write(String(decoding: data, as: UTF8.self) + "\n", to: STDOUT_FILENO, json: true)
    }

    /// Columns padded to their widest cell; the last column is not padded.
    static func table(header: [String], rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        ConsoleOutput.line(line(header))
        for row in rows { ConsoleOutput.line(line(row)) }
    }

    /// `label:  value` lines, labels aligned; nil values are skipped.
    static func fields(_ pairs: [(String, String?)], indent: String = "") {
        let present = pairs.compactMap { label, value in value.map { (label, $0) } }
        let width = present.map(\.0.count).max() ?? 0
        for (label, value) in present {
            ConsoleOutput.line(indent + (label + ":").padding(toLength: width + 1, withPad: " ", startingAt: 0) + "  " + value)
        }
    }
}

/// Stops the process cleanly on Ctrl-C / SIGTERM (the long-running commands: output so far is
/// already flushed line by line, so exiting is all there is to do).
enum InterruptHandling {
    static func exitOnInterrupt() {
        signal(SIGINT) { _ in _exit(0) }
        signal(SIGTERM) { _ in _exit(0) }
    }

    /// A parent may start us with signals blocked (Foundation's `Process` does); Ctrl-C and
    /// SIGTERM must work. Called first thing, before any thread exists, so every thread
    /// inherits the mask.
    static func unblockTerminationSignals() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}

/// What the console prints to a terminal shows text and never acts on it: a name from the
/// service (or a device, or an older daemon) holding ESC, BEL, NUL, a bidi override or a
/// zero-width character is printed with those as `\u{…}` (issue 12, item 8). Line breaks and
/// tabs the console itself writes stay. The set is the service's (`EndpointText` in
/// ServiceCore: general categories Cc, Cf, Zl, Zp), which names may not contain at all.
enum TerminalText {
    static func escaped(_ text: String) -> String {
        // Fast path: printable ASCII and line breaks — every monitor line.
        if text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x09 }) { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar != "\n" && scalar != "\t" && isActive(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// The same for JSON output: the characters become JSON escapes (`\u202E`, surrogate pairs
    /// above the BMP), which parse back to the same text. They can only occur inside strings.
    static func jsonEscaped(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }   // JSONEncoder escaped the ASCII controls
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard scalar.value >= 0x80, isActive(scalar) else { out.append(scalar); continue }
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16, uppercase: true)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            }
        }
        return String(out)
    }

    static func isActive(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }
}
