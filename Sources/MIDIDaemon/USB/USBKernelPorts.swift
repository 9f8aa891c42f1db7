import ALSASequencer

/// The kernel's own sequencer client and ports of a USB MIDI device's sound card, as
/// information for `midi enumerate legacy-endpoints` and the endpoint's properties (ALSA
/// programs see the device through them; docs/usb-midi.md). Read from
/// `/proc/asound/seq/clients` when asked: the kernel makes, numbers and removes them with the
/// card, so there is nothing to follow.
enum USBKernelPorts {
    /// The card's MIDI client in `table` and its ports, each with the 1-based group whose
    /// substream it is (output substream first, the direction the host writes; else input).
    static func published(for plan: USBEndpointPlan, card: Int, in table: SequencerClientTable) -> PublishedLegacyPorts? {
        guard let client = table.midiClient(ofCard: card) else { return nil }
        var groups: [Int: Int] = [:]
        for port in plan.inputs + plan.outputs.reversed() {   // outputs last: they win
            let number = SequencerClientTable.portNumber(device: port.address.device, substream: port.address.subdevice)
            groups[number] = Int(port.group) + 1
        }
        let ports = client.ports.map { PublishedLegacyPorts.Port(port: $0.number, name: $0.name, group: groups[$0.number]) }
        return PublishedLegacyPorts(client: client.number, clientName: client.name, ports: ports, owner: PublishedLegacyPorts.kernelOwner)
    }
}
