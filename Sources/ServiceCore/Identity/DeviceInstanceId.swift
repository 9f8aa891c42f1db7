/// The identifier of an endpoint's parent device (`MidiEndpointDeviceInformation.DeviceInstanceId`).
/// Windows-shaped: `USB\VID_1209&PID_4D49\SER-0001` for USB; fixed parents for software transports.
public struct DeviceInstanceId: Hashable, Sendable, CustomStringConvertible, Codable {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let loopbackTransport = DeviceInstanceId(rawValue: "MIDIU_LOOP_TRANSPORT")
    public static let diagnosticsTransport = DeviceInstanceId(rawValue: "MIDIU_DIAG_TRANSPORT")

    /// `USB\VID_vvvv&PID_pppp\<serial or port path>` with upper-case hex.
    public static func usb(vendorId: UInt16, productId: UInt16, instance: String) -> DeviceInstanceId {
        DeviceInstanceId(rawValue: "USB\\VID_\(hex4(vendorId))&PID_\(hex4(productId))\\\(instance)")
    }

    static func hex4(_ v: UInt16) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}

/// Transport codes (the Windows transport mnemonics).
public enum TransportCode: String, Sendable, Codable, CaseIterable {
    case loopback = "LOOP"
    case diagnostics = "DIAG"
    case usb = "USB"

    /// The transport's plugin id as it appears in the config file and the Windows registry.
    public var transportId: String? {
        switch self {
        case .loopback: return "{942BF02D-93C0-4EA8-B03E-D51156CA75E1}"
        case .diagnostics: return "{ac9b5417-3fe0-4e62-960f-034ee4235a1a}"
        case .usb: return nil
        }
    }
}
