import UMP

// The message path. Everything here runs per message: no allocation, no locks, no hashing —
// a connection id is a slot handle, an endpoint's receivers are a contiguous array. Counter
// updates go into a local `RoutingTally` and reach `counters` once per call or batch (see there).
extension MidiService {
    /// Sends one message on the endpoint `connection` is open on.
    ///
    /// - A loopback side delivers to every connection on the other side (never back to its
    ///   own side); timestamp 0 is replaced by the arrival time, others are kept.
    /// - A diagnostic loopback does the same but keeps timestamps exactly, 0 included.
    /// - The diagnostic ping answers ping requests on this connection only.
    /// - A device endpoint hands the message to its device.
    ///
    /// A timestamp more than `limits.immediateTolerance` ahead is queued and delivered by
    /// `deliverDue(now:)`; one beyond `limits.maximumLookAhead` or arriving at a full queue is
    /// refused. While a pair is muted its messages are dropped and the send still succeeds.
    public func send(_ packet: UMPPacket, timestamp: UInt64, from connection: ConnectionID) -> SendResult {
        send(packet, timestamp: timestamp, now: clock.now(), from: connection)
    }

    /// `send(_:timestamp:from:)` with the arrival time supplied by the caller, who reads the
    /// clock once for a whole batch off the wire rather than once per message.
    public func send(_ packet: UMPPacket, timestamp: UInt64, now: UInt64, from connection: ConnectionID) -> SendResult {
        guard let record = connectionSlots.value(connection.handle) else { return .connectionClosed }
        var tally = RoutingTally()
        let result = submit(packet.normalized, timestamp: timestamp, now: now, record: record, sender: connection, tally: &tally)
        counters.add(tally)
        return result
    }

    /// Sends every message of a batch in order, all with the arrival time `now`; a refused
    /// message does not stop the ones after it (each is counted in the result). This is what the
    /// daemon calls for a frame off the wire: the connection is looked up and the counters are
    /// updated once per batch, not per message — as in `send(_:from:)`, the batch is sent on the
    /// connection as it was when the batch started.
    ///
    /// The buffer is the caller's scratch space: packets are normalized and timestamps that
    /// become the arrival time are rewritten in place, so that a loopback can hand runs of it
    /// to each receiver as they stand (`EndpointReceiver.receive(contentsOf:)`) — one call per
    /// receiver per run instead of one per message.
    ///
    /// `packetsNormalized`: the caller vouches that every packet already has the words past its
    /// message type's size cleared (as `UMPPacket.init` leaves them — the daemon's batch reader
    /// decodes through it), so the loop does not normalize them again.
    public func send(each messages: UnsafeMutableBufferPointer<TimestampedUMP>, now: UInt64,
                     from connection: ConnectionID, packetsNormalized: Bool = false) -> BatchSendTally {
        guard let record = connectionSlots.value(connection.handle) else {
            return BatchSendTally(rejected: messages.count)
        }
        var tally = RoutingTally()
        defer { counters.add(tally) }
        switch record.endpoint.role {
        case .loopback, .diagnosticLoopback:
            return sendRuns(messages, now: now, from: record.endpoint, sender: connection,
                            packetsNormalized: packetsNormalized, tally: &tally)
        case .diagnosticPing, .device:
            var outcome = BatchSendTally()
            var index = 0
            while index < messages.count {
                let message = messages[index]
                outcome.count(submit(message.packet.normalized, timestamp: message.timestamp, now: now,
                                     record: record, sender: connection, tally: &tally))
                index += 1
            }
            return outcome
        }
    }

