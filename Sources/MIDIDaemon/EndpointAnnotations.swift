import ServiceCore

/// What the daemon's extensions know about an endpoint that ServiceCore does not — today the
/// ALSA sequencer client the bridge made for it — so that `EndpointInfo.alsaClient` can say it.
///
/// Extensions write here from the loop thread (`DaemonContext.annotations`); the session server
/// reads it whenever it describes an endpoint and tells watchers when a value changes, as an
/// `endpointUpdated` whose `changed` names the property (`"alsaClient"`).
public final class EndpointAnnotations {
    public private(set) var alsaClients: [EndpointDeviceId: Int] = [:]

    /// Set by the session server: announce a change of `property` (wire name) on an endpoint.
    var changed: ((EndpointDeviceId, String) -> Void)?

    public init() {}

    /// The ALSA sequencer client number published for an endpoint, if any.
    public func alsaClient(for id: EndpointDeviceId) -> Int? { alsaClients[id] }

    /// Publishes (or, with nil, withdraws) the sequencer client number of an endpoint.
    public func setALSAClient(_ client: Int?, for id: EndpointDeviceId) {
        guard alsaClients[id] != client else { return }
        alsaClients[id] = client
        changed?(id, "alsaClient")
    }
}
