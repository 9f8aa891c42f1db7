/// A control operation, client → daemon. On the wire: `request id u32 · operation u16 · JSON`.
public enum ControlRequest: Hashable, Sendable {
    case createLoopbackPair(CreateLoopbackPairRequest)
    case removeLoopbackPair(LoopbackPairReference)
    case muteLoopbackPair(LoopbackPairReference)
    case unmuteLoopbackPair(LoopbackPairReference)
    case listLoopbackPairs
    case findEndpoints(EndpointQuery)
    case endpointProperties(EndpointReference)
    case openEndpoint(OpenEndpointRequest)
    case closeEndpoint(CloseEndpointRequest)
    case renameEndpoint(RenameEndpointRequest)
    case serviceStatus
    case subscribeEndpointEvents(SubscribeRequest)
    case unsubscribeEndpointEvents(UnsubscribeRequest)
    case renamePort(RenamePortRequest)
    case listLegacyPorts
    case listConnections(ConnectionsRequest)
    case forgetConnections(ConnectionsRequest)
    case clearDeclaredInfo(EndpointReference)

    /// Operation codes (u16). Never renumbered; new operations get new codes.
    public enum Operation: UInt16, Sendable, CaseIterable, CustomStringConvertible {
        case createLoopbackPair = 1
        case removeLoopbackPair = 2
        case muteLoopbackPair = 3
        case unmuteLoopbackPair = 4
        case listLoopbackPairs = 5
        case findEndpoints = 6
        case endpointProperties = 7
        case openEndpoint = 8
        case closeEndpoint = 9
        case renameEndpoint = 10
        case serviceStatus = 11
        case subscribeEndpointEvents = 12
        case unsubscribeEndpointEvents = 13
        // MIDI 1.0 (ALSA) ports; numbered from 40 so other new operations do not collide.
        case renamePort = 40
        case listLegacyPorts = 41
        case listConnections = 42
        case forgetConnections = 43
        case clearDeclaredInfo = 44

        public var description: String {
            switch self {
            case .createLoopbackPair: return "createLoopbackPair"
            case .removeLoopbackPair: return "removeLoopbackPair"
            case .muteLoopbackPair: return "muteLoopbackPair"
            case .unmuteLoopbackPair: return "unmuteLoopbackPair"
            case .listLoopbackPairs: return "listLoopbackPairs"
            case .findEndpoints: return "findEndpoints"
            case .endpointProperties: return "endpointProperties"
            case .openEndpoint: return "openEndpoint"
            case .closeEndpoint: return "closeEndpoint"
            case .renameEndpoint: return "renameEndpoint"
            case .serviceStatus: return "serviceStatus"
            case .subscribeEndpointEvents: return "subscribeEndpointEvents"
            case .unsubscribeEndpointEvents: return "unsubscribeEndpointEvents"
            case .renamePort: return "renamePort"
            case .listLegacyPorts: return "listLegacyPorts"
            case .listConnections: return "listConnections"
            case .forgetConnections: return "forgetConnections"
            case .clearDeclaredInfo: return "clearDeclaredInfo"
            }
        }
    }

    public var operation: Operation {
        switch self {
        case .createLoopbackPair: return .createLoopbackPair
        case .removeLoopbackPair: return .removeLoopbackPair
        case .muteLoopbackPair: return .muteLoopbackPair
        case .unmuteLoopbackPair: return .unmuteLoopbackPair
        case .listLoopbackPairs: return .listLoopbackPairs
        case .findEndpoints: return .findEndpoints
        case .endpointProperties: return .endpointProperties
        case .openEndpoint: return .openEndpoint
        case .closeEndpoint: return .closeEndpoint
        case .renameEndpoint: return .renameEndpoint
        case .serviceStatus: return .serviceStatus
        case .subscribeEndpointEvents: return .subscribeEndpointEvents
        case .unsubscribeEndpointEvents: return .unsubscribeEndpointEvents
        case .renamePort: return .renamePort
        case .listLegacyPorts: return .listLegacyPorts
        case .listConnections: return .listConnections
        case .forgetConnections: return .forgetConnections
        case .clearDeclaredInfo: return .clearDeclaredInfo
        }
    }

