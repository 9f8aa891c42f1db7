/// Checks a control body's JSON before `JSONDecoder` sees it: RFC 8259 syntax, UTF-8, and a
/// nesting bound. Why not leave it to the decoder: FoundationEssentials' decoder crashes the
/// process (SIGILL in `JSONError.SourceLocation.sourceLocation(at:fullSource:)`) on a body of
/// 513 nested `[` — one 527-byte request killed the daemon — and its syntax errors say "The
/// given data was not valid JSON." without a position. This check rejects both with the byte
/// offset of the fault, so the decoder only ever sees well-formed, shallow JSON.
///
/// One pass, no allocation beyond a stack of at most `maximumDepth` container marks.
public enum JSONBodyCheck {
    /// Where and why a body was rejected. `offset` is the 0-based byte offset in the body.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        public let offset: Int
        public let reason: String
        public var description: String { "at byte \(offset): \(reason)" }

        public init(offset: Int, reason: String) {
            self.offset = offset
            self.reason = reason
        }
    }

    public static func validate(_ body: UnsafeRawBufferPointer,
                                maximumDepth: Int = WireFormat.maximumJSONDepth) throws(Failure) {
        if body.count > 0, String(validating: body, as: UTF8.self) == nil {
            throw Failure(offset: firstInvalidUTF8Offset(body), reason: "not valid UTF-8")
        }
        var scanner = Scanner(bytes: body)
        try scanner.run(maximumDepth: maximumDepth)
    }

    private enum Expect { case value, valueOrClose, key, keyOrClose, colon, commaOrClose, end }

    private struct Scanner {
        let bytes: UnsafeRawBufferPointer
        var i = 0
        /// `[` or `{` per open container.
        var stack: [UInt8] = []

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        func fail(_ reason: String) -> Failure { Failure(offset: i, reason: reason) }

        mutating func run(maximumDepth: Int) throws(Failure) {
            var expect = Expect.value
            while true {
                while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
                guard i < bytes.count else {
                    if expect == .end { return }
                    throw fail(bytes.isEmpty ? "empty body (expected a JSON value)" : "unexpected end of the body")
                }
                let c = bytes[i]
                switch expect {
                case .value, .valueOrClose:
                    if expect == .valueOrClose, c == UInt8(ascii: "]") {
                        stack.removeLast(); i += 1; expect = afterValue; continue
                    }
                    switch c {
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        guard stack.count < maximumDepth else {
                            throw fail("nested deeper than \(maximumDepth) levels")
                        }
                        if stack.isEmpty { stack.reserveCapacity(maximumDepth) }
                        stack.append(c); i += 1
                        expect = c == UInt8(ascii: "{") ? .keyOrClose : .valueOrClose
                    case UInt8(ascii: "\""):
                        try string(); expect = afterValue
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                        try number(); expect = afterValue
                    case UInt8(ascii: "t"): try literal("true"); expect = afterValue
                    case UInt8(ascii: "f"): try literal("false"); expect = afterValue
                    case UInt8(ascii: "n"): try literal("null"); expect = afterValue
                    default:
                        throw fail("expected a JSON value, found \(Self.show(c))")
                    }
                case .key, .keyOrClose:
                    if expect == .keyOrClose, c == UInt8(ascii: "}") {
                        stack.removeLast(); i += 1; expect = afterValue; continue
                    }
                    guard c == UInt8(ascii: "\"") else { throw fail("expected a quoted object key, found \(Self.show(c))") }
                    try string(); expect = .colon
                case .colon:
                    guard c == UInt8(ascii: ":") else { throw fail("expected ':' after an object key, found \(Self.show(c))") }
                    i += 1; expect = .value
                case .commaOrClose:
                    let open = stack[stack.count - 1]
                    if c == UInt8(ascii: ",") {
                        i += 1; expect = open == UInt8(ascii: "[") ? .value : .key
                    } else if (c == UInt8(ascii: "]") && open == UInt8(ascii: "["))
                                || (c == UInt8(ascii: "}") && open == UInt8(ascii: "{")) {
                        stack.removeLast(); i += 1; expect = afterValue
                    } else {
                        let close = open == UInt8(ascii: "[") ? "]" : "}"
                        throw fail("expected ',' or '\(close)', found \(Self.show(c))")
                    }
                case .end:
                    throw fail("unexpected \(Self.show(c)) after the JSON value")
                }
            }
        }

        var afterValue: Expect { stack.isEmpty ? .end : .commaOrClose }

        mutating func string() throws(Failure) {
            let start = i
            i += 1
            while i < bytes.count {
                let c = bytes[i]
                switch c {
                case UInt8(ascii: "\""):
                    i += 1; return
                case UInt8(ascii: "\\"):
                    // A backslash as the body's last byte: the string never ends. (A `break`
                    // here left the switch, not the loop, and spun for ever on `{"a\` —
                    // found by the control-bodies fuzz target.)
                    guard i + 1 < bytes.count else {
                        i = start
                        throw fail("unterminated string")
                    }
                    let e = bytes[i + 1]
                    if e == UInt8(ascii: "u") {
                        guard i + 6 <= bytes.count, (2..<6).allSatisfy({ Self.isHex(bytes[i + $0]) }) else {
                            throw fail("\\u must be followed by four hexadecimal digits")
                        }
                        i += 6
                    } else if "\"\\/bfnrt".utf8.contains(e) {
                        i += 2
                    } else {
                        throw fail("invalid escape \\\(Self.show(e))")
                    }
                case 0..<0x20:
                    throw fail("unescaped control character \(Self.show(c)) in a string")
                default:
                    i += 1
                }
            }
            i = start
            throw fail("unterminated string")
        }

        mutating func number() throws(Failure) {
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, Self.isDigit(bytes[i]) else { throw fail("expected a digit") }
            if bytes[i] == UInt8(ascii: "0") { i += 1 } else { digits() }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard i < bytes.count, Self.isDigit(bytes[i]) else { throw fail("expected a digit after '.'") }
                digits()
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard i < bytes.count, Self.isDigit(bytes[i]) else { throw fail("expected a digit in the exponent") }
                digits()
            }
        }

        mutating func digits() { while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 } }

        mutating func literal(_ word: StaticString) throws(Failure) {
            let count = word.utf8CodeUnitCount
            let matches = i + count <= bytes.count
                && (0..<count).allSatisfy { bytes[i + $0] == word.utf8Start[$0] }
            guard matches else { throw fail("expected \(word)") }
            i += count
        }

        static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        static func isHex(_ c: UInt8) -> Bool {
            isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
        }
        /// A byte for an error message: printable ASCII quoted, anything else as hex.
        static func show(_ c: UInt8) -> String {
            c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16, uppercase: true))"
        }
    }

    /// The offset of the first byte that breaks UTF-8 (only called once validation failed).
    private static func firstInvalidUTF8Offset(_ body: UnsafeRawBufferPointer) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = body.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput: return offset
            case .error: return offset
            }
        }
    }
}
