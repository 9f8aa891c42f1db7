import Glibc
import IPC
import Logging
import MIDIRules
import ServiceCore
import UMP

/// One open endpoint connection of a client: the handle the client uses, the service's id for
/// it, and its counters. It is the service's receiver for that connection: deliveries go
/// straight into the client's pending batch.
///
/// Exclusivity: the counters below and `ClientSession`'s pending-batch state are touched for
/// every delivered message, and each access to a class's stored property is checked at run
/// time in release builds (`swift_beginAccess`, ~28 % of the daemon's CPU in a throughput run —
/// docs/performance.md). They are `@exclusivity(unchecked)`: the daemon is single-threaded (the
/// event loop's thread is the only one that reaches a session), and every access is a plain
/// read, an increment, or `UMPBatchWriter.append`/`finish`, which call out to nothing that
/// could reach the same property again. A new access that calls out while holding one of them
/// must not be added without removing the attribute.
final class OpenConnection: EndpointReceiver {
    let handle: ConnectionHandle
    /// Set right after the service opened it (the delivery handler must exist first).
    var serviceID = ConnectionID(rawValue: 0)
    var endpointId = ""
    unowned let session: ClientSession
    var messagesSent: UInt64 = 0
    @exclusivity(unchecked) var messagesReceived: UInt64 = 0
    @exclusivity(unchecked) var droppedOverflow: UInt64 = 0

    init(handle: ConnectionHandle, session: ClientSession) {
        self.handle = handle
        self.session = session
    }

    /// Called by the service, synchronously, for every message arriving on the endpoint.
    @inline(__always)
    func receive(_ message: TimestampedUMP) -> Bool {
        session.deliver(message, to: self)
    }

    /// Called by the service with a run of a loopback's frame: copied into the pending batch
    /// in one loop.
    @inline(__always)
    func receive(contentsOf messages: UnsafeBufferPointer<TimestampedUMP>) -> Int {
        session.deliver(contentsOf: messages, to: self)
    }
}

/// The sessions holding an unsent UMP batch, in the order their batches were opened. The
/// session server sends them as soon as the frame that filled them is handled (latency: the
/// receiver is woken before the daemon reads again) and at the end of each loop iteration
/// (deliveries from the scheduler, the ALSA bridge, USB devices). One append per batch, not
/// per message; the array keeps its capacity.
final class PendingBatches {
    /// `@exclusivity(unchecked)`: touched per received frame; see `OpenConnection`.
    @exclusivity(unchecked) private(set) var sessions: [ClientSession] = []

    init() { sessions.reserveCapacity(64) }

    func add(_ session: ClientSession) { sessions.append(session) }

    /// Sends every pending batch (or queues it when the socket is full).
    func flush() {
        guard !sessions.isEmpty else { return }
        // By index, not `for … in`: an unoptimised build allocates for the iterator's element
        // access on every flush, i.e. per received frame on a paced stream (what the daemon
        // hot-path test counts).
        var index = 0
        while index < sessions.count {
            sessions[index].flushListed()
            index += 1
        }
        sessions.removeAll(keepingCapacity: true)
    }
}

/// One connected client process: its socket, handshake state, open connections,
/// subscriptions, and the two outgoing paths — control frames, and UMP deliveries batched per
/// loop iteration — both through one bounded `OutgoingFrameQueue`.
final class ClientSession {
    enum State { case awaitingHello, ready, closing }

    let id: UInt32
    let socket: SeqPacketSocket
    let credentials: PeerCredentials
    @exclusivity(unchecked) var state: State = .awaitingHello
    var name = ""
    var version: ProtocolVersion?
    /// Requests only: the daemon holds at most `WireFormat.maximumRequestSize` of one.
    var decoder = FrameDecoder(maximumMessageSize: WireFormat.maximumRequestSize)
    /// Datagrams received so far (the current one included): where a malformed one was.
    @exclusivity(unchecked) var framesReceived: UInt64 = 0
    /// When the first fragment of the unfinished request arrived (nil: none pending).
    var fragmentStartedAt: UInt64?
    let queue: OutgoingFrameQueue
    @exclusivity(unchecked) var token: EventLoop.Token?
    /// What the loop waits for on `socket` (as last set through `token`; registered readable).
    @exclusivity(unchecked) var interest: EventLoop.Events = .readable
    /// Looked up for every received UMP batch (through `connection(_:)`).
    @exclusivity(unchecked) var connections: [ConnectionHandle: OpenConnection] = [:] {
        didSet { lastConnection = nil }
    }
    /// The connection the last UMP batch came on: a client mostly sends on one, and this saves
    /// hashing the handle for every frame. Forgotten whenever `connections` changes.
    @exclusivity(unchecked) private var lastConnection: OpenConnection?
    private var nextHandle: UInt32 = 0
    var subscriptions: [SubscriptionID: MidiEndpointDeviceInformationFilters] = [:]
    private var nextSubscription: UInt32 = 0
    /// Messages meant for this client that its full queue could not take.
    @exclusivity(unchecked) var droppedMessages: UInt64 = 0
    var closeReason: SessionCloseReason?
    /// When the connection was accepted; a client must say hello within
    /// `SessionServer.handshakeTimeout` of it.
    let acceptedAt = MonotonicClock.now()

