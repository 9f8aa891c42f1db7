import UMP

/// Limits of the scheduler (docs/design.md §3 "Scheduling"): bounded look-ahead, bounded queue.
public struct SchedulerLimits: Sendable, Equatable {
    /// A message due no later than `now + immediateTolerance` is delivered at once rather than
    /// queued. It is also how early `deliverDue` may hand out a message. Default 1 ms: below the
    /// jitter of getting a message through the socket and the event loop, and the message keeps
    /// its timestamp, so receivers that honour timestamps still place it exactly.
    public var immediateTolerance: UInt64
    /// How far ahead of now a timestamp may be. Default 10 minutes.
    public var maximumLookAhead: UInt64
    /// How many messages may wait at once. Default 65,536.
    public var queueCapacity: Int

    public init(immediateTolerance: UInt64 = 1_000_000, maximumLookAhead: UInt64 = 600_000_000_000,
                queueCapacity: Int = 65_536) {
        self.immediateTolerance = immediateTolerance
        self.maximumLookAhead = maximumLookAhead
        self.queueCapacity = max(0, queueCapacity)
    }
}

/// A message waiting for its time, with the endpoint it was sent on.
struct ScheduledMessage {
    var message: TimestampedUMP
    /// Arrival order, to keep equal timestamps in sending order.
    var sequence: UInt64
    /// The sending endpoint. A handle, not a reference: if the endpoint goes away the message
    /// is discarded at its due time.
    var endpoint: SlotHandle
    /// The connection it was sent on: a receiver that cannot take it when it falls due is
    /// reported to that sender (`MidiService.deliverDue` → `LateReceiverOverflow`).
    var sender: ConnectionID

    @inline(__always)
    func precedes(_ other: ScheduledMessage) -> Bool {
        message.timestamp != other.message.timestamp
            ? message.timestamp < other.message.timestamp
            : sequence < other.sequence
    }
}

/// A bounded min-heap of messages ordered by (timestamp, arrival). Storage grows to the
/// high-water mark and is then reused: no allocation per message in steady state.
struct MessageScheduler {
    let capacity: Int
    private var heap: [ScheduledMessage] = []
    private var nextSequence: UInt64 = 0

    init(capacity: Int) {
        self.capacity = capacity
        heap.reserveCapacity(min(capacity, 1024))
    }

    var count: Int { heap.count }
    var isFull: Bool { heap.count >= capacity }
    /// The earliest waiting message.
    /// (Index 0 rather than `heap.first`, and no `swapAt` below: the generic Collection
    /// versions box elements on the heap in unoptimised builds.)
    var first: ScheduledMessage? { heap.isEmpty ? nil : heap[0] }

    /// Queues a message; `false` when the queue is full.
    mutating func insert(_ message: TimestampedUMP, endpoint: SlotHandle, sender: ConnectionID) -> Bool {
        guard heap.count < capacity else { return false }
        heap.append(ScheduledMessage(message: message, sequence: nextSequence, endpoint: endpoint, sender: sender))
        nextSequence &+= 1
        siftUp(heap.count - 1)
        return true
    }

    /// Removes and returns the earliest message.
    mutating func popFirst() -> ScheduledMessage? {
        guard !heap.isEmpty else { return nil }
        let last = heap.removeLast()    // keeps capacity
        guard !heap.isEmpty else { return last }
        let first = heap[0]
        heap[0] = last
        siftDown(0)
        return first
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        let item = heap[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard item.precedes(heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = item
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let item = heap[parent]
        let count = heap.count
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count && heap[child + 1].precedes(heap[child]) { child += 1 }
            guard heap[child].precedes(item) else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = item
    }
}
