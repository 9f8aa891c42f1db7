import CALSA

#if canImport(Glibc)
import Glibc
#endif

extension SequencerClient {
    /// Creates a port at exactly `port` (not the next free number), so port numbers mean the
    /// same thing every time (the bridge's UMP-group convention relies on this).
    ///
    /// Fails with `EBUSY` if this client already has that port.
    public func createPort(_ port: PortID, name: String,
                           capabilities: PortCapabilities = .duplexMIDI,
                           type: PortType = .softwareMIDIPort,
                           midiChannels: Int = 16) throws(ALSAError) {
        guard port <= PortID.maximum else {
            throw .invalidArgument("create port \(port) of client \(id): port numbers go up to \(PortID.maximum)")
        }
        guard (0...256).contains(midiChannels) else {
            throw .invalidArgument("create port \(port) of client \(id): \(midiChannels) MIDI channels")
        }
        let fitted = SequencerName.fitted(name)
        try withPortInfo("create port \(port) of client \(id)") { (info) throws(ALSAError) in
            // Kernel 6.1 accepts a second port with a number already in use and lists both;
            // refuse it here (only this client creates its ports, so the check cannot race).
            if snd_seq_get_port_info(handle, Int32(port.rawValue), info) >= 0 {
                throw ALSAError(code: -EBUSY, operation: "create port \(port) of client \(id): the port exists")
            }
            snd_seq_port_info_set_port(info, Int32(port.rawValue))
            snd_seq_port_info_set_port_specified(info, 1)
            snd_seq_port_info_set_name(info, fitted)
            snd_seq_port_info_set_capability(info, capabilities.rawValue)
            snd_seq_port_info_set_type(info, type.rawValue)
            snd_seq_port_info_set_midi_channels(info, Int32(midiChannels))
            try check(snd_seq_create_port(handle, info),
                      "snd_seq_create_port(port \(port) \"\(fitted)\" of client \(id))")
            // The kernel answers with the port it made; with port_specified it must be ours.
            let made = snd_seq_port_info_get_port(info)
            if made != Int32(port.rawValue) {
                snd_seq_delete_port(handle, made)
                throw ALSAError(code: -EBUSY,
                                operation: "snd_seq_create_port(port \(port) of client \(id)) made port \(made)")
            }
        }
    }

    /// Renames one of this client's ports; others see `portChanged` on System Announce.
    public func renamePort(_ port: PortID, to name: String) throws(ALSAError) {
        let fitted = SequencerName.fitted(name)
        try withPortInfo("rename port \(port) of client \(id)") { (info) throws(ALSAError) in
            try check(snd_seq_get_port_info(handle, Int32(port.rawValue), info),
                      "snd_seq_get_port_info(port \(port) of client \(id))")
            snd_seq_port_info_set_name(info, fitted)
            try check(snd_seq_set_port_info(handle, Int32(port.rawValue), info),
                      "snd_seq_set_port_info(port \(port) of client \(id), name \"\(fitted)\")")
        }
    }

    /// Deletes one of this client's ports; its subscriptions go with it.
    public func deletePort(_ port: PortID) throws(ALSAError) {
        try check(snd_seq_delete_port(handle, Int32(port.rawValue)),
                  "snd_seq_delete_port(port \(port) of client \(id))")
    }

    /// Runs `body` with a heap-allocated `snd_seq_port_info_t` (the `_alloca` macro does not
    /// import). Setup path only, never per event.
    func withPortInfo<R>(_ operation: @autoclosure () -> String,
                         _ body: (OpaquePointer) throws(ALSAError) -> R) throws(ALSAError) -> R {
        var info: OpaquePointer?
        try check(snd_seq_port_info_malloc(&info), "snd_seq_port_info_malloc for \(operation())")
        guard let info else { throw ALSAError(code: -ENOMEM, operation: "snd_seq_port_info_malloc") }
        defer { snd_seq_port_info_free(info) }
        return try body(info)
    }

    /// As `withPortInfo`, for `snd_seq_client_info_t`.
    func withClientInfo<R>(_ operation: @autoclosure () -> String,
                           _ body: (OpaquePointer) throws(ALSAError) -> R) throws(ALSAError) -> R {
        var info: OpaquePointer?
        try check(snd_seq_client_info_malloc(&info), "snd_seq_client_info_malloc for \(operation())")
        guard let info else { throw ALSAError(code: -ENOMEM, operation: "snd_seq_client_info_malloc") }
        defer { snd_seq_client_info_free(info) }
        return try body(info)
    }
}
