/// The names one endpoint's MIDI 1.0 ports get (docs/alsa-bridge.md, "Naming"), as the ALSA
/// bridge applies them and `midi endpoint <id> properties` shows them: the client (and port 0)
/// name, and per group the custom, classic and new-style names and the one in force.
///
/// Rules, in order: a custom port name (`rename-port`) always wins for its group; otherwise
/// the endpoint's naming approach picks — `classicCompatible` (the default) uses only names a
/// user gave (custom endpoint name, else the configured/created name) and "Group n";
/// `newStyle` follows the display name (declared names included) and function block names.
public struct LegacyPortNames: Equatable, Sendable {
    /// One group's port (ALSA ports are duplex: the same name for both directions).
    public struct GroupPort: Equatable, Sendable {
        /// 0-based group index; the ALSA port number is `group + 1`.
        public var group: UInt8
        public var custom: String?
        public var classic: String
        public var newStyle: String
        /// What ALSA shows.
        public var shown: String
        /// Which of the three `shown` is: "custom", "classicCompatible" or "newStyle".
        public var source: String
    }

    public var approach: LegacyPortNamingApproach
    /// The client's and port 0's name before it is made unique among the bridge's clients.
    public var clientName: String
    public var groups: [GroupPort]

    /// The kernel's limit for client and port names, in bytes (64 with the NUL).
    public static let nameLimit = 63
    /// The kernel cuts a function block name to 53 bytes in its own "Group n (…)" port names
    /// (sound/core/seq/seq_ump_client.c); the same here, so names match on newer kernels.
    public static let functionBlockNameLimit = 53

    public init(endpoint: MidiEndpoint) {
        let approach = endpoint.legacyPorts.namingApproach
        self.approach = approach
        let given = endpoint.customization.name.flatMap { $0.isBlank ? nil : $0 } ?? endpoint.transportSupplied.name
        let base = approach == .newStyle ? endpoint.displayName : given
        clientName = base.prefixFittingUTF8(Self.nameLimit)
        let count = min(max(endpoint.groupCount, 1), 16)
        groups = (0..<count).map { index in
            let group = UInt8(index)
            let classic = "Group \(index + 1)"
            let newStyle = Self.newStyleGroupName(group: group, functionBlocks: endpoint.declared.functionBlocks)
            let custom = endpoint.customization.portNames[group]
            let shown: String, source: String
            if let custom {
                (shown, source) = (custom.prefixFittingUTF8(Self.nameLimit), "custom")
            } else if approach == .newStyle {
                (shown, source) = (newStyle, LegacyPortNamingApproach.newStyle.rawValue)
            } else {
                (shown, source) = (classic, LegacyPortNamingApproach.classicCompatible.rawValue)
            }
            return GroupPort(group: group, custom: custom, classic: classic, newStyle: newStyle, shown: shown, source: source)
        }
    }

    /// Port 0's name, then ports 1…N.
    public var portNames: [String] { [clientName] + groups.map(\.shown) }

    /// `"Group n"` or `"Group n (<name>)"` for group index `group`: the name of the first
    /// declared function block (by number) that spans the group and has a name — what the
    /// kernel does for its own UMP clients.
    public static func newStyleGroupName(group: UInt8, functionBlocks: [DeclaredFunctionBlock]) -> String {
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

    /// Client names made unique, deterministically: endpoints wanting the same name are taken
    /// in EndpointDeviceId order; the first keeps it, the k-th gets " (k)" (the name shortened
    /// so the whole stays within 63 bytes). The same set of endpoints always gives the same
    /// names, whatever order they appeared in.
    public static func uniqueClientNames(_ wanted: [EndpointDeviceId: String]) -> [EndpointDeviceId: String] {
        var result: [EndpointDeviceId: String] = [:]
        var taken = Set<String>()
        let ordered = wanted.sorted { $0.key < $1.key }
        // First pass: the first claimant of each name keeps it.
        for (id, name) in ordered where !taken.contains(name) {
            taken.insert(name)
            result[id] = name
        }
        for (id, name) in ordered where result[id] == nil {
            var k = 2
            while true {
                let suffix = " (\(k))"
                let candidate = name.prefixFittingUTF8(nameLimit - suffix.utf8.count) + suffix
                if !taken.contains(candidate) {
                    taken.insert(candidate)
                    result[id] = candidate
                    break
                }
                k += 1
            }
        }
        return result
    }
}

extension String {
    /// Without leading and trailing blanks (spaces, tabs, newlines).
    public var trimmingBlanks: String {
        guard let start = firstIndex(where: { !$0.isWhitespace }), let end = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[start...end])
    }

    /// At most `limit` UTF-8 bytes, cut on a character boundary.
    public func prefixFittingUTF8(_ limit: Int) -> String {
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
