import MIDIRules
import UMP

/// The runtime of the service: the endpoint registry, loopback and diagnostic transports, the
/// connections opened on endpoints, routing, scheduling, metadata capture and customizations.
///
/// Single-threaded by design: the daemon owns one instance on its event-loop thread and calls
/// everything from there. There are no locks and no actors; the class is deliberately not
/// `Sendable`. The message path (`send`, `deliverDue`, `receiveFromDevice`) does not allocate
/// per message once its buffers have grown to their working size.
public final class MidiService {
    public let clock: any ServiceClock
    public let limits: SchedulerLimits
    /// Save state through `stateStore` as soon as it changes. When false, the owner calls
    /// `saveState()` (e.g. from a timer) and `hasUnsavedState` tells whether it must.
    public var autosaveState: Bool
    // Exclusivity: `counters`, `hasUnsavedState` and the slot tables and scheduler below are
    // touched for every message or batch sent (and `hasUnsavedState` at every wake-up of the
    // daemon); each access to a class's stored property is checked at run time in release
    // builds (`swift_beginAccess` — docs/performance.md). They are `@exclusivity(unchecked)`:
    // the service is single-threaded (see above), and no access to them is held across a call
    // out — counters are added from a local tally after the receivers were called, lookups copy
    // the record out, and the scheduler's and slot tables' methods call nothing outside them.
    @exclusivity(unchecked) public internal(set) var counters = ServiceCounters()
    /// Set when the stored state could not be read at start-up. The service then starts with no
    /// stored state, and the next save replaces the unreadable data: the owner should keep a
    /// copy of the unreadable file before that (the daemon renames it aside).
    public internal(set) var stateLoadError: StateDecodingError?
    /// True when something worth persisting changed since the last save.
    @exclusivity(unchecked) public internal(set) var hasUnsavedState = false
    /// Why the last save through the state store failed; `nil` after a successful save.
    public internal(set) var lastSaveError: String?

    let stateStore: (any StateStore)?
    @exclusivity(unchecked) var endpointSlots = SlotTable<EndpointNode>()
    var nodesById: [EndpointDeviceId: EndpointNode] = [:]
    /// Endpoints in the order they appeared — the order listings use.
    var orderedNodes: [EndpointNode] = []
    @exclusivity(unchecked) var connectionSlots = SlotTable<ConnectionRecord>()
    @exclusivity(unchecked) var scheduler: MessageScheduler
    /// Loopback pairs and the indexes that keep creating one O(1) (issue 12: every check was a
    /// scan of every pair, so a config of 4,000 pairs took 36 s to apply). See `LoopbackRegistry`.
    var loopbacks = LoopbackRegistry()
    /// Most loopback pairs at once (configured and transient together). Each listing of them
    /// must fit `WireFormat.maximumControlMessageSize`; the kernel gives only 64 of their
    /// endpoints an ALSA client anyway.
    public var maximumLoopbackPairs = 4096
    /// The global MIDI 1.0 port defaults (the configuration file's top-level `midi1Ports`),
    /// applied to pairs created through the API; configured pairs get them from the file.
    public var legacyPortDefaults = LegacyPortSettings.builtIn
    var observers: [(token: Int, handler: (EndpointEvent) -> Void)] = []
    var nextObserverToken = 0
    /// Customizations and declared metadata by endpoint id, for present and absent endpoints
    /// alike, so that an endpoint that appears later gets its state back and nothing stored
    /// is lost while it is away.
    var persisted: [EndpointDeviceId: PersistedEndpointState] = [:]
    /// How many endpoints that are gone keep their saved names and metadata (`pruneAbsentState`).
    public var maximumAbsentEndpointStates = 1024

    /// - Parameters:
    ///   - clock: CLOCK_MONOTONIC nanoseconds.
    ///   - stateStore: where customizations and captured metadata live; `nil` = not persisted.
    ///   - limits: scheduler tolerance, look-ahead and queue size.
    ///   - autosaveState: save on every change (default) or only when `saveState()` is called.
    public init(clock: any ServiceClock, stateStore: (any StateStore)? = nil,
                limits: SchedulerLimits = SchedulerLimits(), autosaveState: Bool = true) {
        self.clock = clock
        self.limits = limits
        self.stateStore = stateStore
        self.autosaveState = autosaveState
        self.scheduler = MessageScheduler(capacity: limits.queueCapacity)
        loadState()
        createDiagnosticEndpoints()
    }

    // MARK: Listing

