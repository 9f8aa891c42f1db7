/// The substream counts of one rawmidi device, from `/proc/asound/card<N>/midi<D>`.
///
/// Why this file: sysfs has no substream information for rawmidi devices (the `midiC1D0`
/// device has no attributes beyond `dev`), while the kernel's rawmidi proc handler
/// (`snd_rawmidi_proc_info_read`, kernel 6.1 `sound/core/rawmidi.c`) prints the device name,
/// then one `Output <n>` line per output substream and one `Input <n>` line per input
/// substream, each followed by indented counters:
///
///     Synth g1
///
///     Output 0
///       Tx bytes     : 0
///     Input 0
///       Rx bytes     : 0
///
/// The file exists whenever the kernel has CONFIG_SND_PROC_FS (Debian's does) and is readable
/// by everyone. Substream *names* are not in it; they come from the control device
/// (`RawMidiSubstreamNames`).
public struct ProcAsoundRawMidi: Hashable, Sendable {
    /// The rawmidi device name (first line).
    public let name: String
    /// Output substream numbers, in file order (normally 0, 1, …).
    public let outputs: [Int]
    /// Input substream numbers, in file order.
    public let inputs: [Int]

    public init(name: String, outputs: [Int], inputs: [Int]) {
        self.name = name
        self.outputs = outputs
        self.inputs = inputs
    }

    public enum ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        case empty
        case malformedSubstreamLine(line: Int, text: String)
        public var description: String {
            switch self {
            case .empty:
                return "rawmidi proc file is empty (expected the device name on line 1)"
            case .malformedSubstreamLine(let line, let text):
                return "rawmidi proc file line \(line): \"\(text)\" is not \"Output <n>\" or \"Input <n>\""
            }
        }
    }

    /// Parses the text of `/proc/asound/card<N>/midi<D>`. Lines other than the name and the
    /// unindented `Output n` / `Input n` headers are counters and are skipped.
    public init(parsing text: String) throws(ParseError) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, !first.allSatisfy(\.isWhitespace) else { throw .empty }
        var outputs: [Int] = []
        var inputs: [Int] = []
        for (offset, line) in lines.enumerated().dropFirst() {
            guard let head = line.first, !head.isWhitespace else { continue }
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            let kind = words.first.map(String.init)
            guard kind == "Output" || kind == "Input" else { continue }
            guard words.count == 2, let n = Int(words[1]), n >= 0 else {
                throw .malformedSubstreamLine(line: offset + 1, text: String(line))
            }
            if kind == "Output" { outputs.append(n) } else { inputs.append(n) }
        }
        self.init(name: String(first), outputs: outputs, inputs: inputs)
    }
}
