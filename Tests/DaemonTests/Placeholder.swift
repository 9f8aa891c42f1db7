import Testing

@Test func placeholder_DaemonTests() { #expect(Bool(true)) }
