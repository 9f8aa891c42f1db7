/// A Universal MIDI Packet: 1, 2, 3 or 4 32-bit words, the count implied by the message type
/// in the top nibble of word 0 (M2-104-UM §2.1.4). Stored inline — building, copying and
/// routing a packet never allocates.
public struct UMPPacket: Hashable, Sendable {
    public var word0: UInt32
    public var word1: UInt32
    public var word2: UInt32
    public var word3: UInt32

    /// Creates a packet from its first word and up to three more; words beyond the size the
    /// message type implies are stored as zero so that equal packets compare equal.
    @inlinable
    public init(_ word0: UInt32, _ word1: UInt32 = 0, _ word2: UInt32 = 0, _ word3: UInt32 = 0) {
        let count = UMPMessageType.wordCount(forWord0: word0)
        self.word0 = word0
        self.word1 = count > 1 ? word1 : 0
        self.word2 = count > 2 ? word2 : 0
        self.word3 = count > 3 ? word3 : 0
    }

    /// Creates a packet from exactly as many words as its message type implies, or `nil`.
    public init?<C: Collection>(words: C) where C.Element == UInt32 {
        guard let first = words.first else { return nil }
        let count = UMPMessageType(word0: first).wordCount
        guard words.count == count else { return nil }
        var it = words.makeIterator()
        let w0 = it.next()!, w1 = it.next() ?? 0, w2 = it.next() ?? 0, w3 = it.next() ?? 0
        self.init(w0, w1, w2, w3)
    }

    /// The message type, from the top nibble of word 0.
    @inlinable public var messageType: UMPMessageType { UMPMessageType(word0: word0) }

    /// Number of 32-bit words in this packet (1…4).
    @inlinable public var wordCount: Int { UMPMessageType.wordCount(forWord0: word0) }

    /// The group (0…15) for message types that carry one; `nil` for utility and stream messages.
    @inlinable public var group: UInt8? {
        messageType.hasGroup ? UInt8(truncatingIfNeeded: (word0 >> 24) & 0xF) : nil
    }

    /// Word `index` (0…3).
    @inlinable public subscript(index: Int) -> UInt32 {
        get {
            switch index {
            case 0: return word0
            case 1: return word1
            case 2: return word2
            case 3: return word3
            default: preconditionFailure("UMP word index \(index) out of range 0...3")
            }
        }
        set {
            switch index {
            case 0: word0 = newValue
            case 1: word1 = newValue
            case 2: word2 = newValue
            case 3: word3 = newValue
            default: preconditionFailure("UMP word index \(index) out of range 0...3")
            }
        }
    }

    /// The packet's words, exactly `wordCount` of them.
    public var words: [UInt32] { Array([word0, word1, word2, word3].prefix(wordCount)) }

    /// The same packet on another group (no-op for groupless message types).
    @inlinable public func withGroup(_ group: UInt8) -> UMPPacket {
        guard messageType.hasGroup else { return self }
        var copy = self
        copy.word0 = (word0 & 0xF0FF_FFFF) | (UInt32(group & 0xF) << 24)
        return copy
    }
}

/// The 16 UMP message types (M2-104-UM Table 2).
public enum UMPMessageType: UInt8, Sendable, CaseIterable {
    case utility = 0x0
    case systemCommonRealTime = 0x1
    case midi1ChannelVoice = 0x2
    case data64 = 0x3                 // SysEx7
    case midi2ChannelVoice = 0x4
    case data128 = 0x5                // SysEx8 and Mixed Data Set
    case reserved6 = 0x6
    case reserved7 = 0x7
    case reserved8 = 0x8
    case reserved9 = 0x9
    case reservedA = 0xA
    case reservedB = 0xB
    case reservedC = 0xC
    case flexData = 0xD
    case reservedE = 0xE
    case stream = 0xF

    @inlinable public init(word0: UInt32) {
        self = UMPMessageType(rawValue: UInt8(truncatingIfNeeded: word0 >> 28))!
    }

    /// Packet size in words of the message whose first word is `word0` (M2-104-UM Table 2),
    /// without making the enum: the per-message path of batch readers. Two bits per message
    /// type, holding size − 1, indexed by the top nibble: types 0–F have sizes
    /// 1 1 1 2 2 4 1 1 2 2 2 3 3 4 4 4.
    @inlinable public static func wordCount(forWord0 word0: UInt32) -> Int {
        let sizesMinusOne: UInt32 = 0b11_11_11_10_10_01_01_01_00_00_11_01_01_00_00_00
        return Int((sizesMinusOne >> ((word0 >> 28) * 2)) & 0b11) + 1
    }

    /// Packet size in words (M2-104-UM Table 2).
    @inlinable public var wordCount: Int { Self.wordCount(forWord0: UInt32(rawValue) << 28) }

    /// Whether bits 24–27 of word 0 are a group number.
    @inlinable public var hasGroup: Bool {
        switch self {
        case .utility, .stream: return false
        default: return true
        }
    }
}

/// A packet with the time it is due or was received: CLOCK_MONOTONIC nanoseconds, 0 = "now".
public struct TimestampedUMP: Hashable, Sendable {
    public var timestamp: UInt64
    public var packet: UMPPacket
    @inlinable public init(timestamp: UInt64, packet: UMPPacket) {
        self.timestamp = timestamp
        self.packet = packet
    }
}
