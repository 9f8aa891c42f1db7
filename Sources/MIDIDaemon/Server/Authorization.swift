import Glibc
import IPC
import ServiceCore

/// Who may do what over the socket (docs/daemon.md, "Authorization"). The socket's mode lets
/// in every member of group `audio`; between them, the daemon decides by the peer's uid from
/// `SO_PEERCRED` (issue 12, item 7):
///
/// - **Persisting** a pair and **renaming** an endpoint change files every user of the machine
///   sees: they need the owner of the configuration file (of its directory while the file does
///   not exist) or root.
/// - A **transient pair** belongs to the uid that created it: removing, muting or unmuting it
///   needs that uid or root. A **configured pair** is muted and unmuted by the config owner or
///   root (removing it is never possible through the socket: edit the file).
/// - Everything else — listing, opening endpoints, sending, creating transient pairs,
///   watching — is open to every client.
struct Authorization {
    let configPath: String
    /// Creator uid of each transient pair.
    private(set) var transientOwners: [AssociationId: UInt32] = [:]

    init(configPath: String) { self.configPath = configPath }

    /// The uid that owns the configuration: the file's owner, else its directory's, else ours.
    func configOwner() -> UInt32 {
        var info = stat()
        if stat(configPath, &info) == 0 { return info.st_uid }
        if stat(FileChangeWatcher.split(configPath).directory, &info) == 0 { return info.st_uid }
        return geteuid()
    }

    /// Throws `notPermitted` unless `uid` is root or owns the configuration.
    func requireConfigOwner(_ uid: UInt32, to action: String) throws(ControlError) {
        guard uid != 0 else { return }
        let owner = configOwner()
        guard uid == owner else {
            throw ControlError(code: .notPermitted,
                               message: "\(action) needs the owner of \(configPath) (uid \(owner)) or root; this client runs as uid \(uid)")
        }
    }

    /// Throws `notPermitted` unless `uid` may change pair `id` (see the type's rules).
    func requirePairControl(_ uid: UInt32, _ id: AssociationId, origin: LoopbackOrigin, to action: String) throws(ControlError) {
        guard uid != 0 else { return }
        switch origin {
        case .configured:
            try requireConfigOwner(uid, to: "\(action) loopback pair \(id) (from the configuration file)")
        case .transient:
            guard let owner = transientOwners[id], owner != uid else { return }
            throw ControlError(code: .notPermitted,
                               message: "loopback pair \(id) belongs to uid \(owner), who created it; only that user or root may \(action) it (this client runs as uid \(uid))")
        }
    }

    mutating func created(_ id: AssociationId, by uid: UInt32) { transientOwners[id] = uid }
    mutating func removed(_ id: AssociationId) { transientOwners[id] = nil }
}
