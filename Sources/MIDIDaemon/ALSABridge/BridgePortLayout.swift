import ALSASequencer
import ServiceCore

/// The ports of one endpoint's sequencer client (docs/design.md §5), laid out the way the kernel's
/// own UMP clients (6.5+) do, so the numbers stay the same on kernels that speak UMP:
///
/// - port 0, named like the client: every group. Reading gives the traffic of all groups;
///   writing sends on group 1.
/// - ports 1…N, one group each. N is the pair's group count.
///
/// The names follow `LegacyPortNames` (the endpoint's naming approach and custom port names);
/// the bridge makes the client name unique among its clients.
struct BridgePortLayout: Equatable {
    /// Client name, then the name of port 0, 1, … N.
    var clientName: String
    var portNames: [String]

    /// Number of groups with a port of their own (1…16).
    var groupCount: Int { portNames.count - 1 }

    /// The layout for `endpoint`; `clientName` replaces the wanted client (and port 0) name
    /// when the bridge had to make it unique.
    init(endpoint: MidiEndpoint, clientName uniqueName: String? = nil) {
        let names = LegacyPortNames(endpoint: endpoint)
        clientName = uniqueName ?? names.clientName
        portNames = [clientName] + names.groups.map(\.shown)
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
