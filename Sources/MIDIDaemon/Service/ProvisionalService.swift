import IPC
import ServiceCore
import UMP

/// A minimal in-daemon implementation of `DaemonService` — loopback pairs, the diagnostic
/// loopback and ping, renames — so the process boundary can be built and tested before
/// ServiceCore's runtime (branch `core`) lands. Replace it with an adapter over that runtime;
/// nothing outside this file depends on it. It does not schedule (future timestamps are
/// delivered at once, unchanged) and does not capture metadata.
public final class ProvisionalService: DaemonService {
    final class Connection {
        let id: ServiceConnectionID
        unowned let endpoint: EndpointNode
        let deliver: DeliveryHandler
        init(id: ServiceConnectionID, endpoint: EndpointNode, deliver: @escaping DeliveryHandler) {
            self.id = id
            self.endpoint = endpoint
            self.deliver = deliver
        }
    }

    enum Role { case loopback(LoopbackSide), diagnosticLoopback, diagnosticPing }

    final class EndpointNode {
        let id: EndpointDeviceId
        let role: Role
        var transportName: String
        var transportDescription: String?
        var uniqueIdentifier: String?
        weak var pair: PairNode?
        weak var peer: EndpointNode?
        var connections: [Connection] = []
        init(id: EndpointDeviceId, role: Role, name: String, description: String?, uniqueIdentifier: String? = nil) {
            self.id = id
            self.role = role
            transportName = name
            transportDescription = description
            self.uniqueIdentifier = uniqueIdentifier
        }
    }

    final class PairNode {
        let definition: ConfiguredLoopbackPair
        var isPersistent: Bool
        var isMuted = false
        let a: EndpointNode
        let b: EndpointNode
        init(definition: ConfiguredLoopbackPair, isPersistent: Bool, a: EndpointNode, b: EndpointNode) {
            self.definition = definition
            self.isPersistent = isPersistent
            self.a = a
            self.b = b
        }
    }

    private var endpointsById: [EndpointDeviceId: EndpointNode] = [:]
    private var pairs: [AssociationId: PairNode] = [:]
    private var pairOrder: [AssociationId] = []
    private var connections: [ServiceConnectionID: Connection] = [:]
    private var nextConnection: UInt64 = 0
    private var observers: [ObserverToken: (EndpointChange) -> Void] = [:]
    private var nextObserver = 0
    public private(set) var userSuppliedInfo: [String: UserSuppliedInfo] = [:]

    public init() {
        let diagA = EndpointNode(id: .diagnosticsLoopbackA, role: .diagnosticLoopback, name: "Service Test Loopback A",
                                 description: "Diagnostic loopback: what is sent on A arrives on B")
        let diagB = EndpointNode(id: .diagnosticsLoopbackB, role: .diagnosticLoopback, name: "Service Test Loopback B",
                                 description: "Diagnostic loopback: what is sent on B arrives on A")
        diagA.peer = diagB
        diagB.peer = diagA
        let ping = EndpointNode(id: .diagnosticsPing, role: .diagnosticPing, name: "Service Test Ping (Internal)",
                                description: "Answers ping requests")
        for node in [diagA, diagB, ping] { endpointsById[node.id] = node }
    }

    // MARK: Endpoints

    public func endpoints(filter: EndpointFilter) -> [EndpointInfo] {
        endpointsById.values.filter { admits($0, filter) }.sorted { $0.id < $1.id }.map(info)
    }

    private func admits(_ node: EndpointNode, _ filter: EndpointFilter) -> Bool {
        switch node.role {
        case .loopback: return filter.contains(.includeClientUMPFormatNative)
        case .diagnosticLoopback: return filter.contains(.includeDiagnosticLoopback)
        case .diagnosticPing: return filter.contains(.includeDiagnosticPing)
        }
    }

    public func endpoint(resolving reference: String) -> EndpointInfo? { node(resolving: reference).map(info) }

    private func node(resolving reference: String) -> EndpointNode? {
        if let id = EndpointDeviceId(parsing: reference), let node = endpointsById[id] { return node }
        let wanted = reference.lowercased()
        let matches = endpointsById.values.filter {
            effectiveName($0).lowercased() == wanted || $0.transportName.lowercased() == wanted
        }
        return matches.count == 1 ? matches[0] : nil
    }

    private func effectiveName(_ node: EndpointNode) -> String {
        userSuppliedInfo[node.id.rawValue]?.name ?? node.transportName
    }

    public func setUserSupplied(endpoint reference: String, name: String?, description: String?) throws(ControlError) -> EndpointInfo {
        guard let node = node(resolving: reference) else {
            throw ControlError(code: .notFound, message: "no endpoint \"\(reference)\"")
        }
        if let name, name.allSatisfy(\.isWhitespace) {
            throw ControlError(code: .validationFailed, message: "a custom name must not be blank; pass no name to clear it")
        }
        let value = UserSuppliedInfo(name: name, description: description)
        userSuppliedInfo[node.id.rawValue] = (name == nil && description == nil) ? nil : value
        let updated = info(node)
        notify(.updated(updated, changed: ["userSupplied", "name"]))
        return updated
    }

