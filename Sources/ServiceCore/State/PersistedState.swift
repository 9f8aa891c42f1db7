import UMP

/// What the service stores for one endpoint.
struct PersistedEndpointState: Equatable {
    var customization = EndpointCustomization()
    var declared = DeclaredEndpointState()
    /// The endpoint's configured loopback pair was muted (kept across restarts and the pair's
    /// re-creation from the configuration file; transient pairs are not recorded).
    var isMuted = false
    var isEmpty: Bool { customization.isEmpty && declared.isEmpty && !isMuted }
}

/// The state file: `{"format": "midi-services-state", "version": 1, "endpoints": {id: {...}}}`.
/// Reading is lenient below the top level: an unknown key is ignored, a field of the wrong
/// type is treated as absent, an entry whose key is not an EndpointDeviceId is skipped — one
/// odd value never costs the user the rest of their names.
enum StateDocument {
    static let format = "midi-services-state"
    static let version = 1

    static func encode(_ states: [EndpointDeviceId: PersistedEndpointState]) -> [UInt8] {
        let endpoints = states.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { id, state in
            (key: id.rawValue, value: encode(state))
        }
        return Array(JSONWriter.state.document(.object([
            ("format", .string(format)),
            ("version", .integer(version)),
            ("endpoints", .object(endpoints)),
        ])).utf8)
    }

    static func decode(_ bytes: [UInt8]) throws(StateDecodingError) -> [EndpointDeviceId: PersistedEndpointState] {
        let root: JSONValue
        do {
            root = try JSONParser.parse(bytes).root
        } catch {
            throw StateDecodingError(error)
        }
        guard root.object != nil else {
            throw StateDecodingError(reason: "the top level is not an object", offset: 0, line: 1, column: 1)
        }
        if let version = root["version"]?.integer(as: Int.self), version > Self.version {
            throw StateDecodingError(reason: "state format version \(version) is newer than this service understands (\(Self.version))",
                                     offset: 0, line: 1, column: 1)
        }
        var result: [EndpointDeviceId: PersistedEndpointState] = [:]
        // Every member, a repeated id included: a later non-empty entry replaces an earlier one.
        for member in root["endpoints"]?.object?.members ?? [] {
            guard let id = EndpointDeviceId(parsing: member.key) else { continue }
            let state = decodeEndpoint(member.value)
            if !state.isEmpty { result[id] = state }
        }
        return result
    }

    // MARK: Encoding

    private static func encode(_ state: PersistedEndpointState) -> JSONOutline {
        var members: [(key: String, value: JSONOutline)] = []
        if let name = state.customization.name { members.append(("customName", .string(name))) }
        if let description = state.customization.description { members.append(("customDescription", .string(description))) }
        if !state.customization.portNames.isEmpty {
            // Keyed by 1-based group number, as users write it.
            members.append(("customPortNames", .object(state.customization.portNames.sorted { $0.key < $1.key }.map {
                (key: String(Int($0.key) + 1), value: JSONOutline.string($0.value))
            })))
        }
        if !state.declared.isEmpty { members.append(("declared", encode(state.declared))) }
        if state.isMuted { members.append(("muted", .bool(true))) }
        return .object(members)
    }

    private static func encode(_ declared: DeclaredEndpointState) -> JSONOutline {
        var members: [(key: String, value: JSONOutline)] = []
        if let name = declared.endpointName { members.append(("endpointName", .string(name))) }
        if let id = declared.productInstanceId { members.append(("productInstanceId", .string(id))) }
        if let info = declared.endpointInfo {
            members.append(("endpointInfo", .object([
                ("umpVersionMajor", int(info.umpVersionMajor)),
                ("umpVersionMinor", int(info.umpVersionMinor)),
                ("hasStaticFunctionBlocks", .bool(info.staticFunctionBlocks)),
                ("functionBlockCount", int(info.numberOfFunctionBlocks)),
                ("supportsMidi2Protocol", .bool(info.supportsMIDI2Protocol)),
                ("supportsMidi1Protocol", .bool(info.supportsMIDI1Protocol)),
                ("supportsReceivingJitterReductionTimestamps", .bool(info.receivesJRTimestamps)),
                ("supportsSendingJitterReductionTimestamps", .bool(info.transmitsJRTimestamps)),
            ])))
        }
        if let identity = declared.deviceIdentity {
            members.append(("deviceIdentity", .object([
                ("systemExclusiveId", bytes(identity.manufacturerIdBytes)),
                ("deviceFamily", bytes(lsbMsb(identity.family))),
                ("deviceFamilyModelNumber", bytes(lsbMsb(identity.familyModel))),
                ("softwareRevisionLevel", bytes(identity.softwareRevisionBytes)),
            ])))
        }
        if let configuration = declared.streamConfiguration {
            members.append(("streamConfiguration", .object([
                ("protocol", int(configuration.protocol)),
                ("receiveJitterReductionTimestamps", .bool(configuration.receiveJitterReductionTimestamps)),
                ("sendJitterReductionTimestamps", .bool(configuration.sendJitterReductionTimestamps)),
            ])))
        }
        if !declared.functionBlocks.isEmpty {
            members.append(("functionBlocks", .array(declared.functionBlocks.map { block in
                .object([
                    ("number", int(block.number)),
                    ("name", .string(block.name)),
                    ("isActive", .bool(block.isActive)),
                    ("direction", int(block.direction.rawValue)),
                    ("uiHint", int(block.uiHint.rawValue)),
                    ("midi10", int(block.midi10.rawValue)),
                    ("firstGroup", int(block.firstGroup)),
                    ("groupCount", int(block.groupCount)),
                    ("midiCIMessageVersionFormat", int(block.midiCIMessageVersionFormat)),
                    ("maxSysEx8Streams", int(block.maxSysEx8Streams)),
                ])
            })))
        }
        return .object(members)
    }

