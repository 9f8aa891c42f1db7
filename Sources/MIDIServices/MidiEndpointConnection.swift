import Foundation
import IPC
import Synchronization
import UMP

/// A connection to one endpoint (`MidiEndpointConnection`): created by
/// `MidiSession.createEndpointConnection(endpointDeviceId:)`, opened with `open()`, then used to
/// send and receive UMP. Any number of connections — in one process or many — may be open on
/// the same endpoint; each receives everything the endpoint receives.
///
/// Receiving: set `messageReceived` (called on the session's reader thread, one call per
/// message, in order), and/or iterate `messages` / `receivedMessages(bufferLimit:)` (an
/// `AsyncSequence` with bounded buffering). Set handlers before `open()` to miss nothing.
///
/// Sending is thread-safe and never allocates: each call encodes into this connection's own
/// reused buffer and writes one datagram.
///
/// A daemon restart: `endpointDeviceDisconnected` fires, sends answer
/// `endpointConnectionClosedOrInvalid`; once the session has reconnected and re-opened this
/// connection (same endpoint id), `endpointDeviceReconnected` fires and traffic flows again.
/// The same happens when the endpoint itself goes away (a pair removed, a device unplugged) and
/// later comes back.
public final class MidiEndpointConnection: Sendable {
    /// Identifies this connection within its session (`ConnectionId`).
    public let connectionId: UUID
    let client: ServiceClient
    /// What the caller asked for: a full id, short form or unique name.
    private let requestedEndpoint: String

    public enum State: String, Sendable, Hashable {
        /// Created, not yet opened.
        case created
        case opening
        case open
        /// The service went away; the session is reconnecting and will re-open it.
        case disconnected
        /// The endpoint was removed; re-opened automatically if it comes back.
        case endpointGone
        case closed
    }

    private struct SendState {
        let storage: FrameBuffer
        var writer: UMPBatchWriter
        var handle: ConnectionHandle?
        var state: State
        /// The full EndpointDeviceId once opened (re-opens use it, never the short form).
        var resolvedEndpointId: String?
        var information: MidiEndpointDeviceInformation?
    }
    private let sender: Mutex<SendState>

    private struct Receivers {
        var messageReceived: (@Sendable (MidiMessageReceivedEventArgs) -> Void)?
        var disconnected: (@Sendable (MidiEndpointConnection) -> Void)?
        var reconnected: (@Sendable (MidiEndpointConnection) -> Void)?
        var streams: [Int: AsyncStream<MidiMessageReceivedEventArgs>.Continuation] = [:]
        var nextStreamId = 0
    }
    private let receivers = Mutex(Receivers())

    private let closedFlag = Atomic<Bool>(false)
    private let receivedCount = Atomic<UInt64>(0)
    private let streamDropCount = Atomic<UInt64>(0)
    private let overflowCount = Atomic<UInt64>(0)
    private let refusedCount = Atomic<UInt64>(0)
    private let rejectedCount = Atomic<UInt64>(0)

    init(client: ServiceClient, endpointDeviceId: String) {
        connectionId = UUID()
        self.client = client
        requestedEndpoint = endpointDeviceId
        let storage = FrameBuffer()
        sender = Mutex(SendState(storage: storage, writer: UMPBatchWriter(storage, connection: ConnectionHandle(0)),
                                 handle: nil, state: .created))
    }

    // MARK: Properties

    /// The endpoint's full EndpointDeviceId once opened; before that, what was passed to
    /// `createEndpointConnection` (`ConnectedEndpointDeviceId`).
    public var connectedEndpointDeviceId: String {
        sender.withLock { $0.resolvedEndpointId } ?? requestedEndpoint
    }

    /// The endpoint as it was when the connection (last) opened.
    public var endpointDeviceInformation: MidiEndpointDeviceInformation? { sender.withLock { $0.information } }

    public var state: State { sender.withLock { $0.state } }
    public var isOpen: Bool { state == .open }

