/// Why a control operation failed; the JSON body of an error response.
public struct ControlError: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable, Codable {
        /// The request was well-formed JSON but meaningless (missing fields, bad values).
        case invalidRequest
        /// Validation failed (names, unique ids, association ids…); `details` lists each problem.
        case validationFailed
        /// No such endpoint, pair, connection or subscription.
        case notFound
        /// An id or name is taken.
        case alreadyExists
        /// Not allowed: e.g. removing a pair that comes from the config file.
        case notPermitted
        /// This daemon does not know the operation (a newer client).
        case unsupportedOperation
        /// A bound was reached (connections, subscriptions…).
        case limitExceeded
        /// The daemon could not complete it (I/O error writing the config file…).
        case internalError
    }

    public var code: Code
    public var message: String
    public var details: [String]?

    public init(code: Code, message: String, details: [String]? = nil) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let details, !details.isEmpty { text += " (" + details.joined(separator: "; ") + ")" }
        return text
    }
}

/// The answer to a request. On the wire: `request id u32 · reply kind u16 · JSON`; reply kind 0
/// is an error, so every response decodes without knowing which request it answers.
public enum ControlReply: Hashable, Sendable {
    case failure(ControlError)
    case done
    case loopbackPair(LoopbackPairInfo)
    case loopbackPairs([LoopbackPairInfo])
    case endpoints([EndpointInfo])
    case endpoint(EndpointInfo)
    case connectionOpened(OpenedConnection)
    case status(ServiceStatus)
    case subscribed(SubscriptionInfo)
    case legacyPorts([LegacyPortEntry])
    case connections([RememberedConnectionInfo])

    public enum Kind: UInt16, Sendable, CaseIterable {
        case failure = 0
        case done = 1
        case loopbackPair = 2
        case loopbackPairs = 3
        case endpoints = 4
        case endpoint = 5
        case connectionOpened = 6
        case status = 7
        case subscribed = 8
        case legacyPorts = 40
        case connections = 41
    }

    public var kind: Kind {
        switch self {
        case .failure: return .failure
        case .done: return .done
        case .loopbackPair: return .loopbackPair
        case .loopbackPairs: return .loopbackPairs
        case .endpoints: return .endpoints
        case .endpoint: return .endpoint
        case .connectionOpened: return .connectionOpened
        case .status: return .status
        case .subscribed: return .subscribed
        case .legacyPorts: return .legacyPorts
        case .connections: return .connections
        }
    }

    func encodeBody() -> [UInt8] {
        switch self {
        case .failure(let body): return JSONCoding.encode(body)
        case .done: return JSONCoding.encode(Empty())
        case .loopbackPair(let body): return JSONCoding.encode(body)
        case .loopbackPairs(let body): return JSONCoding.encode(body)
        case .endpoints(let body): return JSONCoding.encode(body)
        case .endpoint(let body): return JSONCoding.encode(body)
        case .connectionOpened(let body): return JSONCoding.encode(body)
        case .status(let body): return JSONCoding.encode(body)
        case .subscribed(let body): return JSONCoding.encode(body)
        case .legacyPorts(let body): return JSONCoding.encode(body)
        case .connections(let body): return JSONCoding.encode(body)
        }
    }

    static func decode(kind rawKind: UInt16, body: UnsafeRawBufferPointer) throws(FrameError) -> ControlReply {
        guard let kind = Kind(rawValue: rawKind) else { throw .unknownCode(field: "reply kind", value: rawKind) }
        let what = "\(kind) reply"
        switch kind {
        case .failure: return .failure(try JSONCoding.decode(ControlError.self, from: body, what: what))
        case .done: _ = try JSONCoding.decode(Empty.self, from: body, what: what); return .done
        case .loopbackPair: return .loopbackPair(try JSONCoding.decode(LoopbackPairInfo.self, from: body, what: what))
        case .loopbackPairs: return .loopbackPairs(try JSONCoding.decode([LoopbackPairInfo].self, from: body, what: what))
        case .endpoints: return .endpoints(try JSONCoding.decode([EndpointInfo].self, from: body, what: what))
        case .endpoint: return .endpoint(try JSONCoding.decode(EndpointInfo.self, from: body, what: what))
        case .connectionOpened: return .connectionOpened(try JSONCoding.decode(OpenedConnection.self, from: body, what: what))
        case .status: return .status(try JSONCoding.decode(ServiceStatus.self, from: body, what: what))
        case .subscribed: return .subscribed(try JSONCoding.decode(SubscriptionInfo.self, from: body, what: what))
        case .legacyPorts: return .legacyPorts(try JSONCoding.decode([LegacyPortEntry].self, from: body, what: what))
        case .connections: return .connections(try JSONCoding.decode([RememberedConnectionInfo].self, from: body, what: what))
        }
    }
}
