/// How text a device reports (serials, port path tags) becomes part of an id.
///
/// EndpointDeviceId instances use only `a-z 0-9 _ - .` (see `EndpointDeviceId`). A serial is
/// lower-cased; every other character — space, `#`, `\`, `&`, `/`, `:`, non-ASCII — becomes one
/// `_` per Unicode scalar. The mapping is lossy (`AB 1` and `ab_1` give the same text), so the
/// allocation rule compares the *resulting ids*: a second device whose serial maps to an id
/// already held by an attached device gets the port-path id, exactly like an identical twin.
///
/// A DeviceInstanceId keeps the serial as reported (case too), because that is what the
/// Windows USB stack shows; only characters that would break the `USB\VID_…&PID_…\<instance>`
/// shape (`\`, control characters) become `_`.
enum USBIdentifierText {
    static func endpointInstanceComponent(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9", "_", "-", ".": out.append(scalar)
            default: out.append("_")
            }
        }
        return String(out)
    }

    static func deviceInstanceComponent(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F {
                out.append("_")
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Four lower-case hex digits, as in `usb_1209_4d49_…`.
    static func hex4Lower(_ value: UInt16) -> String {
        let s = String(value, radix: 16, uppercase: false)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
