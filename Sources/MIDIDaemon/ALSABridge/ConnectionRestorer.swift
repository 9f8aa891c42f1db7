import ALSASequencer
import Glibc
import IPC
import Logging
import ServiceCore

/// Connections that come back (docs/alsa-bridge.md): subscriptions ALSA programs make to or
/// from a loopback client's ports are remembered by EndpointDeviceId, port and the other
/// side's client and port *names*, stored in the state directory, and remade when the
/// endpoint's client is created again (daemon start, pair re-created from the configuration)
/// and when the other program's port appears again (System Announce).
///
/// What the kernel tells the bridge:
/// - a subscription made by another client (aconnect, a DAW, PipeWire) to or from one of our
///   ports arrives on that port as PORT_SUBSCRIBED → remembered;
/// - PORT_UNSUBSCRIBED → forgotten when the other port still exists (someone disconnected
///   it), kept when it is gone (its program quit: it should come back connected);
/// - PORT_START / PORT_CHANGE / CLIENT_START / CLIENT_CHANGE on System Announce (one bridge
///   client listens on its port 0) → remembered connections naming that client's ports are
///   remade, `settleDelay` later. A program such as `aseqdump -p` or `arecordmidi -p` makes its
///   own subscription right after creating its port and exits if that fails with EBUSY; remade
///   at once, ours would win the race and break it. After the delay the program's own
///   subscription is there and ours gets EBUSY, which counts as connected.
///
/// Runs on the loop thread, like the bridge.
final class ConnectionRestorer {
    private(set) var memory: RememberedConnectionList
    private let path: String?
    private let logger: Logger
    /// Remembered connections known to exist now.
    private var live = Set<RememberedConnection>()
    /// The client whose port 0 receives System Announce.
    private(set) weak var announcer: EndpointSequencerClient?
    /// Clients that appeared or changed, with when to look at their ports (CLOCK_MONOTONIC ns).
    /// Keyed by client number, so bounded by the kernel's client table (at most 256 entries)
    /// however fast a program creates and deletes ports.
    /// Read at every wake-up (`nextDue`, the bridge's timer): unchecked as `ALSABridge.clientList`.
    @exclusivity(unchecked) private var settling: [ClientID: UInt64] = [:]

    /// How long after a port or client appears its remembered connections are remade.
    static let settleDelay: UInt64 = 500_000_000

    static let fileName = "alsa-connections.json"

    init(stateDirectory: String?, logger: Logger) {
        self.logger = logger
        path = stateDirectory.map { $0 + "/" + Self.fileName }
        memory = RememberedConnectionList()
        guard let path else { return }
        do {
            if let bytes = try AtomicFile.read(path) { memory = try RememberedConnectionList.decode(bytes) }
        } catch {
            logger.warning("alsa: remembered connections in \(path) cannot be read (\(error)); starting with none")
        }
    }

    /// The list changed since it was last written.
    /// Read at every wake-up (`saveIfChanged`, the bridge's hook): unchecked as `ALSABridge.clientList`.
    @exclusivity(unchecked) private var unsaved = false

    /// Marks the file out of date; `saveIfChanged` (the bridge's end of loop iteration) writes
    /// it once, however many subscriptions changed in that iteration.
    private func markChanged() { unsaved = true }

    func saveIfChanged() {
        guard unsaved else { return }
        unsaved = false
        guard let path else { return }
        do { try AtomicFile.write(memory.encoded(), to: path, mode: 0o600) } catch {
            logger.warning("alsa: remembered connections not saved to \(path): \(error)")
        }
    }

    // MARK: Announcements

    /// Makes sure one client listens to System Announce; called whenever the clients change.
    func ensureAnnouncer(among clients: [EndpointSequencerClient]) {
        if let announcer, clients.contains(where: { $0 === announcer }) { return }
        announcer = nil
        for client in clients {
            do {
                try client.sequencer.subscribeToAnnouncements(on: PortID(0))
                announcer = client
                return
            } catch {
                logger.debug("alsa: client \(client.clientNumber) cannot listen to System Announce: \(error)")
            }
        }
    }

