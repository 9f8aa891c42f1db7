import IPC
import ServiceCore

/// Control requests → service operations → replies. Every failure is a `ControlError` the
/// client sees; nothing here closes the connection.
extension SessionServer {
    func perform(_ request: ControlRequest, for session: ClientSession) -> ControlReply {
        do {
            return try performThrowing(request, for: session)
        } catch {
            return .failure(error)
        }
    }

    private func performThrowing(_ request: ControlRequest, for session: ClientSession) throws(ControlError) -> ControlReply {
        switch request {
        case .createLoopbackPair(let body):
            let pair = try Self.makePair(body)
            let info = try service.createLoopbackPair(pair, fromConfiguration: false)
            if body.persist == true {
                if let error = persistPair?(pair) {
                    try? service.removeLoopbackPair(pair.associationId, byUser: false)   // nothing half-created
                    throw error
                }
                service.markPersistent(pair.associationId)
                var persisted = info
                persisted.isPersistent = true
                logger.info("client \(session.id) created loopback pair \(pair.associationId) and persisted it")
                return .loopbackPair(persisted)
            }
            logger.info("client \(session.id) created transient loopback pair \(pair.associationId)")
            return .loopbackPair(info)

        case .removeLoopbackPair(let body):
            try service.removeLoopbackPair(try Self.associationId(body.associationId), byUser: true)
            logger.info("client \(session.id) removed loopback pair \(body.associationId)")
            return .done

        case .muteLoopbackPair(let body):
            return .loopbackPair(try service.setLoopbackPairMuted(try Self.associationId(body.associationId), muted: true))

        case .unmuteLoopbackPair(let body):
            return .loopbackPair(try service.setLoopbackPairMuted(try Self.associationId(body.associationId), muted: false))

        case .listLoopbackPairs:
            return .loopbackPairs(service.loopbackPairs())

        case .findEndpoints(let query):
            return .endpoints(service.endpoints(filter: query.filter))

        case .endpointProperties(let reference):
            guard let endpoint = service.endpoint(resolving: reference.endpoint) else {
                throw ControlError(code: .notFound, message: "no endpoint \"\(reference.endpoint)\"")
            }
            return .endpoint(endpoint)

        case .openEndpoint(let body):
            return .connectionOpened(try openConnection(body.endpoint, for: session))

        case .closeEndpoint(let body):
            try closeConnection(body.connection, for: session)
            return .done

        case .renameEndpoint(let body):
            let endpoint = try service.setUserSupplied(endpoint: body.endpoint, name: body.name, description: body.description)
            userSuppliedChanged?()
            return .endpoint(endpoint)

        case .serviceStatus:
            guard var status = statusProvider?() else {
                throw ControlError(code: .internalError, message: "status is not available")
            }
            status.clients = clientStatuses()
            return .status(status)

        case .subscribeEndpointEvents(let body):
            return .subscribed(SubscriptionInfo(subscription: subscribe(body.filter, for: session)))

        case .unsubscribeEndpointEvents(let body):
            guard session.subscriptions.removeValue(forKey: body.subscription) != nil else {
                throw ControlError(code: .notFound, message: "no \(body.subscription)")
            }
            return .done
        }
    }

    static func associationId(_ text: String) throws(ControlError) -> AssociationId {
        do { return try AssociationId(parsing: text) } catch {
            throw ControlError(code: .validationFailed, message: error.description)
        }
    }

    /// The CLI/SDK rules (DESIGN.md §3): unique identifiers are stripped of characters outside
    /// `A-Z a-z 0-9 - _` and generated when absent (one id shared by both sides, as Windows
    /// allows); the association id is generated when absent. Names must be present.
    static func makePair(_ body: CreateLoopbackPairRequest) throws(ControlError) -> ConfiguredLoopbackPair {
        var problems: [String] = []
        var associationId = AssociationId.random()
        if let text = body.associationId {
            do { associationId = try AssociationId(parsing: text) } catch { problems.append(error.description) }
        }
        let generated = UniqueIdentifier.generated()
        func uniqueId(_ text: String?, _ side: String) -> UniqueIdentifier? {
            guard let text else { return generated }
            do { return try UniqueIdentifier(stripping: text) } catch {
                problems.append("endpoint\(side): \(error.description)")
                return nil
            }
        }
        func endpoint(_ definition: LoopbackEndpointDefinition, _ side: String) -> ConfiguredLoopbackPair.Endpoint? {
            guard let id = uniqueId(definition.uniqueIdentifier, side) else { return nil }
            do {
                return try ConfiguredLoopbackPair.Endpoint(name: definition.name, description: definition.description,
                                                           uniqueIdentifier: id)
            } catch {
                problems.append("endpoint\(side): \(error.description)")
                return nil
            }
        }
        let a = endpoint(body.endpointA, "A")
        let b = endpoint(body.endpointB, "B")
        var groupCount: ConfiguredLoopbackPair.GroupCount?
        if let value = body.groupCount {
            do { groupCount = try ConfiguredLoopbackPair.GroupCount(value) } catch { problems.append(error.description) }
        }
        guard problems.isEmpty, let a, let b else {
            throw ControlError(code: .validationFailed, message: "invalid loopback pair definition", details: problems)
        }
        do {
            return try ConfiguredLoopbackPair(associationId: associationId, endpointA: a, endpointB: b, groupCount: groupCount)
        } catch {
            throw ControlError(code: .validationFailed, message: "invalid loopback pair definition", details: [error.description])
        }
    }
}
