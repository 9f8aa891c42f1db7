import ALSASequencer
import Glibc
import IPC
import Logging
import ServiceCore
import POSIX

/// The ALSA sequencer bridge (docs/design.md §5; docs/alsa-bridge.md): every loopback endpoint —
/// A and B of every pair, not the diagnostic ones — gets a sequencer client named after it,
/// so MIDI 1.0 programs (aconnect, aplaymidi, arecordmidi, aseqdump, DAWs) use loopbacks with
/// no change. Clients appear, follow renames and disappear with their endpoints, live.
///
/// A `DaemonExtension`: it runs on the daemon's loop thread, with the sequencer descriptors in
/// the loop, and talks to the service like any client (a connection per endpoint).
public final class ALSABridge: DaemonExtension, RememberedConnectionsProvider {
    public let role: DaemonExtensionRole = .alsa

    /// Tunables, with the defaults `midisrv` uses.
    public struct Configuration: Sendable {
        /// Input pool of each client, in cells (kernel default 200, maximum 2000): how much may
        /// wait for the bridge to read. 1,000 cells hold ~27 KB of SysEx or 1,000 short events.
        public var inputPoolCells = 1000
        /// Longest SysEx (F0…F7) assembled from UMP for ALSA; longer ones are dropped.
        public var maximumSysExSize = 1 << 20
        /// At most one warning per client per this many nanoseconds about dropped events.
        public var problemReportInterval: UInt64 = 5_000_000_000
        public init() {}
    }

    private let configuration: Configuration
    // Exclusivity: `clientList`, `pendingEndpoints`, `nextReportDue` and `restorer` are read on
    // every wake-up of the daemon (the end-of-iteration hook, the timers' deadlines), where a
    // run-time check (`swift_beginAccess`) each is measurable (docs/performance.md, issue 17:
    // `AccessSet::insert` in the VM profile). They are `@exclusivity(unchecked)` for the reason
    // given at `EventLoop.registrations`: one thread, and no access to them is held across a
    // call that reaches the same property (loops iterate copies or index, closures passed to
    // `removeAll` compare elements only).
    private var context: DaemonContext?
    private var clients: [EndpointDeviceId: EndpointSequencerClient] = [:]
    /// The same clients, in creation order, for the per-iteration flush (no hashing there).
    @exclusivity(unchecked) private var clientList: [EndpointSequencerClient] = []
    /// Endpoints added since the last iteration; their clients are made at its end, outside
    /// the service's observer callback (opening a connection changes the service).
    @exclusivity(unchecked) private var pendingEndpoints: [EndpointDeviceId] = []
    /// Endpoints whose client could not be made, in the order they failed; each was reported
    /// in the log once. Retried in this order when a slot frees.
    private var failedEndpoints: [EndpointDeviceId] = []
    /// The same, for membership tests: with thousands of pairs past the kernel's 64 clients,
    /// a scan of the list per failure made applying a configuration quadratic (issue 12).
    private var failedSet: Set<EndpointDeviceId> = []
    private var observer: ObserverToken?
    private var hook: EventLoop.Token?
    private var reportTimer: EventLoop.Token?
    /// When a warning held back by the rate limit is due, so it goes out even if nothing else
    /// wakes the loop.
    @exclusivity(unchecked) private var nextReportDue: UInt64?
    /// Connections that come back (subscriptions remembered by names, remade).
    @exclusivity(unchecked) private var restorer: ConnectionRestorer?
    /// Fires when a client that appeared has settled (`ConnectionRestorer.settleDelay`).
    private var restoreTimer: EventLoop.Token?
    /// Fires when a client's events for ports without known readers outlived the end of an
    /// iteration and are due to be settled by asking the kernel
    /// (`EndpointSequencerClient.heldDeadline`; normally the iteration's end settles them).
    private var heldTimer: EventLoop.Token?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Whether an endpoint gets a sequencer client: loopback A/B sides, not diagnostics, and
    /// not a side set to UMP only (`umpOnly`: no MIDI 1.0 ports).
    static func isBridged(_ endpoint: MidiEndpoint) -> Bool {
        endpoint.transport == .loopback && !endpoint.isDiagnostic && endpoint.loopbackSide != nil
            && !endpoint.legacyPorts.umpOnly
    }

    // MARK: DaemonExtension

