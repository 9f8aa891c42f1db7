/// Reads the loopback pairs out of a configuration file (docs/design.md §4):
///
///     endpointTransportPluginSettings → {942BF02D-93C0-4EA8-B03E-D51156CA75E1} → create
///         → {association id} → endpointA / endpointB (name, description, uniqueIdentifier),
///                              groupCount (optional, 1–16)
///
/// A file that is not a JSON object throws `JSONSyntaxError`: the caller runs with no pairs
/// and must never rewrite that file. Otherwise every entry is judged on its own: an invalid one
/// is reported as an error with its path and skipped, the valid ones are returned. Unknown keys
/// and repeated keys are warnings; `_comment` keys are ignored wherever they are. A file that
/// is empty or only whitespace is an empty configuration.
public enum ConfigLoader {
    public static func load(_ bytes: [UInt8]) throws(JSONSyntaxError) -> ConfigLoadResult {
        guard let analysis = try analyze(bytes) else { return .empty }
        return analysis.result
    }

    public static func load(_ document: JSONDocument) throws(JSONSyntaxError) -> ConfigLoadResult {
        try analyze(document).result
    }

    /// True for a file with nothing but whitespace (and perhaps a byte order mark) in it.
    public static func isBlank(_ bytes: [UInt8]) -> Bool {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        return body.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    }

    /// Everything the file editor needs besides the result; nil for a blank file.
    static func analyze(_ bytes: [UInt8]) throws(JSONSyntaxError) -> ConfigAnalysis? {
        guard !isBlank(bytes) else { return nil }
        return try analyze(JSONParser.parse(bytes))
    }

    static func analyze(_ document: JSONDocument) throws(JSONSyntaxError) -> ConfigAnalysis {
        guard let root = document.root.object else {
            throw JSONSyntaxError(.topLevelNotObject(found: document.root.kindDescription), at: document.root.range.start)
        }
        var walk = ConfigLoaderWalk()
        walk.reportDuplicates(document.duplicateKeys)
        walk.walkRoot(root)
        // Stable sort: problems at the same place keep the order they were found in.
        let problems = walk.problems.enumerated()
            .sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
            .map(\.element)
        return ConfigAnalysis(
            rootValue: document.root,
            result: ConfigLoadResult(pairs: walk.pairs, problems: problems, entryLocations: walk.locations,
                                     legacyPortDefaults: walk.legacyPortDefaults),
            uniqueness: walk.uniqueness,
            associationKeys: walk.associationKeys)
    }
}

/// What a load learned, kept for the file editor's checks.
struct ConfigAnalysis {
    /// The top-level value, an object.
    let rootValue: JSONValue
    let result: ConfigLoadResult
    /// The admitted pairs' names and unique ids.
    let uniqueness: ConfigPairUniqueness
    /// Every association id written under `create`, valid entry or not, with its key position.
    let associationKeys: [AssociationId: JSONSourcePosition]
}

private struct ConfigLoaderWalk {
    typealias Endpoint = ConfiguredLoopbackPair.Endpoint

    var problems: [ConfigProblem] = []
    var pairs: [ConfiguredLoopbackPair] = []
    var locations: [AssociationId: ConfigEntryLocation] = [:]
    var uniqueness = ConfigPairUniqueness()
    var associationKeys: [AssociationId: JSONSourcePosition] = [:]
    var legacyPortDefaults = LegacyPortSettings.builtIn

    mutating func error(_ path: JSONPath, _ position: JSONSourcePosition, _ message: String) {
        problems.append(ConfigProblem(.error, path: path, position: position, message: message))
    }

    mutating func warning(_ path: JSONPath, _ position: JSONSourcePosition, _ message: String) {
        problems.append(ConfigProblem(.warning, path: path, position: position, message: message))
    }

    mutating func reportDuplicates(_ duplicates: [JSONDuplicateKey]) {
        for duplicate in duplicates {
            // Several `_comment`s in one object are a habit, not a mistake; and a repeated
            // association id is reported by `walkPair` as the clash it is.
            if duplicate.path.lastKey == ConfigSchema.commentKey { continue }
            if JSONPath(duplicate.path.components.dropLast()) == ConfigSchema.createPath { continue }
            warning(duplicate.path, duplicate.position,
                    "duplicate key \(JSONText.quoted(duplicate.path.lastKey ?? "")) is ignored; the first one (\(duplicate.firstPosition)) is used")
        }
    }

