import Foundation
import IPC
import MIDIRules

/// One side of a loopback pair to create (`MidiLoopbackEndpointDefinition`).
public struct MidiLoopbackEndpointDefinition: Sendable, Hashable, Codable {
    /// Required, not blank; unique among loopback endpoints (case-insensitively).
    public var name: String
    /// Optional; becomes the transport-supplied description.
    public var description: String?
    /// What makes the EndpointDeviceId stable (`loop_a_<uniqueId>`). Characters other than
    /// `A-Z a-z 0-9 - _` are stripped; at most 32 may remain. Generated when nil or empty.
    public var uniqueId: String?
    /// Windows' `UMPOnly`: publish no MIDI 1.0 ports (no ALSA sequencer client) for this
    /// side. nil: the service's global default (normally false).
    public var umpOnly: Bool?
    /// How this side's ALSA client and ports are named (docs/alsa-bridge.md, "Naming").
    public var midi1PortNamingApproach: Midi1PortNamingApproach
    /// Whether ALSA subscriptions of this side's ports are remembered and remade. nil: the
    /// global default (normally true).
    public var restoreConnections: Bool?

    public init(name: String, description: String? = nil, uniqueId: String? = nil, umpOnly: Bool? = nil,
                midi1PortNamingApproach: Midi1PortNamingApproach = .useGlobalDefault, restoreConnections: Bool? = nil) {
        self.name = name
        self.description = description
        self.uniqueId = uniqueId
        self.umpOnly = umpOnly
        self.midi1PortNamingApproach = midi1PortNamingApproach
        self.restoreConnections = restoreConnections
    }
}

/// What to create (`MidiLoopbackEndpointCreationConfig`).
public struct MidiLoopbackEndpointCreationConfig: Sendable, Hashable {
    /// Identifies the pair; keep it to remove the pair later. Never the empty GUID.
    public var associationId: UUID
    public var endpointDefinitionA: MidiLoopbackEndpointDefinition
    public var endpointDefinitionB: MidiLoopbackEndpointDefinition
    /// ALSA sequencer ports per side, 1…16 (nil: 16).
    public var groupCount: Int?

    public init(associationId: UUID = UUID(), endpointDefinitionA: MidiLoopbackEndpointDefinition,
                endpointDefinitionB: MidiLoopbackEndpointDefinition, groupCount: Int? = nil) {
        self.associationId = associationId
        self.endpointDefinitionA = endpointDefinitionA
        self.endpointDefinitionB = endpointDefinitionB
        self.groupCount = groupCount
    }
}

/// The answer to a creation (`MidiLoopbackEndpointCreationResult`).
public struct MidiLoopbackEndpointCreationResult: Sendable, Hashable {
    public var success: Bool
    /// Why it failed, for people (empty on success).
    public var errorInformation: String
    /// The same failure, for code (nil on success).
    public var error: MidiServiceError?
    public var associationId: UUID
    public var endpointDeviceIdA: String
    public var endpointDeviceIdB: String
    /// The pair as the service now has it (nil on failure).
    public var pair: MidiLoopbackEndpointPair?
}

/// What to remove (`MidiLoopbackEndpointRemovalConfig`).
public struct MidiLoopbackEndpointRemovalConfig: Sendable, Hashable {
    public var associationId: UUID
    /// Remove a persisted pair too, by deleting its entry from the service's configuration
    /// file (the counterpart of creating with `persist`). Without it, such a pair is refused.
    public var persist: Bool
    public init(associationId: UUID, persist: Bool = false) {
        self.associationId = associationId
        self.persist = persist
    }
}

public struct MidiLoopbackEndpointRemovalResult: Sendable, Hashable {
    public var success: Bool
    /// Why it failed (e.g. the pair comes from the configuration file), empty on success.
    public var errorInformation: String
    public var error: MidiServiceError?
}

/// A loopback pair as the service lists it. Wraps the wire's `LoopbackPairInfo`.
public struct MidiLoopbackEndpointPair: Sendable, Hashable {
    public struct Side: Sendable, Hashable {
        let wire: LoopbackEndpointSummary

        public var endpointDeviceId: String { wire.id }
        public var name: String { wire.name }
        public var description: String? { wire.description }
        public var uniqueId: String { wire.uniqueIdentifier }
    }

