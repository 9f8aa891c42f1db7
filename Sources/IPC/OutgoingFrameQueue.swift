import POSIX

/// Frames waiting for a non-blocking socket to accept them (after `EAGAIN`): a bounded ring of
/// bytes, allocated on first use (most connections never back up), no allocation per frame.
///
/// Two classes share the ring. *Data* frames (UMP batches) are bounded by `dataLimit`: a slow
/// receiver costs at most that much memory, and whoever fills it decides what to drop (the
/// daemon counts and reports it) — a full queue never blocks anyone. *Control* frames
/// (responses, events) may also use the rest of `capacity`; a client that lets even that fill
/// up is not reading at all, and its connection is closed.
public final class OutgoingFrameQueue {
    public enum FrameClass: Sendable { case data, control }

    public enum FlushOutcome: Equatable, Sendable {
        /// Everything queued is now with the kernel.
        case drained
        /// The socket is full again; wait for it to become writable.
        case wouldBlock
    }

    public let capacity: Int
    public let dataLimit: Int

    // Exclusivity: `isEmpty` is asked for every delivered run and at every wake-up of the
    // daemon, and each access to a class's stored property is checked at run time in release
    // builds (`swift_beginAccess`, docs/performance.md). The class is not `Sendable` (one
    // thread at a time), and no method holds an access to these across a call out (`flush`
    // calls `send`, which does not reach the queue), so they are `@exclusivity(unchecked)`.

    /// Frame bytes queued (entry headers and wrap padding not counted), per class.
    @exclusivity(unchecked) public private(set) var dataBytes = 0
    @exclusivity(unchecked) public private(set) var controlBytes = 0
    @exclusivity(unchecked) public private(set) var frameCount = 0
    /// Frames sent to the socket from this queue since creation.
    @exclusivity(unchecked) public private(set) var framesFlushed: UInt64 = 0

    @exclusivity(unchecked) private var storage: UnsafeMutableRawBufferPointer?
    @exclusivity(unchecked) private var readIndex = 0
    @exclusivity(unchecked) private var writeIndex = 0
    /// Set while the data wraps: the end of the upper region.
    @exclusivity(unchecked) private var wrapIndex: Int?

    private static let entryHeader = 4
    private static let controlBit: UInt32 = 0x8000_0000

    /// - Parameters:
    ///   - capacity: hard bound of the ring, bytes.
    ///   - dataLimit: bound on queued UMP batch bytes (≤ capacity).
    public init(capacity: Int = 2 << 20, dataLimit: Int = 256 << 10) {
        precondition(capacity >= WireFormat.maximumFrameSize + Self.entryHeader, "queue smaller than one frame")
        precondition(dataLimit <= capacity, "data limit above capacity")
        self.capacity = capacity
        self.dataLimit = dataLimit
    }

    deinit { storage?.deallocate() }

    public var isEmpty: Bool { frameCount == 0 }
    public var queuedBytes: Int { dataBytes + controlBytes }

    /// Room left for UMP data under `dataLimit`.
    public var dataRoom: Int { max(0, dataLimit - dataBytes) }

    /// Copies `frame` into the queue. `false` (nothing queued) when the class's bound or the
    /// ring's free space does not allow it.
    @discardableResult
    public func enqueue(_ frame: UnsafeRawBufferPointer, class frameClass: FrameClass) -> Bool {
        precondition(frame.count > 0 && frame.count <= WireFormat.maximumFrameSize, "frame size out of range")
        if frameClass == .data && dataBytes + frame.count > dataLimit { return false }
        let needed = Self.entryHeader + frame.count
        guard let offset = reserve(needed) else { return false }
        let ring = storageBuffer()
        let tag = UInt32(frame.count) | (frameClass == .control ? Self.controlBit : 0)
        ring.storeBytes(of: tag, toByteOffset: offset, as: UInt32.self)
        UnsafeMutableRawBufferPointer(rebasing: ring[(offset + Self.entryHeader)..<(offset + needed)])
            .copyMemory(from: frame)
        if frameClass == .control { controlBytes += frame.count } else { dataBytes += frame.count }
        frameCount += 1
        return true
    }

    public func enqueue(_ frame: [UInt8], class frameClass: FrameClass) -> Bool {
        frame.withUnsafeBytes { enqueue($0, class: frameClass) }
    }

    /// Sends queued frames in order until empty or the socket would block.
    public func flush(to socket: SeqPacketSocket) throws(SystemError) -> FlushOutcome {
        while let ring = storage, frameCount > 0 {
            let tag = ring.load(fromByteOffset: readIndex, as: UInt32.self)
            let length = Int(tag & ~Self.controlBit)
            let start = readIndex + Self.entryHeader
            let frame = UnsafeRawBufferPointer(rebasing: ring[start..<(start + length)])
            if try socket.send(frame) == .wouldBlock { return .wouldBlock }
            pop(length: length, isControl: tag & Self.controlBit != 0)
        }
        return .drained
    }

    /// Calls `body` with the oldest frame without removing it (for tests and custom senders).
    public func withFirstFrame<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard let ring = storage, frameCount > 0 else { return nil }
        let tag = ring.load(fromByteOffset: readIndex, as: UInt32.self)
        let length = Int(tag & ~Self.controlBit)
        let start = readIndex + Self.entryHeader
        return try body(UnsafeRawBufferPointer(rebasing: ring[start..<(start + length)]))
    }

    /// Drops the oldest frame (after a custom send).
    public func removeFirst() {
        guard let ring = storage, frameCount > 0 else { return }
        let tag = ring.load(fromByteOffset: readIndex, as: UInt32.self)
        pop(length: Int(tag & ~Self.controlBit), isControl: tag & Self.controlBit != 0)
    }

    /// Forgets everything queued (the connection is going away).
    public func removeAll() {
        readIndex = 0; writeIndex = 0; wrapIndex = nil
        dataBytes = 0; controlBytes = 0; frameCount = 0
    }

    // MARK: Ring bookkeeping

    private func storageBuffer() -> UnsafeMutableRawBufferPointer {
        if let storage { return storage }
        let ring = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 8)
        storage = ring
        return ring
    }

    /// Finds `needed` contiguous bytes at the write end (wrapping to the start when the upper
    /// region is too short), advancing the write index. Entry offsets stay 4-aligned.
    private func reserve(_ needed: Int) -> Int? {
        let size = (needed + 3) & ~3
        if frameCount == 0 { readIndex = 0; writeIndex = 0; wrapIndex = nil }
        if wrapIndex != nil {
            guard readIndex - writeIndex >= size else { return nil }
            defer { writeIndex += size }
            return writeIndex
        }
        if capacity - writeIndex >= size {
            defer { writeIndex += size }
            return writeIndex
        }
        guard readIndex >= size else { return nil }
        wrapIndex = writeIndex
        writeIndex = size
        return 0
    }

    private func pop(length: Int, isControl: Bool) {
        readIndex += (Self.entryHeader + length + 3) & ~3
        if isControl { controlBytes -= length } else { dataBytes -= length }
        frameCount -= 1
        framesFlushed += 1
        if let wrap = wrapIndex, readIndex >= wrap { readIndex = 0; wrapIndex = nil }
        if frameCount == 0 { readIndex = 0; writeIndex = 0; wrapIndex = nil }
    }
}
