import Foundation
@testable import IPC
@testable import MIDIServices
import Testing

/// The endpoint model has two JSON spellings that programs outside this repository read, and
/// neither may change when the model's code does:
///   - the socket's (IPC's Codable types): old clients talk to new daemons and back;
///   - the console's (`midi … --json`, the SDK's Encodable types): scripts read its keys.
/// Each test encodes one value of every model type with every optional filled, and compares
/// the bytes with the spelling recorded before the SDK came to wrap the wire values
/// (issue 13): a renamed, dropped or added key fails here.
@Suite("Model JSON spellings (socket and console)")
struct ModelSpellingTests {
    // MARK: Samples, every optional filled

    static let endpoint = EndpointInfo(
        id: #"\\?\swd#midisrv#midiu_loop_a_3263827#{e7cce071-3c03-423f-88d3-f1045d02552b}"#,
        name: "Perm Loopback 1A", transportCode: "LOOP", deviceInstanceId: "MIDIU_LOOP_TRANSPORT",
        purpose: .normalMessageEndpoint, nativeDataFormat: .universalMIDIPacket,
        transportSupplied: TransportSuppliedDetails(name: "Perm Loopback 1A", description: "made in the config file",
                                                 serialNumber: "3263827", manufacturerName: "Linux",
                                                 vendorId: 0x1209, productId: 0x4D49),
        userSupplied: UserSuppliedInfo(name: "Mine", description: "renamed"),
        declared: DeclaredEndpointInfo(name: "Declared", productInstanceId: "PI-1", umpVersionMajor: 1, umpVersionMinor: 1,
                                       supportsMIDI10Protocol: true, supportsMIDI20Protocol: true,
                                       supportsSendingJitterReductionTimestamps: false,
                                       supportsReceivingJitterReductionTimestamps: true,
                                       hasStaticFunctionBlocks: true, declaredFunctionBlockCount: 2, configuredProtocol: 2,
                                       deviceIdentity: DeclaredDeviceIdentity(manufacturerId: [0x7D, 0, 0], deviceFamily: 1,
                                                                              deviceFamilyModel: 2, softwareRevisionLevel: [1, 2, 3, 4])),
        functionBlocks: [FunctionBlockInfo(number: 0, name: "Main", isActive: true, direction: .bidirectional,
                                           firstGroup: 1, groupCount: 4, uiHint: 3, midi10: 1, midiCIMessageVersion: 2,
                                           maxSysEx8Streams: 5)],
        groupTerminalBlocks: [GroupTerminalBlockInfo(number: 0, name: "In", direction: .input, firstGroup: 2,
                                                     groupCount: 1, protocol: "midi1")],
        loopback: LoopbackEndpointDetails(associationId: "{0C1B3439-593F-4B7A-8950-4698D97B0897}", side: "A",
                                          uniqueIdentifier: "3263827", isPersistent: true, isMuted: false,
                                          pairedEndpointId: "b-id"),
        alsaClient: 128, openConnectionCount: 2,
        midi1Ports: Midi1PortsInfo(umpOnly: false, namingApproach: "newStyle", restoreConnections: true, clientName: "Client",
                                   names: [Midi1PortNameInfo(port: 1, group: 1, customName: "Custom", classicName: "Group 1",
                                                             newStyleName: "Group 1 (Main)", shownName: "Custom", source: "custom")]),
        kernelSequencerClient: SequencerClientInfo(client: 24, clientName: "Synth",
                                                         ports: [SequencerClientInfo.Port(port: 0, name: "Synth MIDI 1", group: 1)]))

    /// The same endpoint as a listing shows an endpoint with nothing optional: what defaults
    /// the console spells for absent parts.
    static let bareEndpoint = EndpointInfo(
        id: "bare-id", name: "Bare", transportCode: "DIAG", deviceInstanceId: "MIDIU_DIAG_TRANSPORT",
        purpose: .diagnosticPing, nativeDataFormat: .byteStream, transportSupplied: TransportSuppliedDetails(name: "Bare"))

