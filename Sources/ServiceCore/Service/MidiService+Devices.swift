import MIDIRules
import UMP

/// An endpoint a transport in the daemon owns (a USB MIDI device…), as it announces it.
public struct DeviceEndpointDescriptor: Sendable, Equatable {
    public var id: EndpointDeviceId
    public var transport: TransportCode
    public var deviceInstanceId: DeviceInstanceId
    public var nativeDataFormat: MidiEndpointNativeDataFormat
    public var transportSupplied: TransportSuppliedInfo
    public var groupTerminalBlocks: [GroupTerminalBlock]
    /// Number of groups in use (1…16).
    public var groupCount: Int

    public init(id: EndpointDeviceId, transport: TransportCode, deviceInstanceId: DeviceInstanceId,
                nativeDataFormat: MidiEndpointNativeDataFormat, transportSupplied: TransportSuppliedInfo,
                groupTerminalBlocks: [GroupTerminalBlock], groupCount: Int) {
        self.id = id
        self.transport = transport
        self.deviceInstanceId = deviceInstanceId
        self.nativeDataFormat = nativeDataFormat
        self.transportSupplied = transportSupplied
        self.groupTerminalBlocks = groupTerminalBlocks
        self.groupCount = groupCount
    }
}

/// Why a device endpoint could not be added.
public enum DeviceEndpointError: Error, Equatable, CustomStringConvertible {
    case duplicateEndpointId(EndpointDeviceId)
    case groupCountOutOfRange(Int)

    public var description: String {
        switch self {
        case .duplicateEndpointId(let id): return "an endpoint with id \(id) already exists"
        case .groupCountOutOfRange(let n): return "group count \(n) is out of range 1…16"
        }
    }
}

extension MidiService {
    /// Adds an endpoint backed by a device. Clients send to it through `send` (the service
    /// hands due messages to `device.transmit`); what the device produces comes in through
    /// `receiveFromDevice`.
    public func addDeviceEndpoint(_ descriptor: DeviceEndpointDescriptor, device: any EndpointDevice)
        throws(DeviceEndpointError) -> DeviceEndpointHandle {
        guard nodesById[descriptor.id] == nil else { throw .duplicateEndpointId(descriptor.id) }
        guard (1...16).contains(descriptor.groupCount) else { throw .groupCountOutOfRange(descriptor.groupCount) }
        let node = EndpointNode(model: MidiEndpoint(
            id: descriptor.id, transport: descriptor.transport, deviceInstanceId: descriptor.deviceInstanceId,
            nativeDataFormat: descriptor.nativeDataFormat, transportSupplied: descriptor.transportSupplied,
            groupTerminalBlocks: descriptor.groupTerminalBlocks, groupCount: descriptor.groupCount),
            role: .device(device))
        register(node)
        return DeviceEndpointHandle(slot: node.handle, endpointId: descriptor.id)
    }

    /// Removes a device endpoint (unplugged), closing its connections. Returns whether it existed.
    @discardableResult
    public func removeDeviceEndpoint(_ id: EndpointDeviceId) -> Bool {
        guard let node = nodesById[id], case .device = node.role else { return false }
        unregister(node)
        return true
    }

    /// A message from a device: delivered to every connection open on its endpoint at once
    /// (timestamp 0 becomes the arrival time), captured if it is a stream message. Returns
    /// `connectionClosedOrInvalid` when the endpoint is gone.
    public func receiveFromDevice(_ message: TimestampedUMP, on endpoint: DeviceEndpointHandle) -> SendResult {
        guard let node = endpointSlots.value(endpoint.slot) else { return .connectionClosed }
        counters.deviceMessagesReceived += 1
        let packet = message.packet.normalized
        if packet.messageType == .stream { captureStreamMessage(packet, on: node) }
        let stamped = TimestampedUMP(timestamp: message.timestamp == 0 ? clock.now() : message.timestamp, packet: packet)
        counters.messagesRouted += 1
        return SendResult(messagesAccepted: 1, receiverOverflows: deliver(stamped, to: node))
    }
}