    // Pending UMP batch: one frame being filled for `batchWriter.connection`.
    private let batchStorage = FrameBuffer()
    @exclusivity(unchecked) private var batchWriter: UMPBatchWriter
    @exclusivity(unchecked) private var batchOpen = false
    /// Whether this session is in `pendingBatches` (so it is added once however often its
    /// batch is finished and reopened before the next flush).
    @exclusivity(unchecked) private var awaitingFlush = false
    private unowned let pendingBatches: PendingBatches

    init(id: UInt32, socket: SeqPacketSocket, credentials: PeerCredentials, queueCapacity: Int, dataLimit: Int,
         pendingBatches: PendingBatches) {
        self.id = id
        self.pendingBatches = pendingBatches
        self.socket = socket
        self.credentials = credentials
        queue = OutgoingFrameQueue(capacity: queueCapacity, dataLimit: dataLimit)
        batchWriter = UMPBatchWriter(batchStorage, connection: ConnectionHandle(0))
    }

    var label: String { "client \(id) \"\(name)\" (pid \(credentials.pid), uid \(credentials.uid))" }

    /// The open connection `handle` names, if any.
    @inline(__always)
    func connection(_ handle: ConnectionHandle) -> OpenConnection? {
        if let last = lastConnection, last.handle == handle { return last }
        let found = connections[handle]
        lastConnection = found
        return found
    }

    func makeHandle() -> ConnectionHandle {
        nextHandle &+= 1
        if nextHandle == 0 { nextHandle = 1 }
        return ConnectionHandle(nextHandle)
    }

    func makeSubscription() -> SubscriptionID {
        nextSubscription &+= 1
        if nextSubscription == 0 { nextSubscription = 1 }
        return SubscriptionID(nextSubscription)
    }

    // MARK: UMP deliveries (hot path)

    /// Appends one delivered message to the pending batch. `false` — and nothing queued — when
    /// the client's queue cannot take it; the caller counts it against the sender.
    @inline(__always)
    func deliver(_ message: TimestampedUMP, to connection: OpenConnection) -> Bool {
        guard state == .ready else { return false }
        let size = UMPBatchLayout.encodedSize(of: message.packet)
        if batchOpen && batchWriter.connection != connection.handle { finishBatch() }
        // Admission: with the socket backed up, the pending frame will join the queue, so the
        // queue's data room must hold it plus this message. With an empty queue the frame goes
        // straight to the kernel and at most one frame is held here.
        if !queue.isEmpty {
            let pending = batchOpen ? batchWriter.byteCount : UMPBatchLayout.firstMessageOffset
            if pending + size > queue.dataRoom {
                connection.droppedOverflow += 1
                droppedMessages += 1
                return false
            }
        }
        if !batchOpen { openBatch(for: connection) }
        if !batchWriter.append(message) {
            finishBatch()
            batchWriter.reset(connection: connection.handle)
            batchOpen = true
            _ = batchWriter.append(message)   // an empty batch always takes one message
        }
        connection.messagesReceived += 1
        return true
    }

    /// Appends a run of delivered messages. While the socket takes frames (the queue is empty)
    /// the run is copied into the batch in one loop, a full batch sent and the next one
    /// opened; once frames back up, each message goes through `deliver(_:to:)`'s admission.
    /// Returns how many messages the client's queue could not take (each counted).
    @inline(__always)
    func deliver(contentsOf messages: UnsafeBufferPointer<TimestampedUMP>, to connection: OpenConnection) -> Int {
        guard state == .ready else { return messages.count }
        var rest = messages
        var refused = 0
        while !rest.isEmpty {
            if !queue.isEmpty {
                if !deliver(rest[0], to: connection) { refused += 1 }
                rest = UnsafeBufferPointer(rebasing: rest[1...])
                continue
            }
            if batchOpen && batchWriter.connection != connection.handle { finishBatch() }
            if !batchOpen { openBatch(for: connection) }
            let taken = batchWriter.append(contentsOf: rest)
            connection.messagesReceived &+= UInt64(taken)
            rest = UnsafeBufferPointer(rebasing: rest[taken...])
            if !rest.isEmpty { finishBatch() }   // full: send it, go on in a new one
            if state != .ready { return refused + rest.count }   // the send failed
        }
        return refused
    }

