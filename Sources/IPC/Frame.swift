import UMP

/// An owned copy of a UMP batch — convenient for tests, tools and control-rate senders. The hot
/// path uses `UMPBatchWriter` / `UMPBatchReader` on reused buffers instead.
public struct UMPBatch: Hashable, Sendable {
    public var connection: ConnectionHandle
    public var messages: [TimestampedUMP]
    public var reportRequested: Bool

    public init(connection: ConnectionHandle, messages: [TimestampedUMP], reportRequested: Bool = false) {
        self.connection = connection
        self.messages = messages
        self.reportRequested = reportRequested
    }
}

/// Every frame of the protocol, decoded. See docs/ipc.md for the byte layouts.
public enum Frame: Hashable, Sendable {
    case hello(Hello)
    case welcome(Welcome)
    case refusal(Refusal)
    case request(RequestID, ControlRequest)
    case response(RequestID, ControlReply)
    /// `nil` subscription: not tied to a watcher (e.g. `connectionClosed`).
    case event(SubscriptionID?, ServiceEvent)
    case sendReport(SendReport)
    case umpBatch(UMPBatch)
    /// A request whose operation code this side does not know (a newer peer). Well-formed, so
    /// not an error: the daemon answers `unsupportedOperation` and carries on.
    case unknownRequest(RequestID, operation: UInt16)
    /// An event kind this side does not know (a newer daemon); clients ignore it.
    case unknownEvent(SubscriptionID?, kind: UInt16)

    public var kind: FrameKind {
        switch self {
        case .hello: return .hello
        case .welcome: return .welcome
        case .refusal: return .refusal
        case .request, .unknownRequest: return .request
        case .response: return .response
        case .event, .unknownEvent: return .event
        case .sendReport: return .sendReport
        case .umpBatch: return .umpBatch
        }
    }

    /// The datagrams that carry this frame: one, except for control bodies larger than a frame
    /// (split into fragments) and UMP batches too big for one frame (split into batches).
    public func encoded(maximumFrameSize: Int = WireFormat.maximumFrameSize) -> [[UInt8]] {
        precondition(maximumFrameSize >= 64 && maximumFrameSize <= WireFormat.maximumFrameSize,
                     "maximum frame size out of range")
        switch self {
        case .hello(let hello):
            var w = ByteWriter(); hello.encodePayload(into: &w)
            return [Self.single(.hello, w.bytes)]
        case .welcome(let welcome):
            var w = ByteWriter(); welcome.encodePayload(into: &w)
            return [Self.single(.welcome, w.bytes)]
        case .refusal(let refusal):
            var w = ByteWriter(); refusal.encodePayload(into: &w)
            return [Self.single(.refusal, w.bytes)]
        case .sendReport(let report):
            var w = ByteWriter(); report.encodePayload(into: &w)
            return [Self.single(.sendReport, w.bytes)]
        case .request(let id, let request):
            var sub = ByteWriter(); sub.u32(id.rawValue); sub.u16(request.operation.rawValue)
            return Self.fragments(.request, subHeader: sub.bytes, body: request.encodeBody(), maximumFrameSize)
        case .unknownRequest(let id, let operation):
            var sub = ByteWriter(); sub.u32(id.rawValue); sub.u16(operation)
            return Self.fragments(.request, subHeader: sub.bytes, body: Array("{}".utf8), maximumFrameSize)
        case .response(let id, let reply):
            var sub = ByteWriter(); sub.u32(id.rawValue); sub.u16(reply.kind.rawValue)
            return Self.fragments(.response, subHeader: sub.bytes, body: reply.encodeBody(), maximumFrameSize)
        case .event(let subscription, let event):
            var sub = ByteWriter(); sub.u16(event.kind.rawValue); sub.u32(subscription?.rawValue ?? 0)
            return Self.fragments(.event, subHeader: sub.bytes, body: event.encodeBody(), maximumFrameSize)
        case .unknownEvent(let subscription, let kind):
            var sub = ByteWriter(); sub.u16(kind); sub.u32(subscription?.rawValue ?? 0)
            return Self.fragments(.event, subHeader: sub.bytes, body: Array("{}".utf8), maximumFrameSize)
        case .umpBatch(let batch):
            return Self.batches(batch, maximumFrameSize)
        }
    }

    static func single(_ kind: FrameKind, _ payload: [UInt8]) -> [UInt8] {
        FrameHeader(kind: kind, payloadLength: payload.count).bytes + payload
    }

    /// Control bodies: every fragment repeats the sub-header; all but the last carry
    /// `moreFragments`.
    static func fragments(_ kind: FrameKind, subHeader: [UInt8], body: [UInt8], _ maximumFrameSize: Int) -> [[UInt8]] {
        let chunk = maximumFrameSize - WireFormat.headerSize - subHeader.count
        var frames: [[UInt8]] = []
        var start = 0
        repeat {
            let end = min(start + chunk, body.count)
            let more = end < body.count
            let payloadLength = subHeader.count + (end - start)
            var frame = FrameHeader(kind: kind, flags: more ? .moreFragments : [], payloadLength: payloadLength).bytes
            frame.reserveCapacity(WireFormat.headerSize + payloadLength)
            frame += subHeader
            frame += body[start..<end]
            frames.append(frame)
            start = end
        } while start < body.count
        return frames
    }

    static func batches(_ batch: UMPBatch, _ maximumFrameSize: Int) -> [[UInt8]] {
        let storage = FrameBuffer(capacity: maximumFrameSize)
        let flags: FrameFlags = batch.reportRequested ? .reportRequested : []
        var writer = UMPBatchWriter(storage, connection: batch.connection, flags: flags)
        var frames: [[UInt8]] = []
        for message in batch.messages {
            if !writer.append(message) {
                frames.append(Array(writer.finish()))
                writer.reset()
                _ = writer.append(message)   // an empty batch always has room for one message
            }
        }
        if !writer.isEmpty || frames.isEmpty { frames.append(Array(writer.finish())) }
        return frames
    }
}
