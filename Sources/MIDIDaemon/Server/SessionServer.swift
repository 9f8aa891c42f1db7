import Glibc
import IPC
import Logging
import MIDIRules
import ServiceCore
import UMP

/// Accepts clients on the listening socket and runs their sessions: handshake, control
/// requests, UMP batches in and out, watcher events, send reports. One instance per daemon,
/// entirely on the event loop's thread.
final class SessionServer {
    let loop: EventLoop
    let service: MidiService
    var logger: Logger
    let options: DaemonOptions
    let listener: SeqPacketSocket
    /// Extensions' additions to endpoint descriptions (the ALSA client number).
    let annotations: EndpointAnnotations
    private var listenerToken: EventLoop.Token?
    // Exclusivity: `sessions`, `awaitingHello` and `fragmenting` are read on every wake-up (the
    // handshake timer's deadline, the end-of-iteration pass); they are `@exclusivity(unchecked)`
    // for the reason given at `EventLoop.registrations`: one thread, and no access to them is
    // held across a call out (the loops below iterate copies, `close` removes by key).
    @exclusivity(unchecked) private(set) var sessions: [UInt32: ClientSession] = [:]
    /// The sessions that have not said hello yet (a subset of `sessions`): the handshake timer's
    /// deadline is asked on every loop wake-up, and this keeps it O(1) when none is waiting.
    @exclusivity(unchecked) private var awaitingHello: [UInt32: ClientSession] = [:]
    /// The sessions holding an unfinished fragmented request (a subset of `sessions`), and the
    /// bytes all of them hold together (bounded by `options.maximumPendingFragmentBytes`).
    @exclusivity(unchecked) private var fragmenting: [UInt32: ClientSession] = [:]
    private var pendingFragmentBytes = 0
    /// Connected clients per uid (`options.maximumClientsPerUser`).
    private var clientsPerUid: [UInt32: Int] = [:]
    private var nextSessionId: UInt32 = 0
    /// One receive buffer for everyone: each datagram is handled before the next is read.
    private let receiveBuffer = FrameBuffer()
    /// A received UMP batch, decoded (while it is validated) for `MidiService.send(each:now:from:)`:
    /// room for the largest batch a frame can hold, allocated once.
    private let batchMessages = UnsafeMutableBufferPointer<TimestampedUMP>.allocate(capacity: UMPBatchLayout.maximumMessageCount)
    /// Last known info of every endpoint, for filtering removal events.
    private var knownEndpoints: [String: EndpointInfo] = [:]
    private var observerToken: ObserverToken?
    private var hookToken: EventLoop.Token?
    private var handshakeTimerToken: EventLoop.Token?
    /// A connection that has not said hello after this long is closed (it holds a client slot).
    static let handshakeTimeout: UInt64 = 5_000_000_000

    /// Who may persist, rename, remove and mute (see `Authorization`).
    var authorization: Authorization
    /// Set by the daemon: writes a pair into the config file (`--persist`).
    var persistPair: ((ConfiguredLoopbackPair) -> ControlError?)?
    /// Deletes a pair's entry from the configuration file (`remove --persist`).
    var unpersistPair: ((AssociationId) -> ControlError?)?
    /// Set by the daemon: everything but the client list of `serviceStatus`.
    var statusProvider: (() -> ServiceStatus)?
    let startedAt = MonotonicClock.now()

    /// Sessions with an unsent UMP batch (see `PendingBatches`).
    private let pendingBatches = PendingBatches()

    static let serviceName = "midisrv"
    /// Datagrams read from one client per wake-up, so one busy client cannot starve the rest.
    static let readBudget = 64
    /// A UMP batch of at least this many messages is bulk (a SysEx dump, dense playback, a
    /// throughput test): its deliveries may wait in the receivers' batches for the next frame
    /// of the same wake-up rather than go out on their own (`receiveBatch`).
    static let bulkFrameMessages = 64

