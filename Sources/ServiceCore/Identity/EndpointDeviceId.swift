import MIDIRules

/// The primary identifier of an endpoint, in the shape Windows MIDI Services uses, so an id a
/// user stores means the same endpoint on any machine (docs/design.md §2):
///
///     \\?\swd#midisrv#midiu_<instance>#{e7cce071-3c03-423f-88d3-f1045d02552b}
///
/// Always lower case. The GUID is the UMP bidirectional device interface class. The format is
/// `MIDIRules.EndpointDeviceIdFormat`, which the SDK follows too.
public struct EndpointDeviceId: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    public static let prefix = EndpointDeviceIdFormat.prefix
    public static let interfaceClassSuffix = EndpointDeviceIdFormat.interfaceClassSuffix

    /// The full, lower-case id.
    public let rawValue: String

    /// The instance part: `loop_a_3263827`, `diag_loopback_a`, `usb_1209_4d49_ser-0001`…
    public var instance: String {
        String(rawValue.dropFirst(Self.prefix.count).dropLast(Self.interfaceClassSuffix.count))
    }

    public init(instance: String) {
        rawValue = EndpointDeviceIdFormat.id(instance: instance)
    }

    /// Accepts the full form (any case, with or without its `#{…}` suffix), `midiu_<instance>`, or a bare instance
    /// (`loop_a_default`, `diag_loopback_a`). Returns `nil` for anything else, including the
    /// empty string. Unique endpoint names are resolved by the registry, not here.
    public init?(parsing text: String) {
        let lower = text.trimmingWhitespace().lowercased()
        if lower.hasPrefix(Self.prefix) {
            if lower.hasSuffix(Self.interfaceClassSuffix) {
                guard lower.count > Self.prefix.count + Self.interfaceClassSuffix.count else { return nil }
                self.init(instance: String(lower.dropFirst(Self.prefix.count).dropLast(Self.interfaceClassSuffix.count)))
                return
            }
            // Stored ids may drop the `#{…}` interface class suffix (seed 004): the rest is the
            // same endpoint.
            let instance = lower.dropFirst(Self.prefix.count)
            guard !instance.isEmpty, instance.allSatisfy(Self.isInstanceCharacter) else { return nil }
            self.init(instance: String(instance))
            return
        }
        var instance = Substring(lower)
        let marker = EndpointDeviceIdFormat.instanceMarker
        if instance.hasPrefix(marker) { instance = instance.dropFirst(marker.count) }
        guard !instance.isEmpty, instance.allSatisfy(Self.isInstanceCharacter),
              Self.knownInstancePrefixes.contains(where: { instance.hasPrefix($0) }) else { return nil }
        self.init(instance: String(instance))
    }

    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = EndpointDeviceId(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "not an EndpointDeviceId: \(text)"))
        }
        self = id
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }

    static let knownInstancePrefixes = EndpointDeviceIdFormat.knownInstancePrefixes
    static func isInstanceCharacter(_ c: Character) -> Bool { EndpointDeviceIdFormat.isInstanceCharacter(c) }

    // Well-known ids.
    public static let diagnosticsLoopbackA = EndpointDeviceId(instance: EndpointDeviceIdFormat.diagnosticsLoopbackAInstance)
    public static let diagnosticsLoopbackB = EndpointDeviceId(instance: EndpointDeviceIdFormat.diagnosticsLoopbackBInstance)
    public static let diagnosticsPing = EndpointDeviceId(instance: EndpointDeviceIdFormat.diagnosticsPingInstance)

    /// Loopback ids: `loop_a_<uniqueid>` / `loop_b_<uniqueid>`.
    public static func loopback(side: LoopbackSide, uniqueIdentifier: UniqueIdentifier) -> EndpointDeviceId {
        EndpointDeviceId(instance: EndpointDeviceIdFormat.loopbackInstance(sideLetter: side.letter,
                                                                          uniqueIdentifier: uniqueIdentifier.value))
    }
}

/// Which end of a loopback pair.
public enum LoopbackSide: String, Sendable, Codable, CaseIterable {
    case a = "A", b = "B"
    public var letter: String { self == .a ? "a" : "b" }
    public var other: LoopbackSide { self == .a ? .b : .a }
}

extension StringProtocol {
    func trimmingWhitespace() -> SubSequence {
        let start = firstIndex(where: { !$0.isWhitespace }) ?? endIndex
        let end = lastIndex(where: { !$0.isWhitespace }).map(index(after:)) ?? start
        return self[start..<end]
    }
}
