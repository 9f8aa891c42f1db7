#if canImport(Glibc)
import Glibc
import POSIX
#endif

/// How full the kernel buffer of a rawmidi **output** substream is, read from
/// `/proc/asound/cardC/midiD` — also when another opener holds the substream.
///
/// Why procfs: a sequencer client writing to a sound card's MIDI port goes through snd-seq-midi,
/// which holds the card's rawmidi output (a 4 KiB buffer) on the sequencer's behalf and drops
/// what does not fit ("seq_midi: MIDI output buffer overrun" in the kernel log) without telling
/// the sender. The sequencer offers no flow control towards kernel clients, and the rawmidi
/// status ioctl needs the substream open, which only snd-seq-midi has; the card's proc file is
/// the one place user space sees that buffer. For every open output substream it shows
/// (kernel 6.1, `snd_rawmidi_proc_info_read`):
///
/// ```
/// Output 0
///   Tx bytes     : 1234
///   Owner PID    : 321
///   Mode         : native
///   Buffer size  : 4096
///   Avail        : 4093
/// ```
///
/// Reading the output buffer allocates nothing: the path and the read buffer are made once
/// (`describeOwner`, for messages about a busy substream, may).
public final class RawMIDIProcStatus {
    /// The substream's kernel buffer, in bytes: its size and how much of it is free.
    public struct OutputBuffer: Equatable, Sendable {
        public var size: Int
        public var available: Int
        public var pending: Int { max(0, size - available) }
    }

    public let path: String
    private let cPath: ContiguousArray<CChar>
    private let buffer: UnsafeMutableRawBufferPointer

    /// The proc file of rawmidi device `device` on card `card`; `root` is for tests.
    public init(card: Int, device: Int, root: String = "/proc/asound") {
        path = "\(root)/card\(card)/midi\(device)"
        cPath = ContiguousArray(path.utf8CString)
        // 16 substreams per direction at ~130 bytes each fit easily.
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 8)
    }

    deinit { buffer.deallocate() }

    /// The buffer of output substream `subdevice`, or `nil` when it is not open (the file shows
    /// no size for it then) or the file cannot be read (the card is gone).
    public func output(subdevice: Int) -> OutputBuffer? {
        let length = readFile()
        return Self.parseOutput(UnsafeRawBufferPointer(rebasing: buffer[0..<length]), subdevice: subdevice)
    }

    /// The process that opened substream `subdevice` (input or output), or `nil` when it is
    /// closed or the file cannot be read. For a substream snd-seq-midi opened for a sequencer
    /// subscriber, this is the subscriber that made it open it. Only for messages: the process
    /// may have exited since.
    public func ownerPID(input: Bool, subdevice: Int) -> Int32? {
        let length = readFile()
        let section = Self.parseSection(UnsafeRawBufferPointer(rebasing: buffer[0..<length]),
                                        input: input, subdevice: subdevice)
        return section.ownerPID.map { Int32(truncatingIfNeeded: $0) }
    }

    /// "pid 321 (amidi)": who holds a substream, for a message; `nil` when nobody (or unknown).
    public func describeOwner(input: Bool, subdevice: Int, procRoot: String = "/proc") -> String? {
        guard let pid = ownerPID(input: input, subdevice: subdevice) else { return nil }
        var command = ""
        if let file = fopen("\(procRoot)/\(pid)/comm", "r") {
            defer { fclose(file) }
            var line = [CChar](repeating: 0, count: 64)
            if fgets(&line, Int32(line.count), file) != nil {
                command = String(decoding: line.prefix { $0 != 0 && $0 != 0x0A }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        return command.isEmpty ? "pid \(pid)" : "pid \(pid) (\(command))"
    }

    /// Reads the whole file into `buffer`; its length (0 when it cannot be read).
    private func readFile() -> Int {
        let fd = cPath.withUnsafeBufferPointer { open($0.baseAddress!, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var length = 0
        while length < buffer.count {
            let n = retryingOnInterrupt { read(fd, buffer.baseAddress! + length, buffer.count - length) }
            if n <= 0 { break }
            length += n
        }
        return length
    }

    /// What the file shows of one substream's section.
    struct Section: Equatable {
        var ownerPID: Int?
        var size: Int?
        var available: Int?
    }

    /// Finds `Output <subdevice>` and the `Buffer size` and `Avail` lines of its section.
    static func parseOutput(_ text: UnsafeRawBufferPointer, subdevice: Int) -> OutputBuffer? {
        let section = parseSection(text, input: false, subdevice: subdevice)
        guard let size = section.size, let available = section.available else { return nil }
        return OutputBuffer(size: size, available: available)
    }

    /// Finds `Output <subdevice>` (or `Input <subdevice>`) and the lines of its section.
    static func parseSection(_ text: UnsafeRawBufferPointer, input: Bool, subdevice: Int) -> Section {
        var index = 0
        var inSection = false
        var section = Section()
        while index < text.count {
            // One line: [index, end).
            var end = index
            while end < text.count, text[end] != 0x0A { end += 1 }
            let line = UnsafeRawBufferPointer(rebasing: text[index..<end])
            if line.count > 0, line[0] != 0x20 {
                // A section heading ("Output 0", "Input 1") or the device name.
                if inSection { break }
                if input {
                    if Self.hasPrefix(line, "Input "), Self.number(in: line, from: 6) == subdevice { inSection = true }
                } else {
                    if Self.hasPrefix(line, "Output "), Self.number(in: line, from: 7) == subdevice { inSection = true }
                }
            } else if inSection {
                if Self.contains(line, "Owner PID") { section.ownerPID = Self.numberAfterColon(line) }
                if Self.contains(line, "Buffer size") { section.size = Self.numberAfterColon(line) }
                if Self.contains(line, "Avail") { section.available = Self.numberAfterColon(line) }
            }
            index = end + 1
        }
        return section
    }

    private static func hasPrefix(_ line: UnsafeRawBufferPointer, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard line.count >= count else { return false }
        let p = prefix.utf8Start
        for i in 0..<count where line[i] != p[i] { return false }
        return true
    }

    private static func contains(_ line: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard line.count >= count else { return false }
        let p = word.utf8Start
        var start = 0
        while start + count <= line.count {
            var match = true
            for i in 0..<count where line[start + i] != p[i] {
                match = false
                break
            }
            if match { return true }
            start += 1
        }
        return false
    }

    private static func numberAfterColon(_ line: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        while i < line.count, line[i] != UInt8(ascii: ":") { i += 1 }
        return number(in: line, from: i + 1)
    }

    private static func number(in line: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start
        while i < line.count, line[i] == 0x20 { i += 1 }
        var value = 0
        var digits = 0
        while i < line.count, line[i] >= 0x30, line[i] <= 0x39 {
            value = value * 10 + Int(line[i] - 0x30)
            digits += 1
            i += 1
        }
        return digits > 0 ? value : nil
    }
}
