import IPC
import ServiceCore

/// ServiceCore's model → the wire's Codable types. The daemon is the one place that knows both.
extension MidiService {
    func wireEndpoint(_ endpoint: MidiEndpoint, alsaClient: Int? = nil, legacyPorts: PublishedLegacyPorts? = nil) -> EndpointInfo {
        var loopback: LoopbackEndpointDetails?
        if let associationId = endpoint.loopbackAssociationId, let side = endpoint.loopbackSide,
           let pair = loopbackPair(associationId) {
            loopback = LoopbackEndpointDetails(
                associationId: associationId.description, side: side.rawValue,
                uniqueIdentifier: pair.definition.endpoint(side).uniqueIdentifier.original,
                isPersistent: pair.origin == .configured, isMuted: pair.isMuted,
                pairedEndpointId: pair.definition.endpointId(side.other).rawValue)
        }
        let supplied = endpoint.transportSupplied
        let custom = endpoint.customization
        let declared = endpoint.declared
        return EndpointInfo(
            id: endpoint.id.rawValue, name: endpoint.displayName, transportCode: endpoint.transport.rawValue,
            deviceInstanceId: endpoint.deviceInstanceId.rawValue, purpose: endpoint.purpose,
            nativeDataFormat: endpoint.nativeDataFormat,
            transportSupplied: TransportSuppliedDetails(
                name: supplied.name, description: supplied.description.isEmpty ? nil : supplied.description,
                serialNumber: supplied.serialNumber, manufacturerName: supplied.manufacturer,
                vendorId: supplied.vendorId, productId: supplied.productId),
            userSupplied: custom.isEmpty ? nil : UserSuppliedInfo(name: custom.name, description: custom.description),
            declared: declared.isEmpty ? nil : declared.wire,
            functionBlocks: declared.functionBlocks.isEmpty ? nil : declared.functionBlocks.map(\.wire),
            groupTerminalBlocks: endpoint.groupTerminalBlocks.map(\.wire),
            loopback: loopback, alsaClient: alsaClient, openConnectionCount: connectionCount(on: endpoint.id),
            midi1Ports: endpoint.transport == .loopback && !endpoint.isDiagnostic ? Self.midi1Ports(endpoint, published: legacyPorts) : nil,
            kernelSequencerClient: legacyPorts.flatMap(Self.kernelClient))
    }

    /// A USB device's kernel client as published by the USB extension (owner "kernel").
    static func kernelClient(_ published: PublishedLegacyPorts) -> SequencerClientInfo? {
        published.owner == PublishedLegacyPorts.kernelOwner ? published.sequencerClient : nil
    }

    /// The `listLegacyPorts` rows of one endpoint: one per ALSA client:port published for it.
    static func legacyPortEntries(_ endpoint: MidiEndpoint, published: PublishedLegacyPorts) -> [LegacyPortEntry] {
        published.ports.map { port in
            LegacyPortEntry(endpointDeviceId: endpoint.id.rawValue, endpointName: endpoint.displayName,
                            transportCode: endpoint.transport.rawValue, client: published.client,
                            clientName: published.clientName, port: port.port, portName: port.name, group: port.group,
                            owner: published.owner)
        }
    }

    /// The MIDI 1.0 port settings and name table of a loopback endpoint (docs/alsa-bridge.md).
    static func midi1Ports(_ endpoint: MidiEndpoint, published: PublishedLegacyPorts?) -> Midi1PortsInfo {
        let names = LegacyPortNames(endpoint: endpoint)
        let clientName = published?.clientName ?? names.clientName
        var rows = [Midi1PortNameInfo(port: 0, group: nil, customName: nil, classicName: names.clientName,
                                      newStyleName: endpoint.displayName, shownName: clientName, source: "endpoint")]
        for group in names.groups {
            rows.append(Midi1PortNameInfo(port: Int(group.group) + 1, group: Int(group.group) + 1, customName: group.custom,
                                          classicName: group.classic, newStyleName: group.newStyle,
                                          shownName: group.shown, source: group.source))
        }
        let settings = endpoint.legacyPorts
        return Midi1PortsInfo(umpOnly: settings.umpOnly, namingApproach: settings.namingApproach.rawValue,
                              restoreConnections: settings.restoreConnections,
                              clientName: published?.clientName, names: settings.umpOnly ? [] : rows)
    }

    func wirePair(_ pair: RegisteredLoopbackPair) -> LoopbackPairInfo {
        func summary(_ side: LoopbackSide) -> LoopbackEndpointSummary {
            let definition = pair.definition.endpoint(side)
            let id = pair.definition.endpointId(side)
            return LoopbackEndpointSummary(id: id.rawValue, name: endpoint(id)?.displayName ?? definition.name,
                                           description: definition.description.isEmpty ? nil : definition.description,
                                           uniqueIdentifier: definition.uniqueIdentifier.original)
        }
        return LoopbackPairInfo(associationId: pair.associationId.description, endpointA: summary(.a),
                                    endpointB: summary(.b), isPersistent: pair.origin == .configured,
                                    isMuted: pair.isMuted, groupCount: pair.groupCount)
    }
}

