import IPC
import MIDIRules
import Synchronization

/// Follows endpoints as they come and go (`MidiEndpointDeviceWatcher`).
///
/// ```swift
/// let watcher = try MidiEndpointDeviceWatcher.create(filter: .allStandardEndpoints)
/// watcher.added = { _, args in print("added", args.addedDevice.name) }
/// watcher.removed = { _, args in print("removed", args.endpointDeviceId) }
/// watcher.enumerationCompleted = { _ in print("that was everything present") }
/// try watcher.start()
/// ```
///
/// After `start()`, `added` fires for every endpoint present, then `enumerationCompleted`
/// once, then `added`/`removed`/`updated` live. Handlers run on the session's reader thread,
/// in the order the service reported the changes.
///
/// Across a service restart the watcher re-subscribes by itself and reconciles: endpoints that
/// disappeared meanwhile are reported `removed`, new ones `added`, changed ones `updated`;
/// `enumerationCompleted` is not repeated.
public final class MidiEndpointDeviceWatcher: Sendable {
    public typealias Handler<Args> = @Sendable (MidiEndpointDeviceWatcher, Args) -> Void

    public enum Status: String, Sendable, Hashable {
        case created, started, enumerationCompleted, stopped
    }

    public let filter: MidiEndpointDeviceInformationFilters
    private let client: ServiceClient

    private struct State {
        var status: Status = .created
        var subscription: SubscriptionID?
        var devices: [String: MidiEndpointDeviceInformation] = [:]
        /// Re-subscribed after a reconnection: the ids seen so far in the new enumeration.
        var resyncSeen: Set<String>?
        var added: Handler<MidiEndpointDeviceInformationAddedEventArgs>?
        var removed: Handler<MidiEndpointDeviceInformationRemovedEventArgs>?
        var updated: Handler<MidiEndpointDeviceInformationUpdatedEventArgs>?
        var enumerationCompleted: (@Sendable (MidiEndpointDeviceWatcher) -> Void)?
        var stopped: (@Sendable (MidiEndpointDeviceWatcher) -> Void)?
    }
    private let state = Mutex(State())

    init(client: ServiceClient, filter: MidiEndpointDeviceInformationFilters) {
        self.client = client
        self.filter = filter
    }

    /// A watcher for endpoints the filter admits (`CreateWatcher`); `session` nil: the
    /// process-wide client. Set handlers, then `start()`.
    public static func create(filter: MidiEndpointDeviceInformationFilters = .allStandardEndpoints,
                              session: MidiSession? = nil) throws(MidiServiceError) -> MidiEndpointDeviceWatcher {
        MidiEndpointDeviceWatcher(client: try MidiSession.client(for: session), filter: filter)
    }

    // MARK: Handlers

    public var added: Handler<MidiEndpointDeviceInformationAddedEventArgs>? {
        get { state.withLock { $0.added } }
        set { state.withLock { $0.added = newValue } }
    }

    public var removed: Handler<MidiEndpointDeviceInformationRemovedEventArgs>? {
        get { state.withLock { $0.removed } }
        set { state.withLock { $0.removed = newValue } }
    }

    public var updated: Handler<MidiEndpointDeviceInformationUpdatedEventArgs>? {
        get { state.withLock { $0.updated } }
        set { state.withLock { $0.updated = newValue } }
    }

    public var enumerationCompleted: (@Sendable (MidiEndpointDeviceWatcher) -> Void)? {
        get { state.withLock { $0.enumerationCompleted } }
        set { state.withLock { $0.enumerationCompleted = newValue } }
    }

    public var stopped: (@Sendable (MidiEndpointDeviceWatcher) -> Void)? {
        get { state.withLock { $0.stopped } }
        set { state.withLock { $0.stopped = newValue } }
    }

    // MARK: State

    public var status: Status { state.withLock { $0.status } }

    /// The endpoints known to the watcher right now (`EnumeratedEndpointDevices`), by id.
    public var enumeratedEndpointDevices: [String: MidiEndpointDeviceInformation] { state.withLock { $0.devices } }

    // MARK: Starting and stopping

    /// Subscribes; returns once the service confirmed (the initial `added` events follow on the
    /// reader thread). Throws when the watcher was stopped (create a new one) or the service
    /// cannot be reached.
    public func start() throws(MidiServiceError) {
        try beginStart()
        do {
            _ = try client.request(.subscribeEndpointEvents(SubscribeRequest(filter: filter)),
                                   operation: "watch endpoints") { [self] reply in subscribed(reply, resync: false) }
        } catch {
            client.unregister(self)
            state.withLock { $0.status = .created }
            throw error
        }
    }

    /// Subscribes without waiting (for use on the reader thread).
    func startInBackground() {
        guard (try? beginStart()) != nil else { return }
        client.send(.subscribeEndpointEvents(SubscribeRequest(filter: filter)), operation: "watch endpoints") { [self] result in
            if case .success(let reply) = result { subscribed(reply, resync: false) }
        }
    }

    private func beginStart() throws(MidiServiceError) {
        let ok: Result<Void, MidiServiceError> = state.withLock { state in
            switch state.status {
            case .created: state.status = .started; return .success(())
            case .stopped: return .failure(.closed(what: "the endpoint watcher (create a new one)"))
            case .started, .enumerationCompleted: return .failure(.invalidArgument("the endpoint watcher is already started"))
            }
        }
        try ok.get()
        client.register(self)
    }

