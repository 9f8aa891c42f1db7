import ALSASequencer
import Glibc
import POSIX

/// The application ends of one ALSA run: a sending client and a receiving client, two ordinary
/// user clients of the ALSA sequencer with one port each — what any MIDI 1.0 program is — both
/// in this process and driven by this one thread (`ALSALoops` says why).
///
/// The sender's port is subscribed to `to` and the receiver's port to `from`:
/// - the bridge: to = port 0 of loopback A's client, from = port 0 of B's client, so every event
///   goes app → A (bridge: ALSA → UMP) → service → B (bridge: UMP → ALSA) → app;
/// - Midi Through (snd-seq-dummy, 14:0): to = from = 14:0, the kernel's own forwarding client.
final class ALSAEnds {
    let sender: SequencerClient
    let receiver: SequencerClient
    static let port = PortID(0)
    private var pollSet: [pollfd]

    init(to destination: Address, from source: Address, label: String) throws(BenchError) {
        do {
            sender = try SequencerClient(name: "midi-bench \(label) sender")
            try sender.createPort(Self.port, name: "out", capabilities: [.read, .subscriptionRead])
            receiver = try SequencerClient(name: "midi-bench \(label) receiver")
            // The most the kernel allows, so the receiver's FIFO is never what limits a window.
            try receiver.setInputPool(SequencerClient.maximumInputPool)
            try receiver.createPort(Self.port, name: "in", capabilities: [.write, .subscriptionWrite])
            try sender.connect(from: Self.port, to: destination)
            try receiver.connect(from: source, to: Self.port)
            pollSet = try receiver.pollDescriptors()
        } catch {
            throw .alsa(error)
        }
        guard !pollSet.isEmpty else { throw .protocolFailure("the receiving ALSA client has no descriptor to poll") }
    }

    /// Waits until the receiver has input or `timeoutMilliseconds` passed (0: just look).
    /// Returns whether there is input.
    func waitForInput(timeoutMilliseconds: Int32) throws(BenchError) -> Bool {
        let ready = retryingOnInterrupt { pollSet.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), timeoutMilliseconds) } }
        if ready < 0 { throw .system(.current("poll (ALSA receiver)")) }
        return ready > 0
    }

    /// Queues the event carrying `sequence` for the sender's subscribers (`flush` sends).
    @inline(__always)
    func send(_ sequence: UInt32) throws(BenchError) {
        do { try sender.send(ALSASequenceCodec.event(sequence), from: Self.port) } catch { throw .alsa(error) }
    }

    /// Hands what `send` queued to the kernel.
    @inline(__always)
    func flush() { sender.drainOutput() }

    /// The receiver's next pending event, without waiting.
    @inline(__always)
    func next() throws(BenchError) -> ReceivedEvent? {
        do { return try receiver.readEvent() } catch { throw .alsa(error) }
    }

    /// Reads and discards whatever is pending (subscription notices before a run).
    func discardInput() throws(BenchError) {
        do {
            while try receiver.readEvent() != nil {}
        } catch {
            throw .alsa(error)
        }
    }
}

/// A sequencer address given on the command line: `client:port`, `client` (port 0), or a client
/// name, optionally with `:port`, looked up among the clients the kernel lists.
enum ALSAAddressArgument {
    static func resolve(_ text: String, using client: SequencerClient) throws(BenchError) -> Address {
        var name = Substring(text)
        var port = PortID(0)
        if let colon = text.lastIndex(of: ":"), let number = UInt8(text[text.index(after: colon)...]) {
            name = text[..<colon]
            port = PortID(number)
        }
        if let number = UInt8(name) { return Address(client: ClientID(number), port: port) }
        let clients: [ClientInfo]
        do { clients = try client.clients() } catch { throw .alsa(error) }
        guard let match = clients.first(where: { $0.name == name }) else {
            throw .protocolFailure("no ALSA sequencer client named \"\(name)\" (clients: \(clients.map { "\($0.id) \"\($0.name)\"" }.joined(separator: ", ")))")
        }
        return Address(client: match.id, port: port)
    }

    /// Waits up to `seconds` for a client named `name` to appear (the bridge makes its clients
    /// at the end of the loop iteration that added the endpoint).
    static func waitForClient(named name: String, using client: SequencerClient, seconds: Double) throws(BenchError) -> Address {
        let deadline = BenchClock.now() + UInt64(seconds * 1e9)
        while true {
            let clients: [ClientInfo]
            do { clients = try client.clients() } catch { throw .alsa(error) }
            if let match = clients.first(where: { $0.name == name }) { return Address(client: match.id, port: PortID(0)) }
            guard BenchClock.now() < deadline else {
                throw .timeout("no ALSA client \"\(name)\" after \(seconds) s (is the daemon's ALSA bridge running? clients: \(clients.map { "\($0.id) \"\($0.name)\"" }.joined(separator: ", ")))")
            }
            usleep(50_000)
        }
    }
}