    /// Endpoints selected by `filter`, in the order they appeared.
    public func endpoints(matching filter: MidiEndpointDeviceInformationFilters = .allStandardEndpoints) -> [MidiEndpoint] {
        orderedNodes.compactMap { $0.model.matches(filter) ? $0.model : nil }
    }

    /// The endpoint with this id, whatever its kind.
    public func endpoint(_ id: EndpointDeviceId) -> MidiEndpoint? {
        nodesById[id]?.model
    }

    /// Number of connections open on an endpoint (0 when it does not exist).
    public func connectionCount(on id: EndpointDeviceId) -> Int {
        nodesById[id]?.connections.count ?? 0
    }

    /// Messages waiting in the scheduler.
    public var scheduledMessageCount: Int { scheduler.count }

    // MARK: Observers

    /// Registers a watcher. It hears every later change, synchronously, on this thread.
    @discardableResult
    public func addObserver(_ handler: @escaping (EndpointEvent) -> Void) -> ObserverToken {
        nextObserverToken += 1
        observers.append((nextObserverToken, handler))
        return ObserverToken(rawValue: nextObserverToken)
    }

    public func removeObserver(_ token: ObserverToken) {
        observers.removeAll { $0.token == token.rawValue }
    }

    func emit(_ event: EndpointEvent) {
        for observer in observers { observer.handler(event) }
    }

    // MARK: Registry

    /// Adds an endpoint: restores its stored customization and metadata, then announces it.
    func register(_ node: EndpointNode) {
        if let stored = persisted[node.model.id] {
            node.model.customization = stored.customization
            node.model.declared = stored.declared
        }
        node.handle = endpointSlots.insert(node)
        nodesById[node.model.id] = node
        orderedNodes.append(node)
        emit(.added(node.model))
    }

    /// Removes an endpoint: closes its connections, forgets its routing, announces it.
    /// Its stored state stays (keyed by id) for when it comes back.
    func unregister(_ node: EndpointNode) {
        for connection in node.connections { connectionSlots.remove(connection.id.handle) }
        node.connections.removeAll()
        node.peer = nil
        endpointSlots.remove(node.handle)
        nodesById[node.model.id] = nil
        orderedNodes.removeAll { $0 === node }
        emit(.removed(node.model.id))
        if persisted[node.model.id] != nil { pruneAbsentState() }
    }

    /// Edits an endpoint's snapshot; when anything visible changed, persists what needs it
    /// and tells the watchers which properties changed.
    @discardableResult
    func update(_ node: EndpointNode, _ edit: (inout MidiEndpoint) -> Void) -> EndpointProperties {
        let before = node.model
        edit(&node.model)
        let changed = EndpointProperties.changes(from: before, to: node.model)
        guard !changed.isEmpty else { return [] }
        if !changed.isDisjoint(with: EndpointProperties.declaredInfo.union(.customization)) {
            recordPersistentState(of: node)
        }
        emit(.updated(node.model, changed: changed))
        return changed
    }
}

/// A connection slot: which endpoint it is open on, and who receives.
struct ConnectionRecord {
    let endpoint: EndpointNode
    let receiver: any EndpointReceiver
}

extension EndpointProperties {
    /// Which properties differ between two snapshots of one endpoint.
    static func changes(from old: MidiEndpoint, to new: MidiEndpoint) -> EndpointProperties {
        var changed: EndpointProperties = []
        if old.displayName != new.displayName { changed.insert(.name) }
        if old.displayDescription != new.displayDescription { changed.insert(.description) }
        if old.customization != new.customization { changed.insert(.customization) }
        if old.declared.endpointName != new.declared.endpointName { changed.insert(.declaredEndpointName) }
        if old.declared.endpointInfo != new.declared.endpointInfo { changed.insert(.declaredEndpointInfo) }
        if old.declared.deviceIdentity != new.declared.deviceIdentity { changed.insert(.deviceIdentity) }
        if old.declared.productInstanceId != new.declared.productInstanceId { changed.insert(.productInstanceId) }
        if old.declared.functionBlocks != new.declared.functionBlocks { changed.insert(.functionBlocks) }
        if old.declared.streamConfiguration != new.declared.streamConfiguration { changed.insert(.streamConfiguration) }
        if old.isMuted != new.isMuted { changed.insert(.muted) }
        if old.groupTerminalBlocks != new.groupTerminalBlocks || old.groupCount != new.groupCount {
            changed.insert(.groupTerminalBlocks)
        }
        if old.transportSupplied != new.transportSupplied { changed.insert(.transportSuppliedInfo) }
        return changed
    }
}
