/// Everything read about one sound card at arrival time, as plain values — what udev, sysfs,
/// procfs and the control device said — so that turning it into a `USBMIDICardInfo` is pure
/// and testable with text captured in the VM.
public struct SoundCardSnapshot: Hashable, Sendable {
    public var devpath: String
    /// `card1`
    public var sysname: String
    /// The card device's udev properties (`ID_VENDOR_ID`, `ID_PATH_TAG`…; few without udevd).
    public var properties: [String: String]
    /// Attributes of the `usb`/`usb_device` ancestor (`idVendor`, `idProduct`, `serial`,
    /// `manufacturer`, `product`), only those that exist; `nil` when there is no such ancestor.
    public var usbDeviceAttributes: [String: String]?
    /// The card's ancestry, the card first, for computing `ID_PATH` without udevd.
    public var ancestry: [UdevPathId.Link]
    public var rawMidi: [RawMidi]

    /// One `midiC<N>D<D>` device of the card.
    public struct RawMidi: Hashable, Sendable {
        public var device: Int
        public var node: String
        /// `/proc/asound/card<N>/midi<D>`, `nil` when unreadable.
        public var procText: String?
        /// From the control device, `nil` when it could not be asked.
        public var controlInputs: [RawMidiSubstream]?
        public var controlOutputs: [RawMidiSubstream]?

        public init(device: Int, node: String, procText: String?,
                    controlInputs: [RawMidiSubstream]?, controlOutputs: [RawMidiSubstream]?) {
            self.device = device
            self.node = node
            self.procText = procText
            self.controlInputs = controlInputs
            self.controlOutputs = controlOutputs
        }
    }

    public init(devpath: String, sysname: String, properties: [String: String],
                usbDeviceAttributes: [String: String]?, ancestry: [UdevPathId.Link], rawMidi: [RawMidi]) {
        self.devpath = devpath
        self.sysname = sysname
        self.properties = properties
        self.usbDeviceAttributes = usbDeviceAttributes
        self.ancestry = ancestry
        self.rawMidi = rawMidi
    }

    /// The card as a USB MIDI card, or why it is not one.
    ///
    /// Sources, first present wins: VID/PID from the device's `idVendor`/`idProduct`, else
    /// `ID_VENDOR_ID`/`ID_MODEL_ID`; the serial only from the `serial` attribute (raw, as the
    /// device reports it — udev's `ID_SERIAL_SHORT` has spaces turned to `_`, which would make
    /// ids differ with and without udevd); names from the device's strings, else the decoded
    /// `ID_VENDOR_ENC`/`ID_MODEL_ENC`, else the hwdb's `…_FROM_DATABASE`, else `ID_VENDOR`/
    /// `ID_MODEL`; the port path from `ID_PATH`/`ID_PATH_TAG`, else computed like udev.
    public func usbMIDICardInfo() -> Result<USBMIDICardInfo, SoundCardTracker.Rejection> {
        guard let attributes = usbDeviceAttributes else { return .failure(.noUSBParent) }
        guard let cardNumber = Int(sysname.dropFirst("card".count)), sysname.hasPrefix("card") else {
            return .failure(.unreadable("\(sysname) is not a card<N> device"))
        }
        guard let vendorId = Self.hex16(attributes["idVendor"]) ?? Self.hex16(properties["ID_VENDOR_ID"]),
              let productId = Self.hex16(attributes["idProduct"]) ?? Self.hex16(properties["ID_MODEL_ID"]) else {
            return .failure(.unreadable("no idVendor/idProduct on the USB device and no ID_VENDOR_ID/ID_MODEL_ID"))
        }
        let path = properties["ID_PATH"].flatMap(Self.nonEmpty) ?? UdevPathId.path(chain: ancestry)
        let pathTag = properties["ID_PATH_TAG"].flatMap(Self.nonEmpty) ?? path.map(UdevPathId.tag(forPath:))
        guard let path, let pathTag, !pathTag.isEmpty else {
            return .failure(.unreadable("no ID_PATH_TAG and no pci/platform/usb ancestry to compute one"))
        }

        var devices: [RawMidiDeviceInfo] = []
        for raw in rawMidi.sorted(by: { $0.device < $1.device }) {
            switch Self.substreams(of: raw, card: cardNumber) {
            case .success(let device): devices.append(device)
            case .failure(let rejection): return .failure(rejection)
            }
        }
        guard devices.contains(where: { !$0.inputs.isEmpty || !$0.outputs.isEmpty }) else {
            return .failure(.noRawMidi)
        }

        let manufacturer = attributes["manufacturer"].flatMap(Self.nonEmpty)
            ?? properties["ID_VENDOR_ENC"].map(Self.decodeUdevEncoded).flatMap(Self.nonEmpty)
            ?? properties["ID_VENDOR_FROM_DATABASE"].flatMap(Self.nonEmpty)
            ?? properties["ID_VENDOR"].flatMap(Self.nonEmpty)
        let product = attributes["product"].flatMap(Self.nonEmpty)
            ?? properties["ID_MODEL_ENC"].map(Self.decodeUdevEncoded).flatMap(Self.nonEmpty)
            ?? properties["ID_MODEL_FROM_DATABASE"].flatMap(Self.nonEmpty)
            ?? properties["ID_MODEL"].flatMap(Self.nonEmpty)

        return .success(USBMIDICardInfo(
            cardNumber: cardNumber, devpath: devpath, vendorId: vendorId, productId: productId,
            serialNumber: attributes["serial"], manufacturer: manufacturer, product: product,
            path: path, pathTag: pathTag, rawMidiDevices: devices))
    }