    mutating func object(_ value: JSONValue, at path: JSONPath, shape: String) -> JSONObject? {
        guard let object = value.object else {
            error(path, value.range.start, "\(path.lastKey ?? "the value") must be an object (\(shape)); found \(value.kindDescription)")
            return nil
        }
        return object
    }

    mutating func unknownKey(_ member: JSONMember, path: JSONPath, known: [String]) {
        var message = "unknown key \(JSONText.quoted(member.key)) is ignored"
        if let suggestion = ConfigSchema.suggestion(for: member.key, among: known) {
            message += suggestion.lowercased() == member.key.lowercased()
                ? " (keys are case-sensitive: did you mean \(JSONText.quoted(suggestion))?)"
                : " (did you mean \(JSONText.quoted(suggestion))?)"
        }
        warning(path, member.keyRange.start, message)
    }

    // MARK: Sections

    mutating func walkRoot(_ root: JSONObject) {
        for member in root.effectiveMembers where member.key != ConfigSchema.commentKey {
            let path = JSONPath(keys: member.key)
            if member.key == ConfigSchema.transportSettingsKey {
                walkTransportSettings(member.value, path: path)
            } else if member.key == ConfigSchema.midi1PortsKey {
                let options = walkMidi1Ports(member.value, path: path, known: ConfigSchema.globalMidi1PortsKeys)
                legacyPortDefaults = options.resolved(with: .builtIn)
            } else {
                unknownKey(member, path: path, known: ConfigSchema.topLevelKeys)
            }
        }
    }

    mutating func walkTransportSettings(_ value: JSONValue, path: JSONPath) {
        guard let settings = object(value, at: path, shape: "transport id → settings") else { return }
        let loopbackGUID = try? AssociationId(parsing: ConfigSchema.loopbackTransportId)
        for member in settings.effectiveMembers where member.key != ConfigSchema.commentKey {
            let memberPath = path.appending(member.key)
            if member.key == ConfigSchema.loopbackTransportId {
                walkLoopbackTransport(member.value, path: memberPath)
            } else if let guid = try? AssociationId(parsing: member.key), guid == loopbackGUID {
                warning(memberPath, member.keyRange.start,
                        "transport ids are case-sensitive keys: write the loopback transport id exactly as \(JSONText.quoted(ConfigSchema.loopbackTransportId)); this section is ignored")
            } else {
                warning(memberPath, member.keyRange.start,
                        "settings for transport \(JSONText.quoted(member.key)) are ignored; this service reads only the loopback transport \(ConfigSchema.loopbackTransportId)")
            }
        }
    }

    mutating func walkLoopbackTransport(_ value: JSONValue, path: JSONPath) {
        guard let transport = object(value, at: path, shape: "loopback transport settings with a \"create\" object") else { return }
        for member in transport.effectiveMembers where member.key != ConfigSchema.commentKey {
            if member.key == ConfigSchema.createKey {
                walkCreate(member.value, path: path.appending(member.key))
            } else {
                unknownKey(member, path: path.appending(member.key), known: ConfigSchema.transportKeys)
            }
        }
    }

    mutating func walkCreate(_ value: JSONValue, path: JSONPath) {
        guard let create = object(value, at: path, shape: "association id → loopback pair") else { return }
        // Every member, repeated keys included: the second use of an association id is refused
        // as a clash, with both places named.
        for member in create.members where member.key != ConfigSchema.commentKey {
            walkPair(member, path: path.appending(member.key))
        }
    }

    // MARK: Pairs