    /// `send(each:now:from:)` reading the clock only when the arrival time is used: when a
    /// message carries a timestamp (it is compared with now), when the endpoint is not a
    /// loopback, or when a receiver of the loopback's other side reads timestamps. Otherwise
    /// (a loopback whose other side has only receivers that ignore timestamps, e.g. the ALSA
    /// bridge's clients, fed messages stamped 0) timestamps 0 stay 0 and no clock is read —
    /// for the bridge, one `clock_gettime` less per wake-up, which is a system call where the
    /// clock source has no vDSO path (HPET, as in the VM bench under TCG: docs/performance.md).
    public func send(each messages: UnsafeMutableBufferPointer<TimestampedUMP>, from connection: ConnectionID,
                     packetsNormalized: Bool = false) -> BatchSendTally {
        var now: UInt64 = 0
        if let record = connectionSlots.value(connection.handle), Self.needsArrivalTime(messages, on: record.endpoint) {
            now = clock.now()
        }
        return send(each: messages, now: now, from: connection, packetsNormalized: packetsNormalized)
    }

    /// Whether sending `messages` from `node` uses the arrival time (see `send(each:from:)`).
    @inline(__always)
    static func needsArrivalTime(_ messages: UnsafeMutableBufferPointer<TimestampedUMP>, on node: EndpointNode) -> Bool {
        switch node.role {
        case .loopback, .diagnosticLoopback: break
        case .diagnosticPing, .device: return true
        }
        var index = 0
        while index < messages.count {
            if messages[index].timestamp != 0 { return true }
            index += 1
        }
        guard node.stampsZeroTimestamps, let peer = node.peer else { return false }
        return peer.anyConnectionReadsTimestamps
    }

    /// Sends one message given as words (as they come off the wire): exactly the number of
    /// words its message type implies, else `invalidMessageTypeForWordCount`.
    public func send<Words: Collection>(words: Words, timestamp: UInt64, from connection: ConnectionID) -> SendResult
    where Words.Element == UInt32 {
        guard let record = connectionSlots.value(connection.handle) else { return .connectionClosed }
        guard let packet = UMPPacket(words: words) else {
            counters.invalidMessages += 1
            return words.isEmpty ? .invalidOther : .invalidWordCount
        }
        var tally = RoutingTally()
        let result = submit(packet, timestamp: timestamp, now: clock.now(), record: record, sender: connection, tally: &tally)
        counters.add(tally)
        return result
    }

    /// Sends a batch in order, reading the clock once for all of it (messages with timestamp 0
    /// in one batch share one arrival time). Stops at the first refused message:
    /// `messagesAccepted` is its index, and `messageListPartiallyProcessed` is set when some
    /// messages went before it.
    public func send(_ messages: UnsafeBufferPointer<TimestampedUMP>, from connection: ConnectionID) -> SendResult {
        sendBatch(messages, from: connection)
    }

    /// `send(_:from:)` for any sequence of messages (an array, a slice of a reused buffer…).
    public func send<Messages: Sequence>(contentsOf messages: Messages, from connection: ConnectionID) -> SendResult
    where Messages.Element == TimestampedUMP {
        sendBatch(messages, from: connection)
    }

    @inline(__always)
    func sendBatch<Messages: Sequence>(_ messages: Messages, from connection: ConnectionID) -> SendResult
    where Messages.Element == TimestampedUMP {
        guard let record = connectionSlots.value(connection.handle) else { return .connectionClosed }
        let now = clock.now()
        var tally = RoutingTally()
        defer { counters.add(tally) }
        var total = SendResult()
        for message in messages {
            let result = submit(message.packet.normalized, timestamp: message.timestamp, now: now, record: record, sender: connection, tally: &tally)
            total.receiverOverflows += result.receiverOverflows
            guard result.succeeded else {
                total.status = result.status
                if total.messagesAccepted > 0 { total.status.insert(.messageListPartiallyProcessed) }
                return total
            }
            total.messagesAccepted += 1
        }
        return total
    }

    /// The next time `deliverDue(now:)` has something to deliver; `nil` when nothing waits.
    /// The daemon arms its timer for this.
    public var nextDueTime: UInt64? { scheduler.first?.message.timestamp }

