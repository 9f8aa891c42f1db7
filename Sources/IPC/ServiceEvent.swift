public struct EndpointRemoved: Hashable, Sendable, Codable {
    public var id: String
    public init(id: String) { self.id = id }
}

public struct EndpointUpdated: Hashable, Sendable, Codable {
    public var endpoint: EndpointInfo
    /// Which property groups changed: "name", "userSupplied", "declared", "functionBlocks",
    /// "loopback" (muted), "alsaClient"… (free-form, for display and filtering).
    public var changed: [String]
    public init(endpoint: EndpointInfo, changed: [String]) {
        self.endpoint = endpoint
        self.changed = changed
    }
}

/// The daemon closed one of the client's endpoint connections (its endpoint was removed — e.g.
/// the pair was deleted or the USB device unplugged). `EndpointDeviceDisconnected` in the SDK.
public struct ConnectionClosed: Hashable, Sendable, Codable {
    public var connection: ConnectionHandle
    public var endpointId: String
    public var reason: String
    public init(connection: ConnectionHandle, endpointId: String, reason: String) {
        self.connection = connection
        self.endpointId = endpointId
        self.reason = reason
    }
}

/// daemon → client notifications. On the wire: `event kind u16 · subscription u32 (0 = none) · JSON`.
public enum ServiceEvent: Hashable, Sendable {
    case endpointAdded(EndpointInfo)
    case endpointRemoved(EndpointRemoved)
    case endpointUpdated(EndpointUpdated)
    /// After a subscription's initial `endpointAdded`s.
    case enumerationCompleted
    case connectionClosed(ConnectionClosed)

    public enum Kind: UInt16, Sendable, CaseIterable {
        case endpointAdded = 1
        case endpointRemoved = 2
        case endpointUpdated = 3
        case enumerationCompleted = 4
        case connectionClosed = 5
    }

    public var kind: Kind {
        switch self {
        case .endpointAdded: return .endpointAdded
        case .endpointRemoved: return .endpointRemoved
        case .endpointUpdated: return .endpointUpdated
        case .enumerationCompleted: return .enumerationCompleted
        case .connectionClosed: return .connectionClosed
        }
    }

    func encodeBody() -> [UInt8] {
        switch self {
        case .endpointAdded(let body): return JSONCoding.encode(body)
        case .endpointRemoved(let body): return JSONCoding.encode(body)
        case .endpointUpdated(let body): return JSONCoding.encode(body)
        case .enumerationCompleted: return JSONCoding.encode(Empty())
        case .connectionClosed(let body): return JSONCoding.encode(body)
        }
    }

    static func decode(kind rawKind: UInt16, body: UnsafeRawBufferPointer) throws(FrameError) -> ServiceEvent {
        guard let kind = Kind(rawValue: rawKind) else { throw .unknownCode(field: "event kind", value: rawKind) }
        let what = "\(kind) event"
        switch kind {
        case .endpointAdded: return .endpointAdded(try JSONCoding.decode(EndpointInfo.self, from: body, what: what))
        case .endpointRemoved: return .endpointRemoved(try JSONCoding.decode(EndpointRemoved.self, from: body, what: what))
        case .endpointUpdated: return .endpointUpdated(try JSONCoding.decode(EndpointUpdated.self, from: body, what: what))
        case .enumerationCompleted: _ = try JSONCoding.decode(Empty.self, from: body, what: what); return .enumerationCompleted
        case .connectionClosed: return .connectionClosed(try JSONCoding.decode(ConnectionClosed.self, from: body, what: what))
        }
    }
}
