import UMP

/// Multi-packet stream text being assembled on one endpoint (the UMP module's assembler:
/// complete / start / continue / end, one text of each kind in progress at a time).
typealias StreamTextAssembler = UMPStreamTextAssembler

// Metadata capture (docs/design.md §7): the UMP stream notifications an endpoint sends become its
// declared info. "Sends" means: what a client sends *through* a loopback or diagnostic
// loopback side (an app sending an Endpoint Name Notification through A renames A), and what
// a device sends to the host. Requests (discovery, stream configuration request) and
// anything the ping endpoint gets are not captured. Decoding is the UMP module's.
extension MidiService {
    /// Applies one type-F packet leaving `node` to its declared info. An unchanged value
    /// raises no event and causes no save.
    func captureStreamMessage(_ packet: UMPPacket, on node: EndpointNode) {
        guard let message = UMPStreamMessage(packet) else { return }
        switch message {
        case .endpointInfoNotification(let info):
            update(node) {
                $0.declared.endpointInfo = info
            }
        case .deviceIdentityNotification(let identity):
            update(node) { $0.declared.deviceIdentity = identity }
        case .streamConfigurationNotification(let configuration):
            update(node) {
                $0.declared.streamConfiguration = DeclaredStreamConfiguration(
                    protocol: configuration.protocol.rawValue,
                    receiveJitterReductionTimestamps: configuration.receivesJRTimestamps,
                    sendJitterReductionTimestamps: configuration.transmitsJRTimestamps)
            }
        case .functionBlockInfoNotification(let block):
            guard block.functionBlock < Self.maximumFunctionBlocks else { return }
            update(node) {
                $0.declared.updateFunctionBlock(block.functionBlock) { b in
                    b.isActive = block.isActive
                    b.direction = block.direction
                    b.uiHint = block.uiHint
                    b.midi10 = block.midi1
                    b.firstGroup = block.firstGroup
                    b.groupCount = block.numberOfGroupsSpanned
                    b.midiCIMessageVersionFormat = block.midiCIMessageVersion
                    b.maxSysEx8Streams = block.maxSysEx8Streams
                }
            }
        case .endpointNameNotification, .productInstanceIdNotification, .functionBlockNameNotification:
            let text = node.streamText.append(packet) { [self] _ in counters.malformedStreamText += 1 }
            switch text {
            // What a device (or any client sending on a loopback) declares is cleaned to
            // `EndpointText`'s rules: it is shown in listings, logs and terminals.
            case .endpointName(let name)?:
                update(node) { $0.declared.endpointName = EndpointText.sanitized(name, field: .name) }
            case .productInstanceId(let id)?:
                update(node) { $0.declared.productInstanceId = EndpointText.sanitized(id, field: .name) }
            case .functionBlockName(let number, let name)? where number < Self.maximumFunctionBlocks:
                update(node) { $0.declared.updateFunctionBlock(number) { $0.name = EndpointText.sanitized(name, field: .name) } }
            default:
                break
            }
        default:
            return
        }
    }

    /// An endpoint declares at most 32 function blocks (M2-104-UM §6.1); higher numbers are ignored.
    static let maximumFunctionBlocks: UInt8 = 32
}