    /// Starts an empty batch for `connection` and lists the session for the next flush.
    @inline(__always)
    private func openBatch(for connection: OpenConnection) {
        batchWriter.reset(connection: connection.handle)
        batchOpen = true
        if !awaitingFlush {
            awaitingFlush = true
            pendingBatches.add(self)
        }
    }

    /// Sends or queues the pending batch. Called when it is full, before any control frame (to
    /// keep order), and once per loop iteration.
    func finishBatch() {
        guard batchOpen else { return }
        batchOpen = false
        let frame = batchWriter.finish()
        let count = batchWriter.count
        if queue.isEmpty {
            do {
                if try socket.send(frame) == .sent { return }
            } catch {
                markClosing(.sendFailed(error))
                return
            }
        }
        if !queue.enqueue(frame, class: .data) {
            // Only reachable if admission was bypassed; count rather than lose silently.
            droppedMessages += UInt64(count)
        }
    }

    /// `PendingBatches.flush`: the session leaves the list and sends what is pending (it may
    /// have been sent already, when the batch filled up or a control frame went out).
    func flushListed() {
        awaitingFlush = false
        finishBatch()
    }

    /// The session is being closed: its unsent batch is dropped (its socket is about to be
    /// closed, and the descriptor number may be reused by the next client).
    func discardPendingBatch() { batchOpen = false }

    // MARK: Control frames

    /// Sends a control frame (after the pending batch, so the client sees events in order).
    ///
    /// A reply larger than the queue (a listing of thousands of pairs) is streamed: the
    /// datagrams the queue cannot take wait in `backlog` and move into the queue as the client
    /// reads (issue 12: such listings used to close the asker as "not reading"). Only a client
    /// that lets `maximumBacklogBytes` pile up is not reading: it is closed.
    func sendControl(_ frame: Frame) {
        guard state != .closing else { return }
        finishBatch()
        for datagram in frame.encoded() {
            if backlog.isEmpty {
                if queue.isEmpty {
                    do {
                        if try socket.send(datagram) == .sent { continue }
                    } catch {
                        markClosing(.sendFailed(error))
                        return
                    }
                }
                if queue.enqueue(datagram, class: .control) { continue }
            }
            guard backlogBytes + datagram.count <= Self.maximumBacklogBytes else {
                markClosing(.outgoingQueueFull(queuedBytes: queue.queuedBytes + backlogBytes))
                return
            }
            backlog.append(datagram)
            backlogBytes += datagram.count
        }
    }

    /// Whether a reply is still waiting behind the queue. The server does not read such a
    /// client until it has taken it, so each client makes the daemon hold at most one reply
    /// larger than its queue (plus what arrives on its own, e.g. events).
    var hasBacklog: Bool { backlogStart < backlog.count }

    /// Control datagrams waiting for room in `queue`, oldest first from `backlogStart`.
    /// `@exclusivity(unchecked)` (see `OpenConnection`): `hasBacklog` and `flushQueue` read them
    /// for every received frame and at every wake-up.
    @exclusivity(unchecked) private var backlog: [[UInt8]] = []
    @exclusivity(unchecked) private var backlogStart = 0
    @exclusivity(unchecked) private var backlogBytes = 0
    /// Bound on `backlog`: more than the largest reply the service can produce (a listing of
    /// `MidiService.maximumLoopbackPairs` pairs with names at their limits).
    static let maximumBacklogBytes = WireFormat.maximumControlMessageSize + (1 << 20)

    /// Flushes the queue, refilling it from the backlog; `true` when frames are still waiting
    /// (the loop should wait for POLLOUT).
    func flushQueue() -> Bool {
        guard !queue.isEmpty || backlogStart < backlog.count else { return false }
        do {
            while true {
                if try queue.flush(to: socket) == .wouldBlock && backlogStart == backlog.count { return true }
                guard backlogStart < backlog.count else { return false }
                // Move what fits from the backlog into the queue, then flush again.
                var moved = false
                while backlogStart < backlog.count, queue.enqueue(backlog[backlogStart], class: .control) {
                    backlogBytes -= backlog[backlogStart].count
                    backlog[backlogStart] = []
                    backlogStart += 1
                    moved = true
                }
                if backlogStart == backlog.count { backlog.removeAll(); backlogStart = 0 }
                if !moved { return true }   // the queue is full and the socket too: wait
            }
        } catch {
            markClosing(.sendFailed(error))
            return false
        }
    }

    func markClosing(_ reason: SessionCloseReason) {
        if state != .closing {
            state = .closing
            closeReason = reason
        }
    }
}
