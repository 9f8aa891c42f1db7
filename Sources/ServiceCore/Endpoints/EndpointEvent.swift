/// What a watcher hears (`MidiEndpointDeviceWatcher` Added/Removed/Updated). Delivered
/// synchronously, on the service's thread, after the change is complete.
public enum EndpointEvent: Sendable, Equatable {
    case added(MidiEndpoint)
    case removed(EndpointDeviceId)
    /// The endpoint as it is now, and which of its properties changed.
    case updated(MidiEndpoint, changed: EndpointProperties)

    /// The endpoint the event is about.
    public var endpointId: EndpointDeviceId {
        switch self {
        case .added(let endpoint): return endpoint.id
        case .removed(let id): return id
        case .updated(let endpoint, _): return endpoint.id
        }
    }
}

/// The properties an `updated` event reports as changed.
public struct EndpointProperties: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `displayName` changed (custom rename or in-protocol Endpoint Name).
    public static let name = Self(rawValue: 1 << 0)
    /// `displayDescription` changed.
    public static let description = Self(rawValue: 1 << 1)
    /// The user's custom name or description changed.
    public static let customization = Self(rawValue: 1 << 2)
    /// The declared Endpoint Name changed.
    public static let declaredEndpointName = Self(rawValue: 1 << 3)
    /// The declared endpoint info (Endpoint Info Notification) changed.
    public static let declaredEndpointInfo = Self(rawValue: 1 << 4)
    public static let deviceIdentity = Self(rawValue: 1 << 5)
    public static let productInstanceId = Self(rawValue: 1 << 6)
    /// A function block's info or name changed.
    public static let functionBlocks = Self(rawValue: 1 << 7)
    public static let streamConfiguration = Self(rawValue: 1 << 8)
    /// The loopback pair was muted or unmuted.
    public static let muted = Self(rawValue: 1 << 9)
    public static let groupTerminalBlocks = Self(rawValue: 1 << 10)
    public static let transportSuppliedInfo = Self(rawValue: 1 << 11)

    /// Any of the declared (in-protocol) properties.
    public static let declaredInfo: Self = [.declaredEndpointName, .declaredEndpointInfo, .deviceIdentity,
                                            .productInstanceId, .functionBlocks, .streamConfiguration]
}

/// Identifies a registered observer, for `removeObserver`.
public struct ObserverToken: Hashable, Sendable {
    let rawValue: Int
}