    /// Counts from procfs (readable by everyone), names from the control device. When the
    /// control device cannot be asked, names follow snd-usb-audio's own default,
    /// `<device name> MIDI <n>` (kernel 6.1 `sound/usb/midi.c`), so they match `amidi -l` for
    /// devices without named jacks. When procfs is unreadable, the control device's counts are
    /// used; with neither, the card cannot be described.
    static func substreams(of raw: RawMidi, card: Int) -> Result<RawMidiDeviceInfo, SoundCardTracker.Rejection> {
        var proc: ProcAsoundRawMidi?
        if let text = raw.procText {
            do { proc = try ProcAsoundRawMidi(parsing: text) } catch {
                return .failure(.unreadable("/proc/asound/card\(card)/midi\(raw.device): \(error)"))
            }
        }
        func merge(_ numbers: [Int]?, _ named: [RawMidiSubstream]?, _ direction: RawMidiSubstream.Direction,
                   _ deviceName: String) -> [RawMidiSubstream]? {
            guard let numbers else { return named }
            return numbers.map { n in
                let name = named?.first(where: { $0.index == n })?.name ?? "\(deviceName) MIDI \(n + 1)"
                return RawMidiSubstream(direction: direction, device: raw.device, index: n, name: name)
            }
        }
        let deviceName = proc?.name ?? ""
        guard let inputs = merge(proc?.inputs, raw.controlInputs, .input, deviceName),
              let outputs = merge(proc?.outputs, raw.controlOutputs, .output, deviceName) else {
            return .failure(.unreadable(
                "no substream information for \(raw.node): /proc/asound/card\(card)/midi\(raw.device) unreadable and the control device not accessible"))
        }
        return .success(RawMidiDeviceInfo(device: raw.device, node: raw.node, name: deviceName,
                                          inputs: inputs, outputs: outputs))
    }

    /// udev's `*_ENC` encoding: bytes that are unsafe in properties become `\xNN`.
    public static func decodeUdevEncoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count, utf8[i + 1] == UInt8(ascii: "x"),
               let value = UInt8(String(decoding: utf8[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func hex16(_ text: String?) -> UInt16? {
        guard let t = text?.trimmingCharacters(), !t.isEmpty, t.count <= 4 else { return nil }
        return UInt16(t, radix: 16)
    }

    static func nonEmpty(_ text: String) -> String? {
        let t = text.trimmingCharacters()
        return t.isEmpty ? nil : t
    }
}

extension String {
    /// White space trimmed at both ends (no Foundation in this module).
    func trimmingCharacters() -> String {
        let start = firstIndex(where: { !$0.isWhitespace }) ?? endIndex
        let end = lastIndex(where: { !$0.isWhitespace }).map(index(after:)) ?? start
        return String(self[start..<end])
    }
}
