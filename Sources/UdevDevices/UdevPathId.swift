/// `ID_PATH` / `ID_PATH_TAG` for a USB sound card, computed from its sysfs ancestry the way
/// systemd-udevd's `path_id` builtin does, for the machines where udevd is not running (then
/// no device carries these properties, yet a device without a usable serial still needs its
/// port-path id — the same one udev would have given it).
///
/// Covered: the ancestors a USB device has on x86 and ARM boards — `usb` interfaces/devices
/// (`usb-0:<port>`, hubs included: `1-2.3:1.0` gives `usb-0:2.3:1.0`), `pci` (the nearest PCI
/// function only, as path_id skips bridges), `platform`. Other subsystems on the way
/// (`sound`, the virtual root) are passed over, as path_id does for subsystems it does not
/// know. Verified against udev's own values for `platform-dummy_hcd.0-usb-0:1:1.0` in the VM.
public enum UdevPathId {
    /// One device in a sysfs ancestry, nearest first.
    public struct Link: Hashable, Sendable {
        public var subsystem: String?
        public var devtype: String?
        public var sysname: String
        public init(subsystem: String?, devtype: String?, sysname: String) {
            self.subsystem = subsystem
            self.devtype = devtype
            self.sysname = sysname
        }
    }

    /// `ID_PATH` for a device whose ancestry (the device itself first) is `chain`; `nil` when no
    /// supported ancestor was found.
    public static func path(chain: [Link]) -> String? {
        var parts: [String] = []   // nearest first; reversed at the end
        var i = 0
        while i < chain.count {
            let link = chain[i]
            switch link.subsystem {
            case "usb" where link.devtype == "usb_interface" || link.devtype == "usb_device":
                if let dash = link.sysname.firstIndex(of: "-") {
                    parts.append("usb-0:" + link.sysname[link.sysname.index(after: dash)...])
                    i = skip(chain, from: i, subsystem: "usb")
                    continue
                }
            case "pci":
                parts.append("pci-" + link.sysname)
                i = skip(chain, from: i, subsystem: "pci")
                continue
            case "platform":
                parts.append("platform-" + link.sysname)
                i = skip(chain, from: i, subsystem: "platform")
                continue
            default:
                break
            }
            i += 1
        }
        guard !parts.isEmpty else { return nil }
        return parts.reversed().joined(separator: "-")
    }

    /// `ID_PATH_TAG`: characters outside `A-Z a-z 0-9 -` become one `_` per run; leading and
    /// trailing `_` are dropped (path_id's rule).
    public static func tag(forPath path: String) -> String {
        var tag = ""
        for c in path.unicodeScalars {
            switch c {
            case "0"..."9", "A"..."Z", "a"..."z", "-":
                tag.unicodeScalars.append(c)
            default:
                if tag.isEmpty || tag.hasSuffix("_") { continue }
                tag.append("_")
            }
        }
        while tag.hasSuffix("_") { tag.removeLast() }
        return tag
    }

    /// Index of the first link after the run of `subsystem` links starting at `i`.
    private static func skip(_ chain: [Link], from i: Int, subsystem: String) -> Int {
        var j = i
        while j < chain.count, chain[j].subsystem == subsystem { j += 1 }
        return j
    }
}