    public func restoreUserSupplied(_ values: [String: UserSuppliedInfo]) {
        for (id, value) in values { userSuppliedInfo[id] = value }
    }

    // MARK: Loopback pairs

    public func loopbackPairs() -> [LoopbackPairInfo] { pairOrder.compactMap { pairs[$0] }.map(pairInfo) }

    public func createLoopbackPair(_ definition: ConfiguredLoopbackPair, fromConfiguration: Bool) throws(ControlError) -> LoopbackPairInfo {
        guard pairs[definition.associationId] == nil else {
            throw ControlError(code: .alreadyExists, message: "a loopback pair with association id \(definition.associationId) already exists")
        }
        var problems: [String] = []
        let idA = definition.endpointDeviceId(.a), idB = definition.endpointDeviceId(.b)
        for (side, id) in [(LoopbackSide.a, idA), (.b, idB)] where endpointsById[id] != nil {
            problems.append("endpoint\(side.rawValue) unique identifier \"\(definition.endpoint(side).uniqueIdentifier.original)\" is already used by another \(side.rawValue) side")
        }
        let taken = Set(pairs.values.flatMap { [$0.a, $0.b] }.flatMap { [$0.transportName.lowercased(), effectiveName($0).lowercased()] })
        for side in LoopbackSide.allCases where taken.contains(definition.endpoint(side).name.lowercased()) {
            problems.append("endpoint\(side.rawValue) name \"\(definition.endpoint(side).name)\" is already used by another loopback endpoint")
        }
        guard problems.isEmpty else {
            throw ControlError(code: .alreadyExists, message: "cannot create loopback pair \(definition.associationId)", details: problems)
        }
        let a = EndpointNode(id: idA, role: .loopback(.a), name: definition.endpointA.name,
                             description: definition.endpointA.description,
                             uniqueIdentifier: definition.endpointA.uniqueIdentifier.original)
        let b = EndpointNode(id: idB, role: .loopback(.b), name: definition.endpointB.name,
                             description: definition.endpointB.description,
                             uniqueIdentifier: definition.endpointB.uniqueIdentifier.original)
        a.peer = b
        b.peer = a
        let pair = PairNode(definition: definition, isPersistent: fromConfiguration, a: a, b: b)
        a.pair = pair
        b.pair = pair
        pairs[definition.associationId] = pair
        pairOrder.append(definition.associationId)
        endpointsById[idA] = a
        endpointsById[idB] = b
        notify(.added(info(a)))
        notify(.added(info(b)))
        return pairInfo(pair)
    }

    public func removeLoopbackPair(_ associationId: AssociationId, byUser: Bool) throws(ControlError) {
        guard let pair = pairs[associationId] else {
            throw ControlError(code: .notFound, message: "no loopback pair \(associationId)")
        }
        if byUser && pair.isPersistent {
            throw ControlError(code: .notPermitted,
                               message: "loopback pair \(associationId) comes from the configuration file; remove it there")
        }
        pairs[associationId] = nil
        pairOrder.removeAll { $0 == associationId }
        for node in [pair.a, pair.b] {
            for connection in node.connections { connections[connection.id] = nil }
            node.connections.removeAll()
            endpointsById[node.id] = nil
            notify(.removed(id: node.id.rawValue))
        }
    }

    public func setLoopbackPairMuted(_ associationId: AssociationId, muted: Bool) throws(ControlError) -> LoopbackPairInfo {
        guard let pair = pairs[associationId] else {
            throw ControlError(code: .notFound, message: "no loopback pair \(associationId)")
        }
        if pair.isMuted != muted {
            pair.isMuted = muted
            notify(.updated(info(pair.a), changed: ["loopback"]))
            notify(.updated(info(pair.b), changed: ["loopback"]))
        }
        return pairInfo(pair)
    }

    public func markPersistent(_ associationId: AssociationId) {
        pairs[associationId]?.isPersistent = true
    }

    // MARK: Connections

    public func openConnection(endpoint reference: String, deliver: @escaping DeliveryHandler) throws(ControlError) -> (ServiceConnectionID, EndpointInfo) {
        guard let node = node(resolving: reference) else {
            throw ControlError(code: .notFound, message: "no endpoint \"\(reference)\"")
        }
        nextConnection += 1
        let connection = Connection(id: ServiceConnectionID(rawValue: nextConnection), endpoint: node, deliver: deliver)
        connections[connection.id] = connection
        node.connections.append(connection)
        return (connection.id, info(node))
    }

