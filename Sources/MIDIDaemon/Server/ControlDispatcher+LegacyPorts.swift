import IPC
import ServiceCore

/// The MIDI 1.0 (ALSA) port requests: custom port names, the legacy port listing, remembered
/// connections, and clearing captured declared info.
extension SessionServer {
    func performLegacyPorts(_ request: ControlRequest) throws(ControlError) -> ControlReply {
        switch request {
        case .renamePort(let body):
            let id = try resolve(body.endpoint)
            guard (1...16).contains(body.group) else {
                throw ControlError(code: .validationFailed, message: "group \(body.group) is out of range: groups are 1 to 16")
            }
            do { try service.setCustomPortName(body.name, group: UInt8(body.group - 1), for: id) } catch {
                if case .endpointNotFound = error { throw ControlError(code: .notFound, message: error.description) }
                throw ControlError(code: .validationFailed, message: error.description)
            }
            return .endpoint(try endpointInfo(id))

        case .listLegacyPorts:
            var entries: [LegacyPortEntry] = []
            for endpoint in service.endpoints(matching: .all) {
                guard let published = annotations.legacyPorts(for: endpoint.id) else { continue }
                entries += MidiService.legacyPortEntries(endpoint, published: published)
            }
            return .legacyPorts(entries)

        case .listConnections(let body), .forgetConnections(let body):
            let id = try body.endpoint.map { (text) throws(ControlError) -> EndpointDeviceId in try resolve(text) }
            guard let memory = annotations.rememberedConnections else {
                throw ControlError(code: .unsupportedOperation, message: "the ALSA bridge is not running, so no connections are remembered")
            }
            if case .forgetConnections = request {
                let forgotten = memory.forgetConnections(of: id)
                logger.info("forgot \(forgotten.count) remembered ALSA connection(s)\(id.map { " of \($0)" } ?? "")")
                return .connections(forgotten)
            }
            return .connections(memory.rememberedConnections(of: id))

        case .clearDeclaredInfo(let body):
            let id = try resolve(body.endpoint)
            do { try service.clearDeclaredInfo(for: id) } catch { throw ControlError(code: .notFound, message: error.description) }
            return .endpoint(try endpointInfo(id))

        default:
            throw ControlError(code: .unsupportedOperation, message: "\(request.operation) is not a MIDI 1.0 port request")
        }
    }

    private func resolve(_ reference: String) throws(ControlError) -> EndpointDeviceId {
        do { return try service.resolveEndpoint(reference) } catch { throw ControlError(error) }
    }

    private func endpointInfo(_ id: EndpointDeviceId) throws(ControlError) -> EndpointInfo {
        guard let endpoint = service.endpoint(id) else { throw ControlError(code: .notFound, message: "no endpoint \(id)") }
        return wireEndpoint(endpoint)
    }
}