    public func start(_ context: DaemonContext) -> FeatureStatus {
        if let reason = Self.sequencerUnavailable(devicePath: context.options.sequencerDevicePath) {
            // The daemon puts this in its one "running without …" line and in the status.
            return FeatureStatus(available: false, detail: reason)
        }
        // Every failure comes back as an ALSAError and is logged in the daemon's format;
        // alsa-lib's own stderr copy of it (e.g. at the 64-client limit) would be a stray line.
        ALSALibraryMessages.silence()
        self.context = context
        restorer = ConnectionRestorer(stateDirectory: context.options.stateDirectory, logger: context.logger)
        context.annotations.rememberedConnections = self
        observer = context.service.addObserver { [unowned self] event in self.endpointChanged(event) }
        hook = context.loop.addIterationHook { [unowned self] in self.endOfIteration() }
        reportTimer = context.loop.addTimer(nextDeadline: { [unowned self] in self.nextReportDue }) { [unowned self] _ in
            self.nextReportDue = nil
            if let context = self.context { self.reportProblems(context) }
        }
        restoreTimer = context.loop.addTimer(nextDeadline: { [unowned self] in self.restorer?.nextDue }) { [unowned self] now in
            guard let context = self.context, let restorer = self.restorer else { return }
            restorer.remakeSettled(now: now, using: (restorer.announcer ?? self.clientList.first)?.sequencer, clients: self.clientList) { id in
                context.service.endpoint(id)?.legacyPorts.restoreConnections ?? false
            }
        }
        heldTimer = context.loop.addTimer(nextDeadline: { [unowned self] in self.earliestHeldDeadline }) { [unowned self] now in
            // Indexing, not `for in`: no allocation on the way of events.
            var index = 0
            while index < self.clientList.count {
                let client = self.clientList[index]
                if let due = client.heldDeadline, due <= now { client.settleHeld() }
                index += 1
            }
        }
        let endpoints = context.service.endpoints(matching: .allStandardEndpoints).filter(Self.isBridged)
        for endpoint in endpoints { createClient(for: endpoint, context: context) }
        let numbers = clientList.map { String($0.clientNumber) }.joined(separator: ", ")
        return FeatureStatus(available: true,
                             detail: "ALSA sequencer bridge: \(clientList.count) of \(endpoints.count) loopback endpoints have clients"
                                 + (numbers.isEmpty ? "" : " (\(numbers))"))
    }

    public func stop() {
        guard let context else { return }
        if let observer { context.service.removeObserver(observer) }
        if let hook { context.loop.unregister(hook) }
        if let reportTimer { context.loop.unregister(reportTimer) }
        if let restoreTimer { context.loop.unregister(restoreTimer) }
        if let heldTimer { context.loop.unregister(heldTimer) }
        restoreTimer = nil
        heldTimer = nil
        observer = nil
        hook = nil
        reportTimer = nil
        for client in clientList {
            client.settleHeld()
            client.flushOutput()
            client.detach(from: context.service, loop: context.loop)
        }
        clientList.removeAll()
        clients.removeAll()
        pendingEndpoints.removeAll()
        context.annotations.rememberedConnections = nil
        restorer?.saveIfChanged()
        restorer = nil
        self.context = nil
    }

    /// How many endpoints have a client now.
    var clientCount: Int { clientList.count }

    /// The earliest time a client's held events are due to be settled (a scan of at most 64
    /// clients, once per loop iteration).
    private var earliestHeldDeadline: UInt64? {
        var earliest: UInt64?
        var index = 0
        while index < clientList.count {
            if let due = clientList[index].heldDeadline { earliest = min(earliest ?? due, due) }
            index += 1
        }
        return earliest
    }

    /// Why the bridge cannot run here, or nil. Only a missing or forbidden device stops it: a
    /// full client table (`ENOMEM`, 64 user clients already) is a per-endpoint matter — the
    /// endpoints wait for a slot and get a client when one frees.
    static func sequencerUnavailable(devicePath: String) -> String? {
        if access(devicePath, F_OK) != 0 {
            return "no ALSA sequencer (\(devicePath) missing)"
        }
        // Opening the device makes a sequencer client; closing it removes it again.
        let descriptor = open(devicePath, O_RDWR | O_NONBLOCK | O_CLOEXEC)
        if descriptor < 0 {
            let error = Errno.current
            if error == .noMemory || error == .busy { return nil }
            let hint = error == .permissionDenied ? " (is this user in the audio group?)" : ""
            return "ALSA sequencer unusable: cannot open \(devicePath): \(error)\(hint)"
        }
        close(descriptor)
        return nil
    }

    // MARK: Endpoints coming and going

