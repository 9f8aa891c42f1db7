import Testing

@Test func placeholder_UMPTests() { #expect(Bool(true)) }