    let wire: LoopbackPairInfo

    init(_ wire: LoopbackPairInfo) { self.wire = wire }

    /// `{GUID}` as the configuration file writes it.
    public var associationId: String { wire.associationId }
    public var endpointA: Side { Side(wire: wire.endpointA) }
    public var endpointB: Side { Side(wire: wire.endpointB) }
    /// From the configuration file: cannot be removed through the API.
    public var isPersistent: Bool { wire.isPersistent }
    public var isMuted: Bool { wire.isMuted }
    public var groupCount: Int? { wire.groupCount }
}

/// Creates and removes loopback endpoint pairs at run time (`MidiLoopbackEndpointManager`).
///
/// ```swift
/// let config = MidiLoopbackEndpointCreationConfig(
///     endpointDefinitionA: MidiLoopbackEndpointDefinition(name: "App Loopback A", uniqueId: "app-loop"),
///     endpointDefinitionB: MidiLoopbackEndpointDefinition(name: "App Loopback B", uniqueId: "app-loop"))
/// let result = MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(config)
/// if result.success { print(result.endpointDeviceIdA, result.endpointDeviceIdB) }
/// ```
///
/// Transient pairs live until the service stops; persistent ones are written to the
/// configuration file by the service and come back after restarts. Pairs from the
/// configuration file cannot be removed through the API — the answer says so.
public enum MidiLoopbackEndpointManager {
    /// Creates a pair that lives until the service stops.
    public static func createTransientLoopbackEndpoints(_ config: MidiLoopbackEndpointCreationConfig,
                                                        session: MidiSession? = nil) -> MidiLoopbackEndpointCreationResult {
        create(config, persist: false, session: session)
    }

    /// Creates a pair and has the service store it in its configuration file, so that it is
    /// re-created after restarts (`midi loopback create --persist`).
    public static func createPersistentLoopbackEndpoints(_ config: MidiLoopbackEndpointCreationConfig,
                                                         session: MidiSession? = nil) -> MidiLoopbackEndpointCreationResult {
        create(config, persist: true, session: session)
    }

    private static func create(_ config: MidiLoopbackEndpointCreationConfig, persist: Bool,
                               session: MidiSession?) -> MidiLoopbackEndpointCreationResult {
        func failure(_ error: MidiServiceError) -> MidiLoopbackEndpointCreationResult {
            MidiLoopbackEndpointCreationResult(success: false, errorInformation: error.description, error: error,
                                               associationId: config.associationId, endpointDeviceIdA: "",
                                               endpointDeviceIdB: "", pair: nil)
        }
        let request: CreateLoopbackPairRequest
        do {
            request = try LoopbackValidation.request(for: config, persist: persist)
        } catch {
            return failure(error)
        }
        do {
            let client = try MidiSession.client(for: session)
            let reply = try client.request(.createLoopbackPair(request),
                                           operation: "create loopback pair \(formatAssociationId(config.associationId))")
            guard case .loopbackPair(let info) = reply else {
                return failure(.protocolViolation("create loopback pair: unexpected \(reply.kind) reply"))
            }
            return MidiLoopbackEndpointCreationResult(success: true, errorInformation: "", error: nil,
                                                      associationId: config.associationId,
                                                      endpointDeviceIdA: info.endpointA.id, endpointDeviceIdB: info.endpointB.id,
                                                      pair: MidiLoopbackEndpointPair(info))
        } catch {
            return failure(error)
        }
    }

    /// Removes a pair created through the API (`RemoveTransientLoopbackEndpoints`). Pairs from
    /// the configuration file are refused with a reason, as are unknown association ids.
    public static func removeTransientLoopbackEndpoints(_ config: MidiLoopbackEndpointRemovalConfig,
                                                        session: MidiSession? = nil) -> MidiLoopbackEndpointRemovalResult {
        do {
            let client = try MidiSession.client(for: session)
            let id = formatAssociationId(config.associationId)
            _ = try client.request(.removeLoopbackPair(LoopbackPairReference(associationId: id, persist: config.persist ? true : nil)),
                                   operation: "remove loopback pair \(id)")
            return MidiLoopbackEndpointRemovalResult(success: true, errorInformation: "", error: nil)
        } catch {
            return MidiLoopbackEndpointRemovalResult(success: false, errorInformation: error.description, error: error)
        }
    }