    init(loop: EventLoop, service: MidiService, listener: SeqPacketSocket, options: DaemonOptions, logger: Logger,
         annotations: EndpointAnnotations = EndpointAnnotations()) {
        self.loop = loop
        self.service = service
        self.listener = listener
        self.options = options
        self.logger = logger
        self.annotations = annotations
        authorization = Authorization(configPath: options.configPath)
        for endpoint in service.endpoints(matching: .all) { knownEndpoints[endpoint.id.rawValue] = wireEndpoint(endpoint) }
        observerToken = service.addObserver { [unowned self] change in self.endpointChanged(change) }
        annotations.changed = { [unowned self] id, property in self.annotationChanged(id, property) }
        listenerToken = loop.registerDescriptor(listener.fileDescriptor) { [unowned self] _ in self.acceptClients() }
        hookToken = loop.addIterationHook { [unowned self] in self.endOfIteration() }
        handshakeTimerToken = loop.addTimer(nextDeadline: { [unowned self] in self.nextHandshakeDeadline() }) { [unowned self] now in
            self.closeSilentClients(now: now)
        }
    }

    deinit { batchMessages.deallocate() }

    /// Closes every session and stops listening (the daemon removes the socket file).
    func shutdown() {
        for session in Array(sessions.values) {
            session.markClosing(.serviceShuttingDown)
            close(session)
        }
        if let listenerToken { loop.unregister(listenerToken) }
        if let hookToken { loop.unregister(hookToken) }
        if let handshakeTimerToken { loop.unregister(handshakeTimerToken) }
        if let observerToken { service.removeObserver(observerToken) }
        annotations.changed = nil
        listener.close()
    }

    // MARK: Accepting

    private func acceptClients() {
        while true {
            let accepted: SeqPacketSocket?
            do { accepted = try listener.accept() } catch {
                logger.error("accept failed: \(error)")   // EMFILE and the like: try again next wake-up
                return
            }
            guard let socket = accepted else { return }
            let credentials: PeerCredentials
            do { credentials = try socket.peerCredentials() } catch {
                logger.warning("rejecting a connection: \(error)")
                socket.close()
                continue
            }
            nextSessionId &+= 1
            let session = ClientSession(id: nextSessionId, socket: socket, credentials: credentials,
                                        queueCapacity: options.clientQueueCapacity, dataLimit: options.clientQueueDataLimit, pendingBatches: pendingBatches)
            if sessions.count >= options.maximumClients {
                logger.warning("refusing \(session.label): \(options.maximumClients) clients already connected")
                _ = try? socket.send(Frame.refusal(Refusal(reason: .tooManyClients,
                    message: "midisrv already serves \(options.maximumClients) clients")).encoded()[0])
                socket.close()
                continue
            }
            if clientCount(uid: credentials.uid) >= options.maximumClientsPerUser {
                logger.warning("refusing \(session.label): uid \(credentials.uid) already has \(options.maximumClientsPerUser) clients connected")
                _ = try? socket.send(Frame.refusal(Refusal(reason: .tooManyClients,
                    message: "uid \(credentials.uid) already has \(options.maximumClientsPerUser) connections to midisrv, the most one user may have")).encoded()[0])
                socket.close()
                continue
            }
            clientsPerUid[credentials.uid, default: 0] += 1
            sessions[session.id] = session
            awaitingHello[session.id] = session
            session.token = loop.registerDescriptor(socket.fileDescriptor) { [unowned self, unowned session] events in
                self.socketReady(session, events)
            }
            logger.debug("client \(session.id) connected: pid \(credentials.pid) uid \(credentials.uid) gid \(credentials.gid)")
        }
    }

    private func clientCount(uid: UInt32) -> Int { clientsPerUid[uid] ?? 0 }

