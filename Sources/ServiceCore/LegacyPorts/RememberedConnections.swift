/// One ALSA subscription between a port of an endpoint's MIDI 1.0 client and another
/// program's port, remembered by names — the other side's client and port *names*, never
/// numbers, which change from run to run — so it can be remade when either side comes back
/// (docs/alsa-bridge.md, "Connections that come back").
public struct RememberedConnection: Hashable, Sendable {
    public enum Direction: String, Hashable, Sendable {
        /// The other port sends to ours.
        case from
        /// Ours sends to the other port.
        case to
    }

    public var endpoint: EndpointDeviceId
    /// The endpoint's port: 0 (all groups) or n (group n).
    public var port: Int
    public var direction: Direction
    public var otherClient: String
    public var otherPort: String

    public init(endpoint: EndpointDeviceId, port: Int, direction: Direction, otherClient: String, otherPort: String) {
        self.endpoint = endpoint
        self.port = port
        self.direction = direction
        self.otherClient = otherClient
        self.otherPort = otherPort
    }
}

/// The remembered connections, in the order they were made, each once; bounded so that no
/// program making and breaking subscriptions in a loop can grow it without limit.
public struct RememberedConnectionList: Equatable, Sendable {
    public private(set) var entries: [RememberedConnection] = []
    /// At most this many; when full, the oldest entry goes.
    public static let limit = 4096

    public init(entries: [RememberedConnection] = []) {
        for entry in entries { remember(entry) }
    }

    /// Adds `entry` (moving it to the end if known). Returns whether the list changed.
    @discardableResult
    public mutating func remember(_ entry: RememberedConnection) -> Bool {
        if let index = entries.firstIndex(of: entry) {
            guard index != entries.count - 1 else { return false }
            entries.remove(at: index)
        }
        entries.append(entry)
        if entries.count > Self.limit { entries.removeFirst(entries.count - Self.limit) }
        return true
    }

    @discardableResult
    public mutating func forget(_ entry: RememberedConnection) -> Bool {
        guard let index = entries.firstIndex(of: entry) else { return false }
        entries.remove(at: index)
        return true
    }

    /// Forgets every entry of `endpoint` (all when nil); returns them.
    public mutating func forgetAll(of endpoint: EndpointDeviceId?) -> [RememberedConnection] {
        let gone = entries.filter { endpoint == nil || $0.endpoint == endpoint }
        entries.removeAll { endpoint == nil || $0.endpoint == endpoint }
        return gone
    }

    public func entries(of endpoint: EndpointDeviceId?) -> [RememberedConnection] {
        entries.filter { endpoint == nil || $0.endpoint == endpoint }
    }

    // MARK: The file

    static let format = "midi-services-alsa-connections"
    static let version = 1

    /// `{"format": …, "version": 1, "connections": [{endpoint, port, direction, otherClient, otherPort}]}`.
    public func encoded() -> [UInt8] {
        let items: [JSONOutline] = entries.map { entry in
            .object([
                ("endpoint", .string(entry.endpoint.rawValue)),
                ("port", .integer(entry.port)),
                ("direction", .string(entry.direction.rawValue)),
                ("otherClient", .string(entry.otherClient)),
                ("otherPort", .string(entry.otherPort)),
            ])
        }
        return Array(JSONWriter.state.document(.object([
            ("format", .string(Self.format)),
            ("version", .integer(Self.version)),
            ("connections", .array(items)),
        ])).utf8)
    }

    /// Reads the file leniently: an entry with a missing or odd field is skipped, the others
    /// kept. A file that is not JSON throws.
    public static func decode(_ bytes: [UInt8]) throws(JSONSyntaxError) -> RememberedConnectionList {
        let root = try JSONParser.parse(bytes).root
        var list = RememberedConnectionList()
        for item in root["connections"]?.array ?? [] {
            guard let id = item["endpoint"]?.string.flatMap(EndpointDeviceId.init(parsing:)),
                  let port: Int = item["port"]?.integer(), (0...16).contains(port),
                  let direction = item["direction"]?.string.flatMap(RememberedConnection.Direction.init(rawValue:)),
                  let otherClient = item["otherClient"]?.string, let otherPort = item["otherPort"]?.string
            else { continue }
            list.remember(RememberedConnection(endpoint: id, port: port, direction: direction,
                                               otherClient: otherClient, otherPort: otherPort))
        }
        return list
    }
}
