/// One maximum-size frame's worth of memory, allocated once and reused: the receive buffer of a
/// connection, or the storage a `UMPBatchWriter` fills. Owned by one thread at a time.
public final class FrameBuffer {
    public let bytes: UnsafeMutableRawBufferPointer

    public init(capacity: Int = WireFormat.maximumFrameSize) {
        precondition(capacity >= WireFormat.headerSize, "a frame buffer must hold at least a header")
        bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
    }

    deinit { bytes.deallocate() }

    public var capacity: Int { bytes.count }

    /// The first `count` bytes, read-only.
    public func prefix(_ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[0..<min(count, bytes.count)])
    }
}
