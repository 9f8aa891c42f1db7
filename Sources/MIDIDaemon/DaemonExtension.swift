import IPC
import Logging
import ServiceCore

/// A part of the daemon that lives next to the service: the ALSA sequencer bridge, the udev
/// monitor. The daemon starts each after the service and the socket are up and stops them
/// before the service goes away.
///
/// How one plugs in:
/// - **into the loop**: `context.loop.registerDescriptor(fd, events:) { events in … }` for its
///   descriptors (ALSA `snd_seq_poll_descriptors`, the udev monitor's fd), `addTimer` for
///   deadlines, `addIterationHook` to flush batched output once per wake-up. Handlers run on the
///   loop thread, like everything else: call the service directly.
/// - **into the service** (ServiceCore's `MidiService`): `addObserver` to follow endpoints
///   (create/rename/remove a sequencer client per loopback endpoint);
///   `openConnection(to:receiver:)` with an `EndpointReceiver` to receive an endpoint's traffic
///   (the bridge writes it to the sequencer port) and `send(_:timestamp:from:)` on that
///   connection to inject traffic as if sent on the endpoint (an event written to A's client
///   enters endpoint A and is received on B); `addDeviceEndpoint` / `receiveFromDevice` /
///   `removeDeviceEndpoint` for USB devices.
public protocol DaemonExtension: AnyObject {
    /// Which status line it fills (`alsa`, `udev`), and its name in logs.
    var role: DaemonExtensionRole { get }
    /// Starts it. Returns what `midi service status` shows; an extension that cannot run on
    /// this machine returns `available: false` with the reason rather than throwing.
    func start(_ context: DaemonContext) -> FeatureStatus
    func stop()
}

public enum DaemonExtensionRole: String, Sendable {
    case alsa, udev, other

    /// How the daemon's "running without …" line names it.
    var displayName: String {
        switch self {
        case .alsa: return "ALSA bridge"
        case .udev: return "USB devices"
        case .other: return "extension"
        }
    }
}

/// What an extension gets to work with.
public struct DaemonContext {
    public let loop: EventLoop
    public let service: MidiService
    public let logger: Logger
    public let options: DaemonOptions
    /// What extensions publish about endpoints (the bridge's ALSA client numbers), shown in
    /// `EndpointInfo` and announced to watchers.
    public let annotations: EndpointAnnotations
}
