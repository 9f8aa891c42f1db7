import Testing

@Test func placeholder_UdevDevicesTests() { #expect(Bool(true)) }
