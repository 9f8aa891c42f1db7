import Testing

@Test func placeholder_IPCTests() { #expect(Bool(true)) }