    private func endpointChanged(_ event: EndpointEvent) {
        guard let context else { return }
        switch event {
        case .added(let endpoint):
            if Self.isBridged(endpoint), clients[endpoint.id] == nil { pendingEndpoints.append(endpoint.id) }
        case .removed(let id):
            pendingEndpoints.removeAll { $0 == id }
            if failedSet.remove(id) != nil { failedEndpoints.removeAll { $0 == id } }
            guard let client = clients.removeValue(forKey: id) else { return }
            clientList.removeAll { $0 === client }
            client.settleHeld()
            client.flushOutput()
            // The service closed the connection with the endpoint; an observer must not change
            // the service anyway.
            client.detach(from: context.service, loop: context.loop, closingConnection: false)
            context.annotations.setALSAClient(nil, for: id)
            context.annotations.setLegacyPorts(nil, for: id)
            restorer?.clientGone(id)
            restorer?.ensureAnnouncer(among: clientList)
            context.logger.info("alsa: removed client \(client.clientNumber) \"\(client.layout.clientName)\" (its endpoint \(id) is gone)")
            // A name this client held may now be free for another one.
            refreshNames(context)
            // A client slot is free again: endpoints that found none get another try.
            let queued = Set(pendingEndpoints)
            for failed in failedEndpoints where !queued.contains(failed) { pendingEndpoints.append(failed) }
        case .updated(let endpoint, let changed):
            guard !changed.isDisjoint(with: [.name, .functionBlocks, .customization]), clients[endpoint.id] != nil else { return }
            refreshNames(context, changed: endpoint)
        }
    }

    /// The client name each bridged endpoint gets: its `LegacyPortNames` client name, made
    /// unique among the bridge's clients (`LegacyPortNames.uniqueClientNames`). `extra` is an
    /// endpoint about to get a client; `override` a newer snapshot than the service's.
    private func clientNames(_ context: DaemonContext, extra: MidiEndpoint? = nil,
                             override: MidiEndpoint? = nil) -> (names: [EndpointDeviceId: String], endpoints: [EndpointDeviceId: MidiEndpoint]) {
        var endpoints: [EndpointDeviceId: MidiEndpoint] = [:]
        for client in clientList {
            if let endpoint = context.service.endpoint(client.endpointId) { endpoints[client.endpointId] = endpoint }
        }
        if let extra { endpoints[extra.id] = extra }
        if let override, endpoints[override.id] != nil { endpoints[override.id] = override }
        let wanted = endpoints.mapValues { LegacyPortNames(endpoint: $0).clientName }
        return (LegacyPortNames.uniqueClientNames(wanted), endpoints)
    }

    /// Brings every client's names up to date (a rename, new function blocks or custom port
    /// names, a client gone that held a name another one wanted).
    private func refreshNames(_ context: DaemonContext, changed: MidiEndpoint? = nil) {
        let (names, endpoints) = clientNames(context, override: changed)
        for client in clientList {
            guard let endpoint = endpoints[client.endpointId] else { continue }
            do {
                let changes = try client.update(to: endpoint, clientName: names[client.endpointId])
                publish(client, context)
                if !changes.isEmpty {
                    context.logger.info("alsa: client \(client.clientNumber) follows \(endpoint.id): \(changes.joined(separator: ", "))")
                }
            } catch {
                context.logger.error("alsa: client \(client.clientNumber) could not take the new names of \(endpoint.id): \(error)")
            }
        }
    }

    /// Tells the annotations which client and ports the endpoint has now.
    private func publish(_ client: EndpointSequencerClient, _ context: DaemonContext) {
        let layout = client.layout
        let ports = layout.portNames.enumerated().map { number, name in
            PublishedLegacyPorts.Port(port: number, name: name, group: number == 0 ? nil : number)
        }
        context.annotations.setLegacyPorts(PublishedLegacyPorts(client: client.clientNumber, clientName: layout.clientName,
                                                                ports: ports, owner: PublishedLegacyPorts.loopbackOwner),
                                           for: client.endpointId)
    }

    private func createClient(for endpoint: MidiEndpoint, context: DaemonContext) {
        let client: EndpointSequencerClient
        do {
            client = try EndpointSequencerClient(endpoint: endpoint, clientName: clientNames(context, extra: endpoint).names[endpoint.id],
                                                 inputPoolCells: configuration.inputPoolCells,
                                                 maximumSysExSize: configuration.maximumSysExSize)
        } catch {
            creationFailed(endpoint, error: .alsa(error), context: context)
            return
        }
        do { try client.attach(to: context.service, loop: context.loop) } catch {
            client.detach(from: context.service, loop: context.loop)
            creationFailed(endpoint, error: error, context: context)
            return
        }
        clients[endpoint.id] = client
        clientList.append(client)
        let retried = failedSet.remove(endpoint.id) != nil
        if retried { failedEndpoints.removeAll { $0 == endpoint.id } }
        context.annotations.setALSAClient(client.clientNumber, for: endpoint.id)
        refreshNames(context)
        client.onNotice = { [unowned self, unowned client] received in
            guard let context = self.context else { return }
            self.restorer?.notice(received, on: client, clients: self.clientList) { id in
                context.service.endpoint(id)?.legacyPorts.restoreConnections ?? false
            }
        }
        restorer?.ensureAnnouncer(among: clientList)
        restorer?.restore(for: client, restores: endpoint.legacyPorts.restoreConnections)
        context.logger.info("alsa: \(retried ? "now " : "")client \(client.clientNumber) \"\(client.layout.clientName)\" for \(endpoint.id): port 0 (all groups) and ports 1-\(client.layout.groupCount)")
    }

