/// client → daemon, the first frame on every connection:
/// `major u16 · minor u16 · pid u32 · name (u16 length · UTF-8, ≤ 256 bytes)`.
/// The daemon trusts only SO_PEERCRED for identity; the pid and name here are for display.
public struct Hello: Hashable, Sendable {
    public var version: ProtocolVersion
    public var pid: Int32
    public var clientName: String

    public init(version: ProtocolVersion = .current, pid: Int32, clientName: String) {
        self.version = version
        self.pid = pid
        self.clientName = clientName
    }
}

/// daemon → client, accepting the hello:
/// `major u16 · minor u16 · daemon pid u32 · client id u32 · max frame u32 · service name · service version`
/// (strings as in `Hello`).
public struct Welcome: Hashable, Sendable {
    /// The daemon's protocol version; the session speaks the lower minor of the two.
    public var version: ProtocolVersion
    public var daemonPid: Int32
    /// The daemon's number for this client connection (shown in `midi service status`).
    public var clientId: UInt32
    /// The largest frame the daemon accepts (currently always `WireFormat.maximumFrameSize`).
    public var maximumFrameSize: UInt32
    public var serviceName: String
    public var serviceVersion: String

    public init(version: ProtocolVersion = .current, daemonPid: Int32, clientId: UInt32,
                maximumFrameSize: UInt32 = UInt32(WireFormat.maximumFrameSize),
                serviceName: String, serviceVersion: String) {
        self.version = version
        self.daemonPid = daemonPid
        self.clientId = clientId
        self.maximumFrameSize = maximumFrameSize
        self.serviceName = serviceName
        self.serviceVersion = serviceVersion
    }
}

/// daemon → client, refusing the connection; the daemon closes it right after:
/// `major u16 · minor u16 · reason u16 · message (u16 length · UTF-8, ≤ 4096 bytes)`.
public struct Refusal: Hashable, Sendable {
    public enum Reason: UInt16, Sendable, CaseIterable, CustomStringConvertible {
        /// Client and daemon majors differ.
        case versionMismatch = 1
        /// The first frame was not a hello, or the hello was malformed.
        case handshakeRequired = 2
        /// The daemon is at its client limit.
        case tooManyClients = 3
        /// The daemon is shutting down.
        case shuttingDown = 4
        /// The client sent a frame that breaks the wire format; the message says which frame
        /// and what was wrong. Sent after the handshake too, just before the daemon closes.
        case malformedFrame = 5
        /// A bound on what one client may hold was reached (unfinished fragments, connections
        /// per user); the message names the bound.
        case limitExceeded = 6

        public var description: String {
            switch self {
            case .versionMismatch: return "protocol version mismatch"
            case .handshakeRequired: return "handshake required"
            case .tooManyClients: return "too many clients"
            case .shuttingDown: return "service shutting down"
            case .malformedFrame: return "malformed frame"
            case .limitExceeded: return "limit exceeded"
            }
        }
    }

    /// The daemon's protocol version (so a client can say which one it would need).
    public var version: ProtocolVersion
    public var reason: Reason
    public var message: String

    public init(version: ProtocolVersion = .current, reason: Reason, message: String) {
        self.version = version
        self.reason = reason
        self.message = message
    }

    public static let maximumMessageLength = 4096
}

extension Hello {
    func encodePayload(into w: inout ByteWriter) {
        w.u16(version.major); w.u16(version.minor)
        w.u32(UInt32(bitPattern: pid))
        w.string(clientName.truncatedToUTF8(WireFormat.maximumClientNameLength))
    }

    init(payload r: inout ByteReader) throws(FrameError) {
        let major = try r.u16("hello version major")
        let minor = try r.u16("hello version minor")
        let pid = Int32(bitPattern: try r.u32("hello pid"))
        let name = try r.string("hello client name", maximum: WireFormat.maximumClientNameLength)
        try r.expectEnd("hello")
        self.init(version: ProtocolVersion(major: major, minor: minor), pid: pid, clientName: name)
    }
}

extension Welcome {
    func encodePayload(into w: inout ByteWriter) {
        w.u16(version.major); w.u16(version.minor)
        w.u32(UInt32(bitPattern: daemonPid))
        w.u32(clientId)
        w.u32(maximumFrameSize)
        w.string(serviceName.truncatedToUTF8(256))
        w.string(serviceVersion.truncatedToUTF8(256))
    }

    init(payload r: inout ByteReader) throws(FrameError) {
        let major = try r.u16("welcome version major")
        let minor = try r.u16("welcome version minor")
        let pid = Int32(bitPattern: try r.u32("welcome daemon pid"))
        let clientId = try r.u32("welcome client id")
        let maximum = try r.u32("welcome maximum frame size")
        let name = try r.string("welcome service name", maximum: 256)
        let serviceVersion = try r.string("welcome service version", maximum: 256)
        try r.expectEnd("welcome")
        self.init(version: ProtocolVersion(major: major, minor: minor), daemonPid: pid, clientId: clientId,
                  maximumFrameSize: maximum, serviceName: name, serviceVersion: serviceVersion)
    }
}

extension Refusal {
    func encodePayload(into w: inout ByteWriter) {
        w.u16(version.major); w.u16(version.minor)
        w.u16(reason.rawValue)
        w.string(message.truncatedToUTF8(Self.maximumMessageLength))
    }

    init(payload r: inout ByteReader) throws(FrameError) {
        let major = try r.u16("refusal version major")
        let minor = try r.u16("refusal version minor")
        let rawReason = try r.u16("refusal reason")
        guard let reason = Reason(rawValue: rawReason) else { throw .unknownCode(field: "refusal reason", value: rawReason) }
        let message = try r.string("refusal message", maximum: Self.maximumMessageLength)
        try r.expectEnd("refusal")
        self.init(version: ProtocolVersion(major: major, minor: minor), reason: reason, message: message)
    }
}
