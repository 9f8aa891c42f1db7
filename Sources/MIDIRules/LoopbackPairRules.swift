/// The rules of a loopback pair beyond its names (`EndpointNameRules`) and unique identifiers
/// (`UniqueIdentifierRule`), which both sides of the process boundary check
/// (docs/design.md §3): the SDK and console check them before sending, so a mistake is reported
/// in the caller's terms; the service checks them again, and also what only it can know (names
/// and unique identifiers already taken).
public enum LoopbackPairRules {
    /// How many groups (ALSA ports besides port 0) a pair may have, and how many it gets.
    public static let groupCountRange: ClosedRange<Int> = 1...16
    public static let defaultGroupCount = 16

    /// The association id no pair may have (Windows reserves it).
    public static let emptyAssociationId = "{00000000-0000-0000-0000-000000000000}"
}