    /// Delivers every queued message due by `now` (within `limits.immediateTolerance`), in
    /// timestamp order, equal timestamps in sending order. Each keeps its timestamp.
    ///
    /// Returns, per sending connection, how many deliveries full receivers refused: the send
    /// result of a scheduled message could only say "scheduled", so this is the sender's late
    /// report (the daemon sends it as a `SendReport` with 0 messages). Empty — and nothing
    /// allocated — when every receiver took everything.
    @discardableResult
    public func deliverDue(now: UInt64) -> [LateReceiverOverflow] {
        let horizon = now.addingSaturating(limits.immediateTolerance)
        var tally = RoutingTally()
        defer { counters.add(tally) }
        var late: [LateReceiverOverflow] = []
        while let first = scheduler.first, first.message.timestamp <= horizon {
            _ = scheduler.popFirst()
            guard let node = endpointSlots.value(first.endpoint) else {
                counters.scheduledMessagesDiscarded += 1
                continue
            }
            if node.model.isMuted {
                counters.messagesDroppedWhileMuted += 1
                continue
            }
            let overflows = route(first.message, from: node, tally: &tally)
            if overflows != 0 { LateReceiverOverflow.add(overflows, for: first.sender, to: &late) }
        }
        return late
    }

    /// `deliverDue(now:)` at the service clock's time.
    @discardableResult
    public func deliverDue() -> [LateReceiverOverflow] { deliverDue(now: clock.now()) }

    // MARK: Internals

    @inline(__always)
    func submit(_ packet: UMPPacket, timestamp: UInt64, now: UInt64, record: ConnectionRecord, sender: ConnectionID,
                tally: inout RoutingTally) -> SendResult {
        let node = record.endpoint
        if case .diagnosticPing = node.role { return answerPing(packet, now: now, receiver: record.receiver) }
        if node.model.isMuted {
            counters.messagesDroppedWhileMuted += 1
            return .sentOne
        }
        var stamp = timestamp
        if stamp == 0 {
            if node.stampsZeroTimestamps { stamp = now }
        } else if stamp > now && stamp - now > limits.immediateTolerance {
            return schedule(TimestampedUMP(timestamp: stamp, packet: packet), now: now, on: node, sender: sender)
        }
        return SendResult(messagesAccepted: 1,
                          receiverOverflows: route(TimestampedUMP(timestamp: stamp, packet: packet), from: node, tally: &tally))
    }

    /// `send(each:now:from:)` on a loopback side: the same rules as `submit` message by message
    /// (mute, timestamp 0 → `now` where the endpoint stamps, scheduling, stream capture), but
    /// the messages due now are delivered to the peer's receivers in runs. A run ends where a
    /// message is scheduled or refused (it is not delivered now) and before a stream message
    /// (its capture may notify observers, who must see it after what came before it).
    @inline(__always)
    func sendRuns(_ messages: UnsafeMutableBufferPointer<TimestampedUMP>, now: UInt64, from node: EndpointNode,
                  sender: ConnectionID, packetsNormalized: Bool, tally: inout RoutingTally) -> BatchSendTally {
        if node.model.isMuted {
            counters.messagesDroppedWhileMuted += UInt64(messages.count)
            return BatchSendTally(accepted: messages.count)
        }
        let stampsZero = node.stampsZeroTimestamps
        let tolerance = limits.immediateTolerance
        var outcome = BatchSendTally()
        var notDueNow = 0
        var runStart = 0
        var index = 0
        while index < messages.count {
            let packet: UMPPacket
            if packetsNormalized {
                packet = messages[index].packet
            } else {
                packet = messages[index].packet.normalized
                messages[index].packet = packet
            }
            let stamp = messages[index].timestamp
            if stamp == 0 {
                if stampsZero { messages[index].timestamp = now }
            } else if stamp > now && stamp - now > tolerance {
                // Not due now: deliver what precedes it, then schedule (or refuse) it alone.
                outcome.receiverOverflows += deliverRun(messages, runStart..<index, from: node, tally: &tally)
                outcome.count(schedule(TimestampedUMP(timestamp: stamp, packet: packet), now: now, on: node, sender: sender))
                notDueNow += 1
                index += 1
                runStart = index
                continue
            }
            if packet.word0 >> 28 == UInt32(UMPMessageType.stream.rawValue) {
                outcome.receiverOverflows += deliverRun(messages, runStart..<index, from: node, tally: &tally)
                runStart = index
                captureStreamMessage(packet, on: node)
            }
            index += 1
        }
        outcome.receiverOverflows += deliverRun(messages, runStart..<messages.count, from: node, tally: &tally)
        outcome.accepted += messages.count - notDueNow   // every message due now was taken
        return outcome
    }