    /// Messages delivered to this connection since it was created.
    public var receivedMessageCount: UInt64 { receivedCount.load(ordering: .relaxed) }

    /// Messages the `AsyncSequence`s of this connection could not buffer (their consumers fell
    /// more than `bufferLimit` messages behind). The callback is not affected.
    public var droppedMessageCount: UInt64 { streamDropCount.load(ordering: .relaxed) }

    /// What the service reported it could not deliver of what this connection sent (summed
    /// over the connection's life): see `MidiDeliveryLosses`.
    public var deliveryLosses: MidiDeliveryLosses {
        MidiDeliveryLosses(receiverOverflow: overflowCount.load(ordering: .relaxed),
                           schedulerRefused: refusedCount.load(ordering: .relaxed),
                           rejected: rejectedCount.load(ordering: .relaxed))
    }

    // MARK: Handlers

    /// Called on the session's reader thread for every received message, in order. Keep it
    /// short: the next message waits. Blocking SDK calls (open, findAll…) are refused there.
    public var messageReceived: (@Sendable (MidiMessageReceivedEventArgs) -> Void)? {
        get { receivers.withLock { $0.messageReceived } }
        set { receivers.withLock { $0.messageReceived = newValue } }
    }

    /// The endpoint became unreachable: the service went away, or the endpoint was removed.
    public var endpointDeviceDisconnected: (@Sendable (MidiEndpointConnection) -> Void)? {
        get { receivers.withLock { $0.disconnected } }
        set { receivers.withLock { $0.disconnected = newValue } }
    }

    /// The connection is open again after `endpointDeviceDisconnected`.
    public var endpointDeviceReconnected: (@Sendable (MidiEndpointConnection) -> Void)? {
        get { receivers.withLock { $0.reconnected } }
        set { receivers.withLock { $0.reconnected = newValue } }
    }

    // MARK: AsyncSequence

    /// Received messages as an `AsyncSequence` buffering at most 4096 messages.
    public var messages: AsyncStream<MidiMessageReceivedEventArgs> { receivedMessages() }

    /// Received messages as an `AsyncSequence`. Each call makes an independent sequence that
    /// gets every message from then on. Buffering is bounded: when the consumer is
    /// `bufferLimit` messages behind, newer messages are dropped (and counted in
    /// `droppedMessageCount`) — what is already buffered stays in order, and the service and
    /// other receivers are never slowed down. The sequence ends when the connection or session
    /// closes; a disconnect/reconnect does not end it.
    public func receivedMessages(bufferLimit: Int = 4096) -> AsyncStream<MidiMessageReceivedEventArgs> {
        let (stream, continuation) = AsyncStream.makeStream(of: MidiMessageReceivedEventArgs.self,
                                                            bufferingPolicy: .bufferingOldest(max(1, bufferLimit)))
        let id = receivers.withLock { receivers -> Int in
            receivers.nextStreamId += 1
            receivers.streams[receivers.nextStreamId] = continuation
            return receivers.nextStreamId
        }
        continuation.onTermination = { [weak self] _ in
            self?.receivers.withLock { _ = $0.streams.removeValue(forKey: id) }
        }
        if closedFlag.load(ordering: .acquiring) { continuation.finish() }
        return stream
    }

    // MARK: Opening and closing

    /// Opens the connection (`Open`). Blocks until the service answers. Throws
    /// `.operationFailed(code: .notFound)` when there is no such endpoint.
    public func open() throws(MidiServiceError) {
        let proceed: Result<Bool, MidiServiceError> = sender.withLock { state in
            switch state.state {
            case .created: state.state = .opening; return .success(true)
            case .open: return .success(false)
            case .opening: return .failure(.invalidArgument("the connection to \(requestedEndpoint) is already being opened"))
            case .disconnected, .endpointGone: return .success(false)   // re-opened automatically
            case .closed: return .failure(.closed(what: "the connection to \(requestedEndpoint)"))
            }
        }
        guard try proceed.get() else { return }
        let endpoint = requestedEndpoint
        do {
            _ = try client.request(.openEndpoint(OpenEndpointRequest(endpoint: endpoint)),
                                   operation: "open endpoint \(endpoint)") { [self] reply in
                if case .connectionOpened(let opened) = reply { attach(opened, reconnecting: false) }
            }
        } catch {
            sender.withLock { if $0.state == .opening { $0.state = .created } }
            throw error
        }
    }