    func encodeBody() -> [UInt8] {
        switch self {
        case .createLoopbackPair(let body): return JSONCoding.encode(body)
        case .removeLoopbackPair(let body), .muteLoopbackPair(let body), .unmuteLoopbackPair(let body):
            return JSONCoding.encode(body)
        case .listLoopbackPairs, .serviceStatus, .listLegacyPorts: return JSONCoding.encode(Empty())
        case .renamePort(let body): return JSONCoding.encode(body)
        case .listConnections(let body), .forgetConnections(let body): return JSONCoding.encode(body)
        case .clearDeclaredInfo(let body): return JSONCoding.encode(body)
        case .findEndpoints(let body): return JSONCoding.encode(body)
        case .endpointProperties(let body): return JSONCoding.encode(body)
        case .openEndpoint(let body): return JSONCoding.encode(body)
        case .closeEndpoint(let body): return JSONCoding.encode(body)
        case .renameEndpoint(let body): return JSONCoding.encode(body)
        case .subscribeEndpointEvents(let body): return JSONCoding.encode(body)
        case .unsubscribeEndpointEvents(let body): return JSONCoding.encode(body)
        }
    }

    /// Decodes the JSON body of a request whose operation code is `rawOperation`. An unknown
    /// code is `FrameError.unknownCode` — the daemon answers it with an `unsupportedOperation`
    /// error response and keeps the connection (a newer client may simply ask too much).
    static func decode(operation rawOperation: UInt16, body: UnsafeRawBufferPointer) throws(FrameError) -> ControlRequest {
        guard let operation = Operation(rawValue: rawOperation) else {
            throw .unknownCode(field: "request operation", value: rawOperation)
        }
        let what = "\(operation) request"
        switch operation {
        case .createLoopbackPair: return .createLoopbackPair(try JSONCoding.decode(CreateLoopbackPairRequest.self, from: body, what: what))
        case .removeLoopbackPair: return .removeLoopbackPair(try JSONCoding.decode(LoopbackPairReference.self, from: body, what: what))
        case .muteLoopbackPair: return .muteLoopbackPair(try JSONCoding.decode(LoopbackPairReference.self, from: body, what: what))
        case .unmuteLoopbackPair: return .unmuteLoopbackPair(try JSONCoding.decode(LoopbackPairReference.self, from: body, what: what))
        case .listLoopbackPairs: _ = try JSONCoding.decode(Empty.self, from: body, what: what); return .listLoopbackPairs
        case .findEndpoints: return .findEndpoints(try JSONCoding.decode(EndpointQuery.self, from: body, what: what))
        case .endpointProperties: return .endpointProperties(try JSONCoding.decode(EndpointReference.self, from: body, what: what))
        case .openEndpoint: return .openEndpoint(try JSONCoding.decode(OpenEndpointRequest.self, from: body, what: what))
        case .closeEndpoint: return .closeEndpoint(try JSONCoding.decode(CloseEndpointRequest.self, from: body, what: what))
        case .renameEndpoint: return .renameEndpoint(try JSONCoding.decode(RenameEndpointRequest.self, from: body, what: what))
        case .serviceStatus: _ = try JSONCoding.decode(Empty.self, from: body, what: what); return .serviceStatus
        case .subscribeEndpointEvents: return .subscribeEndpointEvents(try JSONCoding.decode(SubscribeRequest.self, from: body, what: what))
        case .unsubscribeEndpointEvents: return .unsubscribeEndpointEvents(try JSONCoding.decode(UnsubscribeRequest.self, from: body, what: what))
        case .renamePort: return .renamePort(try JSONCoding.decode(RenamePortRequest.self, from: body, what: what))
        case .listLegacyPorts: _ = try JSONCoding.decode(Empty.self, from: body, what: what); return .listLegacyPorts
        case .listConnections: return .listConnections(try JSONCoding.decode(ConnectionsRequest.self, from: body, what: what))
        case .forgetConnections: return .forgetConnections(try JSONCoding.decode(ConnectionsRequest.self, from: body, what: what))
        case .clearDeclaredInfo: return .clearDeclaredInfo(try JSONCoding.decode(EndpointReference.self, from: body, what: what))
        }
    }
}
