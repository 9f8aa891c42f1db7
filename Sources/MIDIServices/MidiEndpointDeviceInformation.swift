import IPC
import MIDIRules

/// Everything known about one endpoint (`MidiEndpointDeviceInformation`): a snapshot taken
/// when it was listed. Identify endpoints by `endpointDeviceId`, never by `name` (users rename
/// them). It wraps the service's description as it came over the socket (IPC's `EndpointInfo`);
/// the properties read it.
public struct MidiEndpointDeviceInformation: Sendable, Hashable {
    let wire: EndpointInfo

    init(_ wire: EndpointInfo) { self.wire = wire }

    /// The primary identifier, e.g.
    /// `\\?\swd#midisrv#midiu_loop_a_default#{e7cce071-3c03-423f-88d3-f1045d02552b}`.
    public var endpointDeviceId: String { wire.id }
    /// The name to show: the user's, else the one declared in-protocol, else the transport's.
    public var name: String { wire.name }
    /// The parent device, e.g. `USB\VID_1209&PID_4D49\SER-0001` or `MIDIU_LOOP_TRANSPORT`.
    public var deviceInstanceId: String { wire.deviceInstanceId }
    /// `LOOP`, `DIAG`, `USB`.
    public var transportCode: String { wire.transportCode }
    public var endpointPurpose: MidiEndpointDevicePurpose { wire.purpose }
    public var nativeDataFormat: MidiEndpointNativeDataFormat { wire.nativeDataFormat }
    public var transportSuppliedInfo: MidiEndpointTransportSuppliedInfo {
        MidiEndpointTransportSuppliedInfo(wire: wire.transportSupplied, transportCode: wire.transportCode)
    }
    /// Empty (both nil) when the user customized nothing.
    public var userSuppliedInfo: MidiEndpointUserSuppliedInfo { wire.userSupplied ?? MidiEndpointUserSuppliedInfo() }
    public var declaredEndpointInfo: MidiDeclaredEndpointInfo? { wire.declared.map(MidiDeclaredEndpointInfo.init) }
    public var declaredDeviceIdentity: MidiDeclaredDeviceIdentity? { wire.declared?.deviceIdentity }
    public var functionBlocks: [MidiFunctionBlock] { (wire.functionBlocks ?? []).map(MidiFunctionBlock.init) }
    public var groupTerminalBlocks: [MidiGroupTerminalBlock] { (wire.groupTerminalBlocks ?? []).map(MidiGroupTerminalBlock.init) }
    /// Present for loopback endpoints.
    public var loopbackInfo: MidiLoopbackEndpointInfo? { wire.loopback.map(MidiLoopbackEndpointInfo.init) }
    /// The ALSA sequencer client that publishes this endpoint, when there is one.
    public var alsaClientNumber: Int? { wire.alsaClient }
    /// Connections open on the endpoint across all clients, when the service reports it.
    public var openConnectionCount: Int? { wire.openConnectionCount }
    /// Its MIDI 1.0 ports: settings and name table (loopback endpoints).
    public var midi1Ports: MidiEndpointMidi1Ports? { wire.midi1Ports.map(MidiEndpointMidi1Ports.init) }
    /// A USB device's own ALSA sequencer client and ports, made by the kernel (information:
    /// where ALSA programs find the device). `alsaClientNumber` is its number.
    public var kernelSequencerClient: MidiKernelSequencerClient? { wire.kernelSequencerClient }

    // MARK: Well-known endpoints

    /// The full EndpointDeviceId for an instance part (`loop_a_default`, `diag_loopback_a`…), by
    /// the service's own format (`MIDIRules.EndpointDeviceIdFormat`).
    public static func endpointDeviceId(instance: String) -> String {
        EndpointDeviceIdFormat.id(instance: instance)
    }

    /// Diagnostic loopback A ("Service Test Loopback A"); always present while the service runs.
    public static let diagnosticsLoopbackAEndpointId = endpointDeviceId(instance: EndpointDeviceIdFormat.diagnosticsLoopbackAInstance)
    /// Diagnostic loopback B.
    public static let diagnosticsLoopbackBEndpointId = endpointDeviceId(instance: EndpointDeviceIdFormat.diagnosticsLoopbackBInstance)
    /// The ping endpoint ("Service Test Ping (Internal)"), used by `MidiDiagnostics.ping`.
    public static let diagnosticsPingEndpointId = endpointDeviceId(instance: EndpointDeviceIdFormat.diagnosticsPingInstance)

    // MARK: Finding endpoints

    /// The order `findAll` returns.
    public enum SortOrder: Sendable, Hashable {
        /// As the service lists them (by EndpointDeviceId).
        case none
        /// By name, case-insensitively, then by id.
        case name
        case endpointDeviceId
        case deviceInstanceId
    }