    /// Closes the connection; the session forgets it. Idempotent.
    public func close() {
        guard !closedFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let handle = sender.withLock { state -> ConnectionHandle? in
            defer { state.handle = nil; state.state = .closed }
            return state.handle
        }
        client.unregister(self)
        if let handle {
            let client = self.client
            client.send(.closeEndpoint(CloseEndpointRequest(connection: handle)), operation: "close endpoint") { result in
                if case .success = result { client.unroute(handle) }   // success runs on the reader thread
            }
        }
        finishStreams()
    }

    /// The session is closing: no requests, just stop.
    func detachForClose() {
        closedFlag.store(true, ordering: .releasing)
        sender.withLock { $0.handle = nil; $0.state = .closed }
        finishStreams()
    }

    private func finishStreams() {
        let streams = receivers.withLock { receivers -> [AsyncStream<MidiMessageReceivedEventArgs>.Continuation] in
            defer { receivers.streams.removeAll() }
            return Array(receivers.streams.values)
        }
        for continuation in streams { continuation.finish() }
    }

    // MARK: Reader-thread hooks

    /// The service confirmed the open (first time or after a reconnect). Reader thread.
    private func attach(_ opened: OpenedConnection, reconnecting: Bool) {
        let information = MidiEndpointDeviceInformation(opened.endpoint)
        let accepted = sender.withLock { state -> Bool in
            guard state.state != .closed else { return false }
            state.handle = opened.connection
            state.state = .open
            state.resolvedEndpointId = opened.endpoint.id
            state.information = information
            state.writer.reset(connection: opened.connection)
            return true
        }
        guard accepted else {
            client.send(.closeEndpoint(CloseEndpointRequest(connection: opened.connection)), operation: "close endpoint") { _ in }
            return
        }
        client.route(opened.connection, to: self)
        if reconnecting { receivers.withLock { $0.reconnected }?(self) }
    }

    /// The service went away. Reader thread.
    func linkLost(reason: String) {
        let wasOpen = sender.withLock { state -> Bool in
            state.handle = nil
            guard state.state == .open else { return false }
            state.state = .disconnected
            return true
        }
        if wasOpen { receivers.withLock { $0.disconnected }?(self) }
    }

    /// The service closed this connection because its endpoint was removed. Reader thread.
    func endpointWentAway(reason: String) {
        let wasOpen = sender.withLock { state -> Bool in
            state.handle = nil
            guard state.state == .open else { return false }
            state.state = .endpointGone
            return true
        }
        guard wasOpen else { return }
        client.watchForReturningEndpoints()
        receivers.withLock { $0.disconnected }?(self)
    }

    /// Re-opens after a reconnection, or when the endpoint came back. Reader thread.
    func reopen() {
        let endpoint: String? = sender.withLock { state in
            guard state.state == .disconnected || state.state == .endpointGone else { return nil }
            return state.resolvedEndpointId ?? requestedEndpoint
        }
        guard let endpoint else { return }
        client.send(.openEndpoint(OpenEndpointRequest(endpoint: endpoint)), operation: "re-open endpoint \(endpoint)") { [self] result in
            switch result {
            case .success(.connectionOpened(let opened)):
                attach(opened, reconnecting: true)
            case .failure(let error) where error.code == .notFound:
                sender.withLock { if $0.state == .disconnected { $0.state = .endpointGone } }
                client.watchForReturningEndpoints()
            default:
                break   // lost again: the next reconnection retries
            }
        }
    }

