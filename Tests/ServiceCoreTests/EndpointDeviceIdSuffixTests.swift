import Testing
@testable import ServiceCore

/// Stored EndpointDeviceIds may drop the `#{…}` interface class suffix (seed 004); they still
/// name the same endpoint, for parsing and for resolving user input.
@Suite("EndpointDeviceId without its suffix")
struct EndpointDeviceIdSuffixTests {
    @Test func theIdWithoutItsSuffixIsTheSameEndpoint() throws {
        let full = EndpointDeviceId(instance: "loop_a_3263827")
        #expect(EndpointDeviceId(parsing: #"\\?\swd#midisrv#midiu_loop_a_3263827"#) == full)
        #expect(EndpointDeviceId(parsing: #"\\?\SWD#MIDISRV#MIDIU_LOOP_A_3263827"#) == full)
        #expect(EndpointDeviceId(parsing: #"\\?\swd#midisrv#midiu_"#) == nil)
        #expect(EndpointDeviceId(parsing: #"\\?\swd#midisrv#midiu_loop_a_x#{other}"#) == nil, "a different suffix is not dropped")
    }

    @Test func theServiceResolvesIt() throws {
        let (service, _) = makeService()
        let ids = try service.createLoopbackPair(
            LoopbackPairDefinition(associationId: AssociationId.random(),
                                   endpointA: LoopbackSideDefinition(name: "A", uniqueIdentifier: UniqueIdentifier(validating: "s1")),
                                   endpointB: LoopbackSideDefinition(name: "B", uniqueIdentifier: UniqueIdentifier(validating: "s1"))),
            origin: .transient)
        #expect(try service.resolveEndpoint(#"\\?\swd#midisrv#midiu_loop_b_s1"#) == ids.b)
    }
}