    mutating func walkPair(_ member: JSONMember, path: JSONPath) {
        let keyPosition = member.keyRange.start
        var valid = true
        var associationId: AssociationId?
        do {
            let id = try AssociationId(parsing: member.key)
            if let earlier = associationKeys[id] {
                error(path, keyPosition, "association id \(member.key) is already used by the entry at \(earlier) (association ids are compared case-insensitively); this entry is ignored")
                valid = false
            } else {
                associationKeys[id] = keyPosition
            }
            associationId = id
        } catch {
            self.error(path, keyPosition, "the key of a loopback pair must be its association id: \(error)")
            valid = false
        }

        guard let body = object(member.value, at: path, shape: "a loopback pair with endpointA and endpointB") else { return }
        var endpoints: [LoopbackSide: ParsedEndpoint] = [:]
        var groupCount: ConfiguredLoopbackPair.GroupCount?
        for field in body.effectiveMembers where field.key != ConfigSchema.commentKey {
            let fieldPath = path.appending(field.key)
            switch field.key {
            case ConfigSchema.endpointAKey, ConfigSchema.endpointBKey:
                let side: LoopbackSide = field.key == ConfigSchema.endpointAKey ? .a : .b
                if let endpoint = walkEndpoint(field.value, path: fieldPath) { endpoints[side] = endpoint } else { valid = false }
            case ConfigSchema.groupCountKey:
                if let count = walkGroupCount(field.value, path: fieldPath) { groupCount = count } else { valid = false }
            default:
                unknownKey(field, path: fieldPath, known: ConfigSchema.pairKeys)
            }
        }
        for side in LoopbackSide.allCases {
            let key = ConfigSchema.endpointKey(side)
            if body.member(named: key) == nil {
                error(path.appending(key), member.value.range.start, "required key \(JSONText.quoted(key)) is missing")
                valid = false
            }
        }
        guard valid, let associationId, let a = endpoints[.a], let b = endpoints[.b] else { return }

        let pair: ConfiguredLoopbackPair
        do {
            pair = try ConfiguredLoopbackPair(associationId: associationId, endpointA: a.endpoint, endpointB: b.endpoint, groupCount: groupCount)
        } catch {
            self.error(path.appending(ConfigSchema.endpointBKey).appending(ConfigSchema.nameKey), b.namePosition, error.description)
            return
        }
        let positions = ConfigPairUniqueness.Positions(
            name: [.a: a.namePosition, .b: b.namePosition],
            uniqueIdentifier: [.a: a.uniqueIdentifierPosition, .b: b.uniqueIdentifierPosition])
        let clashes = uniqueness.clashes(of: pair)
        for clash in clashes {
            let clashPath = path.appending(ConfigSchema.endpointKey(clash.side)).appending(clash.key)
            let position = clash.key == ConfigSchema.nameKey ? positions.name[clash.side] : positions.uniqueIdentifier[clash.side]
            error(clashPath, position ?? keyPosition, clash.message)
        }
        guard clashes.isEmpty else { return }
        uniqueness.insert(pair, positions: positions)
        pairs.append(pair)
        locations[associationId] = ConfigEntryLocation(path: path, position: keyPosition)
    }

    struct ParsedEndpoint {
        let endpoint: Endpoint
        let namePosition: JSONSourcePosition
        let uniqueIdentifierPosition: JSONSourcePosition
    }