    /// Every endpoint the filter admits (`FindAll`). `session` nil: the process-wide client
    /// (default socket).
    public static func findAll(sortOrder: SortOrder = .name,
                               filter: MidiEndpointDeviceInformationFilters = .allStandardEndpoints,
                               session: MidiSession? = nil) throws(MidiServiceError) -> [MidiEndpointDeviceInformation] {
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.findEndpoints(EndpointQuery(filter: filter)), operation: "list endpoints")
        guard case .endpoints(let list) = reply else { throw .protocolViolation("list endpoints: unexpected \(reply.kind) reply") }
        let devices = list.map(MidiEndpointDeviceInformation.init)
        switch sortOrder {
        case .none: return devices
        case .name:
            return devices.sorted {
                let (l, r) = ($0.name.lowercased(), $1.name.lowercased())
                return l != r ? l < r : $0.endpointDeviceId < $1.endpointDeviceId
            }
        case .endpointDeviceId: return devices.sorted { $0.endpointDeviceId < $1.endpointDeviceId }
        case .deviceInstanceId:
            return devices.sorted { ($0.deviceInstanceId, $0.endpointDeviceId) < ($1.deviceInstanceId, $1.endpointDeviceId) }
        }
    }

    /// The endpoint named by `endpointDeviceId` — the full id, a short form (`loop_a_default`,
    /// `diag_loopback_a`) or a unique endpoint name — or nil when there is none
    /// (`CreateFromEndpointDeviceId`).
    public static func createFromEndpointDeviceId(_ endpointDeviceId: String,
                                                  session: MidiSession? = nil) throws(MidiServiceError) -> MidiEndpointDeviceInformation? {
        let client = try MidiSession.client(for: session)
        do throws(MidiServiceError) {
            let reply = try client.request(.endpointProperties(EndpointReference(endpoint: endpointDeviceId)),
                                           operation: "endpoint \(endpointDeviceId)")
            guard case .endpoint(let info) = reply else { throw MidiServiceError.protocolViolation("endpoint properties: unexpected \(reply.kind) reply") }
            return MidiEndpointDeviceInformation(info)
        } catch {
            if error.code == .notFound { return nil }
            throw error
        }
    }

    /// Sets the user-supplied name and description of an endpoint: `name` nil clears the
    /// custom name; `description` nil leaves the description as it is, "" clears it. The service
    /// stores them against the EndpointDeviceId, so they survive restarts and replugs; watchers
    /// see an update. Returns the endpoint as it is now.
    @discardableResult
    public static func updateUserSuppliedInfo(endpointDeviceId: String, name: String?, description: String? = nil,
                                              session: MidiSession? = nil) throws(MidiServiceError) -> MidiEndpointDeviceInformation {
        if let name, name.allSatisfy(\.isWhitespace) {
            throw .invalidArgument("a custom endpoint name must not be empty or blank")
        }
        let client = try MidiSession.client(for: session)
        let reply = try client.request(.renameEndpoint(RenameEndpointRequest(endpoint: endpointDeviceId, name: name,
                                                                            description: description)),
                                       operation: "rename endpoint \(endpointDeviceId)")
        guard case .endpoint(let info) = reply else { throw .protocolViolation("rename endpoint: unexpected \(reply.kind) reply") }
        return MidiEndpointDeviceInformation(info)
    }
}

// MARK: The console's spelling

extension MidiEndpointDeviceInformation: Encodable {
    private enum CodingKeys: String, CodingKey {
        case endpointDeviceId, name, deviceInstanceId, transportCode, endpointPurpose, nativeDataFormat,
             transportSuppliedInfo, userSuppliedInfo, declaredEndpointInfo, declaredDeviceIdentity, functionBlocks,
             groupTerminalBlocks, loopbackInfo, alsaClientNumber, openConnectionCount, midi1Ports, kernelSequencerClient
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(endpointDeviceId, forKey: .endpointDeviceId)
        try c.encode(name, forKey: .name)
        try c.encode(deviceInstanceId, forKey: .deviceInstanceId)
        try c.encode(transportCode, forKey: .transportCode)
        try c.encode(endpointPurpose, forKey: .endpointPurpose)
        try c.encode(nativeDataFormat, forKey: .nativeDataFormat)
        try c.encode(transportSuppliedInfo, forKey: .transportSuppliedInfo)
        try c.encode(userSuppliedInfo, forKey: .userSuppliedInfo)
        try c.encodeIfPresent(declaredEndpointInfo, forKey: .declaredEndpointInfo)
        try c.encodeIfPresent(declaredDeviceIdentity, forKey: .declaredDeviceIdentity)
        try c.encode(functionBlocks, forKey: .functionBlocks)
        try c.encode(groupTerminalBlocks, forKey: .groupTerminalBlocks)
        try c.encodeIfPresent(loopbackInfo, forKey: .loopbackInfo)
        try c.encodeIfPresent(alsaClientNumber, forKey: .alsaClientNumber)
        try c.encodeIfPresent(openConnectionCount, forKey: .openConnectionCount)
        try c.encodeIfPresent(midi1Ports, forKey: .midi1Ports)
        try c.encodeIfPresent(kernelSequencerClient, forKey: .kernelSequencerClient)
    }
}