    /// Stops watching (`Stop`); `stopped` fires. Idempotent.
    public func stop() {
        let subscription: SubscriptionID?? = state.withLock { state in
            guard state.status != .stopped else { return .none }
            state.status = .stopped
            defer { state.subscription = nil }
            return .some(state.subscription)
        }
        guard case .some(let id) = subscription else { return }
        client.unregister(self)
        if let id {
            let client = self.client
            client.send(.unsubscribeEndpointEvents(UnsubscribeRequest(subscription: id)), operation: "stop watching") { result in
                if case .success = result { client.unroute(id) }
            }
        }
        state.withLock { $0.stopped }?(self)
    }

    func detachForClose() {
        let wasRunning = state.withLock { state -> Bool in
            defer { state.status = .stopped; state.subscription = nil }
            return state.status != .stopped
        }
        if wasRunning { state.withLock { $0.stopped }?(self) }
    }

    // MARK: Reader-thread hooks

    private func subscribed(_ reply: ControlReply, resync: Bool) {
        guard case .subscribed(let info) = reply else { return }
        let keep = state.withLock { state -> Bool in
            guard state.status != .stopped else { return false }
            state.subscription = info.subscription
            state.resyncSeen = resync ? [] : nil
            return true
        }
        if keep {
            client.route(info.subscription, to: self)
        } else {
            client.send(.unsubscribeEndpointEvents(UnsubscribeRequest(subscription: info.subscription)), operation: "stop watching") { _ in }
        }
    }

    func linkLost() {
        state.withLock { $0.subscription = nil }
    }

    func resubscribe() {
        let running = state.withLock { $0.status == .started || $0.status == .enumerationCompleted }
        guard running else { return }
        client.send(.subscribeEndpointEvents(SubscribeRequest(filter: filter)), operation: "watch endpoints") { [self] result in
            if case .success(let reply) = result { subscribed(reply, resync: true) }
        }
    }

    private enum Notification {
        case added(MidiEndpointDeviceInformation)
        case removed(String)
        case updated(MidiEndpointDeviceInformation, [String])
        case enumerationCompleted
    }

    /// Equal except for what changes without an update event (open connection counts).
    private static func sameApartFromCounts(_ a: MidiEndpointDeviceInformation, _ b: MidiEndpointDeviceInformation) -> Bool {
        var a = a.wire, b = b.wire
        a.openConnectionCount = nil
        b.openConnectionCount = nil
        return a == b
    }

    func handle(_ event: ServiceEvent) {
        var notifications: [Notification] = []
        state.withLock { state in
            guard state.status != .stopped else { return }
            switch event {
            case .endpointAdded(let info):
                let device = MidiEndpointDeviceInformation(info)
                let previous = state.devices.updateValue(device, forKey: device.endpointDeviceId)
                if state.resyncSeen != nil {
                    state.resyncSeen?.insert(device.endpointDeviceId)
                    if let previous {
                        if !Self.sameApartFromCounts(previous, device) { notifications.append(.updated(device, ["resync"])) }
                    } else {
                        notifications.append(.added(device))
                    }
                } else {
                    notifications.append(.added(device))
                }
            case .endpointRemoved(let removed):
                let id = removed.id
                if state.devices.removeValue(forKey: id) != nil || state.resyncSeen == nil {
                    notifications.append(.removed(id))
                }
            case .endpointUpdated(let update):
                let device = MidiEndpointDeviceInformation(update.endpoint)
                state.devices[device.endpointDeviceId] = device
                state.resyncSeen?.insert(device.endpointDeviceId)
                notifications.append(.updated(device, update.changed))
            case .enumerationCompleted:
                if let seen = state.resyncSeen {
                    for id in state.devices.keys.sorted() where !seen.contains(id) {
                        state.devices[id] = nil
                        notifications.append(.removed(id))
                    }
                    state.resyncSeen = nil
                } else {
                    state.status = .enumerationCompleted
                    notifications.append(.enumerationCompleted)
                }
            case .connectionClosed:
                break
            }
        }
        for notification in notifications {
            switch notification {
            case .added(let device):
                state.withLock { $0.added }?(self, MidiEndpointDeviceInformationAddedEventArgs(addedDevice: device))
            case .removed(let id):
                state.withLock { $0.removed }?(self, MidiEndpointDeviceInformationRemovedEventArgs(endpointDeviceId: id))
            case .updated(let device, let changed):
                state.withLock { $0.updated }?(self, MidiEndpointDeviceInformationUpdatedEventArgs(updatedDevice: device,
                                                                                                  changedProperties: changed))
            case .enumerationCompleted:
                state.withLock { $0.enumerationCompleted }?(self)
            }
        }
    }
}

/// `MidiEndpointDeviceInformationAddedEventArgs`.
public struct MidiEndpointDeviceInformationAddedEventArgs: Sendable, Hashable {
    public var addedDevice: MidiEndpointDeviceInformation
}

/// `MidiEndpointDeviceInformationRemovedEventArgs`.
public struct MidiEndpointDeviceInformationRemovedEventArgs: Sendable, Hashable {
    public var endpointDeviceId: String
}

/// `MidiEndpointDeviceInformationUpdatedEventArgs`: the endpoint as it is now and which
/// property groups changed.
public struct MidiEndpointDeviceInformationUpdatedEventArgs: Sendable, Hashable {
    public var updatedDevice: MidiEndpointDeviceInformation
    /// As the service names them: "name", "userSupplied", "declared", "functionBlocks",
    /// "loopback" (muted), "alsaClient"…; "resync" after a reconnection.
    public var changedProperties: [String]

    public var endpointDeviceId: String { updatedDevice.endpointDeviceId }
    public var isNameUpdated: Bool { changedProperties.contains("name") || changedProperties.contains("userSupplied") }
    public var isUserMetadataUpdated: Bool { changedProperties.contains("userSupplied") }
    public var isEndpointInformationUpdated: Bool { changedProperties.contains("declared") }
    public var areFunctionBlocksUpdated: Bool { changedProperties.contains("functionBlocks") }
}