    static let pair = LoopbackPairInfo(
        associationId: "{0C1B3439-593F-4B7A-8950-4698D97B0897}",
        endpointA: LoopbackEndpointSummary(id: "a-id", name: "A", description: "side a", uniqueIdentifier: "u1"),
        endpointB: LoopbackEndpointSummary(id: "b-id", name: "B", description: nil, uniqueIdentifier: "u1"),
        isPersistent: false, isMuted: true, groupCount: 4)

    static let legacyPort = LegacyPortEntry(endpointDeviceId: "a-id", endpointName: "A", transportCode: "LOOP", client: 130,
                                            clientName: "A", port: 2, portName: "Group 2", group: 2, owner: "loopback")

    static let connection = RememberedConnectionInfo(endpointDeviceId: "a-id", port: 1, direction: "to", otherClientName: "Synth",
                                                     otherPortName: "Synth MIDI 1", isConnected: true)

    static let status = ServiceStatus(
        serviceName: "midisrv", serviceVersion: "0.1.0", protocolVersion: "1.0", pid: 1234, mode: "user",
        uptimeSeconds: 12.5, socketPath: "/run/s.sock", configPath: "/c.json", stateDirectory: "/state",
        config: ConfigStatus(state: .invalidEntries, message: "1 entry invalid", issues: ["$.x: bad"], loopbackPairCount: 3),
        alsa: FeatureStatus(available: false, detail: "no seq"), udev: FeatureStatus(available: true, detail: "monitoring"),
        endpointCount: 9, loopbackPairCount: 3,
        scheduler: SchedulerStatus(queued: 1, capacity: 65536, maximumLookAheadNanoseconds: 300, refused: 7),
        clients: [ClientStatus(clientId: 3, name: "midi", credentials: PeerCredentials(pid: 99, uid: 1000, gid: 29),
                               protocolVersion: "1.0",
                               connections: [ConnectionStatus(connection: ConnectionHandle(1), endpointId: "x",
                                                              messagesSent: 10, messagesReceived: 20, droppedOverflow: 5)],
                               subscriptionCount: 1, queuedBytes: 100, queueCapacityBytes: 262144, droppedMessages: 5)])

    // MARK: Encoders

    /// The socket's encoder (IPC's own).
    static func wire<T: Encodable>(_ value: T) -> String { String(decoding: JSONCoding.encode(value), as: UTF8.self) }

    /// The console's encoder settings (`ConsoleOutput.jsonLine`).
    static func console<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    // MARK: The socket

    @Test func socketSpellingOfTheEndpointModel() {
        #expect(Self.wire(Self.endpoint) == Spelling.wireEndpoint)
        #expect(Self.wire(Self.bareEndpoint) == Spelling.wireBareEndpoint)
        #expect(Self.wire(Self.pair) == Spelling.wirePair)
        #expect(Self.wire(Self.legacyPort) == Spelling.wireLegacyPort)
        #expect(Self.wire(Self.connection) == Spelling.wireConnection)
        #expect(Self.wire(Self.status) == Spelling.wireStatus)
    }

    // MARK: The console (the SDK's types)

    @Test func consoleSpellingOfTheSDKTypes() throws {
        #expect(try Self.console(MidiEndpointDeviceInformation(Self.endpoint)) == Spelling.consoleEndpoint)
        #expect(try Self.console(MidiEndpointDeviceInformation(Self.bareEndpoint)) == Spelling.consoleBareEndpoint)
        #expect(try Self.console(MidiLoopbackEndpointPair(Self.pair)) == Spelling.consolePair)
        #expect(try Self.console(Self.legacyPort as MidiLegacyPortInfo) == Spelling.consoleLegacyPort)
        #expect(try Self.console(Self.connection as MidiRememberedConnection) == Spelling.consoleConnection)
        #expect(try Self.console(MidiServiceStatus(Self.status)) == Spelling.consoleStatus)
    }

