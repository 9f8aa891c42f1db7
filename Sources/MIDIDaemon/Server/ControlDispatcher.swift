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
            let persist = body.persist == true
            if persist { try authorization.requireConfigOwner(session.credentials.uid, to: "persisting a loopback pair") }
            do {
                try service.createLoopbackPair(pair.definition(defaults: service.legacyPortDefaults), origin: persist ? .configured : .transient)
            } catch {
                throw ControlError(error)
            }
            if persist, let error = persistPair?(pair) {
                try? service.removeLoopbackPair(associationId: pair.associationId, origin: .configured)   // nothing half-created
                throw error
            }
            if !persist { authorization.created(pair.associationId, by: session.credentials.uid) }
            logger.info("client \(session.id) (uid \(session.credentials.uid)) created \(persist ? "persistent" : "transient") loopback pair \(pair.associationId)")
            return .loopbackPair(try wirePair(pair.associationId))

        case .removeLoopbackPair(let body):
            let id = try Self.associationId(body.associationId)
            if body.persist == true, service.loopbackPair(id)?.origin == .configured {
                try authorization.requireConfigOwner(session.credentials.uid, to: "removing a persisted loopback pair")
                // The file first: if it cannot be edited, the pair stays as it is.
                if let error = unpersistPair?(id) { throw error }
                do { try service.removeLoopbackPair(associationId: id, origin: .configured) } catch { throw ControlError(error) }
                authorization.removed(id)
                logger.info("client \(session.id) (uid \(session.credentials.uid)) removed persistent loopback pair \(id) and its configuration entry")
                return .done
            }
            if let pair = service.loopbackPair(id), pair.origin == .transient {
                try authorization.requirePairControl(session.credentials.uid, id, origin: .transient, to: "remove")
            }
            do { try service.removeLoopbackPair(associationId: id, origin: .transient) } catch { throw ControlError(error) }
            authorization.removed(id)
            logger.info("client \(session.id) (uid \(session.credentials.uid)) removed loopback pair \(id)")
            return .done

        case .muteLoopbackPair(let body), .unmuteLoopbackPair(let body):
            let id = try Self.associationId(body.associationId)
            let mute: Bool
            if case .muteLoopbackPair = request { mute = true } else { mute = false }
            if let pair = service.loopbackPair(id) {
                try authorization.requirePairControl(session.credentials.uid, id, origin: pair.origin, to: mute ? "mute" : "unmute")
            }
            do { try service.setMuted(associationId: id, mute) } catch { throw ControlError(error) }
            return .loopbackPair(try wirePair(id))

        case .listLoopbackPairs:
            return .loopbackPairs(service.loopbackPairs.map(service.wirePair))

        case .findEndpoints(let query):
            return .endpoints(service.endpoints(matching: query.filter).map(wireEndpoint))

        case .endpointProperties(let reference):
            return .endpoint(try wireEndpoint(resolving: reference.endpoint))

        case .openEndpoint(let body):
            return .connectionOpened(try openConnection(body.endpoint, for: session))

        case .closeEndpoint(let body):
            try closeConnection(body.connection, for: session)
            return .done

        case .renameEndpoint(let body):
            try authorization.requireConfigOwner(session.credentials.uid, to: "renaming an endpoint")
            let id: EndpointDeviceId
            do { id = try service.resolveEndpoint(body.endpoint) } catch { throw ControlError(error) }
            // Both checked before either is applied: a rename is all or nothing.
            if let description = body.description, let problem = EndpointText.problem(in: description, field: .description) {
                throw ControlError(code: .validationFailed, message: "not renamed: \(problem)")
            }
            do {
                try service.setCustomName(body.name, for: id)
                if let description = body.description {
                    try service.setCustomDescription(description.isEmpty ? nil : description, for: id)
                }
            } catch .invalidText(let problem) {
                throw ControlError(code: .validationFailed, message: "not renamed: \(problem)")
            } catch {
                throw ControlError(code: .notFound, message: error.description)
            }
            return .endpoint(try wireEndpoint(resolving: id.rawValue))

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

        case .renamePort, .listLegacyPorts, .listConnections, .forgetConnections, .clearDeclaredInfo:
            return try performLegacyPorts(request)
        }
    }

    private func wirePair(_ id: AssociationId) throws(ControlError) -> LoopbackPairInfo {
        guard let pair = service.loopbackPair(id) else { throw ControlError(code: .notFound, message: "no loopback pair \(id)") }
        return service.wirePair(pair)
    }

    private func wireEndpoint(resolving reference: String) throws(ControlError) -> EndpointInfo {
        let id: EndpointDeviceId
        do { id = try service.resolveEndpoint(reference) } catch { throw ControlError(error) }
        guard let endpoint = service.endpoint(id) else { throw ControlError(code: .notFound, message: "no endpoint \(id)") }
        return wireEndpoint(endpoint)
    }

    static func associationId(_ text: String) throws(ControlError) -> AssociationId {
        do { return try AssociationId(parsing: text) } catch {
            throw ControlError(code: .validationFailed, message: error.description)
        }
    }

    /// The CLI/SDK rules (docs/design.md §3): unique identifiers are stripped of characters outside
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
            var options = LegacyPortOptions(umpOnly: definition.umpOnly, restoreConnections: definition.restoreConnections)
            if let word = definition.namingApproach, word != LegacyPortNamingApproach.defaultWord {
                guard let approach = LegacyPortNamingApproach(rawValue: word) else {
                    let words = [LegacyPortNamingApproach.defaultWord] + LegacyPortNamingApproach.allCases.map(\.rawValue)
                    problems.append("endpoint\(side): naming approach \"\(word)\" is not one of \(words.joined(separator: ", "))")
                    return nil
                }
                options.namingApproach = approach
            }
            do {
                return try ConfiguredLoopbackPair.Endpoint(name: definition.name, description: definition.description,
                                                           uniqueIdentifier: id, legacyPorts: options)
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
