import UMP

/// Decodes received datagrams into `Frame`s, one connection's worth of state: it reassembles
/// fragmented control bodies (bounded by `maximumMessageSize`). Rejects anything malformed
/// with a `FrameError` before using a single field of it.
///
/// Fragment rule: the fragments of one control body arrive consecutively with respect to
/// other control frames (same kind, same sub-header); UMP batches and send reports may come in
/// between. Anything else is `FrameError.invalidFragment`.
public struct FrameDecoder {
    public let maximumMessageSize: Int
    private var pending: Pending?

    private struct Pending {
        var kind: FrameKind
        var subHeader: [UInt8]
        var body: [UInt8]
    }

    public init(maximumMessageSize: Int = WireFormat.maximumControlMessageSize) {
        self.maximumMessageSize = maximumMessageSize
    }

    /// Whether a fragmented body is partly received.
    public var hasPendingFragments: Bool { pending != nil }

    /// Bytes held for a partly received body (what a peer makes this side hold).
    public var pendingByteCount: Int { pending.map { $0.body.count + $0.subHeader.count } ?? 0 }

    /// Forgets a partly received body (its sender took too long to finish it).
    public mutating func discardPendingFragments() { pending = nil }

    /// Decodes one datagram. Returns `nil` when it was a non-final fragment.
    public mutating func decode(_ datagram: UnsafeRawBufferPointer) throws(FrameError) -> Frame? {
        let header = try FrameHeader(validating: datagram)
        return try decode(header: header, datagram: datagram)
    }

    public mutating func decode(_ datagram: [UInt8]) throws(FrameError) -> Frame? {
        try withBytes(of: datagram) { (raw) throws(FrameError) -> Frame? in try decode(raw) }
    }

    /// Decodes a datagram whose header the caller already validated (and, for the hot path,
    /// already routed UMP batches away from).
    public mutating func decode(header: FrameHeader, datagram: UnsafeRawBufferPointer) throws(FrameError) -> Frame? {
        var r = ByteReader(datagram, offset: WireFormat.headerSize)
        switch header.kind {
        case .hello: return .hello(try Hello(payload: &r))
        case .welcome: return .welcome(try Welcome(payload: &r))
        case .refusal: return .refusal(try Refusal(payload: &r))
        case .sendReport: return .sendReport(try SendReport(payload: &r))
        case .umpBatch:
            let reader = try UMPBatchReader(header: header, frame: datagram)
            return .umpBatch(UMPBatch(connection: reader.connection, messages: Array(reader),
                                      reportRequested: reader.reportRequested))
        case .request, .response, .event:
            let subHeaderSize = 6
            let subHeader = try r.bytes(subHeaderSize, "\(header.kind) sub-header")
            let chunk = r.rest()
            guard let body = try reassemble(header, subHeader: subHeader, chunk: chunk) else { return nil }
            return try withBytes(of: body) { (raw) throws(FrameError) -> Frame in
                try Self.decodeControl(header.kind, subHeader: subHeader, body: raw)
            }
        }
    }

    /// Returns the complete body when this is the last fragment, `nil` when more follow.
    private mutating func reassemble(_ header: FrameHeader, subHeader: UnsafeRawBufferPointer,
                                     chunk: UnsafeRawBufferPointer) throws(FrameError) -> [UInt8]? {
        let more = header.flags.contains(.moreFragments)
        // Taken out of `pending`, not copied: a copy would share the body's storage, and every
        // append would then copy the whole body so far (quadratic in the fragment count; a
        // 48 MiB listing comes in 768 fragments).
        if var current = pending.take() {
            guard current.kind == header.kind, Self.same(current.subHeader, subHeader) else {
                throw .invalidFragment(reason: "\(header.kind) frame arrived while a fragmented \(current.kind) was incomplete")
            }
            guard current.body.count + chunk.count <= maximumMessageSize else {
                throw .invalidFragment(reason: "reassembled \(header.kind) exceeds \(maximumMessageSize) bytes")
            }
            current.body.append(contentsOf: chunk)
            if more { pending = current; return nil }
            return current.body
        }
        if more {
            pending = Pending(kind: header.kind, subHeader: Array(subHeader), body: Array(chunk))
            return nil
        }
        return Array(chunk)
    }

    /// Byte-wise equality. `Array.elementsEqual` with a raw buffer is an unspecialised generic
    /// call in a debug build: six allocations per fragment.
    private static func same(_ kept: [UInt8], _ received: UnsafeRawBufferPointer) -> Bool {
        guard kept.count == received.count else { return false }
        for index in 0..<kept.count where kept[index] != received[index] { return false }
        return true
    }

    private static func decodeControl(_ kind: FrameKind, subHeader: UnsafeRawBufferPointer,
                                      body: UnsafeRawBufferPointer) throws(FrameError) -> Frame {
        var s = ByteReader(subHeader)
        switch kind {
        case .request:
            let id = RequestID(try s.u32("request id"))
            let operation = try s.u16("request operation")
            guard ControlRequest.Operation(rawValue: operation) != nil else {
                return .unknownRequest(id, operation: operation)
            }
            do {
                return .request(id, try ControlRequest.decode(operation: operation, body: body))
            } catch {
                throw .invalidRequestBody(requestId: id.rawValue, reason: error.description)
            }
        case .response:
            let id = RequestID(try s.u32("response request id"))
            let replyKind = try s.u16("response reply kind")
            return .response(id, try ControlReply.decode(kind: replyKind, body: body))
        default:
            let eventKind = try s.u16("event kind")
            let rawSubscription = try s.u32("event subscription")
            let subscription = rawSubscription == 0 ? nil : SubscriptionID(rawSubscription)
            guard ServiceEvent.Kind(rawValue: eventKind) != nil else {
                return .unknownEvent(subscription, kind: eventKind)
            }
            return .event(subscription, try ServiceEvent.decode(kind: eventKind, body: body))
        }
    }
}
