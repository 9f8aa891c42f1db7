import UMP

/// Reading UMP words typed by people (`midi endpoint … send-message 0x20903C40`): each word in
/// hex with or without `0x`, and the number of words checked against the message type.
public enum MidiMessageParsing {
    /// Parses one 32-bit word: 1–8 hex digits, optional `0x`/`0X` prefix, optional `_`
    /// separators (`0x2090_3C40`).
    public static func parseWord(_ text: String) throws(MidiServiceError) -> UInt32 {
        var digits = Substring(text.trimmingSpaces)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        let cleaned = digits.filter { $0 != "_" }
        guard !cleaned.isEmpty, cleaned.count <= 8, cleaned.allSatisfy(\.isHexDigit),
              let value = UInt32(cleaned, radix: 16) else {
            throw .invalidArgument("\"\(text)\" is not a 32-bit word in hex (expected 1 to 8 hex digits, e.g. 0x20903C40 or 20903C40)")
        }
        return value
    }

    /// Parses exactly one message: the words' count must be what the first word's message
    /// type implies (1, 2, 3 or 4).
    public static func parseMessage(words: [String]) throws(MidiServiceError) -> UMPPacket {
        var values: [UInt32] = []
        for word in words { values.append(try parseWord(word)) }
        return try message(words: values)
    }

    /// Checks that `words` are exactly one message and builds it.
    public static func message(words: [UInt32]) throws(MidiServiceError) -> UMPPacket {
        guard let first = words.first else { throw .invalidArgument("no message words given") }
        let type = UMPMessageType(word0: first)
        guard words.count == type.wordCount else {
            throw .invalidArgument("a message of type 0x\(String(type.rawValue, radix: 16, uppercase: true)) (\(typeName(type))) has \(type.wordCount) word\(type.wordCount == 1 ? "" : "s"); \(words.count) given")
        }
        return UMPPacket(first, words.count > 1 ? words[1] : 0, words.count > 2 ? words[2] : 0, words.count > 3 ? words[3] : 0)
    }

    /// The specification's name of a message type, for messages.
    public static func typeName(_ type: UMPMessageType) -> String {
        switch type {
        case .utility: return "utility"
        case .systemCommonRealTime: return "system common / real time"
        case .midi1ChannelVoice: return "MIDI 1.0 channel voice"
        case .data64: return "data 64 / SysEx 7"
        case .midi2ChannelVoice: return "MIDI 2.0 channel voice"
        case .data128: return "data 128 / SysEx 8"
        case .flexData: return "flex data"
        case .stream: return "UMP stream"
        default: return "reserved"
        }
    }

    /// `0x20903C40`-style text for a word.
    public static func hex(_ word: UInt32) -> String {
        let digits = String(word, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}

private extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return s
    }
}
