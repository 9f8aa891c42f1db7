#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Foundation
import Dispatch
import Glibc
import POSIX
import IPC
import Synchronization
import UMP

/// One client connection to `midisrv`: the socket, the session's reader thread, control
/// requests matched to their replies, routing of UMP batches / events to connections and
/// watchers, and reconnection after a daemon restart. `MidiSession` is its public face; the
/// process-wide client behind static calls is a session too.
///
/// Threads:
/// - the **reader thread** (one per client) is the only one that reads the socket, blocking in
///   `recvmsg` (the descriptor is in blocking mode; `close()` wakes it with `shutdown`). It decodes
///   UMP batches in place and calls message callbacks, runs request completions, routes events,
///   and reconnects. Routing tables (`ReaderState`) are touched by this thread only, so the
///   receive path takes no lock except one per batch for the connection's handler snapshot.
/// - **callers** send UMP directly on the socket (one datagram is atomic on SOCK_SEQPACKET),
///   each connection under its own mutex; control requests go out under `link`'s mutex so that
///   fragments stay consecutive and never straddle a reconnect.
///
/// The socket's descriptor number stays the same for the client's life: a reconnection
/// handshakes on a fresh socket and moves it onto that number with `dup2`, so a sender never
/// writes to a descriptor that was closed and reused for something else.
final class ServiceClient: Sendable {
    let socketPath: String
    let clientName: String
    /// Bound on each blocking control call.
    let requestTimeout: Double
    /// How long a UMP send waits for room in a full socket before answering `bufferFull`.
    let sendTimeoutMilliseconds: Int32 = 2_000
    /// The socket. Stable: see the type's comment.
    let fd: Int32

    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// Whether the wake pipe's descriptors are still open. `close()` may run on any thread
    /// while the reader thread, seeing `closedFlag`, exits and closes the pipe: writing after
    /// that would hit a pipe without a reader (SIGPIPE kills an application that did not
    /// ignore it) or a descriptor number already reused for something else. The write and
    /// the closing therefore happen under this lock.
    private let wakePipeOpen = Mutex<Bool>(true)

    struct LinkState {
        /// Connected and handshaken: control requests may go out.
        var up = true
        /// `fd` still refers to a socket of ours (false once the reader thread closed it).
        var descriptorOpen = true
        var nextRequestId: UInt32 = 0
        var welcome: Welcome
    }
    private let link: Mutex<LinkState>

    struct PendingRequest {
        var operation: String
        var completion: @Sendable (Result<ControlReply, MidiServiceError>) -> Void
    }
    private let pending = Mutex<[UInt32: PendingRequest]>([:])

    /// What the user holds open; reconnection restores exactly these.
    struct Registry {
        var connections: [ObjectIdentifier: MidiEndpointConnection] = [:]
        var watchers: [ObjectIdentifier: MidiEndpointDeviceWatcher] = [:]
    }
    let registry = Mutex(Registry())

    private let closedFlag = Atomic<Bool>(false)
    private let readerThreadId = Atomic<UInt>(0)
    private let readerExited = DispatchSemaphore(value: 0)
    private let reader = ReaderState()
    /// SCHED_FIFO priority the reader thread asks for when it starts (0: normal scheduling).
    private let readerPriority: Int32
    /// What became of that request; set by the reader thread before `init` returns.
    private let readerSchedulingOutcome = Mutex<RealtimeScheduling.Outcome>(.disabled)
    var readerScheduling: RealtimeScheduling.Outcome { readerSchedulingOutcome.withLock { $0 } }

    /// Session-level observers of the link (internal: `MidiSession` exposes them).
    let linkHandlers = Mutex(LinkHandlers())
    struct LinkHandlers {
        var disconnected: (@Sendable () -> Void)?
        var reconnected: (@Sendable () -> Void)?
    }

