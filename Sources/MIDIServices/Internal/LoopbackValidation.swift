import Foundation
import IPC
import MIDIRules

/// The console/SDK side of docs/design.md §3's loopback rules (`MIDIRules`, the same rules the
/// service follows), checked before anything is sent so that a mistake is reported in the
/// caller's terms (the service checks again, and also checks what only it can: names and ids
/// already taken).
enum LoopbackValidation {

    /// Validates `config` and builds the request: names trimmed and required, unique ids
    /// stripped (generated when absent), association id not empty, group count in range.
    static func request(for config: MidiLoopbackEndpointCreationConfig, persist: Bool) throws(MidiServiceError) -> CreateLoopbackPairRequest {
        guard config.associationId != UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) else {
            throw .invalidArgument("association id must not be the empty GUID \(LoopbackPairRules.emptyAssociationId)")
        }
        if let groupCount = config.groupCount, !LoopbackPairRules.groupCountRange.contains(groupCount) {
            let range = LoopbackPairRules.groupCountRange
            throw .invalidArgument("group count \(groupCount) is out of range: a pair has \(range.lowerBound) to \(range.upperBound) groups")
        }
        // One generated id serves both sides (loop_a_<id> / loop_b_<id>), as the Windows console does.
        let generated = MidiLoopbackEndpointManager.generateUniqueId()
        let a = try definition(config.endpointDefinitionA, side: "A", generated: generated)
        let b = try definition(config.endpointDefinitionB, side: "B", generated: generated)
        guard EndpointNameRules.comparable(a.name) != EndpointNameRules.comparable(b.name) else {
            throw .invalidArgument("endpoint A and B are both named \"\(a.name)\"; loopback endpoint names must be unique")
        }
        return CreateLoopbackPairRequest(associationId: MidiLoopbackEndpointManager.formatAssociationId(config.associationId),
                                         endpointA: a, endpointB: b, persist: persist ? true : nil,
                                         groupCount: config.groupCount)
    }

    static func definition(_ definition: MidiLoopbackEndpointDefinition, side: String,
                           generated: String) throws(MidiServiceError) -> LoopbackEndpointDefinition {
        let name = String(EndpointNameRules.trimmed(definition.name))
        guard !EndpointNameRules.isBlank(name) else { throw .invalidArgument("endpoint \(side) name is required and must not be blank") }
        let uniqueId = try uniqueId(definition.uniqueId, side: side) ?? generated
        let description = definition.description.flatMap { $0.isEmpty ? nil : $0 }
        let approach = definition.midi1PortNamingApproach
        return LoopbackEndpointDefinition(name: name, description: description, uniqueIdentifier: uniqueId,
                                          umpOnly: definition.umpOnly,
                                          namingApproach: approach == .useGlobalDefault ? nil : approach.rawValue,
                                          restoreConnections: definition.restoreConnections)
    }

    /// Strips, then checks; nil when none was given.
    static func uniqueId(_ given: String?, side: String) throws(MidiServiceError) -> String? {
        guard let given, !given.isEmpty else { return nil }
        let stripped = MidiLoopbackEndpointManager.strippedUniqueId(given)
        guard !stripped.isEmpty else {
            throw .invalidArgument("endpoint \(side) unique identifier \"\(given)\" has no characters left after removing all but \(UniqueIdentifierRule.allowedCharactersDescription)")
        }
        guard stripped.count <= UniqueIdentifierRule.maximumLength else {
            throw .invalidArgument("endpoint \(side) unique identifier \"\(stripped)\" is \(stripped.count) characters long (after removing characters other than \(UniqueIdentifierRule.allowedCharactersDescription)); at most \(UniqueIdentifierRule.maximumLength) are allowed")
        }
        return stripped
    }
}
