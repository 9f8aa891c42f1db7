/// Splitting names into UMP Stream notification packets (Endpoint Name, Product Instance Id,
/// Function Block Name), M2-104-UM §7.1.4, 7.1.5, 7.1.9: UTF-8, 14 (13 for function block names)
/// bytes per packet, Complete for one packet, else Start, Continue…, End; unused bytes are 0.
public enum UMPStreamText {
    /// Endpoint Name Notification packets for `name`, cut to 98 UTF-8 bytes.
    public static func endpointNamePackets(_ name: String) -> [UMPPacket] {
        packets(head: 0xF000_0000 | UInt32(UMPStreamMessage.Status.endpointNameNotification) << 16,
                offset: 2, text: truncatedUTF8(name, maxBytes: UMPStreamMessage.endpointNameMaxBytes))
    }

    /// Product Instance Id Notification packets for `id`, cut to 42 UTF-8 bytes.
    public static func productInstanceIdPackets(_ id: String) -> [UMPPacket] {
        packets(head: 0xF000_0000 | UInt32(UMPStreamMessage.Status.productInstanceIdNotification) << 16,
                offset: 2, text: truncatedUTF8(id, maxBytes: UMPStreamMessage.productInstanceIdMaxBytes))
    }

    /// Function Block Name Notification packets for `name` of `functionBlock`, cut to 91 UTF-8 bytes.
    public static func functionBlockNamePackets(functionBlock: UInt8, name: String) -> [UMPPacket] {
        packets(head: 0xF000_0000 | UInt32(UMPStreamMessage.Status.functionBlockNameNotification) << 16
                    | UInt32(functionBlock) << 8,
                offset: 3, text: truncatedUTF8(name, maxBytes: UMPStreamMessage.functionBlockNameMaxBytes))
    }

    /// The UTF-8 bytes of `text`, at most `maxBytes` of them, never ending inside a character.
    public static func truncatedUTF8(_ text: String, maxBytes: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in text.unicodeScalars {
            let size = UTF8.width(scalar)
            guard bytes.count + size <= maxBytes else { break }
            bytes.append(contentsOf: UTF8.encode(scalar)!)
        }
        return bytes
    }

    /// Removes a UTF-8 sequence cut short at the end of `bytes` (left by cutting at a byte count).
    static func removeIncompleteUTF8Tail(_ bytes: inout [UInt8]) {
        var lead = bytes.count - 1
        while lead >= 0, lead > bytes.count - 4, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        guard lead >= 0 else { return }
        let first = bytes[lead]
        let expected = first < 0x80 ? 1 : first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1
        if bytes.count - lead < expected { bytes.removeSubrange(lead...) }
    }

    private static func packets(head: UInt32, offset: Int, text: [UInt8]) -> [UMPPacket] {
        let perPacket = 16 - offset
        let count = max(1, (text.count + perPacket - 1) / perPacket)
        return (0..<count).map { index in
            let chunk = text[min(text.count, index * perPacket)..<min(text.count, (index + 1) * perPacket)]
            return UMPStreamMessage.textPacket(head: head, format: .forPacket(index, of: count),
                                               offset: offset, text: chunk)
        }
    }
}

/// Collects the packets of Endpoint Name, Product Instance Id and Function Block Name
/// notifications into whole strings. One text of each kind (and one per function block) may be
/// in progress at a time. Allocates; meant for metadata capture, not the routing hot path.
public struct UMPStreamTextAssembler: Sendable {
    /// A completed text.
    public enum Text: Hashable, Sendable {
        case endpointName(String)
        case productInstanceId(String)
        case functionBlockName(functionBlock: UInt8, name: String)
    }

    private var buffers: [Kind: [UInt8]] = [:]

    public init() {}

    /// Feeds one packet; returns the text it completes, else `nil` (also for packets that are
    /// not name notifications). Sequencing problems are reported to `problem` and assembly goes
    /// on: a Start or Complete always begins a new text; text over the spec's maximum is cut at
    /// a character boundary and still delivered.
    public mutating func append(
        _ packet: UMPPacket, problem: (UMPStreamTextError) -> Void = { _ in }
    ) -> Text? {
        guard let message = UMPStreamMessage(packet) else { return nil }
        let kind: Kind, format: UMPFormat, text: UMPPacketBytes
        switch message {
        case .endpointNameNotification(let f, let t): (kind, format, text) = (.endpointName, f, t)
        case .productInstanceIdNotification(let f, let t): (kind, format, text) = (.productInstanceId, f, t)
        case .functionBlockNameNotification(let f, let fb, let t): (kind, format, text) = (.functionBlockName(fb), f, t)
        default: return nil
        }
        switch format {
        case .complete, .start:
            if let partial = buffers.removeValue(forKey: kind) {
                problem(.interrupted(kind.description, discardedByteCount: partial.count))
            }
            if format == .complete { return finish(kind, Array(text), problem: problem) }
            buffers[kind] = Array(text)
            return nil
        case .continue, .end:
            guard var buffer = buffers.removeValue(forKey: kind) else {
                problem(.withoutStart(kind.description, format: format))
                return nil
            }
            buffer.append(contentsOf: text)
            if format == .end { return finish(kind, buffer, problem: problem) }
            buffers[kind] = buffer
            return nil
        }
    }

    /// Drops every partly collected text.
    public mutating func reset() { buffers.removeAll() }

    private func finish(_ kind: Kind, _ bytes: [UInt8], problem: (UMPStreamTextError) -> Void) -> Text {
        var bytes = bytes
        if bytes.count > kind.maxBytes {
            problem(.tooLong(kind.description, byteCount: bytes.count, limit: kind.maxBytes))
            bytes.removeSubrange(kind.maxBytes...)
            UMPStreamText.removeIncompleteUTF8Tail(&bytes)
        }
        let string = String(decoding: bytes, as: UTF8.self)
        switch kind {
        case .endpointName: return .endpointName(string)
        case .productInstanceId: return .productInstanceId(string)
        case .functionBlockName(let fb): return .functionBlockName(functionBlock: fb, name: string)
        }
    }

    private enum Kind: Hashable, Sendable, CustomStringConvertible {
        case endpointName, productInstanceId, functionBlockName(UInt8)
        var maxBytes: Int {
            switch self {
            case .endpointName: return UMPStreamMessage.endpointNameMaxBytes
            case .productInstanceId: return UMPStreamMessage.productInstanceIdMaxBytes
            case .functionBlockName: return UMPStreamMessage.functionBlockNameMaxBytes
            }
        }
        var description: String {
            switch self {
            case .endpointName: return "Endpoint Name Notification"
            case .productInstanceId: return "Product Instance Id Notification"
            case .functionBlockName(let fb): return "Function Block Name Notification (function block \(fb))"
            }
        }
    }
}

/// A problem met while assembling stream-message text; `message` names the notification.
public enum UMPStreamTextError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A Continue or End packet without a Start; it was dropped.
    case withoutStart(_ message: String, format: UMPFormat)
    /// A Start or Complete arrived while a text was in progress; the partial text was dropped.
    case interrupted(_ message: String, discardedByteCount: Int)
    /// The text was longer than the spec allows; it was cut to `limit` bytes.
    case tooLong(_ message: String, byteCount: Int, limit: Int)

    public var description: String {
        switch self {
        case .withoutStart(let m, let f): return "\(m): \(f.name) packet without a Start; dropped"
        case .interrupted(let m, let n): return "\(m): interrupted by a new text; \(n) bytes dropped"
        case .tooLong(let m, let n, let limit): return "\(m): \(n) bytes, more than \(limit); cut to \(limit)"
        }
    }
}