    /// What the SDK shows of the wire value, property by property (the console's tables and
    /// `properties` read these).
    @Test func sdkPropertiesShowTheWireValue() throws {
        let d = MidiEndpointDeviceInformation(Self.endpoint)
        #expect(d.endpointDeviceId == Self.endpoint.id)
        #expect(d.endpointPurpose == .normalMessageEndpoint && d.nativeDataFormat == .universalMIDIPacket)
        #expect(d.transportSuppliedInfo.transportCode == "LOOP" && d.transportSuppliedInfo.manufacturerName == "Linux")
        #expect(d.userSuppliedInfo.name == "Mine")
        #expect(d.declaredEndpointInfo?.supportsReceivingJitterReductionTimestamps == true)
        #expect(d.declaredDeviceIdentity?.softwareRevisionLevel == [1, 2, 3, 4])
        let block = try #require(d.functionBlocks.first)
        #expect(block.firstGroupIndex == 1 && block.midi10Connection == 1 && block.midiCIMessageVersionFormat == 2
                && block.maxSystemExclusive8Streams == 5 && block.direction == .bidirectional)
        #expect(d.groupTerminalBlocks.first?.firstGroupIndex == 2)
        #expect(d.loopbackInfo?.uniqueId == "3263827" && d.loopbackInfo?.pairedEndpointDeviceId == "b-id")
        #expect(d.alsaClientNumber == 128 && d.openConnectionCount == 2)
        #expect(d.midi1Ports?.namingApproach == .newStyle && d.midi1Ports?.names.first?.shownName == "Custom")
        #expect(d.kernelSequencerClient?.ports.first?.group == 1)
        let bare = MidiEndpointDeviceInformation(Self.bareEndpoint)
        #expect(bare.functionBlocks.isEmpty && bare.groupTerminalBlocks.isEmpty && bare.userSuppliedInfo.name == nil)
        #expect(bare.declaredEndpointInfo == nil && bare.declaredDeviceIdentity == nil && bare.loopbackInfo == nil)
        let status = MidiServiceStatus(Self.status)
        #expect(status.clients.first?.pid == 99 && status.clients.first?.connections.first?.endpointDeviceId == "x")
        #expect(status.config.state == "invalidEntries")
    }
}