    // MARK: Notices

    /// A notice (subscription or announcement) read by `client`. `clients` are the bridge's,
    /// `settings` says whether an endpoint's connections are restored.
    func notice(_ received: ReceivedEvent, on client: EndpointSequencerClient, clients: [EndpointSequencerClient],
                restores: (EndpointDeviceId) -> Bool) {
        switch received.event {
        case .portSubscribed(let sender, let destination), .portUnsubscribed(let sender, let destination):
            let ours = client.sequencer.id
            let direction: RememberedConnection.Direction
            let port: PortID, other: Address
            if sender.client == ours { (direction, port, other) = (.to, sender.port, destination) }
            else if destination.client == ours { (direction, port, other) = (.from, destination.port, sender) }
            else { return }
            guard other.client != .system, Int(port.rawValue) <= client.layout.groupCount, restores(client.endpointId) else { return }
            let names = self.names(of: other, using: client.sequencer)
            if case .portSubscribed = received.event {
                guard let names else { return }
                let entry = RememberedConnection(endpoint: client.endpointId, port: Int(port.rawValue), direction: direction,
                                                 otherClient: names.client, otherPort: names.port)
                live.insert(entry)
                if memory.remember(entry) {
                    logger.info("alsa: remembering connection \(describe(entry))")
                    markChanged()
                }
            } else {
                let matching = memory.entries(of: client.endpointId).filter { $0.port == Int(port.rawValue) && $0.direction == direction }
                if let names, let entry = matching.first(where: { $0.otherClient == names.client && $0.otherPort == names.port }) {
                    // The other port is still there: someone disconnected on purpose.
                    live.remove(entry)
                    memory.forget(entry)
                    logger.info("alsa: forgetting connection \(describe(entry)) (disconnected)")
                    markChanged()
                } else {
                    // Its program went away: keep it, to remake it when the port comes back.
                    for entry in matching where names == nil || entry.otherClient != names?.client || entry.otherPort != names?.port {
                        if !exists(entry, using: client.sequencer) { live.remove(entry) }
                    }
                }
            }
        case .portStarted(let address), .portChanged(let address):
            settle(address.client)
        case .clientChanged(let id), .clientStarted(let id):
            settle(id)
        // CLIENT_EXIT does not cancel a settle: the kernel frees a client's number before it
        // announces the exit (`seq_free_client`), so the exit of a number's previous owner can
        // arrive after the next owner's CLIENT_START. A client that really left is dropped when
        // its delay is over and the kernel no longer knows it (`remakeSettled`).
        default:
            return
        }
    }

    private func settle(_ id: ClientID) {
        guard id != .system, !memory.entries.isEmpty else { return }
        settling[id] = MonotonicClock.now() &+ Self.settleDelay
    }

    /// When the next settled client is due (for the bridge's timer), or nil.
    var nextDue: UInt64? { settling.values.min() }

    /// Remakes the remembered connections naming ports of every client whose delay is over.
    /// Due clients are dropped even without a `sequencer` to ask (no bridge client left), so
    /// the timer never fires again for them.
    func remakeSettled(now: UInt64, using sequencer: SequencerClient?, clients: [EndpointSequencerClient],
                       restores: (EndpointDeviceId) -> Bool) {
        let due = settling.filter { $0.value <= now }.map(\.key)
        for id in due {
            settling[id] = nil
            guard let sequencer, let clientName = try? sequencer.clientInfo(id).name,
                  let ports = try? sequencer.ports(of: id) else { continue }
            for port in ports {
                remake(where: { $0.otherClient == clientName && $0.otherPort == port.name }, at: port.address, clients: clients,
                       restores: restores)
            }
        }
    }

    // MARK: Remaking

