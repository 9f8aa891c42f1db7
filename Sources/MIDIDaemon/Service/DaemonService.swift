import IPC
import ServiceCore
import UMP

/// The daemon's view of the service it owns: the seam between the process boundary (sessions,
/// the ALSA bridge, the udev monitor) and ServiceCore's runtime. Everything is called on the
/// event loop's thread.
///
/// Values cross this seam as the IPC module's Codable types (`EndpointInfo`,
/// `LoopbackPairInfo`…) because that is what every caller hands on.
public protocol DaemonService: AnyObject {
    // MARK: Endpoints

    /// Endpoints the filter admits, sorted by id.
    func endpoints(filter: EndpointFilter) -> [EndpointInfo]
    /// Resolves a full id, a short form (`loop_a_x`, `diag_loopback_a`) or a unique name.
    func endpoint(resolving reference: String) -> EndpointInfo?
    /// Sets or clears the user-supplied name/description. Throws `.notFound`.
    func setUserSupplied(endpoint reference: String, name: String?, description: String?) throws(ControlError) -> EndpointInfo
    /// What the state directory restores at start (no events for endpoints not yet present).
    func restoreUserSupplied(_ values: [String: UserSuppliedInfo])
    /// All user customizations, keyed by full EndpointDeviceId (for the state file).
    var userSuppliedInfo: [String: UserSuppliedInfo] { get }

    // MARK: Loopback pairs

    func loopbackPairs() -> [LoopbackPairInfo]
    /// Creates a pair; `fromConfiguration` marks it persistent (not removable through the API).
    func createLoopbackPair(_ pair: ConfiguredLoopbackPair, fromConfiguration: Bool) throws(ControlError) -> LoopbackPairInfo
    /// Removes a pair. `byUser` = through the API: refused (`.notPermitted`) for config pairs.
    func removeLoopbackPair(_ associationId: AssociationId, byUser: Bool) throws(ControlError)
    func setLoopbackPairMuted(_ associationId: AssociationId, muted: Bool) throws(ControlError) -> LoopbackPairInfo
    /// Marks an existing transient pair persistent (after `--persist` wrote it to the file).
    func markPersistent(_ associationId: AssociationId)

    // MARK: Connections and the message path

    /// Opens a connection to an endpoint. `deliver` is called synchronously, on the loop thread,
    /// for every message the endpoint receives, with the connection that sent it (nil for
    /// internal sources); it returns `false` when it could not take the message (its queue is
    /// full), which the service counts into the sender's `SendResult`.
    func openConnection(endpoint reference: String, deliver: @escaping DeliveryHandler) throws(ControlError) -> (ServiceConnectionID, EndpointInfo)
    func closeConnection(_ connection: ServiceConnectionID)
    /// The hot path: no allocation, no locks.
    func send(_ message: TimestampedUMP, from connection: ServiceConnectionID) -> SendResult

    // MARK: Scheduling

    /// When the earliest scheduled message falls due (CLOCK_MONOTONIC ns), if any.
    var nextDueTime: UInt64? { get }
    /// Delivers what is due at `now`.
    func deliverDue(now: UInt64)
    var schedulerStatus: SchedulerStatus? { get }

    // MARK: Observation

    /// Calls `observer` for every endpoint added, removed or updated (including renames and
    /// mute changes). The ALSA bridge follows loopback endpoints through this.
    @discardableResult
    func addObserver(_ observer: @escaping (EndpointChange) -> Void) -> ObserverToken
    func removeObserver(_ token: ObserverToken)
}

/// Identifies one open connection inside the service (not the client-visible handle).
public struct ServiceConnectionID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "connection \(rawValue)" }
}

public struct ObserverToken: Hashable, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
}

/// Takes one delivered message for a connection; `source` is the sending connection.
public typealias DeliveryHandler = (TimestampedUMP, _ source: ServiceConnectionID?) -> Bool

/// What became of one sent message.
public struct SendResult: Equatable, Sendable {
    /// Receivers whose queues could not take it.
    public var receiverOverflow: Int = 0
    /// The scheduler refused it (too far ahead, or its queue is full).
    public var schedulerRefused = false
    /// The connection is not open / the endpoint is gone.
    public var rejected = false
    public init(receiverOverflow: Int = 0, schedulerRefused: Bool = false, rejected: Bool = false) {
        self.receiverOverflow = receiverOverflow
        self.schedulerRefused = schedulerRefused
        self.rejected = rejected
    }
    public static let delivered = SendResult()
}

public enum EndpointChange: Sendable {
    case added(EndpointInfo)
    case removed(id: String)
    case updated(EndpointInfo, changed: [String])
}
