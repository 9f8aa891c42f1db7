import Testing
@testable import ServiceCore

@Suite("JSON writer")
struct JSONWriterTests {
    let outline = JSONOutline.object([
        ("a", .object([("s", .string("x\"\u{08}")), ("n", .array([.integer(-1), .bool(true)])), ("e", .array([]))])),
        ("b", .object([])),
    ])

    @Test func stateLayoutOpensAfterTheKey() {
        #expect(JSONWriter.state.document(outline) == """
            {
              "a": {
                "s": "x\\"\\b",
                "n": [
                  -1,
                  true
                ],
                "e": []
              },
              "b": {}
            }

            """)
    }

    @Test func configurationLayoutOpensBelowTheKeyInTheFilesLineEnding() throws {
        let text = JSONWriter.configuration(newline: "\r\n").member("k", outline, indent: "\t")
        #expect(text == "\"k\":\r\n\t{\r\n\t    \"a\":\r\n\t    {\r\n\t        \"s\": \"x\\\"\\b\",\r\n\t        \"n\":\r\n\t        [\r\n"
            + "\t            -1,\r\n\t            true\r\n\t        ],\r\n\t        \"e\": []\r\n\t    },\r\n\t    \"b\": {}\r\n\t}")
        // What is written reads back as the same values.
        let reread = try JSONParser.parse(Array(("{" + text + "}").utf8)).root
        #expect(reread["k"]?["a"]?["s"]?.string == "x\"\u{08}")
        #expect(reread["k"]?["a"]?["n"]?.array?.first?.integer(as: Int.self) == -1)
    }
}
