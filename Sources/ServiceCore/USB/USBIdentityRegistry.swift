/// Identifies one attachment of a USB device while it is attached: the daemon uses the sound
/// card's sysfs DEVPATH, the one key still known when the device is gone (on `remove` the sysfs
/// parent no longer exists).
public struct USBAttachmentKey: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
}

/// Allocates `USBEndpointIdentity`s for the USB devices currently attached, with the twin
/// rule of docs/design.md §2:
///
/// - a device whose serial is usable gets the serial id, unless an attached device already
///   holds that id (an identical twin, or a serial that maps to the same id text); then it gets
///   the port-path id;
/// - a device that was first keeps its id when a twin arrives later — ids are given on arrival
///   and never re-assigned while attached;
/// - once the holder is detached, the next arrival with that serial gets the serial id again.
///
/// A value type with no clock and no I/O, so that every rule is a plain unit test; the daemon
/// owns the one instance on its event loop.
public struct USBIdentityRegistry: Sendable {
    private var byKey: [USBAttachmentKey: USBEndpointIdentity] = [:]
    private var holders: [EndpointDeviceId: USBAttachmentKey] = [:]

    public init() {}

    /// The identities of the attached devices.
    public var attached: [USBAttachmentKey: USBEndpointIdentity] { byKey }

    public func identity(for key: USBAttachmentKey) -> USBEndpointIdentity? { byKey[key] }

    /// Gives the device attached under `key` its identity. Calling it again for a key that is
    /// still attached returns the identity it already has (udev may repeat `change` events).
    public mutating func attach(_ facts: USBDeviceIdentityFacts, key: USBAttachmentKey) -> USBEndpointIdentity {
        if let existing = byKey[key] { return existing }
        let assessment = USBSerialNumber.assess(facts.serialNumber)
        let identity: USBEndpointIdentity
        if let serial = assessment.usableSerial,
           case let candidate = USBEndpointIdentity.serialBased(
               vendorId: facts.vendorId, productId: facts.productId, serial: serial),
           holders[candidate.endpointDeviceId] == nil {
            identity = candidate
        } else {
            identity = firstFreePathIdentity(facts, assessment: assessment)
        }
        byKey[key] = identity
        holders[identity.endpointDeviceId] = key
        return identity
    }

    /// The port-path id; two attached devices cannot share a socket, so the loop ends at once
    /// unless udev reports the same path tag twice (no `ID_PATH_TAG`, or a `remove` lost) —
    /// then `_2`, `_3`… keep the ids distinct rather than giving two endpoints one id.
    private func firstFreePathIdentity(_ facts: USBDeviceIdentityFacts,
                                       assessment: USBSerialNumberAssessment) -> USBEndpointIdentity {
        var disambiguator: Int? = nil
        while true {
            let candidate = USBEndpointIdentity.pathBased(
                vendorId: facts.vendorId, productId: facts.productId, pathTag: facts.portPathTag,
                serialAssessment: assessment, disambiguator: disambiguator)
            if holders[candidate.endpointDeviceId] == nil { return candidate }
            disambiguator = (disambiguator ?? 1) + 1
        }
    }

    /// Forgets the device attached under `key`; returns the identity it had, or `nil` when the
    /// key was not attached (a `remove` for a card that was never a USB MIDI endpoint).
    @discardableResult
    public mutating func detach(key: USBAttachmentKey) -> USBEndpointIdentity? {
        guard let identity = byKey.removeValue(forKey: key) else { return nil }
        holders.removeValue(forKey: identity.endpointDeviceId)
        return identity
    }
}