    /// Remakes every remembered connection of `client`'s endpoint whose other port exists now.
    func restore(for client: EndpointSequencerClient, restores: Bool) {
        guard restores else { return }
        let entries = memory.entries(of: client.endpointId)
        guard !entries.isEmpty, let all = try? client.sequencer.clients() else { return }
        for entry in entries {
            for info in all where info.name == entry.otherClient {
                guard let port = (try? client.sequencer.ports(of: info.id))?.first(where: { $0.name == entry.otherPort }) else { continue }
                connect(entry, client: client, other: port.address)
                break
            }
        }
    }

    private func remake(where matches: (RememberedConnection) -> Bool, at address: Address, clients: [EndpointSequencerClient],
                        restores: (EndpointDeviceId) -> Bool) {
        for entry in memory.entries where matches(entry) && restores(entry.endpoint) {
            guard let client = clients.first(where: { $0.endpointId == entry.endpoint }) else { continue }
            connect(entry, client: client, other: address)
        }
    }

    private func connect(_ entry: RememberedConnection, client: EndpointSequencerClient, other: Address) {
        guard entry.port <= client.layout.groupCount else { return }
        let port = PortID(UInt8(entry.port))
        do {
            switch entry.direction {
            case .from: try client.sequencer.connect(from: other, to: port)
            case .to:
                try client.sequencer.connect(from: port, to: other)
                // A subscription the client made itself brings it no notice.
                client.readersMayHaveChanged(on: port)
            }
            live.insert(entry)
            logger.info("alsa: remade connection \(describe(entry)) (\(other))")
        } catch {
            if error.errno == .busy {   // it is there already
                live.insert(entry)
                if entry.direction == .to { client.readersMayHaveChanged(on: port) }
                return
            }
            logger.debug("alsa: could not remake connection \(describe(entry)): \(error)")
        }
    }

    /// The endpoint's client went away (pair removed, daemon stopping): its connections went
    /// with it, but stay remembered.
    func clientGone(_ endpoint: EndpointDeviceId) {
        live = live.filter { $0.endpoint != endpoint }
    }

    // MARK: Listing

    func infos(of endpoint: EndpointDeviceId?) -> [RememberedConnectionInfo] {
        memory.entries(of: endpoint).map(info)
    }

    func forget(of endpoint: EndpointDeviceId?) -> [RememberedConnectionInfo] {
        let gone = memory.forgetAll(of: endpoint)
        if !gone.isEmpty { markChanged(); saveIfChanged() }   // a request: written before the reply
        let infos = gone.map(info)
        for entry in gone { live.remove(entry) }
        return infos
    }

    private func info(_ entry: RememberedConnection) -> RememberedConnectionInfo {
        entry.wireInfo(isConnected: live.contains(entry))
    }

    // MARK: Helpers

    private func names(of address: Address, using sequencer: SequencerClient) -> (client: String, port: String)? {
        guard let client = try? sequencer.clientInfo(address.client), let port = try? sequencer.portInfo(address) else { return nil }
        return (client.name, port.name)
    }

    private func exists(_ entry: RememberedConnection, using sequencer: SequencerClient) -> Bool {
        guard let all = try? sequencer.clients() else { return false }
        return all.contains { info in
            info.name == entry.otherClient && ((try? sequencer.ports(of: info.id))?.contains { $0.name == entry.otherPort } ?? false)
        }
    }

    private func describe(_ entry: RememberedConnection) -> String {
        let other = "\"\(entry.otherClient)\":\"\(entry.otherPort)\""
        let ours = "\(entry.endpoint.instance) port \(entry.port)"
        return entry.direction == .from ? "\(other) -> \(ours)" : "\(ours) -> \(other)"
    }
}

extension SequencerEvent {
    /// Subscription notices and System Announce messages: for the bridge, not MIDI.
    var isNotice: Bool {
        switch self {
        case .portSubscribed, .portUnsubscribed, .clientStarted, .clientExited, .clientChanged,
             .portStarted, .portExited, .portChanged:
            return true
        default:
            return false
        }
    }
}
