import IPC
import UMP

/// Sample values for round trips; every optional filled, so a field the codec drops shows up.
enum Fixtures {
    static let endpoint = EndpointInfo(
        id: #"\\?\swd#midisrv#midiu_loop_a_3263827#{e7cce071-3c03-423f-88d3-f1045d02552b}"#,
        name: "Perm Loopback 1A", transportCode: "LOOP", deviceInstanceId: "MIDIU_LOOP_TRANSPORT",
        purpose: .normalMessageEndpoint, nativeDataFormat: .universalMIDIPacket,
        transportSupplied: TransportSuppliedDetails(name: "Perm Loopback 1A", description: "made in the config file",
                                                 serialNumber: "3263827", manufacturerName: "Linux",
                                                 vendorId: 0x1209, productId: 0x4D49),
        userSupplied: UserSuppliedInfo(name: "Mine ✓", description: "renamed"),
        declared: DeclaredEndpointInfo(name: "Declared", productInstanceId: "PI-1", umpVersionMajor: 1, umpVersionMinor: 1,
                                       supportsMIDI10Protocol: true, supportsMIDI20Protocol: true,
                                       supportsSendingJitterReductionTimestamps: false,
                                       supportsReceivingJitterReductionTimestamps: false,
                                       hasStaticFunctionBlocks: true, declaredFunctionBlockCount: 2, configuredProtocol: 2,
                                       deviceIdentity: DeclaredDeviceIdentity(manufacturerId: [0x7D, 0, 0], deviceFamily: 1,
                                                                              deviceFamilyModel: 2, softwareRevisionLevel: [1, 2, 3, 4])),
        functionBlocks: [FunctionBlockInfo(number: 0, name: "Main", isActive: true, direction: .bidirectional,
                                           firstGroup: 0, groupCount: 4, uiHint: 3, midi10: 0, midiCIMessageVersion: 2,
                                           maxSysEx8Streams: 0)],
        groupTerminalBlocks: [GroupTerminalBlockInfo(number: 0, name: "In", direction: .input, firstGroup: 0,
                                                     groupCount: 1, protocol: "midi1")],
        loopback: LoopbackEndpointDetails(associationId: "{0C1B3439-593F-4B7A-8950-4698D97B0897}", side: "A",
                                          uniqueIdentifier: "3263827", isPersistent: true, isMuted: false,
                                          pairedEndpointId: #"\\?\swd#midisrv#midiu_loop_b_3263827#{e7cce071-3c03-423f-88d3-f1045d02552b}"#),
        alsaClient: 128, openConnectionCount: 2)

    static let pair = LoopbackPairInfo(
        associationId: "{0C1B3439-593F-4B7A-8950-4698D97B0897}",
        endpointA: LoopbackEndpointSummary(id: "a-id", name: "A", description: "side a", uniqueIdentifier: "u1"),
        endpointB: LoopbackEndpointSummary(id: "b-id", name: "B", description: nil, uniqueIdentifier: "u1"),
        isPersistent: false, isMuted: true, groupCount: 4)

    static let status = ServiceStatus(
        serviceName: "midisrv", serviceVersion: "0.1.0", protocolVersion: "1.0", pid: 1234, mode: "user",
        uptimeSeconds: 12.5, socketPath: "/run/user/1000/midi-services/midisrv.sock",
        configPath: "/home/u/.config/midi-services/default.midiconfig.json", stateDirectory: "/home/u/.local/state/midi-services",
        config: ConfigStatus(state: .invalidEntries, message: "1 entry invalid",
                             issues: ["$.endpointTransportPluginSettings.x: bad"], loopbackPairCount: 3),
        alsa: FeatureStatus(available: false, detail: "/dev/snd/seq missing"),
        udev: FeatureStatus(available: true, detail: "monitoring"),
        endpointCount: 9, loopbackPairCount: 3,
        scheduler: SchedulerStatus(queued: 1, capacity: 65536, maximumLookAheadNanoseconds: 300_000_000_000, refused: 7),
        clients: [ClientStatus(clientId: 3, name: "midi", credentials: PeerCredentials(pid: 99, uid: 1000, gid: 29),
                               protocolVersion: "1.0",
                               connections: [ConnectionStatus(connection: ConnectionHandle(1), endpointId: "x",
                                                              messagesSent: 10, messagesReceived: 20, droppedOverflow: 5)],
                               subscriptionCount: 1, queuedBytes: 100, queueCapacityBytes: 262144, droppedMessages: 5)])

    static let requests: [ControlRequest] = [
        .createLoopbackPair(CreateLoopbackPairRequest(
            associationId: "{B21B4973-3F85-48A0-8BA3-B35F44683D36}",
            endpointA: LoopbackEndpointDefinition(name: "A", description: "d", uniqueIdentifier: "5150-1984"),
            endpointB: LoopbackEndpointDefinition(name: "B", description: nil, uniqueIdentifier: nil),
            persist: true, groupCount: 4)),
        .removeLoopbackPair(LoopbackPairReference(associationId: "{B21B4973-3F85-48A0-8BA3-B35F44683D36}")),
        .muteLoopbackPair(LoopbackPairReference(associationId: "x")),
        .unmuteLoopbackPair(LoopbackPairReference(associationId: "y")),
        .listLoopbackPairs,
        .findEndpoints(EndpointQuery(filter: [.allStandardEndpoints, .includeDiagnosticPing])),
        .endpointProperties(EndpointReference(endpoint: "loop_a_default")),
        .openEndpoint(OpenEndpointRequest(endpoint: "diag_loopback_a")),
        .closeEndpoint(CloseEndpointRequest(connection: ConnectionHandle(7))),
        .renameEndpoint(RenameEndpointRequest(endpoint: "loop_b_x", name: "Näme", description: "desc")),
        .renameEndpoint(RenameEndpointRequest(endpoint: "loop_b_x", name: nil)),
        .serviceStatus,
        .subscribeEndpointEvents(SubscribeRequest(filter: .all)),
        .unsubscribeEndpointEvents(UnsubscribeRequest(subscription: SubscriptionID(4))),
    ]

    static let replies: [ControlReply] = [
        .failure(ControlError(code: .notPermitted, message: "pair comes from the config file", details: ["a", "b"])),
        .done,
        .loopbackPair(pair),
        .loopbackPairs([pair, pair]),
        .endpoints([endpoint]),
        .endpoint(endpoint),
        .connectionOpened(OpenedConnection(connection: ConnectionHandle(3), endpoint: endpoint)),
        .status(status),
        .subscribed(SubscriptionInfo(subscription: SubscriptionID(2))),
    ]

    static let events: [ServiceEvent] = [
        .endpointAdded(endpoint),
        .endpointRemoved(EndpointRemoved(id: "gone")),
        .endpointUpdated(EndpointUpdated(endpoint: endpoint, changed: ["name", "userSupplied"])),
        .enumerationCompleted,
        .connectionClosed(ConnectionClosed(connection: ConnectionHandle(9), endpointId: "e", reason: "pair removed")),
    ]

    /// Messages of every size: type 0 (1 word), 2 (1), 4 (2), 3 (2), 5 (4), F (4), 1 (1).
    static let messages: [TimestampedUMP] = [
        TimestampedUMP(timestamp: 0, packet: UMPPacket(0x0000_0000)),
        TimestampedUMP(timestamp: 1, packet: UMPPacket(0x2090_3C7F)),
        TimestampedUMP(timestamp: 0xFFFF_FFFF_FFFF_FFFF, packet: UMPPacket(0x4190_3C00, 0xFFFF_0000)),
        TimestampedUMP(timestamp: 42, packet: UMPPacket(0x3016_0102, 0x0304_0506)),
        TimestampedUMP(timestamp: 43, packet: UMPPacket(0x5000_0000, 1, 2, 3)),
        TimestampedUMP(timestamp: 44, packet: UMPPacket(0xF3FE_0000, 0xDEAD_BEEF, 0x1234_5678, 0)),
        TimestampedUMP(timestamp: 45, packet: UMPPacket(0x10F8_0000)),
    ]

    static var allFrames: [Frame] {
        var frames: [Frame] = [
            .hello(Hello(pid: 4242, clientName: "midi console ✓")),
            .welcome(Welcome(daemonPid: 1, clientId: 17, serviceName: "midisrv", serviceVersion: "0.1.0")),
            .refusal(Refusal(reason: .versionMismatch, message: "daemon speaks 1.0, client 2.0")),
            .sendReport(SendReport(connection: ConnectionHandle(5), messages: 100, receiverOverflow: 3,
                                   schedulerRefused: 2, rejected: 1)),
            .umpBatch(UMPBatch(connection: ConnectionHandle(5), messages: messages, reportRequested: true)),
            .umpBatch(UMPBatch(connection: ConnectionHandle(6), messages: [])),
            .unknownRequest(RequestID(77), operation: 999),
            .unknownEvent(SubscriptionID(2), kind: 500),
        ]
        for (i, r) in requests.enumerated() { frames.append(.request(RequestID(UInt32(i + 1)), r)) }
        for (i, r) in replies.enumerated() { frames.append(.response(RequestID(UInt32(i + 100)), r)) }
        for (i, e) in events.enumerated() { frames.append(.event(i % 2 == 0 ? SubscriptionID(UInt32(i + 1)) : nil, e)) }
        return frames
    }
}

/// Decodes a single-datagram frame, failing the test if it fragments.
func decodeOne(_ bytes: [UInt8]) throws -> Frame? {
    var decoder = FrameDecoder()
    return try decoder.decode(bytes)
}

/// Runs `body`, returning the FrameError it threw, or nil.
func frameError(_ body: () throws -> Void) -> FrameError? {
    do { try body(); return nil } catch let error as FrameError { return error } catch { return nil }
}

/// A deterministic generator so a failing property case can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Fixtures {
    /// Messages of every size (the message type is random), with random timestamps; the words
    /// past each message's size are zero, as `UMPPacket.init` stores them.
    static func randomMessages(count: Int, using rng: inout SplitMix64) -> [TimestampedUMP] {
        (0..<count).map { _ in
            TimestampedUMP(timestamp: rng.next(),
                           packet: UMPPacket(UInt32(truncatingIfNeeded: rng.next()), UInt32(truncatingIfNeeded: rng.next()),
                                             UInt32(truncatingIfNeeded: rng.next()), UInt32(truncatingIfNeeded: rng.next())))
        }
    }
}