    /// Whether this connection waits for `endpointId` to come back.
    func isWaiting(for endpointId: String) -> Bool {
        sender.withLock { $0.state == .endpointGone && ($0.resolvedEndpointId ?? requestedEndpoint).lowercased() == endpointId.lowercased() }
    }

    /// One received batch, read in place. Reader thread; one lock per batch.
    func deliver(_ batch: UMPBatchReader) {
        guard !closedFlag.load(ordering: .relaxed) else { return }
        // Copied out through captured locals, not returned as a tuple: a closure returned
        // through `withLock`'s generic result comes back wrapped in reabstraction thunks,
        // two extra calls per message.
        var handler: (@Sendable (MidiMessageReceivedEventArgs) -> Void)?
        var streams: [Int: AsyncStream<MidiMessageReceivedEventArgs>.Continuation] = [:]
        receivers.withLock {
            handler = $0.messageReceived
            streams = $0.streams
        }
        var dropped: UInt64 = 0
        if streams.isEmpty {
            // The common case (a callback, no AsyncSequence): nothing per message but the call
            // — no optional check, no walk of an empty stream table (each walk retains it).
            if let handler {
                for message in batch { handler(MidiMessageReceivedEventArgs(message)) }
            }
        } else {
            for message in batch {
                let args = MidiMessageReceivedEventArgs(message)
                handler?(args)
                for continuation in streams.values {
                    if case .dropped = continuation.yield(args) { dropped += 1 }
                }
            }
        }
        receivedCount.add(UInt64(batch.count), ordering: .relaxed)
        if dropped != 0 { streamDropCount.add(dropped, ordering: .relaxed) }
    }

    func noteReport(_ report: SendReport) {
        if report.receiverOverflow != 0 { overflowCount.add(UInt64(report.receiverOverflow), ordering: .relaxed) }
        if report.schedulerRefused != 0 { refusedCount.add(UInt64(report.schedulerRefused), ordering: .relaxed) }
        if report.rejected != 0 { rejectedCount.add(UInt64(report.rejected), ordering: .relaxed) }
    }

    // MARK: Sending

    /// Sends one message (`SendSingleMessagePacket`). Timestamp 0 = now; a future timestamp is
    /// scheduled by the service.
    public func sendSingleMessagePacket(_ message: TimestampedUMP) -> MidiSendMessageResults {
        sendSingleMessagePacket(timestamp: message.timestamp, message.packet)
    }

    public func sendSingleMessagePacket(timestamp: UInt64, _ packet: UMPPacket) -> MidiSendMessageResults {
        sender.withLock { state in
            guard let handle = state.handle else { return .closed }
            state.writer.reset(connection: handle)
            _ = state.writer.append(timestamp: timestamp, packet: packet)
            return client.sendBatch(state.writer.finish())
        }
    }

    /// Sends a one-word message (`SendSingleMessageWords`); the message type must be a
    /// one-word type, else `invalidMessageTypeForWordCount`.
    public func sendSingleMessageWords(timestamp: UInt64, _ word0: UInt32) -> MidiSendMessageResults {
        sendWords(timestamp, count: 1, word0, 0, 0, 0)
    }

    public func sendSingleMessageWords(timestamp: UInt64, _ word0: UInt32, _ word1: UInt32) -> MidiSendMessageResults {
        sendWords(timestamp, count: 2, word0, word1, 0, 0)
    }

    public func sendSingleMessageWords(timestamp: UInt64, _ word0: UInt32, _ word1: UInt32, _ word2: UInt32) -> MidiSendMessageResults {
        sendWords(timestamp, count: 3, word0, word1, word2, 0)
    }

    public func sendSingleMessageWords(timestamp: UInt64, _ word0: UInt32, _ word1: UInt32, _ word2: UInt32,
                                       _ word3: UInt32) -> MidiSendMessageResults {
        sendWords(timestamp, count: 4, word0, word1, word2, word3)
    }

