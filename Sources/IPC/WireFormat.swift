/// Fixed facts of the daemon ⇄ client wire format (docs/ipc.md). The 8-byte frame header below
/// never changes between protocol versions, so any two versions can at least exchange a
/// handshake and a refusal.
public enum WireFormat {
    /// `"MS"`, the first two bytes of every frame: catches a client speaking something else.
    public static let magic: UInt16 = 0x534D   // bytes 0x4D 'M', 0x53 'S' in little-endian order
    /// magic u16 · kind u8 · flags u8 · payload length u32, all little-endian.
    public static let headerSize = 8
    /// The largest datagram either side sends or accepts, header included. UMP batches stop
    /// below it; control messages above it are split into fragments.
    public static let maximumFrameSize = 65_536
    public static let maximumPayloadSize = maximumFrameSize - headerSize
    /// Bound on a control message reassembled from fragments: a listing of every endpoint of
    /// the most loopback pairs the service accepts (`MidiService.maximumLoopbackPairs`), with
    /// names and descriptions at their limits, stays below it.
    public static let maximumControlMessageSize = 48 << 20
    /// Bound on a client's control request reassembled from fragments, which the daemon holds
    /// per connection until the last fragment. The largest request a client needs — a pair
    /// with names and descriptions at their limits — is a few kilobytes.
    public static let maximumRequestSize = 64 << 10
    /// Deepest nesting of arrays and objects a control body may have. Ours nest at most 5 deep;
    /// a bound keeps a hostile body from the decoder (see `JSONBodyCheck`).
    public static let maximumJSONDepth = 32
    /// Longest client name in a hello, in UTF-8 bytes.
    public static let maximumClientNameLength = 256
}

/// The protocol version, exchanged in the handshake. Same major: compatible (a newer minor only
/// adds optional JSON fields, operations and events, which an older peer ignores or answers
/// with `unsupportedOperation`). Different major: the daemon refuses the connection.
public struct ProtocolVersion: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var major: UInt16
    public var minor: UInt16

    public init(major: UInt16, minor: UInt16) {
        self.major = major
        self.minor = minor
    }

    /// What this build speaks.
    public static let current = ProtocolVersion(major: 1, minor: 0)

    public func isCompatible(with other: ProtocolVersion) -> Bool { major == other.major }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public var description: String { "\(major).\(minor)" }
}

/// Byte 2 of the header.
public enum FrameKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// client → daemon, first frame: protocol version, pid, client name.
    case hello = 0x01
    /// daemon → client: accepted; the daemon's version and service info.
    case welcome = 0x02
    /// daemon → client: refused (version mismatch…); the daemon closes after sending it.
    case refusal = 0x03
    /// client → daemon: a control operation with a request id (JSON body).
    case request = 0x10
    /// daemon → client: the answer to one request, same id (JSON body).
    case response = 0x11
    /// daemon → client: endpoint added/removed/updated, enumeration completed… (JSON body).
    case event = 0x20
    /// daemon → client: what became of UMP a connection sent that was not delivered (binary).
    case sendReport = 0x21
    /// both ways: the hot path — one connection handle, a count, timestamped UMP (binary).
    case umpBatch = 0x30

    public var description: String {
        switch self {
        case .hello: return "hello"
        case .welcome: return "welcome"
        case .refusal: return "refusal"
        case .request: return "request"
        case .response: return "response"
        case .event: return "event"
        case .sendReport: return "send report"
        case .umpBatch: return "UMP batch"
        }
    }

    /// Kinds whose body may span several frames (`FrameFlags.moreFragments`).
    public var isFragmentable: Bool {
        self == .request || self == .response || self == .event
    }
}

/// Byte 3 of the header.
public struct FrameFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Request/response/event: the JSON body continues in the next frame of the same kind.
    public static let moreFragments = FrameFlags(rawValue: 0x01)
    /// UMP batch (client → daemon): answer with a send report even if everything was delivered.
    public static let reportRequested = FrameFlags(rawValue: 0x02)

    /// Flags a receiver of this version understands; any other bit set is a malformed frame.
    public static let known: FrameFlags = [.moreFragments, .reportRequested]
}