extension DeclaredEndpointState {
    var wire: DeclaredEndpointInfo {
        var info = DeclaredEndpointInfo(name: endpointName, productInstanceId: productInstanceId,
                                            configuredProtocol: streamConfiguration?.protocol)
        if let e = endpointInfo {
            info.umpVersionMajor = e.umpVersionMajor
            info.umpVersionMinor = e.umpVersionMinor
            info.supportsMIDI10Protocol = e.supportsMIDI1Protocol
            info.supportsMIDI20Protocol = e.supportsMIDI2Protocol
            info.supportsSendingJitterReductionTimestamps = e.transmitsJRTimestamps
            info.supportsReceivingJitterReductionTimestamps = e.receivesJRTimestamps
            info.hasStaticFunctionBlocks = e.staticFunctionBlocks
            info.declaredFunctionBlockCount = e.numberOfFunctionBlocks
        }
        if let d = deviceIdentity {
            info.deviceIdentity = DeclaredDeviceIdentity(manufacturerId: d.manufacturerIdBytes, deviceFamily: d.family,
                                                         deviceFamilyModel: d.familyModel, softwareRevisionLevel: d.softwareRevisionBytes)
        }
        return info
    }
}

extension DeclaredFunctionBlock {
    var wire: FunctionBlockInfo {
        FunctionBlockInfo(number: number, name: name.isEmpty ? nil : name, isActive: isActive,
                          direction: direction == .input ? .input : direction == .output ? .output : .bidirectional,
                          firstGroup: firstGroup, groupCount: groupCount, uiHint: uiHint.rawValue, midi10: midi10.rawValue,
                          midiCIMessageVersion: midiCIMessageVersionFormat, maxSysEx8Streams: maxSysEx8Streams)
    }
}

extension GroupTerminalBlock {
    var wire: GroupTerminalBlockInfo {
        let protocolName: String?
        switch `protocol` {
        case .unknown: protocolName = nil
        case .midi2, .midi2WithJitterReduction: protocolName = "midi2"
        default: protocolName = "midi1"
        }
        let wireDirection: BlockDirection = direction == .input ? .input : direction == .output ? .output : .bidirectional
        return GroupTerminalBlockInfo(number: number, name: name.isEmpty ? nil : name, direction: wireDirection,
                                      firstGroup: firstGroup, groupCount: groupCount, protocol: protocolName)
    }
}

extension EndpointProperties {
    /// Names for `EndpointUpdated.changed`.
    var wireNames: [String] {
        let names: [(EndpointProperties, String)] = [
            (.name, "name"), (.description, "description"), (.customization, "userSupplied"),
            (.declaredEndpointName, "declaredEndpointName"), (.declaredEndpointInfo, "declaredEndpointInfo"),
            (.deviceIdentity, "deviceIdentity"), (.productInstanceId, "productInstanceId"),
            (.functionBlocks, "functionBlocks"), (.streamConfiguration, "streamConfiguration"),
            (.muted, "muted"), (.groupTerminalBlocks, "groupTerminalBlocks"),
            (.transportSuppliedInfo, "transportSupplied"),
        ]
        return names.filter { contains($0.0) }.map(\.1)
    }
}

extension RememberedConnection {
    /// A remembered connection on the wire; `isConnected` is the ALSA helper's live state.
    func wireInfo(isConnected: Bool) -> RememberedConnectionInfo {
        RememberedConnectionInfo(endpointDeviceId: endpoint.rawValue, port: port, direction: direction.rawValue,
                                 otherClientName: otherClient, otherPortName: otherPort, isConnected: isConnected)
    }
}

extension ControlError {
    init(_ error: LoopbackError) {
        let code: Code
        switch error {
        case .blankName, .groupCountOutOfRange, .sameNameOnBothSides: code = .validationFailed
        case .duplicateEndpointName, .duplicateUniqueIdentifier, .duplicateAssociationId: code = .alreadyExists
        case .pairNotFound: code = .notFound
        case .configuredPairNotRemovable, .notAConfiguredPair: code = .notPermitted
        case .tooManyPairs: code = .limitExceeded
        }
        self.init(code: code, message: error.description)
    }

    init(_ error: EndpointResolutionError) {
        switch error {
        case .empty: self.init(code: .invalidRequest, message: error.description)
        case .notFound: self.init(code: .notFound, message: error.description)
        case .ambiguous(_, let candidates):
            self.init(code: .invalidRequest, message: error.description, details: candidates.map(\.rawValue))
        }
    }
}

extension ConfiguredLoopbackPair {
    /// The config layer's validated pair as the runtime's definition, with the global MIDI 1.0
    /// port defaults applied to what the pair leaves unset — so a change of the defaults in
    /// the file changes the definition, and the pair is re-created with it.
    func definition(defaults: LegacyPortSettings) -> LoopbackPairDefinition {
        func side(_ e: Endpoint) -> LoopbackSideDefinition {
            LoopbackSideDefinition(name: e.name, description: e.description ?? "", uniqueIdentifier: e.uniqueIdentifier,
                                                   legacyPorts: e.legacyPorts.resolved(with: defaults))
        }
        return LoopbackPairDefinition(associationId: associationId, endpointA: side(endpointA), endpointB: side(endpointB),
                                      groupCount: groupCount.value)
    }
}