    /// Connects and handshakes on the calling thread, then starts the reader thread.
    init(socketPath: String, clientName: String, requestTimeout: Double = 10, readerPriority: Int32 = 0) throws(MidiServiceError) {
        let (socket, welcome) = try ServiceHandshake.connect(path: socketPath, clientName: clientName,
                                                           timeoutMilliseconds: Int32(requestTimeout * 1000))
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0 else {
            socket.close()
            throw .protocolViolation("pipe: \(Errno.current)")
        }
        for end in pipeEnds {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        self.socketPath = socketPath
        self.clientName = clientName
        self.requestTimeout = requestTimeout
        self.fd = socket.fileDescriptor
        self.wakeRead = pipeEnds[0]
        self.wakeWrite = pipeEnds[1]
        self.link = Mutex(LinkState(welcome: welcome))
        self.readerPriority = readerPriority
        let scheduled = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in self.readerMain(scheduled: scheduled) }
        thread.name = "MIDIServices reader (\(clientName))"
        thread.start()
        // The outcome is known when the session is handed out (a few µs: the thread's first act).
        scheduled.wait()
    }

    var socket: SeqPacketSocket { SeqPacketSocket(adopting: fd) }
    var isClosed: Bool { closedFlag.load(ordering: .acquiring) }
    var isConnected: Bool { link.withLock { $0.up } && !isClosed }
    var welcome: Welcome { link.withLock { $0.welcome } }

    /// Whether the calling thread is this client's reader thread (callbacks run there).
    var isOnReaderThread: Bool { readerThreadId.load(ordering: .acquiring) == UInt(pthread_self()) }

    // MARK: Closing

