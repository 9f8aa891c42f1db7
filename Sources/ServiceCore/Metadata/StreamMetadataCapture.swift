import UMP

// Placeholder until the UMP stream decoders land (branch `ump`).
struct StreamTextAssembler {}

extension MidiService {
    func captureStreamMessage(_ packet: UMPPacket, on node: EndpointNode) {}
}
