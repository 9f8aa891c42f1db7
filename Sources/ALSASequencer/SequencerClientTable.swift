import Glibc

/// The kernel's list of sequencer clients and their ports, read from
/// `/proc/asound/seq/clients` — without opening the sequencer, so without becoming a client
/// (a process that only wants to know which client belongs to a sound card should not show up
/// in `aconnect -l`, nor take one of the 64 user client slots).
///
/// Also the rule the kernel numbers a sound card's own clients by: `snd-seq-midi` (and, on
/// 6.5+, the UMP client) asks for a client of card N, and the kernel gives the first free
/// number from 16 + 4 N (`SNDRV_SEQ_GLOBAL_CLIENTS` 16 + N × `SNDRV_SEQ_CLIENTS_PER_CARD` 4,
/// sound/core/seq/seq_clientmgr.c; `aconnect -l` shows it as `card=N`; cards from 28 on get
/// dynamic numbers and are not found by this rule); the
/// ports of a rawmidi device D's substream S are numbered 32 D + S
/// (`256 / SNDRV_RAWMIDI_DEVICES`, sound/core/seq/seq_midi.c).
public struct SequencerClientTable: Equatable, Sendable {
    public struct Client: Equatable, Sendable {
        public var number: Int
        public var name: String
        public var isKernel: Bool
        public var ports: [Port]

        public init(number: Int, name: String, isKernel: Bool, ports: [Port]) {
            self.number = number
            self.name = name
            self.isKernel = isKernel
            self.ports = ports
        }
    }

    public struct Port: Equatable, Sendable {
        public var number: Int
        public var name: String

        public init(number: Int, name: String) {
            self.number = number
            self.name = name
        }
    }

    public var clients: [Client]

    public static let procPath = "/proc/asound/seq/clients"
    /// The proc file is a few hundred bytes per client; more than this is not that file.
    static let readLimit = 1 << 20

    public init(clients: [Client]) { self.clients = clients }

    /// The clients in the text of `/proc/asound/seq/clients`: lines
    /// `Client  24 : "UM-ONE" [Kernel]` and, below each, `  Port   0 : "UM-ONE MIDI 1" (RWeX)`.
    /// Other lines (the header, `Connecting To:`, `Output pool:`) are skipped.
    public init(procText text: String) {
        var clients: [Client] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("Client "), let (number, name, rest) = Self.numberedName(line.dropFirst("Client ".count)) {
                clients.append(Client(number: number, name: name, isKernel: rest.contains("[Kernel"), ports: []))
            } else if line.hasPrefix("  Port "), !clients.isEmpty,
                      let (number, name, _) = Self.numberedName(line.dropFirst("  Port ".count)) {
                clients[clients.count - 1].ports.append(Port(number: number, name: name))
            }
        }
        self.clients = clients
    }

    /// Reads the proc file; nil when it cannot be read (no sequencer, no /proc).
    public static func read(path: String = procPath) -> SequencerClientTable? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < readLimit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return SequencerClientTable(procText: String(decoding: bytes, as: UTF8.self))
    }

    /// The numbers the kernel gives the clients of sound card `card`.
    public static func clientNumbers(ofCard card: Int) -> ClosedRange<Int> {
        let first = 16 + 4 * card
        return first...(first + 3)
    }

    /// The sequencer port the kernel gives substream `substream` of rawmidi device `device`.
    public static func portNumber(device: Int, substream: Int) -> Int { 32 * device + substream }

    /// The kernel's MIDI client of card `card`: the first kernel client in its number range.
    public func midiClient(ofCard card: Int) -> Client? {
        let range = Self.clientNumbers(ofCard: card)
        return clients.filter { $0.isKernel && range.contains($0.number) }.min { $0.number < $1.number }
    }

    /// `  24 : "name" rest` → (24, name, rest). The name is what lies between the first and the
    /// last double quote (a name may itself contain quotes).
    private static func numberedName(_ text: Substring) -> (Int, String, Substring)? {
        guard let colon = text.firstIndex(of: ":"),
              let number = Int(text[..<colon].trimmingCharacters(while: { $0 == " " })),
              let open = text[colon...].firstIndex(of: "\""),
              let close = text.lastIndex(of: "\""), close > open
        else { return nil }
        return (number, String(text[text.index(after: open)..<close]), text[text.index(after: close)...])
    }
}

extension Substring {
    fileprivate func trimmingCharacters(while isTrimmed: (Character) -> Bool) -> Substring {
        guard let start = firstIndex(where: { !isTrimmed($0) }), let end = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return self[start...end]
    }
}
