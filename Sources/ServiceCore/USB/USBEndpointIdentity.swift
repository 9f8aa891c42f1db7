/// What the USB transport knows about a device that decides its identity. Platform-free: the
/// daemon fills it from udev (`ID_VENDOR_ID`, `ID_MODEL_ID`, the `serial` sysattr,
/// `ID_PATH_TAG`).
public struct USBDeviceIdentityFacts: Hashable, Sendable {
    public var vendorId: UInt16
    public var productId: UInt16
    /// The `iSerialNumber` string as reported; `nil` when the device has none.
    public var serialNumber: String?
    /// The port path (udev `ID_PATH_TAG`, e.g. `pci-0000_00_14_0-usb-0_2_1_0`): stable for
    /// "the same device in the same socket".
    public var portPathTag: String

    public init(vendorId: UInt16, productId: UInt16, serialNumber: String?, portPathTag: String) {
        self.vendorId = vendorId
        self.productId = productId
        self.serialNumber = serialNumber
        self.portPathTag = portPathTag
    }
}

/// The ids given to one attached USB MIDI device (docs/design.md §2).
public struct USBEndpointIdentity: Hashable, Sendable {
    /// What the ids were built from.
    public enum Basis: Hashable, Sendable {
        /// The device's own serial number (trimmed, as reported).
        case serialNumber(String)
        /// The port path tag; `serialAssessment` says why the serial was not used (`.usable`
        /// means it was usable but already held by an attached device of the same VID/PID).
        case portPath(String, serialAssessment: USBSerialNumberAssessment)
    }

    public let endpointDeviceId: EndpointDeviceId
    public let deviceInstanceId: DeviceInstanceId
    public let basis: Basis

    /// `usb_<vid4>_<pid4>_<serial>`, `\\?\swd#midisrv#midiu_…`, and `USB\VID_…&PID_…\<serial>`.
    public static func serialBased(vendorId: UInt16, productId: UInt16, serial: String) -> USBEndpointIdentity {
        let instance = "usb_\(USBIdentifierText.hex4Lower(vendorId))_\(USBIdentifierText.hex4Lower(productId))_"
            + USBIdentifierText.endpointInstanceComponent(serial)
        return USBEndpointIdentity(
            endpointDeviceId: EndpointDeviceId(instance: instance),
            deviceInstanceId: .usb(vendorId: vendorId, productId: productId,
                                   instance: USBIdentifierText.deviceInstanceComponent(serial)),
            basis: .serialNumber(serial))
    }

    /// `usb_<vid4>_<pid4>_path_<path tag>` and `USB\VID_…&PID_…\<path tag>`.
    /// `disambiguator` (2, 3…) is appended only when two attached devices would otherwise share
    /// a path id, which a working udev never produces (see `USBIdentityRegistry`).
    public static func pathBased(vendorId: UInt16, productId: UInt16, pathTag: String,
                                 serialAssessment: USBSerialNumberAssessment,
                                 disambiguator: Int? = nil) -> USBEndpointIdentity {
        var component = USBIdentifierText.endpointInstanceComponent(pathTag)
        var instancePart = USBIdentifierText.deviceInstanceComponent(pathTag)
        if let d = disambiguator {
            component += "_\(d)"
            instancePart += "_\(d)"
        }
        let instance = "usb_\(USBIdentifierText.hex4Lower(vendorId))_\(USBIdentifierText.hex4Lower(productId))_path_"
            + component
        return USBEndpointIdentity(
            endpointDeviceId: EndpointDeviceId(instance: instance),
            deviceInstanceId: .usb(vendorId: vendorId, productId: productId, instance: instancePart),
            basis: .portPath(pathTag, serialAssessment: serialAssessment))
    }
}