    private static func int(_ value: UInt8) -> JSONOutline { .integer(Int(value)) }
    private static func bytes(_ values: [UInt8]) -> JSONOutline { .array(values.map(int)) }
    /// A 14-bit value as the notification sends it: LSB then MSB, 7 bits each.
    private static func lsbMsb(_ value: UInt16) -> [UInt8] { [UInt8(value & 0x7F), UInt8(value >> 7 & 0x7F)] }
    private static func fourteenBits(_ lsbMsb: [UInt8]) -> UInt16 { UInt16(lsbMsb[0] & 0x7F) | UInt16(lsbMsb[1] & 0x7F) << 7 }

    // MARK: Decoding

    private static func decodeEndpoint(_ value: JSONValue) -> PersistedEndpointState {
        var state = PersistedEndpointState()
        // Cleaned to `EndpointText`'s rules: a file written before them (or by hand) may hold a
        // 2.5 MB name or an escape sequence, and it is read at every start.
        state.customization.name = value["customName"]?.string.map { EndpointText.sanitized($0, field: .name) }
            .flatMap { $0.isBlank ? nil : $0 }
        state.customization.description = value["customDescription"]?.string.map { EndpointText.sanitized($0, field: .description) }
        for member in value["customPortNames"]?.object?.members ?? [] {
            guard let number = Int(member.key), (1...16).contains(number),
                  let name = member.value.string.map({ EndpointText.sanitized($0, field: .name) }), !name.isBlank,
                  name.utf8.count <= LegacyPortNames.nameLimit else { continue }
            state.customization.portNames[UInt8(number - 1)] = name
        }
        if let declared = value["declared"] { state.declared = decodeDeclared(declared) }
        state.isMuted = value["muted"]?.bool ?? false
        return state
    }

    private static func decodeDeclared(_ value: JSONValue) -> DeclaredEndpointState {
        var declared = DeclaredEndpointState()
        declared.endpointName = value["endpointName"]?.string.map { EndpointText.sanitized($0, field: .name) }
        declared.productInstanceId = value["productInstanceId"]?.string.map { EndpointText.sanitized($0, field: .name) }
        if let info = value["endpointInfo"], info.object != nil {
            declared.endpointInfo = EndpointInfoNotification(
                umpVersionMajor: info["umpVersionMajor"]?.integer() ?? 1,
                umpVersionMinor: info["umpVersionMinor"]?.integer() ?? 1,
                staticFunctionBlocks: info["hasStaticFunctionBlocks"]?.bool ?? false,
                numberOfFunctionBlocks: info["functionBlockCount"]?.integer() ?? 0,
                supportsMIDI2Protocol: info["supportsMidi2Protocol"]?.bool ?? false,
                supportsMIDI1Protocol: info["supportsMidi1Protocol"]?.bool ?? false,
                receivesJRTimestamps: info["supportsReceivingJitterReductionTimestamps"]?.bool ?? false,
                transmitsJRTimestamps: info["supportsSendingJitterReductionTimestamps"]?.bool ?? false)
        }
        if let identity = value["deviceIdentity"], identity.object != nil {
            let sysEx = byteList(identity["systemExclusiveId"], count: 3)
            let family = byteList(identity["deviceFamily"], count: 2)
            let model = byteList(identity["deviceFamilyModelNumber"], count: 2)
            let revision = byteList(identity["softwareRevisionLevel"], count: 4)
            declared.deviceIdentity = DeviceIdentityNotification(
                manufacturerIdBytes: sysEx, family: fourteenBits(family), familyModel: fourteenBits(model),
                softwareRevisionBytes: revision)
        }
        if let configuration = value["streamConfiguration"], let proto: UInt8 = configuration["protocol"]?.integer() {
            declared.streamConfiguration = DeclaredStreamConfiguration(
                protocol: proto,
                receiveJitterReductionTimestamps: configuration["receiveJitterReductionTimestamps"]?.bool ?? false,
                sendJitterReductionTimestamps: configuration["sendJitterReductionTimestamps"]?.bool ?? false)
        }
        for block in value["functionBlocks"]?.array ?? [] {
            guard let number: UInt8 = block["number"]?.integer(), number < 32,
                  declared.functionBlock(number) == nil else { continue }
            declared.updateFunctionBlock(number) { b in
                b.name = EndpointText.sanitized(block["name"]?.string ?? "", field: .name)
                b.isActive = block["isActive"]?.bool ?? false
                b.direction = block["direction"]?.integer().flatMap(FunctionBlockDirection.init(rawValue:)) ?? .bidirectional
                b.uiHint = block["uiHint"]?.integer().flatMap(FunctionBlockUIHint.init(rawValue:)) ?? .unknown
                b.midi10 = block["midi10"]?.integer().flatMap(FunctionBlockMIDI1.init(rawValue:)) ?? .notMIDI1
                b.firstGroup = block["firstGroup"]?.integer() ?? 0
                b.groupCount = block["groupCount"]?.integer() ?? 1
                b.midiCIMessageVersionFormat = block["midiCIMessageVersionFormat"]?.integer() ?? 0
                b.maxSysEx8Streams = block["maxSysEx8Streams"]?.integer() ?? 0
            }
        }
        return declared
    }

    /// Exactly `count` bytes from a JSON array of integers; zeros for anything missing or odd.
    private static func byteList(_ value: JSONValue?, count: Int) -> [UInt8] {
        let items = (value?.array ?? []).map { $0.integer(as: UInt8.self) ?? 0 }
        return Array((items + Array(repeating: 0, count: count)).prefix(count))
    }
}