/// The spellings as recorded on main before the SDK wrapped the wire values (0938da1).
enum Spelling {
    static let wireEndpoint = ##"{"alsaClient":128,"declared":{"configuredProtocol":2,"declaredFunctionBlockCount":2,"deviceIdentity":{"deviceFamily":1,"deviceFamilyModel":2,"manufacturerId":[125,0,0],"softwareRevisionLevel":[1,2,3,4]},"hasStaticFunctionBlocks":true,"name":"Declared","productInstanceId":"PI-1","supportsMIDI10Protocol":true,"supportsMIDI20Protocol":true,"supportsReceivingJitterReductionTimestamps":true,"supportsSendingJitterReductionTimestamps":false,"umpVersionMajor":1,"umpVersionMinor":1},"deviceInstanceId":"MIDIU_LOOP_TRANSPORT","functionBlocks":[{"direction":"bidirectional","firstGroup":1,"groupCount":4,"isActive":true,"maxSysEx8Streams":5,"midi10":1,"midiCIMessageVersion":2,"name":"Main","number":0,"uiHint":3}],"groupTerminalBlocks":[{"direction":"input","firstGroup":2,"groupCount":1,"name":"In","number":0,"protocol":"midi1"}],"id":"\\\\?\\swd#midisrv#midiu_loop_a_3263827#{e7cce071-3c03-423f-88d3-f1045d02552b}","kernelSequencerClient":{"client":24,"clientName":"Synth","ports":[{"group":1,"name":"Synth MIDI 1","port":0}]},"loopback":{"associationId":"{0C1B3439-593F-4B7A-8950-4698D97B0897}","isMuted":false,"isPersistent":true,"pairedEndpointId":"b-id","side":"A","uniqueIdentifier":"3263827"},"midi1Ports":{"clientName":"Client","names":[{"classicName":"Group 1","customName":"Custom","direction":"both","group":1,"newStyleName":"Group 1 (Main)","port":1,"shownName":"Custom","source":"custom"}],"namingApproach":"newStyle","restoreConnections":true,"umpOnly":false},"name":"Perm Loopback 1A","nativeDataFormat":"universalMIDIPacket","openConnectionCount":2,"purpose":"normalMessageEndpoint","transportCode":"LOOP","transportSupplied":{"description":"made in the config file","manufacturerName":"Linux","name":"Perm Loopback 1A","productId":19785,"serialNumber":"3263827","vendorId":4617},"userSupplied":{"description":"renamed","name":"Mine"}}"##
    static let wireBareEndpoint = ##"{"deviceInstanceId":"MIDIU_DIAG_TRANSPORT","id":"bare-id","name":"Bare","nativeDataFormat":"byteStream","purpose":"diagnosticPing","transportCode":"DIAG","transportSupplied":{"name":"Bare"}}"##
    static let wirePair = ##"{"associationId":"{0C1B3439-593F-4B7A-8950-4698D97B0897}","endpointA":{"description":"side a","id":"a-id","name":"A","uniqueIdentifier":"u1"},"endpointB":{"id":"b-id","name":"B","uniqueIdentifier":"u1"},"groupCount":4,"isMuted":true,"isPersistent":false}"##
    static let wireLegacyPort = ##"{"client":130,"clientName":"A","endpointDeviceId":"a-id","endpointName":"A","group":2,"owner":"loopback","port":2,"portName":"Group 2","transportCode":"LOOP"}"##
    static let wireConnection = ##"{"direction":"to","endpointDeviceId":"a-id","isConnected":true,"otherClientName":"Synth","otherPortName":"Synth MIDI 1","port":1}"##
    static let wireStatus = ##"{"alsa":{"available":false,"detail":"no seq"},"clients":[{"clientId":3,"connections":[{"connection":1,"droppedOverflow":5,"endpointId":"x","messagesReceived":20,"messagesSent":10}],"credentials":{"gid":29,"pid":99,"uid":1000},"droppedMessages":5,"name":"midi","protocolVersion":"1.0","queueCapacityBytes":262144,"queuedBytes":100,"subscriptionCount":1}],"config":{"issues":["$.x: bad"],"loopbackPairCount":3,"message":"1 entry invalid","state":"invalidEntries"},"configPath":"\/c.json","endpointCount":9,"loopbackPairCount":3,"mode":"user","pid":1234,"protocolVersion":"1.0","scheduler":{"capacity":65536,"maximumLookAheadNanoseconds":300,"queued":1,"refused":7},"serviceName":"midisrv","serviceVersion":"0.1.0","socketPath":"\/run\/s.sock","stateDirectory":"\/state","udev":{"available":true,"detail":"monitoring"},"uptimeSeconds":12.5}"##
    static let consoleEndpoint = ##"{"alsaClientNumber":128,"declaredDeviceIdentity":{"deviceFamily":1,"deviceFamilyModel":2,"manufacturerId":[125,0,0],"softwareRevisionLevel":[1,2,3,4]},"declaredEndpointInfo":{"configuredProtocol":2,"declaredFunctionBlockCount":2,"hasStaticFunctionBlocks":true,"name":"Declared","productInstanceId":"PI-1","supportsMIDI10Protocol":true,"supportsMIDI20Protocol":true,"supportsReceivingJitterReductionTimestamps":true,"supportsSendingJitterReductionTimestamps":false,"umpVersionMajor":1,"umpVersionMinor":1},"deviceInstanceId":"MIDIU_LOOP_TRANSPORT","endpointDeviceId":"\\\\?\\swd#midisrv#midiu_loop_a_3263827#{e7cce071-3c03-423f-88d3-f1045d02552b}","endpointPurpose":"normalMessageEndpoint","functionBlocks":[{"direction":"bidirectional","firstGroupIndex":1,"groupCount":4,"isActive":true,"maxSystemExclusive8Streams":5,"midi10Connection":1,"midiCIMessageVersionFormat":2,"name":"Main","number":0,"uiHint":3}],"groupTerminalBlocks":[{"direction":"input","firstGroupIndex":2,"groupCount":1,"name":"In","number":0,"protocol":"midi1"}],"kernelSequencerClient":{"client":24,"clientName":"Synth","ports":[{"group":1,"name":"Synth MIDI 1","port":0}]},"loopbackInfo":{"associationId":"{0C1B3439-593F-4B7A-8950-4698D97B0897}","isMuted":false,"isPersistent":true,"pairedEndpointDeviceId":"b-id","side":"A","uniqueId":"3263827"},"midi1Ports":{"clientName":"Client","names":[{"classicName":"Group 1","customName":"Custom","group":1,"newStyleName":"Group 1 (Main)","port":1,"shownName":"Custom","source":"custom"}],"namingApproach":"newStyle","restoreConnections":true,"umpOnly":false},"name":"Perm Loopback 1A","nativeDataFormat":"universalMIDIPacket","openConnectionCount":2,"transportCode":"LOOP","transportSuppliedInfo":{"description":"made in the config file","manufacturerName":"Linux","name":"Perm Loopback 1A","productId":19785,"serialNumber":"3263827","transportCode":"LOOP","vendorId":4617},"userSuppliedInfo":{"description":"renamed","name":"Mine"}}"##
    static let consoleBareEndpoint = ##"{"deviceInstanceId":"MIDIU_DIAG_TRANSPORT","endpointDeviceId":"bare-id","endpointPurpose":"diagnosticPing","functionBlocks":[],"groupTerminalBlocks":[],"name":"Bare","nativeDataFormat":"byteStream","transportCode":"DIAG","transportSuppliedInfo":{"name":"Bare","transportCode":"DIAG"},"userSuppliedInfo":{}}"##
    static let consolePair = ##"{"associationId":"{0C1B3439-593F-4B7A-8950-4698D97B0897}","endpointA":{"description":"side a","endpointDeviceId":"a-id","name":"A","uniqueId":"u1"},"endpointB":{"endpointDeviceId":"b-id","name":"B","uniqueId":"u1"},"groupCount":4,"isMuted":true,"isPersistent":false}"##
    static let consoleLegacyPort = ##"{"client":130,"clientName":"A","endpointDeviceId":"a-id","endpointName":"A","group":2,"owner":"loopback","port":2,"portName":"Group 2","transportCode":"LOOP"}"##
    static let consoleConnection = ##"{"direction":"to","endpointDeviceId":"a-id","isConnected":true,"otherClientName":"Synth","otherPortName":"Synth MIDI 1","port":1}"##
    static let consoleStatus = ##"{"alsa":{"available":false,"detail":"no seq"},"clients":[{"clientId":3,"connections":[{"connection":1,"droppedOverflow":5,"endpointDeviceId":"x","messagesReceived":20,"messagesSent":10}],"droppedMessages":5,"gid":29,"name":"midi","pid":99,"protocolVersion":"1.0","queueCapacityBytes":262144,"queuedBytes":100,"subscriptionCount":1,"uid":1000}],"config":{"issues":["$.x: bad"],"loopbackPairCount":3,"message":"1 entry invalid","state":"invalidEntries"},"configPath":"/c.json","endpointCount":9,"loopbackPairCount":3,"mode":"user","pid":1234,"protocolVersion":"1.0","scheduler":{"capacity":65536,"maximumLookAheadNanoseconds":300,"queued":1,"refused":7},"serviceName":"midisrv","serviceVersion":"0.1.0","socketPath":"/run/s.sock","stateDirectory":"/state","udev":{"available":true,"detail":"monitoring"},"uptimeSeconds":12.5}"##
}
