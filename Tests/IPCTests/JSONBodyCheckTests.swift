import IPC
import Testing

/// Control bodies are checked before `JSONDecoder` sees them (issue 12, item 1: 513 nested `[`
/// crashed the daemon inside FoundationEssentials; syntax errors had no position).
@Suite struct JSONBodyCheckTests {
    func failure(_ text: String, maximumDepth: Int = WireFormat.maximumJSONDepth) -> JSONBodyCheck.Failure? {
        failure(bytes: Array(text.utf8), maximumDepth: maximumDepth)
    }

    func failure(bytes: [UInt8], maximumDepth: Int = WireFormat.maximumJSONDepth) -> JSONBodyCheck.Failure? {
        bytes.withUnsafeBytes { raw -> JSONBodyCheck.Failure? in
            do throws(JSONBodyCheck.Failure) {
                try JSONBodyCheck.validate(raw, maximumDepth: maximumDepth)
                return nil
            } catch {
                return error
            }
        }
    }

    func decodeRequest(_ body: [UInt8], operation: UInt16) -> FrameError? {
        var payload: [UInt8] = [7, 0, 0, 0, UInt8(operation & 0xFF), UInt8(operation >> 8)] + body
        payload = FrameHeader(kind: .request, payloadLength: payload.count).bytesForTest + payload
        var decoder = FrameDecoder()
        do { _ = try decoder.decode(payload); return nil } catch { return error }
    }

    @Test func deeplyNestedBodiesAreRejectedWithTheirOffsetNotHandedToTheDecoder() {
        // The exact bodies that killed the daemon, through the real frame decoder.
        for body in [String(repeating: "[", count: 513), #"{"filter":"# + String(repeating: "[", count: 512),
                     String(repeating: "[", count: 60_000)] {
            guard case .invalidRequestBody(let id, let reason)? = decodeRequest(Array(body.utf8), operation: 6) else {
                Issue.record("deep body not rejected"); continue
            }
            #expect(id == 7)
            #expect(reason.contains("nested deeper than \(WireFormat.maximumJSONDepth) levels"), "\(reason)")
        }
        #expect(failure(String(repeating: "[", count: 33))?.offset == 32)
        #expect(failure(String(repeating: "[", count: 32) + String(repeating: "]", count: 32)) == nil)
    }

    // Found by the fuzz targets (control-bodies, ipc-frames): a body ending in a backslash
    // inside a string made the check loop for ever — one request would have hung the daemon.
    @Test func aBodyEndingInABackslashIsAnUnterminatedString() {
        for body in [#"{"ip\"#, #""\"#, #"["a", "b\"#] {
            let found = failure(body)
            #expect(found?.reason == "unterminated string", "\(body): \(String(describing: found))")
        }
        #expect(failure(#"["ip\\"]"#) == nil)
    }

    @Test func syntaxErrorsSayWhereAndWhat() {
        #expect(failure("") == JSONBodyCheck.Failure(offset: 0, reason: "empty body (expected a JSON value)"))
        #expect(failure(#"{"endpoint": }"#) == JSONBodyCheck.Failure(offset: 13, reason: "expected a JSON value, found '}'"))
        #expect(failure(#"{"a": 1,}"#)?.offset == 8)
        #expect(failure(#"{"a" 1}"#)?.reason == "expected ':' after an object key, found '1'")
        #expect(failure(#"[1, 2"#)?.reason == "unexpected end of the body")
        #expect(failure(#"{} x"#)?.offset == 3)
        #expect(failure("\"a\u{1}b\"")?.reason == "unescaped control character byte 0x1 in a string")
        #expect(failure(#""\q""#)?.reason == "invalid escape \\'q'")
        #expect(failure(#""\u12G4""#) != nil)
        #expect(failure(#"01"#)?.offset == 1)
        #expect(failure(#"-"#) != nil)
        #expect(failure(#"1.e5"#) != nil)
        #expect(failure(#"tru"#)?.reason == "expected true")
        #expect(failure(#"[1 2]"#)?.reason == "expected ',' or ']', found '2'")
        let invalidUTF8: [UInt8] = Array(#"{"a":"é"#.utf8) + [0xFF] + Array(#""}"#.utf8)
        #expect(failure(bytes: invalidUTF8) == JSONBodyCheck.Failure(offset: 8, reason: "not valid UTF-8"))
    }

    @Test func everyKindOfValidJSONPasses() {
        for text in [#"{}"#, #"[]"#, #" { "a" : [ 1 , -2.5e+3 , 0 , 0.25E-1 , true , false , null , "x\"\\\/\b\f\n\r\t\u00e9" ] } "#,
                     #""snow ☃ and 😀""#, "12", "[[],{}]", #"{"a":{"b":{"c":[]}}}"#] {
            #expect(failure(text) == nil, "\(text)")
        }
    }
}
