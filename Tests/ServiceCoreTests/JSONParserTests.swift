import Testing
@testable import ServiceCore

@Suite("JSON parser")
struct JSONParserTests {
    func parse(_ text: String) throws -> JSONDocument { try JSONParser.parse(bytes(text)) }

    func syntaxError(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try JSONParser.parse(bytes(text))
            return nil
        } catch {
            return error
        }
    }

    @Test func valuesKnowTheirRangesLinesAndColumns() throws {
        let text = "{\n  \"a\": [1, \"x\"],\n  \"b\": true,\n  \"c\": null\n}"
        let document = try parse(text)
        let root = try #require(document.root.object)
        #expect(root.members.map(\.key) == ["a", "b", "c"])
        #expect(document.root.range.start == JSONSourcePosition(offset: 0, line: 1, column: 1))
        #expect(document.root.range.end.offset == text.utf8.count)

        let a = try #require(root.member(named: "a"))
        #expect(a.keyRange.start.line == 2 && a.keyRange.start.column == 3)
        #expect(a.value.range.start.line == 2 && a.value.range.start.column == 8)
        guard case .array(let elements) = a.value.content else { Issue.record("a is not an array"); return }
        #expect(elements.count == 2)
        #expect(elements[1].string == "x")
        #expect(elements[1].range.start.column == 12)
        #expect(String(decoding: bytes(text)[elements[1].range.byteRange], as: UTF8.self) == "\"x\"")

        let b = try #require(root.member(named: "b"))
        #expect(b.value.content == .bool(true))
        #expect(b.keyRange.start.line == 3)
        #expect(String(decoding: bytes(text)[b.range.byteRange], as: UTF8.self) == "\"b\": true")
        #expect(root.member(named: "c")?.value.content == .null)
        #expect(root.member(named: "C") == nil, "keys are case-sensitive")
    }

    @Test func columnsCountUnicodeScalarsNotBytes() throws {
        let text = "{\"é🎹\": 1, \"b\": 2}"
        let root = try #require(try parse(text).root.object)
        let b = try #require(root.member(named: "b"))
        #expect(b.keyRange.start.column == 11)
        #expect(b.keyRange.start.offset == 14)
        #expect(root.member(named: "é🎹") != nil)
    }

    @Test func crlfAndLoneCREndLines() throws {
        let error = try #require(syntaxError("{\r\n\"a\": 1\r\n\"b\": 2}"))
        #expect(error.line == 3 && error.column == 1)
        let lone = try #require(syntaxError("{\r\"a\": 1\r\r\"b\": 2}"))
        #expect(lone.line == 4 && lone.column == 1)
    }

    @Test func byteOrderMarkIsSkippedAndNotAColumn() throws {
        let document = try JSONParser.parse([0xEF, 0xBB, 0xBF] + bytes("{\"a\": 1}"))
        #expect(document.root.range.start == JSONSourcePosition(offset: 3, line: 1, column: 1))
        let error = try #require(throws: JSONSyntaxError.self) {
            try JSONParser.parse([0xEF, 0xBB, 0xBF] + bytes("{a}"))
        }
        #expect(error.column == 2)
    }

    @Test func duplicateKeysKeepTheFirstAndAreListed() throws {
        let text = "{\"x\": {\"k\": 1,\n \"k\": 2, \"k\": 3}}"
        let document = try parse(text)
        let x = try #require(document.root.object?.member(named: "x")?.value.object)
        #expect(x.members.count == 3)
        #expect(x.member(named: "k")?.value.content == .number(JSONNumber(text: "1")))
        #expect(x.effectiveMembers.count == 1)
        #expect(x.members.map(\.isDuplicate) == [false, true, true])
        #expect(document.duplicateKeys.count == 2)
        let first = try #require(document.duplicateKeys.first)
        #expect(first.path == JSONPath(keys: "x", "k"))
        #expect(first.position.line == 2 && first.position.column == 2)
        #expect(first.firstPosition.line == 1 && first.firstPosition.column == 8)
    }

    @Test func duplicateKeysCompareExactScalars() throws {
        // "\u0061" is "a" after unescaping: a duplicate. "é" precomposed and decomposed are
        // different keys in JSON even though Swift strings compare them equal.
        let document = try parse(#"{"a": 1, "\u0061": 2, "é": 3, "e\#u{301}": 4}"#)
        #expect(document.duplicateKeys.map(\.path) == [JSONPath(keys: "a")])
    }

    @Test func stringEscapesDecode() throws {
        let text = #"{"s": "q\" b\\ s\/ \b\f\n\r\t \u00e9 \ud83c\udfb9 \u0000"}"#
        let value = try #require(try parse(text).root.object?.member(named: "s")?.value.string)
        #expect(value == "q\" b\\ s/ \u{08}\u{0C}\n\r\t é 🎹 \u{0}")
    }

    @Test func numbersKeepTheirTextAndIntegerValue() throws {
        let root = try #require(try parse(#"{"a": -12, "b": 2.5, "c": 1e1, "d": 0, "e": 99999999999999999999}"#).root.object)
        func number(_ key: String) -> JSONNumber? {
            if case .number(let n)? = root.member(named: key)?.value.content { return n }
            return nil
        }
        #expect(number("a")?.integerValue == -12)
        #expect(number("b")?.text == "2.5")
        #expect(number("b")?.integerValue == nil)
        #expect(number("c")?.integerValue == nil)
        #expect(number("d")?.integerValue == 0)
        #expect(number("e")?.integerValue == nil)
        #expect(number("e")?.text == "99999999999999999999")
    }

    struct BrokenInput: Sendable, CustomTestStringConvertible {
        let text: String
        let line: Int
        let column: Int
        let reason: JSONSyntaxError.Reason
        var testDescription: String { text.debugDescription }
    }

    static let brokenInputs: [BrokenInput] = [
        .init(text: "{\"a\": 1 \"b\": 2}", line: 1, column: 9,
              reason: .unexpectedCharacter(found: "'\"'", expected: "',' or '}' after object member")),
        .init(text: "{\n  \"name\": \"Perm Loopback 1A,\n  \"b\": 1\n}", line: 2, column: 29, reason: .unterminatedString),
        .init(text: "{\"a\": \"abc", line: 1, column: 11, reason: .unterminatedString),
        .init(text: "{\"a\": 1,\n}", line: 1, column: 8, reason: .trailingComma(closing: "}")),
        .init(text: "[1, 2, ]", line: 1, column: 6, reason: .trailingComma(closing: "]")),
        .init(text: "{\n  // loopbacks\n  \"a\": 1\n}", line: 2, column: 3, reason: .commentNotAllowed),
        .init(text: "{\"a\": /* x */ 1}", line: 1, column: 7, reason: .commentNotAllowed),
        .init(text: "{\"a\": 1} // end", line: 1, column: 10, reason: .commentNotAllowed),
        .init(text: "{'a': 1}", line: 1, column: 2, reason: .singleQuotedString),
        .init(text: "{\"a\": 'x'}", line: 1, column: 7, reason: .singleQuotedString),
        .init(text: "{\n    name: \"x\"\n}", line: 2, column: 5, reason: .unquotedKey("name")),
        .init(text: "{\"a\": True}", line: 1, column: 7, reason: .invalidLiteral("True")),
        .init(text: "{\"a\": NaN}", line: 1, column: 7, reason: .invalidLiteral("NaN")),
        .init(text: "{\"a\": 01}", line: 1, column: 8, reason: .invalidNumber(detail: "leading zeros are not allowed")),
        .init(text: "{\"a\": -}", line: 1, column: 8, reason: .invalidNumber(detail: "'-' must be followed by a digit")),
        .init(text: "{\"a\": 1.}", line: 1, column: 9, reason: .invalidNumber(detail: "expected a digit after '.'")),
        .init(text: "{\"a\": 1e}", line: 1, column: 9, reason: .invalidNumber(detail: "expected a digit in the exponent")),
        .init(text: "{\"a\": +1}", line: 1, column: 7, reason: .unexpectedCharacter(found: "'+'", expected: "a value after ':'")),
        .init(text: "{\"a\": 1", line: 1, column: 8, reason: .unexpectedEndOfFile(expected: "',' or '}' after object member")),
        .init(text: "{\"a\":", line: 1, column: 6, reason: .unexpectedEndOfFile(expected: "a value after ':'")),
        .init(text: "{\"a\" 1}", line: 1, column: 6, reason: .unexpectedCharacter(found: "'1'", expected: "':' after object key \"a\"")),
        .init(text: "{\"a\": \"\\x\"}", line: 1, column: 8, reason: .invalidEscape(found: "x")),
        .init(text: "{\"a\": \"\\u12G4\"}", line: 1, column: 8, reason: .invalidUnicodeEscape),
        .init(text: "{\"a\": \"\\ud800\"}", line: 1, column: 8, reason: .unpairedSurrogate),
        .init(text: "{\"a\": \"\\udc00\"}", line: 1, column: 8, reason: .unpairedSurrogate),
        .init(text: "{\"a\": \"x\ty\"}", line: 1, column: 9, reason: .controlCharacterInString(9)),
        .init(text: "{\"a\": 1}\n{}", line: 2, column: 1, reason: .contentAfterTopLevelValue),
        .init(text: "\"endpointTransportPluginSettings\":\n{}", line: 1, column: 34, reason: .memberOutsideObject),
        .init(text: "", line: 1, column: 1, reason: .unexpectedEndOfFile(expected: "a JSON value")),
        .init(text: "{\"a\": “x”}", line: 1, column: 7,
              reason: .unexpectedCharacter(found: "'“' (U+201C)", expected: "a value after ':'")),
        .init(text: "{,}", line: 1, column: 2, reason: .unexpectedCharacter(found: "','", expected: "a string key in double quotes")),
    ]

    @Test(arguments: brokenInputs)
    func syntaxErrorsSayWhereAndWhy(input: BrokenInput) throws {
        let error = try #require(syntaxError(input.text))
        #expect(error.reason == input.reason)
        #expect(error.line == input.line)
        #expect(error.column == input.column)
        #expect(error.description.hasPrefix("line \(input.line), column \(input.column): "))
    }

    @Test func invalidUTF8IsRejectedWhereItIs() throws {
        let inString = try #require(throws: JSONSyntaxError.self) {
            try JSONParser.parse(bytes("{\"a\": \"x") + [0xFF] + bytes("\"}"))
        }
        #expect(inString.reason == .invalidUTF8 && inString.column == 9)
        // An overlong encoding of "/" and an encoded surrogate are not UTF-8 either.
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            let error = try #require(throws: JSONSyntaxError.self) {
                try JSONParser.parse(bytes("[\"") + bad + bytes("\"]"))
            }
            #expect(error.reason == .invalidUTF8)
        }
        let outside = try #require(throws: JSONSyntaxError.self) { try JSONParser.parse([0xFE]) }
        #expect(outside.reason == .invalidUTF8)
    }

    @Test func nestingIsBounded() throws {
        let limit = JSONParser.maximumNestingDepth
        let fine = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try JSONParser.parse(bytes(fine)) }
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        let error = try #require(syntaxError(deep))
        #expect(error.reason == .nestingTooDeep(limit: limit))
        #expect(error.column == limit + 1)
    }

    @Test func reasonsReadClearly() {
        #expect(JSONSyntaxError.Reason.unexpectedCharacter(found: "'\"'", expected: "',' or '}' after object member").description
                == "expected ',' or '}' after object member, found '\"'")
        #expect(JSONSyntaxError.Reason.unterminatedString.description.hasPrefix("unterminated string"))
        #expect(JSONSyntaxError.Reason.commentNotAllowed.description.contains("_comment"))
    }
}