    /// The earliest of the handshake deadlines and the fragment deadlines.
    private func nextHandshakeDeadline() -> UInt64? {
        // Asked on every wake-up of the loop: nothing but two emptiness checks in the usual
        // case (closures over `self` here allocated on every wake-up of a debug build).
        if awaitingHello.isEmpty && fragmenting.isEmpty { return nil }
        var earliest: UInt64?
        for session in awaitingHello.values where session.state == .awaitingHello {
            let deadline = session.acceptedAt + Self.handshakeTimeout
            if earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        for session in fragmenting.values {
            guard let started = session.fragmentStartedAt else { continue }
            let deadline = started + options.fragmentTimeout
            if earliest.map({ deadline < $0 }) ?? true { earliest = deadline }
        }
        return earliest
    }

    private func closeSilentClients(now: UInt64) {
        for session in fragmenting.values {
            guard let started = session.fragmentStartedAt, started + options.fragmentTimeout <= now else { continue }
            refuse(session, .limitExceeded,
                   "fragmented request not completed within \(options.fragmentTimeout / 1_000_000) ms of its first fragment (frame \(session.framesReceived))")
            close(session)
        }
        for session in awaitingHello.values where session.state == .awaitingHello && session.acceptedAt + Self.handshakeTimeout <= now {
            logger.warning("closing client \(session.id) (pid \(session.credentials.pid)): no hello within \(Self.handshakeTimeout / 1_000_000_000) s")
            session.markClosing(.noHello(timeoutSeconds: Self.handshakeTimeout / 1_000_000_000))
            close(session)
        }
    }

    // MARK: Reading

    private func socketReady(_ session: ClientSession, _ events: EventLoop.Events) {
        if events.contains(.writable) { _ = session.flushQueue() }
        if events.contains(.hangup) && session.hasBacklog {
            session.markClosing(.disconnected)   // gone before taking its reply: nothing to read
        } else if events.contains(.readable) || events.contains(.hangup) {
            readFrames(session)
            // What bulk frames left in the receivers' batches goes out now, before the loop
            // turns to another descriptor (see `receiveBatch`).
            pendingBatches.flush()
        }
        if session.state == .closing { close(session) } else { updateInterest(session) }
    }

    private func readFrames(_ session: ClientSession) {
        // Not while a reply waits behind its queue: the next request would pile up another.
        for _ in 0..<Self.readBudget where session.state != .closing && !session.hasBacklog {
            let outcome: SeqPacketSocket.ReceiveOutcome
            do { outcome = try session.socket.receive(into: receiveBuffer.bytes) } catch {
                session.markClosing(.receiveFailed(error))
                return
            }
            switch outcome {
            case .wouldBlock:
                return
            case .endOfStream:
                session.markClosing(.disconnected)
                return
            case .truncated(let count):
                malformed(session, .oversized(byteCount: count, maximum: WireFormat.maximumFrameSize))
                return
            case .frame(let count):
                session.framesReceived &+= 1
                do {
                    try handle(receiveBuffer.prefix(count), from: session)
                } catch {
                    malformed(session, error)
                    return
                }
            }
        }
    }

    /// A frame that breaks the wire format: the client is told which frame and what was wrong
    /// (a refusal, the last frame it gets), then closed; only that connection is affected.
    private func malformed(_ session: ClientSession, _ error: FrameError) {
        let message = "malformed frame \(session.framesReceived) on this connection: \(error)"
        logger.warning("closing \(session.label): \(message)")
        session.sendControl(.refusal(Refusal(reason: .malformedFrame, message: Self.clipped(message, to: Refusal.maximumMessageLength))))
        session.markClosing(.malformedFrame(error))
    }

    /// `text` cut to at most `limit` UTF-8 bytes on a character boundary.
    static func clipped(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var result = ""
        for character in text {
            if result.utf8.count + character.utf8.count > limit - 3 { break }
            result.append(character)
        }
        return result + "..."
    }

    private func handle(_ datagram: UnsafeRawBufferPointer, from session: ClientSession) throws(FrameError) {
        let header = try FrameHeader(validating: datagram)
        switch session.state {
        case .closing:
            return
        case .awaitingHello:
            guard header.kind == .hello, case .hello(let hello)? = try session.decoder.decode(header: header, datagram: datagram) else {
                refuse(session, .handshakeRequired, "the first frame must be a hello (got \(header.kind))")
                return
            }
            handshake(session, hello)
        case .ready:
            if header.kind == .umpBatch {
                receiveBatch(try UMPBatchReader(header: header, frame: datagram, decodingInto: batchMessages), from: session)
                return
            }
            let frame: Frame?
            do {
                frame = try decodeControl(header, datagram, from: session)
            } catch .invalidRequestBody(let requestId, let reason) {
                // The frame was sound, only its JSON was not: answer the request, keep the client.
                logger.warning("\(session.label): request \(requestId) (frame \(session.framesReceived)) rejected: \(reason)")
                session.sendControl(.response(RequestID(requestId), .failure(ControlError(
                    code: .invalidRequest, message: Self.clipped(reason, to: 4096)))))
                return
            }
            guard let frame else { return }
            switch frame {
            case .request(let id, let request):
                let reply = perform(request, for: session)
                session.sendControl(.response(id, reply))
                if case .subscribed(let info) = reply { sendInitialEnumeration(info.subscription, for: session) }
            case .unknownRequest(let id, let operation):
                session.sendControl(.response(id, .failure(ControlError(
                    code: .unsupportedOperation,
                    message: "operation \(operation) is not supported by protocol \(ProtocolVersion.current)"))))
            default:
                throw .unexpected(kind: header.kind.rawValue, state: "from a client after the handshake")
            }
        }
    }

    /// Decodes a control frame, keeping the fragment bounds: what this session holds (the
    /// decoder's own bound), what all sessions hold together, and for how long.
    private func decodeControl(_ header: FrameHeader, _ datagram: UnsafeRawBufferPointer,
                               from session: ClientSession) throws(FrameError) -> Frame? {
        let before = session.decoder.pendingByteCount
        defer {
            let after = session.decoder.pendingByteCount
            pendingFragmentBytes += after - before
            if after == 0 {
                session.fragmentStartedAt = nil
                fragmenting[session.id] = nil
            } else if before == 0 {
                session.fragmentStartedAt = MonotonicClock.now()
                fragmenting[session.id] = session
            }
        }
        let frame = try session.decoder.decode(header: header, datagram: datagram)
        if frame == nil, pendingFragmentBytes + session.decoder.pendingByteCount - before > options.maximumPendingFragmentBytes {
            session.decoder.discardPendingFragments()
            throw .invalidFragment(reason: "the service holds \(options.maximumPendingFragmentBytes) bytes of unfinished fragmented requests from all clients, its limit; finish one request before starting the next")
        }
        return frame
    }

    private func handshake(_ session: ClientSession, _ hello: Hello) {
        guard hello.version.isCompatible(with: .current) else {
            refuse(session, .versionMismatch,
                   "midisrv speaks protocol \(ProtocolVersion.current), the client \(hello.version); update the older side")
            return
        }
        // The name is the client's to choose, so it is kept escaped: a "\n" in it must not forge
        // a log line or a `midi service status` row (issue 12).
        session.name = String(EndpointText.escaped(hello.clientName, limit: WireFormat.maximumClientNameLength).dropFirst().dropLast())
        session.version = min(hello.version, .current)
        session.state = .ready
        awaitingHello[session.id] = nil
        logger.info("client \(session.id) \"\(session.name)\" connected: pid \(session.credentials.pid) uid \(session.credentials.uid) gid \(session.credentials.gid), protocol \(hello.version)")
        session.sendControl(.welcome(Welcome(daemonPid: getpid(), clientId: session.id,
                                             serviceName: Self.serviceName, serviceVersion: Daemon.version)))
    }

    private func refuse(_ session: ClientSession, _ reason: Refusal.Reason, _ message: String) {
        logger.warning("refusing \(session.label): \(message)")
        session.sendControl(.refusal(Refusal(reason: reason, message: message)))
        session.markClosing(.refused(message))
    }

    // MARK: UMP in

    /// The whole frame goes to the service in one call: the service then looks the connection
    /// up and updates its counters once per frame rather than once per message (each of those
    /// is a dynamically checked access to a class property — see docs/performance.md).
    private func receiveBatch(_ batch: UMPBatchReader, from session: ClientSession) {
        guard let connection = session.connection(batch.connection) else {
            session.sendControl(.sendReport(SendReport(connection: batch.connection, messages: UInt32(batch.count),
                                                       rejected: UInt32(batch.count))))
            return
        }
        let count = batch.count   // validated and decoded into `batchMessages` in one pass
        let now = MonotonicClock.now()   // one arrival time per frame: they arrived together
        // Decoded through `UMPPacket.init`, which clears the words past each message's size.
        let outcome = service.send(each: UnsafeMutableBufferPointer(rebasing: batchMessages[..<count]), now: now,
                                   from: connection.serviceID, packetsNormalized: true)
        connection.messagesSent &+= UInt64(batch.count)
        // A small frame (live playing: one to a few messages) goes out now, before reading the
        // next one: the receivers wake one system call sooner. A bulk frame stays in the
        // receivers' batches while more frames are waiting, so that the frames a wake-up
        // drains reach each receiver as few full datagrams (up to 64 KiB: ~5,400 32-bit
        // UMPs) instead of one per frame in — fewer wake-ups and system calls at both ends
        // per message. A full batch is sent as it fills; the rest when the read finds the
        // socket empty (`socketReady`) or at the end of the iteration.
        if count < Self.bulkFrameMessages { pendingBatches.flush() }
        if outcome.receiverOverflows != 0 || outcome.schedulerRefused != 0 || outcome.rejected != 0 || batch.reportRequested {
            session.sendControl(.sendReport(SendReport(connection: connection.handle, messages: UInt32(batch.count),
                                                       receiverOverflow: UInt32(clamping: outcome.receiverOverflows),
                                                       schedulerRefused: UInt32(clamping: outcome.schedulerRefused),
                                                       rejected: UInt32(clamping: outcome.rejected))))
        }
    }

    // MARK: Late reports

    /// Scheduled messages that full receivers refused when they fell due: each sender that is
    /// still connected gets a send report with 0 messages and the refused deliveries, so that
    /// its losses add up (`MidiEndpointConnection.deliveryLosses`). Senders that are not client
    /// connections (the ALSA bridge, devices) or have closed since are skipped; the receivers'
    /// counters have the overflow either way. Rare: a search over the sessions is fine.
    func reportLateOverflows(_ late: [LateReceiverOverflow]) {
        for entry in late {
            for session in sessions.values where session.state == .ready {
                guard let connection = session.connections.values.first(where: { $0.serviceID == entry.sender }) else {
                    continue
                }
                session.sendControl(.sendReport(SendReport(connection: connection.handle, messages: 0,
                                                           receiverOverflow: UInt32(clamping: entry.overflows))))
                break
            }
        }
    }

    // MARK: Per iteration

    private func endOfIteration() {
        pendingBatches.flush()
        for session in sessions.values {
            if session.state == .closing {
                close(session)
            } else if session.interest != .readable || !session.queue.isEmpty || session.hasBacklog {
                // Only a session with frames waiting, or one that waited for writability, has
                // anything to update: the others cost this check per wake-up, not a flush
                // attempt and a registration lookup each.
                updateInterest(session)
            }
        }
    }

    private func updateInterest(_ session: ClientSession) {
        guard let token = session.token else { return }
        let backedUp = session.flushQueue()
        if session.state == .closing { return }
        // A client taking a long reply is only written to until it has it (see `readFrames`).
        let interest: EventLoop.Events = session.hasBacklog ? .writable : backedUp ? [.readable, .writable] : .readable
        if interest != session.interest {
            session.interest = interest
            loop.setInterest(token, interest)
        }
    }

    // MARK: Closing

    func close(_ session: ClientSession) {
        guard sessions.removeValue(forKey: session.id) != nil else { return }
        awaitingHello[session.id] = nil
        fragmenting[session.id] = nil
        pendingFragmentBytes -= session.decoder.pendingByteCount
        session.decoder.discardPendingFragments()
        if let count = clientsPerUid[session.credentials.uid] {
            clientsPerUid[session.credentials.uid] = count > 1 ? count - 1 : nil
        }
        if session.closeReason?.flushesQueue ?? true { _ = session.flushQueue() }   // e.g. a refusal
        if let token = session.token { loop.unregister(token) }
        for connection in session.connections.values {
            service.closeConnection(connection.serviceID)
        }
        session.connections.removeAll()
        session.discardPendingBatch()   // it may still be listed in `pendingBatches`
        session.socket.close()
        let reason = session.closeReason.map { "\($0)" } ?? "closed"
        if session.version == nil {
            logger.debug("client \(session.id) closed before the handshake: \(reason)")
        } else if case .disconnected? = session.closeReason {
            logger.info("client \(session.id) disconnected")
        } else {
            logger.info("client \(session.id) closed: \(reason)")
        }
    }

    // MARK: Events

    private func endpointChanged(_ event: EndpointEvent) {
        switch event {
        case .added(let model):
            let endpoint = wireEndpoint(model)
            knownEndpoints[endpoint.id] = endpoint
            broadcast(endpoint, .endpointAdded(endpoint))
        case .updated(let model, let changed):
            let endpoint = wireEndpoint(model)
            knownEndpoints[endpoint.id] = endpoint
            broadcast(endpoint, .endpointUpdated(EndpointUpdated(endpoint: endpoint, changed: changed.wireNames)))
        case .removed(let id):
            let last = knownEndpoints.removeValue(forKey: id.rawValue)
            closeConnections(toEndpoint: id.rawValue)
            if let last { broadcast(last, .endpointRemoved(EndpointRemoved(id: id.rawValue))) }
        }
    }

    /// An endpoint as clients see it: the service's model plus what extensions publish.
    func wireEndpoint(_ model: MidiEndpoint) -> EndpointInfo {
        let published = annotations.legacyPorts(for: model.id)
        return service.wireEndpoint(model, alsaClient: annotations.alsaClient(for: model.id) ?? published?.client,
                                    legacyPorts: published)
    }

    /// An extension published something new about an endpoint (the bridge made its ALSA client).
    private func annotationChanged(_ id: EndpointDeviceId, _ property: String) {
        guard let model = service.endpoint(id) else { return }
        let endpoint = wireEndpoint(model)
        knownEndpoints[endpoint.id] = endpoint
        broadcast(endpoint, .endpointUpdated(EndpointUpdated(endpoint: endpoint, changed: [property])))
    }

    private func broadcast(_ endpoint: EndpointInfo, _ event: ServiceEvent) {
        for session in sessions.values where session.state == .ready {
            for (subscription, filter) in session.subscriptions where filter.admits(endpoint) {
                session.sendControl(.event(subscription, event))
            }
        }
    }

    private func closeConnections(toEndpoint id: String) {
        for session in sessions.values {
            for (handle, connection) in session.connections where connection.endpointId == id {
                session.connections[handle] = nil
                service.closeConnection(connection.serviceID)   // already gone with its endpoint; harmless
                session.sendControl(.event(nil, .connectionClosed(ConnectionClosed(
                    connection: handle, endpointId: id, reason: "the endpoint was removed"))))
            }
        }
    }

    // MARK: Status

    func clientStatuses() -> [ClientStatus] {
        sessions.values.sorted { $0.id < $1.id }.map { session in
            ClientStatus(clientId: session.id, name: session.name, credentials: session.credentials,
                         protocolVersion: session.version?.description ?? "-",
                         connections: session.connections.values.sorted { $0.handle < $1.handle }.map {
                             ConnectionStatus(connection: $0.handle, endpointId: $0.endpointId, messagesSent: $0.messagesSent,
                                              messagesReceived: $0.messagesReceived, droppedOverflow: $0.droppedOverflow)
                         },
                         subscriptionCount: session.subscriptions.count, queuedBytes: session.queue.queuedBytes,
                         queueCapacityBytes: session.queue.dataLimit, droppedMessages: session.droppedMessages)
        }
    }

    // MARK: Connections (used by the control dispatcher)

    func openConnection(_ reference: String, for session: ClientSession) throws(ControlError) -> OpenedConnection {
        let id: EndpointDeviceId
        do { id = try service.resolveEndpoint(reference) } catch { throw ControlError(error) }
        let connection = OpenConnection(handle: session.makeHandle(), session: session)
        do {
            connection.serviceID = try service.openConnection(to: id, receiver: connection)
        } catch {
            throw ControlError(code: .notFound, message: error.description)
        }
        connection.endpointId = id.rawValue
        session.connections[connection.handle] = connection
        guard let model = service.endpoint(id) else { throw ControlError(code: .notFound, message: "no endpoint \(id)") }
        return OpenedConnection(connection: connection.handle, endpoint: wireEndpoint(model))
    }

    func closeConnection(_ handle: ConnectionHandle, for session: ClientSession) throws(ControlError) {
        guard let connection = session.connections.removeValue(forKey: handle) else {
            throw ControlError(code: .notFound, message: "no open connection \(handle)")
        }
        service.closeConnection(connection.serviceID)
    }

    func subscribe(_ filter: MidiEndpointDeviceInformationFilters, for session: ClientSession) -> SubscriptionID {
        let subscription = session.makeSubscription()
        session.subscriptions[subscription] = filter
        return subscription
    }

    /// After the `subscribed` reply: the initial enumeration, then `enumerationCompleted`.
    func sendInitialEnumeration(_ subscription: SubscriptionID, for session: ClientSession) {
        guard let filter = session.subscriptions[subscription] else { return }
        for endpoint in service.endpoints(matching: filter) {
            session.sendControl(.event(subscription, .endpointAdded(wireEndpoint(endpoint))))
        }
        session.sendControl(.event(subscription, .enumerationCompleted))
    }
}