    mutating func walkEndpoint(_ value: JSONValue, path: JSONPath) -> ParsedEndpoint? {
        guard let body = object(value, at: path, shape: "name, description, uniqueIdentifier") else { return nil }
        var valid = true
        var name: (String, JSONSourcePosition)?
        var description: String?
        var uniqueIdentifier: (UniqueIdentifier, JSONSourcePosition)?
        var legacyPorts = LegacyPortOptions()
        for field in body.effectiveMembers where field.key != ConfigSchema.commentKey {
            let fieldPath = path.appending(field.key)
            let position = field.value.range.start
            switch field.key {
            case ConfigSchema.nameKey:
                guard let text = field.value.string else {
                    error(fieldPath, position, "name must be a string; found \(field.value.kindDescription)")
                    valid = false
                    continue
                }
                do {
                    try Endpoint.validate(name: text)
                    name = (text, position)
                } catch {
                    self.error(fieldPath, position, error.description)
                    valid = false
                }
            case ConfigSchema.descriptionKey:
                switch field.value.content {
                case .string(let text):
                    do {
                        try Endpoint.validate(description: text)
                        description = text
                    } catch {
                        self.error(fieldPath, position, error.description)
                        valid = false
                    }
                case .null: description = nil
                default:
                    error(fieldPath, position, "description must be a string; found \(field.value.kindDescription)")
                    valid = false
                }
            case ConfigSchema.uniqueIdentifierKey:
                guard let text = field.value.string else {
                    error(fieldPath, position, "uniqueIdentifier must be a string; found \(field.value.kindDescription)")
                    valid = false
                    continue
                }
                do {
                    uniqueIdentifier = (try UniqueIdentifier(validating: text), position)
                } catch {
                    self.error(fieldPath, position, "\(error) (the configuration file must hold a valid identifier; it is not cleaned up as on the command line)")
                    valid = false
                }
            case ConfigSchema.umpOnlyKey:
                guard let flag = field.value.bool else {
                    error(fieldPath, position, "umpOnly must be true or false; found \(field.value.kindDescription)")
                    valid = false
                    continue
                }
                legacyPorts.umpOnly = flag
            case ConfigSchema.midi1PortsKey:
                let options = walkMidi1Ports(field.value, path: fieldPath, known: ConfigSchema.endpointMidi1PortsKeys)
                legacyPorts.namingApproach = options.namingApproach
                legacyPorts.restoreConnections = options.restoreConnections
            default:
                unknownKey(field, path: fieldPath, known: ConfigSchema.endpointKeys)
            }
        }
        for key in [ConfigSchema.nameKey, ConfigSchema.uniqueIdentifierKey] where body.member(named: key) == nil {
            error(path.appending(key), value.range.start, "required key \(JSONText.quoted(key)) is missing")
            valid = false
        }
        guard valid, let name, let uniqueIdentifier,
              let endpoint = try? Endpoint(name: name.0, description: description, uniqueIdentifier: uniqueIdentifier.0,
                                           legacyPorts: legacyPorts)
        else { return nil }
        return ParsedEndpoint(endpoint: endpoint, namePosition: name.1, uniqueIdentifierPosition: uniqueIdentifier.1)
    }

    /// A `midi1Ports` object: `namingApproach` ("default", "classicCompatible", "newStyle"),
    /// `restoreConnections` and (top level only) `umpOnly`. A bad value is an error and that
    /// setting keeps its default; the entry itself still applies.
    mutating func walkMidi1Ports(_ value: JSONValue, path: JSONPath, known: [String]) -> LegacyPortOptions {
        var options = LegacyPortOptions()
        guard let body = object(value, at: path, shape: "namingApproach, restoreConnections") else { return options }
        for field in body.effectiveMembers where field.key != ConfigSchema.commentKey {
            let fieldPath = path.appending(field.key)
            let position = field.value.range.start
            guard known.contains(field.key) else {
                unknownKey(field, path: fieldPath, known: known)
                continue
            }
            switch field.key {
            case ConfigSchema.namingApproachKey:
                let words = [LegacyPortNamingApproach.defaultWord] + LegacyPortNamingApproach.allCases.map(\.rawValue)
                guard let text = field.value.string, words.contains(text) else {
                    error(fieldPath, position, "namingApproach must be one of \(words.map { JSONText.quoted($0) }.joined(separator: ", ")); found \(field.value.string.map { JSONText.quoted($0) } ?? field.value.kindDescription); the default applies")
                    continue
                }
                options.namingApproach = LegacyPortNamingApproach(rawValue: text)
            default:
                guard let flag = field.value.bool else {
                    error(fieldPath, position, "\(field.key) must be true or false; found \(field.value.kindDescription); the default applies")
                    continue
                }
                if field.key == ConfigSchema.umpOnlyKey { options.umpOnly = flag } else { options.restoreConnections = flag }
            }
        }
        return options
    }

    mutating func walkGroupCount(_ value: JSONValue, path: JSONPath) -> ConfiguredLoopbackPair.GroupCount? {
        let range = ConfiguredLoopbackPair.GroupCount.allowed
        guard case .number(let number) = value.content, let integer = number.integerValue else {
            error(path, value.range.start, "groupCount must be a whole number from \(range.lowerBound) to \(range.upperBound); found \(value.kindDescription)")
            return nil
        }
        do {
            return try ConfiguredLoopbackPair.GroupCount(integer)
        } catch {
            self.error(path, value.range.start, error.description)
            return nil
        }
    }
}
