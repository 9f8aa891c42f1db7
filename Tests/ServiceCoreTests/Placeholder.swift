import Testing

@Test func placeholder_ServiceCoreTests() { #expect(Bool(true)) }
