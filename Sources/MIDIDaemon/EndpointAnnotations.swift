import IPC
import ServiceCore

/// What the daemon's extensions know about an endpoint that ServiceCore does not — today the
/// ALSA sequencer client the bridge made for it — so that `EndpointInfo.alsaClient` can say it.
///
/// Extensions write here from the loop thread (`DaemonContext.annotations`); the session server
/// reads it whenever it describes an endpoint and tells watchers when a value changes, as an
/// `endpointUpdated` whose `changed` names the property (`"alsaClient"`).
public final class EndpointAnnotations {
    public private(set) var alsaClients: [EndpointDeviceId: Int] = [:]
    /// Every ALSA client:port that belongs to an endpoint, as the extension that knows it
    /// published it (`midi enumerate legacy-endpoints`, the name table's client name).
    public private(set) var legacyPorts: [EndpointDeviceId: PublishedLegacyPorts] = [:]
    /// The ALSA bridge's memory of subscriptions (`midi connections`), when the bridge runs.
    public var rememberedConnections: (any RememberedConnectionsProvider)?
    /// Set by the USB extension: the kernel's own sequencer client and ports of a USB
    /// endpoint's sound card, looked up when asked (the kernel makes and numbers them; they
    /// are information, not something the daemon owns or follows).
    public var kernelPorts: ((EndpointDeviceId) -> PublishedLegacyPorts?)?

    /// Set by the session server: announce a change of `property` (wire name) on an endpoint.
    var changed: ((EndpointDeviceId, String) -> Void)?

    public init() {}

    /// The ALSA sequencer client number published for an endpoint, if any.
    public func alsaClient(for id: EndpointDeviceId) -> Int? { alsaClients[id] }

    /// The ALSA client and ports of an endpoint: the bridge's for a loopback, the kernel's for
    /// a USB device.
    public func legacyPorts(for id: EndpointDeviceId) -> PublishedLegacyPorts? {
        legacyPorts[id] ?? kernelPorts?(id)
    }

    /// Publishes (or, with nil, withdraws) an endpoint's ALSA client and ports. Not announced
    /// to watchers by itself: `alsaClient` and the endpoint's names already are.
    public func setLegacyPorts(_ ports: PublishedLegacyPorts?, for id: EndpointDeviceId) {
        legacyPorts[id] = ports
    }

    /// Publishes (or, with nil, withdraws) the sequencer client number of an endpoint.
    public func setALSAClient(_ client: Int?, for id: EndpointDeviceId) {
        guard alsaClients[id] != client else { return }
        alsaClients[id] = client
        changed?(id, "alsaClient")
    }
}

/// One endpoint's ALSA sequencer client and ports, as published by the extension that owns
/// them (the bridge for loopbacks; the USB extension, informationally, for a card's client).
public struct PublishedLegacyPorts: Equatable, Sendable {
    public typealias Port = SequencerClientInfo.Port

    /// The client and its ports, in the wire's shape (a USB device's is
    /// `EndpointInfo.kernelSequencerClient` as it is).
    public var sequencerClient: SequencerClientInfo
    /// `loopbackOwner` (the daemon's own client) or `kernelOwner` (a sound card's client).
    public var owner: String

    /// The owner words, as `LegacyPortEntry.owner` carries them on the wire.
    public static let loopbackOwner = "loopback"
    public static let kernelOwner = "kernel"

    public init(client: Int, clientName: String, ports: [Port], owner: String) {
        sequencerClient = SequencerClientInfo(client: client, clientName: clientName, ports: ports)
        self.owner = owner
    }

    public var client: Int { sequencerClient.client }
    public var clientName: String { sequencerClient.clientName }
    public var ports: [Port] { sequencerClient.ports }
}

/// What `midi connections list|forget` reach: the bridge's remembered subscriptions.
public protocol RememberedConnectionsProvider: AnyObject {
    /// Remembered subscriptions of `endpoint` (all when nil), with whether each exists now.
    func rememberedConnections(of endpoint: EndpointDeviceId?) -> [RememberedConnectionInfo]
    /// Forgets them (the subscriptions themselves stay until someone removes them); returns
    /// what was forgotten.
    func forgetConnections(of endpoint: EndpointDeviceId?) -> [RememberedConnectionInfo]
}
