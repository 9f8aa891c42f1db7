import ALSASequencer
import ServiceCore

/// The ports of one endpoint's sequencer client (docs/design.md §5), laid out the way the kernel's
/// own UMP clients (6.5+) do, so the numbers stay the same on kernels that speak UMP:
///
/// - port 0, named after the endpoint: every group. Reading gives the traffic of all groups;
///   writing sends on group 1.
/// - ports 1…N, `"Group n"`, or `"Group n (<function block name>)"` once a function block
///   covering group n has a name: one group each. N is the pair's group count.
struct BridgePortLayout: Equatable {
    /// Client name, then the name of port 0, 1, … N.
    var clientName: String
    var portNames: [String]

    /// Number of groups with a port of their own (1…16).
    var groupCount: Int { portNames.count - 1 }

    /// The kernel cuts the function block name to 53 bytes in its own "Group n (…)" names
    /// (sound/core/seq/seq_ump_client.c); the same here, so the names match on newer kernels.
    static let functionBlockNameLimit = 53

    init(endpoint: MidiEndpoint) {
        let groups = min(max(endpoint.groupCount, 1), 16)
        clientName = endpoint.displayName
        var names = [endpoint.displayName]
        names.reserveCapacity(groups + 1)
        for group in 0..<groups {
            names.append(Self.groupPortName(group: UInt8(group), functionBlocks: endpoint.declared.functionBlocks))
        }
        portNames = names
    }

    /// `"Group n"` or `"Group n (<name>)"` for group index `group` (0-based): the name of the
    /// first declared function block (by number) that spans the group and has a name — what
    /// the kernel does for its UMP clients.
    static func groupPortName(group: UInt8, functionBlocks: [DeclaredFunctionBlock]) -> String {
        let base = "Group \(Int(group) + 1)"
        for block in functionBlocks.sorted(by: { $0.number < $1.number }) {
            let first = Int(block.firstGroup), last = first + Int(block.groupCount) - 1
            guard block.groupCount > 0, first...last ~= Int(group) else { continue }
            let name = block.name.trimmingBlanks
            guard !name.isEmpty else { continue }
            return "\(base) (\(name.prefixFittingUTF8(functionBlockNameLimit)))"
        }
        return base
    }

    /// The UMP group (0-based) an event written to `port` is sent on: port 0 and port 1 are
    /// group 1 (index 0); port n is group n. `nil` for a port this layout does not have.
    func group(forPort port: PortID) -> UInt8? {
        let number = Int(port.rawValue)
        if number == 0 { return 0 }
        return number <= groupCount ? UInt8(number - 1) : nil
    }

    /// The port that carries group `group` (0-based) on its own, `nil` if the pair has fewer
    /// groups (such traffic appears on port 0 only).
    func port(forGroup group: UInt8) -> PortID? {
        Int(group) < groupCount ? PortID(group + 1) : nil
    }
}

extension String {
    /// Without leading and trailing blanks (spaces, tabs, newlines).
    var trimmingBlanks: String {
        let isBlank: (Character) -> Bool = { $0.isWhitespace }
        guard let start = firstIndex(where: { !isBlank($0) }), let end = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[start...end])
    }

    /// At most `limit` UTF-8 bytes, cut on a character boundary.
    func prefixFittingUTF8(_ limit: Int) -> String {
        var used = 0
        var result = ""
        for character in self {
            let size = character.utf8.count
            if used + size > limit { break }
            result.append(character)
            used += size
        }
        return result
    }
}
