/// Why a frame was rejected. Every frame is checked against these before any field is used;
/// the daemon answers any of them by closing that one connection.
public enum FrameError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    /// Fewer bytes than the structure being read needs.
    case truncated(what: String, needed: Int, available: Int)
    /// A datagram larger than `WireFormat.maximumFrameSize` (or than the receive buffer).
    case oversized(byteCount: Int, maximum: Int)
    /// The first two bytes are not `"MS"`.
    case badMagic(UInt16)
    case unknownKind(UInt8)
    /// Flag bits this version does not define, or a flag not valid for this kind.
    case invalidFlags(kind: UInt8, flags: UInt8)
    /// The header's payload length disagrees with the datagram's length.
    case lengthMismatch(declared: Int, actual: Int)
    /// Bytes left over after the last field.
    case trailingBytes(what: String, count: Int)
    /// A UMP batch whose message `index` does not fit, or whose count cannot fit the frame.
    case invalidBatch(reason: String)
    /// A text field that is not UTF-8, or too long.
    case invalidText(field: String, reason: String)
    /// An enumerated code (operation, reply kind, event kind…) this version does not know.
    case unknownCode(field: String, value: UInt16)
    /// A JSON body that does not decode into the type its code names.
    case invalidPayload(what: String, reason: String)
    /// A well-framed request whose body is not valid (`reason` is the body's error). The
    /// frame itself was fine, so the daemon answers the request with an `invalidRequest`
    /// error and keeps the connection.
    case invalidRequestBody(requestId: UInt32, reason: String)
    /// Fragments out of order, interleaved, or reassembled beyond the size bound.
    case invalidFragment(reason: String)
    /// A well-formed frame where the protocol state forbids it (e.g. anything before hello).
    case unexpected(kind: UInt8, state: String)

    public var description: String {
        switch self {
        case .truncated(let what, let needed, let available):
            return "truncated frame: \(what) needs \(needed) bytes, \(available) available"
        case .oversized(let count, let maximum):
            return "oversized frame: \(count) bytes, at most \(maximum) allowed"
        case .badMagic(let magic):
            return "bad frame magic 0x\(String(magic, radix: 16)) (expected 0x\(String(WireFormat.magic, radix: 16)))"
        case .unknownKind(let kind):
            return "unknown frame kind 0x\(String(kind, radix: 16))"
        case .invalidFlags(let kind, let flags):
            return "invalid flags 0x\(String(flags, radix: 16)) on frame kind 0x\(String(kind, radix: 16))"
        case .lengthMismatch(let declared, let actual):
            return "frame header declares a \(declared)-byte payload, datagram carries \(actual)"
        case .trailingBytes(let what, let count):
            return "\(count) unexpected bytes after \(what)"
        case .invalidBatch(let reason):
            return "invalid UMP batch: \(reason)"
        case .invalidText(let field, let reason):
            return "invalid \(field): \(reason)"
        case .unknownCode(let field, let value):
            return "unknown \(field) \(value)"
        case .invalidPayload(let what, let reason):
            return "invalid \(what) body: \(reason)"
        case .invalidRequestBody(let requestId, let reason):
            return "request \(requestId): \(reason)"
        case .invalidFragment(let reason):
            return "invalid fragment: \(reason)"
        case .unexpected(let kind, let state):
            let name = FrameKind(rawValue: kind)?.description ?? "0x\(String(kind, radix: 16))"
            return "unexpected \(name) frame \(state)"
        }
    }
}