    /// Mutes a pair: messages sent on either side are dropped (the sender is told they were
    /// sent) until unmuted.
    @discardableResult
    public static func muteLoopbackEndpoints(associationId: UUID, session: MidiSession? = nil) throws(MidiServiceError) -> MidiLoopbackEndpointPair {
        try setMuted(associationId, muted: true, session: session)
    }

    @discardableResult
    public static func unmuteLoopbackEndpoints(associationId: UUID, session: MidiSession? = nil) throws(MidiServiceError) -> MidiLoopbackEndpointPair {
        try setMuted(associationId, muted: false, session: session)
    }

    private static func setMuted(_ associationId: UUID, muted: Bool, session: MidiSession?) throws(MidiServiceError) -> MidiLoopbackEndpointPair {
        let client = try MidiSession.client(for: session)
        let id = formatAssociationId(associationId)
        let reference = LoopbackPairReference(associationId: id)
        let reply = try client.request(muted ? .muteLoopbackPair(reference) : .unmuteLoopbackPair(reference),
                                       operation: "\(muted ? "mute" : "unmute") loopback pair \(id)")
        guard case .loopbackPair(let info) = reply else { throw .protocolViolation("mute: unexpected \(reply.kind) reply") }
        return MidiLoopbackEndpointPair(info)
    }

    /// Every loopback pair (from the configuration file and created at run time).
    public static func loopbackEndpointPairs(session: MidiSession? = nil) throws(MidiServiceError) -> [MidiLoopbackEndpointPair] {
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.listLoopbackPairs, operation: "list loopback pairs")
        guard case .loopbackPairs(let pairs) = reply else { throw .protocolViolation("list loopback pairs: unexpected \(reply.kind) reply") }
        return pairs.map(MidiLoopbackEndpointPair.init)
    }

    /// Checks `config` the way creation does before contacting the service (names present and
    /// distinct, unique ids valid after stripping, association id not empty, group count in
    /// range): nil when it would be sent, else the problem.
    public static func validate(_ config: MidiLoopbackEndpointCreationConfig) -> MidiServiceError? {
        do {
            _ = try LoopbackValidation.request(for: config, persist: false)
            return nil
        } catch {
            return error
        }
    }

    // MARK: Association ids and unique ids

    /// `{0C1B3439-593F-4B7A-8950-4698D97B0897}` — the way the configuration file writes it.
    public static func formatAssociationId(_ id: UUID) -> String {
        "{" + id.uuidString.uppercased() + "}"
    }

    /// Parses a GUID with or without braces, any case; nil when it is not one. (The empty GUID
    /// parses; creation refuses it.)
    public static func parseAssociationId(_ text: String) -> UUID? {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasPrefix("{") && body.hasSuffix("}") && body.count >= 2 { body = body.dropFirst().dropLast() }
        let groups = body.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12], groups.allSatisfy({ $0.allSatisfy(\.isHexDigit) }) else { return nil }
        return UUID(uuidString: String(body))
    }

    /// A unique id with the characters Windows device ids cannot hold removed (what the
    /// console and SDK do with user input). The result may be empty or too long; creation
    /// checks.
    public static func strippedUniqueId(_ text: String) -> String {
        UniqueIdentifierRule.stripped(text)
    }

    /// A fresh unique id: 16 lower-case hex digits.
    public static func generateUniqueId() -> String {
        let value = UInt64.random(in: .min ... .max)
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

// MARK: The console's spelling

extension MidiLoopbackEndpointPair: Encodable {
    private enum CodingKeys: String, CodingKey {
        case associationId, endpointA, endpointB, isPersistent, isMuted, groupCount
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(associationId, forKey: .associationId)
        try c.encode(endpointA, forKey: .endpointA)
        try c.encode(endpointB, forKey: .endpointB)
        try c.encode(isPersistent, forKey: .isPersistent)
        try c.encode(isMuted, forKey: .isMuted)
        try c.encodeIfPresent(groupCount, forKey: .groupCount)
    }
}

extension MidiLoopbackEndpointPair.Side: Encodable {
    private enum CodingKeys: String, CodingKey {
        case endpointDeviceId, name, description, uniqueId
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(endpointDeviceId, forKey: .endpointDeviceId)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encode(uniqueId, forKey: .uniqueId)
    }
}
