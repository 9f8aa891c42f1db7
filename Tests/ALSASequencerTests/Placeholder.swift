import Testing

@Test func placeholder_ALSASequencerTests() { #expect(Bool(true)) }