    private func creationFailed(_ endpoint: MidiEndpoint, error: ALSABridgeError, context: DaemonContext) {
        guard failedSet.insert(endpoint.id).inserted else { return }   // said once per endpoint
        failedEndpoints.append(endpoint.id)
        var hint = ""
        if case .alsa(let alsa) = error, alsa.errno == .noMemory || alsa.errno == .busy {
            hint = " (the kernel allows 64 user sequencer clients, numbers 128-191: close an ALSA program or remove a pair to free one; the bridge tries again whenever one of its own clients goes away)"
        }
        context.logger.error("alsa: no sequencer client for \"\(endpoint.displayName)\" (\(endpoint.id)): \(error)\(hint); the endpoint keeps working for MIDI Services applications")
    }

    // MARK: Once per loop iteration

    private func endOfIteration() {
        restorer?.saveIfChanged()
        // `context` is taken only when needed: binding it copies the struct, a retain per
        // reference in it, and this runs on every wake-up of the daemon.
        if !pendingEndpoints.isEmpty, let context {
            let ids = pendingEndpoints
            pendingEndpoints.removeAll()
            for id in ids where clients[id] == nil {
                guard let endpoint = context.service.endpoint(id) else {
                    if failedSet.remove(id) != nil { failedEndpoints.removeAll { $0 == id } }
                    continue
                }
                createClient(for: endpoint, context: context)
            }
        }
        // Indexing, not `for in`: this runs every iteration and must not allocate.
        //
        // The output is drained before held events are settled: the drain is what a waiting
        // ALSA reader is waiting for, and settling can cost a system call (the `poll` of
        // `hasPendingInput`), which would otherwise sit between an event's arrival and its
        // delivery on every paced event whose port 0 nobody reads (docs/performance.md,
        // issue 17). Order per port is kept: a port's events are either written (it has
        // readers) or held (it has none known) — when a notice gives it readers, its held
        // events are written at once, ahead of anything later — so nothing settled here can
        // belong before an event already drained. Released events go out in a second drain.
        var index = 0
        while index < clientList.count {
            clientList[index].flushOutput()
            index += 1
        }
        index = 0
        var anyProblem = false
        while index < clientList.count {
            let client = clientList[index]
            client.settleHeldAtEndOfIteration()
            client.flushOutput()
            if client.problemCounts != client.reportedProblems { anyProblem = true }
            index += 1
        }
        if anyProblem, let context { reportProblems(context) }
    }

    /// At most one warning per client per `problemReportInterval`, saying what was lost since
    /// the last one — a slow ALSA reader must not flood the log either.
    private func reportProblems(_ context: DaemonContext) {
        let now = MonotonicClock.now()
        for client in clientList {
            let counts = client.problemCounts
            guard counts != client.reportedProblems else { continue }
            if let at = client.problemsReportedAt, now &- at < configuration.problemReportInterval {
                let due = at &+ configuration.problemReportInterval
                nextReportDue = min(nextReportDue ?? due, due)
                continue
            }
            let growth = counts.describeGrowth(since: client.reportedProblems)
            client.reportedProblems = counts
            client.problemsReportedAt = now
            guard !growth.isEmpty else { continue }
            let detail = client.sequencer.lastOutputError.map { "; last ALSA error: \($0)" } ?? client.lastError.map { "; last error: \($0)" } ?? ""
            context.logger.warning("alsa: client \(client.clientNumber) \"\(client.layout.clientName)\": \(growth.joined(separator: "; "))\(detail)")
        }
    }
}

extension ALSABridge {
    // MARK: RememberedConnectionsProvider (`midi connections`)

    public func rememberedConnections(of endpoint: EndpointDeviceId?) -> [RememberedConnectionInfo] {
        restorer?.infos(of: endpoint) ?? []
    }

    public func forgetConnections(of endpoint: EndpointDeviceId?) -> [RememberedConnectionInfo] {
        restorer?.forget(of: endpoint) ?? []
    }
}