    private func sendWords(_ timestamp: UInt64, count: Int, _ w0: UInt32, _ w1: UInt32, _ w2: UInt32, _ w3: UInt32) -> MidiSendMessageResults {
        guard UMPMessageType(word0: w0).wordCount == count else { return .wrongWordCount }
        return sendSingleMessagePacket(timestamp: timestamp, UMPPacket(w0, w1, w2, w3))
    }

    /// Sends one message held in `words[startIndex ..< startIndex + wordCount]`
    /// (`SendSingleMessageWordArray`).
    public func sendSingleMessageWordArray(timestamp: UInt64, startIndex: Int, wordCount: Int,
                                           words: [UInt32]) -> MidiSendMessageResults {
        guard startIndex >= 0, wordCount >= 1, wordCount <= 4, startIndex + wordCount <= words.count else {
            return [.failed, .dataIndexOutOfRange]
        }
        let w0 = words[startIndex]
        guard UMPMessageType(word0: w0).wordCount == wordCount else { return .wrongWordCount }
        return sendSingleMessagePacket(timestamp: timestamp, UMPPacket(
            w0, wordCount > 1 ? words[startIndex + 1] : 0, wordCount > 2 ? words[startIndex + 2] : 0,
            wordCount > 3 ? words[startIndex + 3] : 0))
    }

    /// Sends messages with their own timestamps, packed into as few datagrams as possible
    /// (`SendMultipleMessages…`). On a failure part-way, `messageListPartiallyProcessed` says
    /// that earlier messages went out.
    public func sendMultipleMessages<S: Sequence>(_ messages: S) -> MidiSendMessageResults where S.Element == TimestampedUMP {
        sendAll(messages)
    }

    /// Concrete overloads: a generic public function is not specialized across modules, so
    /// callers sending buffers or arrays would otherwise pay for unspecialized iteration.
    public func sendMultipleMessages(_ messages: UnsafeBufferPointer<TimestampedUMP>) -> MidiSendMessageResults {
        sendContiguous(messages)
    }

    public func sendMultipleMessages(_ messages: [TimestampedUMP]) -> MidiSendMessageResults {
        messages.withUnsafeBufferPointer { sendContiguous($0) }
    }

    /// `sendAll` for messages in contiguous memory: copied into the frame a run at a time
    /// (`UMPBatchWriter.append(contentsOf:)`, one tight loop per frame).
    private func sendContiguous(_ messages: UnsafeBufferPointer<TimestampedUMP>) -> MidiSendMessageResults {
        let source = ReadOnlyMessages(messages)
        return sender.withLock { state in
            guard let handle = state.handle else { return .closed }
            state.writer.reset(connection: handle)
            var start = 0
            var sentAny = false
            while true {
                start += state.writer.append(contentsOf: source.suffix(from: start))
                let rest = source.count - start
                if rest == 0 && state.writer.isEmpty { return .succeeded }   // nothing to send
                let result = client.sendBatch(state.writer.finish())
                guard result.isSuccess else { return sentAny ? result.union(.messageListPartiallyProcessed) : result }
                if rest == 0 { return .succeeded }
                sentAny = true
                state.writer.reset()
            }
        }
    }

    @inline(__always)
    private func sendAll<S: Sequence>(_ messages: S) -> MidiSendMessageResults where S.Element == TimestampedUMP {
        sender.withLock { state in
            guard let handle = state.handle else { return .closed }
            state.writer.reset(connection: handle)
            var sentAny = false
            for message in messages {
                if !state.writer.append(message) {
                    let result = client.sendBatch(state.writer.finish())
                    guard result.isSuccess else { return sentAny ? result.union(.messageListPartiallyProcessed) : result }
                    sentAny = true
                    state.writer.reset()
                    _ = state.writer.append(message)   // an empty batch always has room for one message
                }
            }
            guard !state.writer.isEmpty else { return .succeeded }
            let result = client.sendBatch(state.writer.finish())
            return result.isSuccess || !sentAny ? result : result.union(.messageListPartiallyProcessed)
        }
    }