    /// Closes the client: every connection and watcher stops, pending requests fail, the reader
    /// thread exits and closes the socket. Waits for that unless called from a callback.
    func close() {
        guard !closedFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let held = registry.withLock { registry -> Registry in
            defer { registry = Registry() }
            return registry
        }
        for connection in held.connections.values { connection.detachForClose() }
        for watcher in held.watchers.values { watcher.detachForClose() }
        returnWatch.withLock { $0 = nil }
        failAllPending(with: .closed(what: "the MIDI session"))
        wake()   // a reader waiting to reconnect
        link.withLock { state in
            // A reader blocked in recvmsg: a shut-down socket reads as end of stream.
            if state.descriptorOpen { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        }
        if !isOnReaderThread {
            _ = readerExited.wait(timeout: .now() + .seconds(5))
        }
    }

    /// Wakes the reader thread from its wait between reconnection attempts. A no-op once the
    /// reader has gone (it needs no waking).
    private func wake() {
        wakePipeOpen.withLock { open in
            guard open else { return }
            var byte: UInt8 = 1
            _ = Glibc.write(wakeWrite, &byte, 1)   // non-blocking: a full pipe already wakes it
        }
    }

    // MARK: Control requests

    /// Sends `request`; `completion` runs on the reader thread with the reply (a `failure`
    /// reply already turned into `.operationFailed`), or on the calling thread when the request
    /// could not be sent. Returns the request id, or nil when it was not sent.
    @discardableResult
    func send(_ request: ControlRequest, operation: String,
              completion: @escaping @Sendable (Result<ControlReply, MidiServiceError>) -> Void) -> UInt32? {
        if isClosed {
            completion(.failure(.closed(what: "the MIDI session")))
            return nil
        }
        let outcome: Result<UInt32, MidiServiceError> = link.withLock { state in
            guard state.up, state.descriptorOpen else { return .failure(.disconnected(operation: operation)) }
            state.nextRequestId &+= 1
            if state.nextRequestId == 0 { state.nextRequestId = 1 }
            let id = state.nextRequestId
            pending.withLock { $0[id] = PendingRequest(operation: operation, completion: completion) }
            // Under the link lock: fragments of one body stay consecutive, and no reconnection
            // can swap the socket in the middle.
            for datagram in Frame.request(RequestID(id), request).encoded() {
                if let error = sendControlDatagram(datagram, operation: operation) {
                    pending.withLock { _ = $0.removeValue(forKey: id) }
                    return .failure(error)
                }
            }
            return .success(id)
        }
        switch outcome {
        case .success(let id): return id
        case .failure(let error):
            completion(.failure(error))
            return nil
        }
    }

    /// Blocking form: sends and waits (at most `requestTimeout`) for the reply. `onReply` runs on
    /// the reader thread before the caller wakes — for routing that must be in place before the
    /// next frame is read (a newly opened connection, a new subscription).
    func request(_ request: ControlRequest, operation: String,
                 onReply: (@Sendable (ControlReply) -> Void)? = nil) throws(MidiServiceError) -> ControlReply {
        guard !isOnReaderThread else { throw .calledFromCallback(operation: operation) }
        let box = Mutex<Result<ControlReply, MidiServiceError>?>(nil)
        let signal = DispatchSemaphore(value: 0)
        let id = send(request, operation: operation) { result in
            if case .success(let reply) = result { onReply?(reply) }
            box.withLock { $0 = result }
            signal.signal()
        }
        if id != nil, signal.wait(timeout: .now() + .milliseconds(Int(requestTimeout * 1000))) == .timedOut {
            let abandoned = pending.withLock { $0.removeValue(forKey: id!) } != nil
            if abandoned { throw .timedOut(operation: operation, seconds: requestTimeout) }
            signal.wait()   // the completion is running right now
        } else if id == nil {
            signal.wait()   // already signalled by the synchronous failure
        }
        guard let result = box.withLock({ $0 }) else { throw .protocolViolation("\(operation): no result") }
        return try result.get()
    }

    /// Sends one control datagram, waiting for room when the socket is full. Returns the error,
    /// or nil when sent. Called with `link` locked.
    private func sendControlDatagram(_ datagram: [UInt8], operation: String) -> MidiServiceError? {
        let deadline = MidiClock.now + UInt64(requestTimeout * 1_000_000_000)
        while true {
            do {
                switch try socket.send(datagram) {
                case .sent: return nil
                case .wouldBlock:
                    let now = MidiClock.now
                    guard now < deadline else { return .timedOut(operation: operation, seconds: requestTimeout) }
                    _ = try socket.poll(for: .writable, timeoutMilliseconds: Int32((deadline - now) / 1_000_000) + 1)
                }
            } catch {
                return .disconnected(operation: operation)
            }
        }
    }

    /// The hot path: one UMP batch datagram, already encoded by the caller's writer. Waits for
    /// room at most `sendTimeoutMilliseconds`. No allocation.
    func sendBatch(_ frame: UnsafeRawBufferPointer) -> MidiSendMessageResults {
        var deadline: UInt64 = 0   // set at the first EAGAIN: the common case never reads the clock
        while true {
            do {
                switch try socket.send(frame) {
                case .sent: return .succeeded
                case .wouldBlock:
                    let now = MidiClock.now
                    if deadline == 0 { deadline = now + UInt64(sendTimeoutMilliseconds) * 1_000_000 }
                    guard now < deadline else { return [.failed, .bufferFull] }
                    // Writable can mean room for a small datagram but not this one: loop until
                    // it fits or the deadline passes.
                    _ = try socket.poll(for: .writable, timeoutMilliseconds: Int32((deadline - now) / 1_000_000) + 1)
                }
            } catch {
                return .closed
            }
        }
    }

    private func failAllPending(with error: MidiServiceError) {
        let failed = pending.withLock { table -> [PendingRequest] in
            defer { table.removeAll() }
            return Array(table.values)
        }
        for request in failed {
            switch error {
            case .disconnected: request.completion(.failure(.disconnected(operation: request.operation)))
            default: request.completion(.failure(error))
            }
        }
    }

    // MARK: Registration (any thread)

    func register(_ connection: MidiEndpointConnection) {
        registry.withLock { $0.connections[ObjectIdentifier(connection)] = connection }
    }

    func unregister(_ connection: MidiEndpointConnection) {
        registry.withLock { _ = $0.connections.removeValue(forKey: ObjectIdentifier(connection)) }
    }

    func register(_ watcher: MidiEndpointDeviceWatcher) {
        registry.withLock { $0.watchers[ObjectIdentifier(watcher)] = watcher }
    }

    func unregister(_ watcher: MidiEndpointDeviceWatcher) {
        registry.withLock { _ = $0.watchers.removeValue(forKey: ObjectIdentifier(watcher)) }
    }

    // MARK: Endpoints coming back

    /// A watcher of this client's own, started the first time a connection's endpoint goes
    /// away: when an endpoint with the same id is added again, waiting connections re-open.
    private let returnWatch = Mutex<MidiEndpointDeviceWatcher?>(nil)

    func watchForReturningEndpoints() {
        let created: MidiEndpointDeviceWatcher? = returnWatch.withLock { existing in
            guard existing == nil else { return nil }
            let watcher = MidiEndpointDeviceWatcher(client: self, filter: .all)
            existing = watcher
            return watcher
        }
        guard let watcher = created else { return }
        watcher.added = { [self] _, args in endpointAppeared(args.addedDevice.endpointDeviceId) }
        watcher.startInBackground()
    }

    private func endpointAppeared(_ endpointId: String) {
        let waiting = registry.withLock { $0.connections.values.filter { $0.isWaiting(for: endpointId) } }
        for connection in waiting { connection.reopen() }
    }

    // MARK: Routing (reader thread only)

    func route(_ handle: ConnectionHandle, to connection: MidiEndpointConnection) {
        reader.routes[handle.rawValue] = connection
    }

    func unroute(_ handle: ConnectionHandle) {
        reader.routes[handle.rawValue] = nil
    }

    func route(_ subscription: SubscriptionID, to watcher: MidiEndpointDeviceWatcher) {
        reader.subscriptions[subscription.rawValue] = watcher
    }

    func unroute(_ subscription: SubscriptionID) {
        reader.subscriptions[subscription.rawValue] = nil
    }

    // MARK: The reader thread

    private func readerMain(scheduled: DispatchSemaphore) {
        readerThreadId.store(UInt(pthread_self()), ordering: .releasing)
        if readerPriority != 0 {
            let outcome = RealtimeScheduling.requestForCurrentThread(priority: readerPriority)
            readerSchedulingOutcome.withLock { $0 = outcome }
        }
        scheduled.signal()
        while !isClosed {
            guard let reason = pumpUntilLinkLost() else { break }
            linkLost(reason)
            guard reconnect() else { break }
        }
        link.withLock { state in
            state.up = false
            state.descriptorOpen = false
            Glibc.close(fd)
        }
        reader.routes.removeAll()
        reader.subscriptions.removeAll()
        failAllPending(with: .closed(what: "the MIDI session"))
        wakePipeOpen.withLock { open in
            open = false
            Glibc.close(wakeRead)
            Glibc.close(wakeWrite)
        }
        readerExited.signal()
    }

    /// Reads and dispatches frames until the link breaks (returns why) or the client closes
    /// (returns nil). The reader blocks in `recvmsg` itself — one system call per datagram, where
    /// poll + read + the read that finds the socket empty took three, each a few µs on the
    /// receiving end of every message's latency. `close()` ends the wait with `shutdown`. Senders
    /// are unaffected by the descriptor's blocking mode: they pass `MSG_DONTWAIT`.
    private func pumpUntilLinkLost() -> String? {
        do { try socket.setBlocking(true) } catch { return error.description }
        let buffer = reader.buffer
        while !isClosed {
            let outcome: SeqPacketSocket.ReceiveOutcome
            do { outcome = try socket.receive(into: buffer.bytes, waiting: true) } catch {
                return error.description
            }
            switch outcome {
            case .frame(let count):
                if let reason = dispatch(UnsafeRawBufferPointer(rebasing: buffer.bytes[0..<count])) { return reason }
            case .truncated(let count):
                return "the service sent a \(count)-byte frame, larger than the protocol allows"
            case .wouldBlock:
                // Not expected: no receive timeout is set and the socket is in blocking mode.
                // Should anything have made it non-blocking again, restore the mode rather
                // than spin on EAGAIN.
                do { try socket.setBlocking(true) } catch { return error.description }
            case .endOfStream:
                return isClosed ? nil : "the service closed the connection"
            }
        }
        return nil
    }

    private func drainWakePipe() {
        var scratch = (UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &scratch, { Glibc.read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
    }

    /// Handles one received datagram; returns a reason when the link must be dropped.
    private func dispatch(_ datagram: UnsafeRawBufferPointer) -> String? {
        do {
            let header = try FrameHeader(validating: datagram)
            if header.kind == .umpBatch {
                let batch = try UMPBatchReader(header: header, frame: datagram)
                reader.routes[batch.connection.rawValue]?.deliver(batch)
                return nil
            }
            guard let frame = try reader.decoder.decode(header: header, datagram: datagram) else { return nil }
            switch frame {
            case .response(let id, let reply):
                complete(id, reply)
            case .event(let subscription, let event):
                handle(event, subscription: subscription)
            case .sendReport(let report):
                reader.routes[report.connection.rawValue]?.noteReport(report)
            case .unknownEvent:
                break   // a newer daemon's event kind: ignored (docs/ipc.md, versioning)
            case .refusal(let refusal):
                return "the service ended the session (\(refusal.reason)): \(refusal.message)"
            default:
                return "unexpected \(frame.kind) frame from the service"
            }
            return nil
        } catch {
            return "malformed frame from the service: \(error)"
        }
    }

    private func complete(_ id: RequestID, _ reply: ControlReply) {
        guard let request = pending.withLock({ $0.removeValue(forKey: id.rawValue) }) else {
            // Its caller gave up (timeout). A connection opened for nobody is closed again.
            if case .connectionOpened(let opened) = reply {
                send(.closeEndpoint(CloseEndpointRequest(connection: opened.connection)), operation: "close endpoint") { _ in }
            }
            return
        }
        if case .failure(let error) = reply {
            request.completion(.failure(MidiServiceError(error, operation: request.operation)))
        } else {
            request.completion(.success(reply))
        }
    }

    private func handle(_ event: ServiceEvent, subscription: SubscriptionID?) {
        if case .connectionClosed(let closed) = event {
            if let connection = reader.routes.removeValue(forKey: closed.connection.rawValue) {
                connection.endpointWentAway(reason: closed.reason)
            }
            return
        }
        guard let subscription, let watcher = reader.subscriptions[subscription.rawValue] else { return }
        watcher.handle(event)
    }

    // MARK: Losing and regaining the daemon (reader thread)

    private func linkLost(_ reason: String) {
        link.withLock { state in
            state.up = false
            Glibc.shutdown(fd, Int32(SHUT_RDWR))
        }
        failAllPending(with: .disconnected(operation: "request"))
        reader.routes.removeAll()
        reader.subscriptions.removeAll()
        reader.decoder = FrameDecoder()
        let held = registry.withLock { $0 }
        for watcher in held.watchers.values { watcher.linkLost() }
        for connection in held.connections.values { connection.linkLost(reason: reason) }
        linkHandlers.withLock { $0.disconnected }?()
    }

    /// Retries with backoff (50 ms doubling to 1 s) until connected or closed. On success the
    /// socket is moved onto `fd`, watchers re-subscribe and connections re-open.
    private func reconnect() -> Bool {
        var delay: Int32 = 50
        while !isClosed {
            var wakeEntry = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
            if Glibc.poll(&wakeEntry, 1, delay) > 0 { drainWakePipe() }
            if isClosed { return false }
            do {
                let (fresh, welcome) = try ServiceHandshake.connect(path: socketPath, clientName: clientName,
                                                                   timeoutMilliseconds: Int32(requestTimeout * 1000))
                link.withLock { state in
                    _ = dup2(fresh.fileDescriptor, fd)
                    _ = fcntl(fd, F_SETFD, FD_CLOEXEC)   // dup2 clears close-on-exec
                    fresh.close()
                    // A close() that shut the old socket down before the dup2 would leave the
                    // reader blocked on this one: closedFlag is set before close() takes this
                    // lock, so it is seen here.
                    if isClosed { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
                    state.welcome = welcome
                    state.up = true
                }
                restoreAfterReconnect()
                return true
            } catch {
                delay = min(delay * 2, 1_000)
            }
        }
        return false
    }

    private func restoreAfterReconnect() {
        let held = registry.withLock { $0 }
        for watcher in held.watchers.values { watcher.resubscribe() }
        for connection in held.connections.values { connection.reopen() }
        linkHandlers.withLock { $0.reconnected }?()
    }
}

/// State only the reader thread touches (see `ServiceClient`): hence unchecked.
private final class ReaderState: @unchecked Sendable {
    var decoder = FrameDecoder()
    let buffer = FrameBuffer()
    var routes: [UInt32: MidiEndpointConnection] = [:]
    var subscriptions: [UInt32: MidiEndpointDeviceWatcher] = [:]
}
