import UMP

/// How an endpoint treats what a client sends on it.
enum EndpointRole {
    /// Loopback pair side: to every connection of the peer; timestamp 0 becomes arrival time.
    case loopback
    /// Diagnostic loopback A/B: to every connection of the peer; timestamps untouched (0 stays 0).
    case diagnosticLoopback
    /// Diagnostic ping: answers ping requests on the sending connection.
    case diagnosticPing
    /// A device owned by a transport in the daemon (USB…): out to the device.
    case device(any EndpointDevice)
}

/// One open connection as its endpoint sees it.
struct NodeConnection {
    let id: ConnectionID
    let receiver: any EndpointReceiver
    /// `receiver.readsTimestamps`, asked once at opening (not a witness call per send).
    let readsTimestamps: Bool
}

/// The service's live record of an endpoint: the public snapshot plus routing state. One per
/// endpoint, owned by `MidiService`, used only on the service's thread.
///
/// `model`, `peer` and `connections` are read for every message routed, and each read of a
/// class's stored property is a dynamically checked access in release builds
/// (`swift_beginAccess`/`swift_endAccess`, about 100 instructions each — docs/performance.md).
/// They are marked `@exclusivity(unchecked)`, which is safe because no access to them can
/// overlap another: the node is used on one thread only, and every mutation of them is a short
/// in-place edit that calls out to nothing that could touch the node again — assignments,
/// `append`, `removeAll`, and `MidiService.update`, whose edit closures change only the
/// `inout` copy they are given (audited: MidiService+Customization, StreamMetadataCapture,
/// MidiService+Loopback). Routing never holds an access across a call: `deliver` copies the
/// `connections` array (a retain) before calling the receivers. A new mutation that calls out
/// while it holds one of these properties must not be added without removing the attribute.
final class EndpointNode {
    @exclusivity(unchecked) var model: MidiEndpoint
    let role: EndpointRole
    /// The cross-wired other side (loopbacks, diagnostic loopbacks). Cleared on removal to
    /// break the reference cycle.
    @exclusivity(unchecked) var peer: EndpointNode?
    /// Receivers of messages arriving at this endpoint, in opening order.
    @exclusivity(unchecked) var connections: ContiguousArray<NodeConnection> = []
    /// Position in the service's endpoint slot table (what the scheduler remembers).
    var handle = SlotHandle(index: 0, generation: 0)
    /// Multi-packet stream text (names, product instance id) being assembled on this endpoint.
    var streamText = StreamTextAssembler()

    init(model: MidiEndpoint, role: EndpointRole) {
        self.model = model
        self.role = role
    }

    /// Whether a client send is timestamped with the arrival time when it carries 0.
    var stampsZeroTimestamps: Bool {
        if case .diagnosticLoopback = role { return false }
        return true
    }

    /// Whether any connection on this endpoint reads timestamps (`EndpointReceiver.readsTimestamps`).
    var anyConnectionReadsTimestamps: Bool {
        var index = 0
        while index < connections.count {
            if connections[index].readsTimestamps { return true }
            index += 1
        }
        return false
    }
}

/// The daemon's side of a device endpoint: where messages clients send to it go.
public protocol EndpointDevice: AnyObject {
    /// A message a client sent to the endpoint, due now. Returns `false` when the device's
    /// output queue is full; the service counts it as a receiver overflow.
    func transmit(_ message: TimestampedUMP) -> Bool
}

/// Identifies a device endpoint on the hot path for `MidiService.receiveFromDevice`, without a
/// string lookup. Stale once the endpoint is removed.
public struct DeviceEndpointHandle: Hashable, Sendable {
    let slot: SlotHandle
    public let endpointId: EndpointDeviceId
}