    /// Sends packets, all with one timestamp (`SendMultipleMessagesPacketList`).
    public func sendMultipleMessagesPacketList<S: Sequence>(timestamp: UInt64, packets: S) -> MidiSendMessageResults
        where S.Element == UMPPacket
    {
        sendMultipleMessages(packets.lazy.map { TimestampedUMP(timestamp: timestamp, packet: $0) })
    }

    /// Sends consecutive messages given as words, all with one timestamp
    /// (`SendMultipleMessagesWordList`). Each message's length is implied by its first word;
    /// when the words do not end on a message boundary nothing is sent and the answer is
    /// `invalidMessageTypeForWordCount`.
    public func sendMultipleMessagesWordList<C: Collection>(timestamp: UInt64, words: C) -> MidiSendMessageResults
        where C.Element == UInt32
    {
        guard Self.splitsIntoMessages(words) else { return .wrongWordCount }
        return sendMultipleMessages(UMPWordSequence(words: words, timestamp: timestamp))
    }

    static func splitsIntoMessages<C: Collection>(_ words: C) -> Bool where C.Element == UInt32 {
        var remaining = words.count
        var index = words.startIndex
        while remaining > 0 {
            let size = UMPMessageType(word0: words[index]).wordCount
            guard size <= remaining else { return false }
            remaining -= size
            index = words.index(index, offsetBy: size)
        }
        return true
    }

    /// Convenience helpers mirroring `MidiEndpointConnection.SendMessageSucceeded/Failed`.
    public static func sendMessageSucceeded(_ result: MidiSendMessageResults) -> Bool { result.isSuccess }
    public static func sendMessageFailed(_ result: MidiSendMessageResults) -> Bool { !result.isSuccess }
}

/// Totals of the service's send reports for one connection: messages it accepted but could
/// not hand to every receiver (docs/ipc.md, "Send reports").
public struct MidiDeliveryLosses: Sendable, Hashable, Codable {
    /// (message, receiver) deliveries dropped because that receiver's queue was full.
    public var receiverOverflow: UInt64
    /// Messages refused by the scheduler (timestamp too far ahead, or its queue full).
    public var schedulerRefused: UInt64
    /// Messages refused for another reason (the connection or endpoint was gone).
    public var rejected: UInt64

    public var total: UInt64 { receiverOverflow + schedulerRefused + rejected }
}

/// Words → timestamped packets, lengths implied by each first word (validated beforehand).
struct UMPWordSequence<C: Collection>: Sequence where C.Element == UInt32 {
    let words: C
    let timestamp: UInt64

    struct Iterator: IteratorProtocol {
        let words: C
        let timestamp: UInt64
        var index: C.Index

        mutating func next() -> TimestampedUMP? {
            guard index != words.endIndex else { return nil }
            var packet = UMPPacket(words[index])
            let size = packet.wordCount
            var cursor = words.index(after: index)
            for word in 1..<size {
                guard cursor != words.endIndex else { return nil }
                packet[word] = words[cursor]
                cursor = words.index(after: cursor)
            }
            index = cursor
            return TimestampedUMP(timestamp: timestamp, packet: packet)
        }
    }

    func makeIterator() -> Iterator { Iterator(words: words, timestamp: timestamp, index: words.startIndex) }
}

/// The caller's messages, read inside the sender's lock before the send call returns. Region
/// checking cannot see that `UMPBatchWriter.append(contentsOf:)` only reads the pointer it is
/// given (it keeps nothing), so the buffer travels into the lock as this unchecked value.
private struct ReadOnlyMessages: @unchecked Sendable {
    private let buffer: UnsafeBufferPointer<TimestampedUMP>
    init(_ buffer: UnsafeBufferPointer<TimestampedUMP>) { self.buffer = buffer }
    var count: Int { buffer.count }
    func suffix(from start: Int) -> UnsafeBufferPointer<TimestampedUMP> { UnsafeBufferPointer(rebasing: buffer[start...]) }
}