    public func closeConnection(_ id: ServiceConnectionID) {
        guard let connection = connections.removeValue(forKey: id) else { return }
        connection.endpoint.connections.removeAll { $0 === connection }
    }

    public func send(_ message: TimestampedUMP, from id: ServiceConnectionID) -> SendResult {
        guard let connection = connections[id] else { return SendResult(rejected: true) }
        let node = connection.endpoint
        switch node.role {
        case .loopback:
            if node.pair?.isMuted == true { return .delivered }   // the sender is told it was sent
            guard let peer = node.peer else { return SendResult(rejected: true) }
            var stamped = message
            if stamped.timestamp == 0 { stamped.timestamp = MonotonicClock.now() }
            return fanOut(stamped, to: peer, from: id)
        case .diagnosticLoopback:
            guard let peer = node.peer else { return SendResult(rejected: true) }
            return fanOut(message, to: peer, from: id)   // timestamps exactly as sent
        case .diagnosticPing:
            let p = message.packet
            guard p.word0 == 0xF3FE_0000 else { return .delivered }
            let reply = TimestampedUMP(timestamp: MonotonicClock.now(), packet: UMPPacket(0xF3FD_0000, p.word1, p.word2, 0))
            return connection.deliver(reply, nil) ? .delivered : SendResult(receiverOverflow: 1)
        }
    }

    @inline(__always)
    private func fanOut(_ message: TimestampedUMP, to node: EndpointNode, from id: ServiceConnectionID) -> SendResult {
        var result = SendResult()
        for receiver in node.connections where !receiver.deliver(message, id) {
            result.receiverOverflow += 1
        }
        return result
    }

    // MARK: Scheduling (none here)

    public var nextDueTime: UInt64? { nil }
    public func deliverDue(now: UInt64) {}
    public var schedulerStatus: SchedulerStatus? { nil }

    // MARK: Observation

    public func addObserver(_ observer: @escaping (EndpointChange) -> Void) -> ObserverToken {
        nextObserver += 1
        let token = ObserverToken(rawValue: nextObserver)
        observers[token] = observer
        return token
    }

    public func removeObserver(_ token: ObserverToken) { observers[token] = nil }

    private func notify(_ change: EndpointChange) {
        for observer in observers.values { observer(change) }
    }

    // MARK: Info

    private func info(_ node: EndpointNode) -> EndpointInfo {
        let user = userSuppliedInfo[node.id.rawValue]
        var loopback: LoopbackEndpointDetails?
        let transportCode: String
        let purpose: EndpointPurpose
        let parent: DeviceInstanceId
        switch node.role {
        case .loopback(let side):
            transportCode = TransportCode.loopback.rawValue
            purpose = .normalMessageEndpoint
            parent = .loopbackTransport
            if let pair = node.pair {
                loopback = LoopbackEndpointDetails(associationId: pair.definition.associationId.description, side: side.rawValue,
                                                   uniqueIdentifier: node.uniqueIdentifier ?? "", isPersistent: pair.isPersistent,
                                                   isMuted: pair.isMuted, pairedEndpointId: node.peer?.id.rawValue)
            }
        case .diagnosticLoopback:
            transportCode = TransportCode.diagnostics.rawValue
            purpose = .diagnosticLoopback
            parent = .diagnosticsTransport
        case .diagnosticPing:
            transportCode = TransportCode.diagnostics.rawValue
            purpose = .diagnosticPing
            parent = .diagnosticsTransport
        }
        let groupCount = UInt8(node.pair?.definition.groupCount.value ?? 16)
        return EndpointInfo(
            id: node.id.rawValue, name: user?.name ?? node.transportName, transportCode: transportCode,
            deviceInstanceId: parent.rawValue, purpose: purpose, nativeDataFormat: .universalMIDIPacket,
            transportSupplied: TransportSuppliedInfo(name: node.transportName, description: node.transportDescription,
                                                     serialNumber: node.uniqueIdentifier),
            userSupplied: user,
            groupTerminalBlocks: [GroupTerminalBlockInfo(number: 0, name: node.transportName, direction: .bidirectional,
                                                         firstGroup: 0, groupCount: groupCount, protocol: "midi2")],
            loopback: loopback, openConnectionCount: node.connections.count)
    }

    private func pairInfo(_ pair: PairNode) -> LoopbackPairInfo {
        func summary(_ node: EndpointNode) -> LoopbackEndpointSummary {
            LoopbackEndpointSummary(id: node.id.rawValue, name: effectiveName(node), description: node.transportDescription,
                                    uniqueIdentifier: node.uniqueIdentifier ?? "")
        }
        return LoopbackPairInfo(associationId: pair.definition.associationId.description, endpointA: summary(pair.a),
                                endpointB: summary(pair.b), isPersistent: pair.isPersistent, isMuted: pair.isMuted,
                                groupCount: pair.definition.groupCount.value)
    }
}
