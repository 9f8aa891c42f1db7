#if canImport(Glibc)
import Glibc
import POSIX
#endif

/// Reads a `SoundCardSnapshot` from the live system: libudev for the card, its USB ancestor
/// and its rawmidi devices; procfs and the control device for substreams.
struct SoundCardInspector {
    let context: UdevContext
    var procRoot = "/proc/asound"
    var devRoot = "/dev/snd"

    static let usbDeviceAttributeNames = ["idVendor", "idProduct", "serial", "manufacturer", "product"]

    func snapshot(of card: UdevDevice) -> SoundCardSnapshot {
        let usb = card.parent(subsystem: "usb", devtype: "usb_device")
        var attributes: [String: String]?
        if let usb {
            var a: [String: String] = [:]
            for name in Self.usbDeviceAttributeNames {
                if let v = usb.sysattrValue(name) { a[name] = v }
            }
            attributes = a
        }
        var ancestry: [UdevPathId.Link] = []
        var node: UdevDevice? = card
        while let n = node {
            ancestry.append(.init(subsystem: n.subsystem, devtype: n.devtype, sysname: n.sysname))
            node = n.parent
        }
        // Only USB cards need their rawmidi devices looked at.
        let cardNumber = Int(card.sysname.dropFirst("card".count))
        let rawMidi = (usb != nil && cardNumber != nil) ? rawMidiDevices(of: card, cardNumber: cardNumber ?? 0) : []
        return SoundCardSnapshot(devpath: card.devpath, sysname: card.sysname, properties: card.properties,
                                 usbDeviceAttributes: attributes, ancestry: ancestry, rawMidi: rawMidi)
    }

    /// `midiC<N>D<D>` children of the card, with what procfs and the control device say.
    private func rawMidiDevices(of card: UdevDevice, cardNumber: Int) -> [SoundCardSnapshot.RawMidi] {
        let prefix = "midiC\(cardNumber)D"
        var devices: [(Int, String)] = []
        do {
            let e = try UdevEnumerator(context: context)
            try e.matchParent(card)
            try e.matchSubsystem("sound")
            try e.matchSysname(prefix + "*")
            for d in try e.scanDevices() {
                guard let number = Int(d.sysname.dropFirst(prefix.count)), d.sysname.hasPrefix(prefix) else { continue }
                devices.append((number, d.devnode ?? "\(devRoot)/\(d.sysname)"))
            }
        } catch {
            return []   // The card left while we looked; its remove event follows.
        }
        let control = try? RawMidiControl(card: cardNumber, devRoot: devRoot)
        return devices.sorted { $0.0 < $1.0 }.map { number, node in
            SoundCardSnapshot.RawMidi(
                device: number, node: node,
                procText: Self.readSmallFile("\(procRoot)/card\(cardNumber)/midi\(number)"),
                controlInputs: try? control?.substreams(device: number, direction: .input),
                controlOutputs: try? control?.substreams(device: number, direction: .output))
        }
    }

    /// A procfs file in one go (they have no size; read until EOF), `nil` when unreadable.
    static func readSmallFile(_ path: String, limit: Int = 1 << 16) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let n = retryingOnInterrupt { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) } }
            if n < 0 { return nil }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