    /// Delivers `messages[range]` (due now, stamped) from a loopback side to its peer's
    /// receivers, one call per receiver. Returns how many deliveries were refused.
    @inline(__always)
    func deliverRun(_ messages: UnsafeMutableBufferPointer<TimestampedUMP>, _ range: Range<Int>,
                    from node: EndpointNode, tally: inout RoutingTally) -> Int {
        guard !range.isEmpty else { return 0 }
        guard let peer = node.peer else { return 0 }
        let run = UnsafeBufferPointer(rebasing: messages[range])
        let connections = peer.connections
        var refused = 0
        var index = 0
        while index < connections.count {
            refused += connections[index].receiver.receive(contentsOf: run)
            index += 1
        }
        tally.routed &+= UInt64(run.count)
        tally.deliveries &+= UInt64(run.count * connections.count - refused)
        tally.overflows &+= UInt64(refused)
        return refused
    }

    /// A message with a timestamp beyond the immediate tolerance: queued for `deliverDue`, or
    /// refused when too far ahead or the queue is full.
    @inline(__always)
    func schedule(_ message: TimestampedUMP, now: UInt64, on node: EndpointNode, sender: ConnectionID) -> SendResult {
        guard message.timestamp - now <= limits.maximumLookAhead else {
            counters.messagesRefusedTooFarAhead += 1
            return .timestampOutOfRange
        }
        guard scheduler.insert(message, endpoint: node.handle, sender: sender) else {
            counters.messagesRefusedQueueFull += 1
            return .scheduleQueueFull
        }
        counters.messagesScheduled += 1
        return .sentOne
    }

    /// A message leaving `node` now: captured if it is a stream message, then delivered to the
    /// other side or the device. Returns how many receivers overflowed.
    @inline(__always)
    func route(_ message: TimestampedUMP, from node: EndpointNode, tally: inout RoutingTally) -> Int {
        if message.packet.messageType == .stream { captureStreamMessage(message.packet, on: node) }
        switch node.role {
        case .loopback, .diagnosticLoopback:
            guard let peer = node.peer else { return 0 }
            tally.routed &+= 1
            return deliver(message, to: peer, tally: &tally)
        case .device(let device):
            tally.routed &+= 1
            if device.transmit(message) {
                tally.deliveries &+= 1
                return 0
            }
            tally.overflows &+= 1
            return 1
        case .diagnosticPing:
            return 0
        }
    }

    /// Hands a message to every connection open on `node`, counting into `counters` at once
    /// (for callers outside a send, such as device input).
    func deliver(_ message: TimestampedUMP, to node: EndpointNode) -> Int {
        var tally = RoutingTally()
        let overflows = deliver(message, to: node, tally: &tally)
        counters.add(tally)
        return overflows
    }

    /// Hands a message to every connection open on `node`.
    @inline(__always)
    func deliver(_ message: TimestampedUMP, to node: EndpointNode, tally: inout RoutingTally) -> Int {
        var overflows = 0
        var delivered = 0
        // Indexing rather than `for in`: even unoptimised builds then call the array's own
        // subscript instead of the generic iterator, which boxes each element on the heap.
        let connections = node.connections
        var index = 0
        while index < connections.count {
            if connections[index].receiver.receive(message) { delivered += 1 } else { overflows += 1 }
            index += 1
        }
        tally.deliveries &+= UInt64(delivered)
        tally.overflows &+= UInt64(overflows)
        return overflows
    }
}

extension UMPPacket {
    /// The same packet with the words beyond its size cleared, whatever the caller stored there.
    @inline(__always)
    var normalized: UMPPacket { UMPPacket(word0, word1, word2, word3) }
}

extension UInt64 {
    @inline(__always)
    func addingSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
