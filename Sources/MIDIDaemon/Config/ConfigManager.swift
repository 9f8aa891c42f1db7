import IPC
import Logging
import ServiceCore

/// Owns the configuration file's side of the daemon: loads it at start, re-applies it as a
/// diff on SIGHUP or when it changes, and writes pairs into it for `--persist`.
///
/// The file is the user's: it is written only to persist a pair the user asked to persist,
/// then through the config layer's splicing editor (every other byte kept) and atomically; a
/// file that does not parse is never written.
final class ConfigManager {
    let path: String
    private let store: FileConfigStore
    private let service: MidiService
    private let logger: Logger
    /// The config pairs currently created in the service, as last applied.
    private(set) var applied: [ConfiguredLoopbackPair] = []
    private(set) var status = ConfigStatus(state: .missing)
    /// The bytes last applied, so our own writes (and touch-only saves) cost nothing.
    private var lastBytes: [UInt8]??

    /// Asked while a configuration is applied: true stops it (SIGTERM during a long apply).
    var shouldStop: () -> Bool = { false }

    init(path: String, service: MidiService, logger: Logger) {
        self.path = path
        store = FileConfigStore(path: path)
        self.service = service
        self.logger = logger
    }

    /// Reads the file and makes the service's config pairs match it.
    func reload(initial: Bool) {
        let bytes: [UInt8]?
        do { bytes = try store.read() } catch {
            status = ConfigStatus(state: .unreadable, message: "\(error)", loopbackPairCount: applied.count)
            logger.error("configuration \(path) cannot be read: \(error); \(initial ? "running with the diagnostic endpoints only" : "keeping the \(applied.count) pairs already loaded")")
            return
        }
        if !initial, let last = lastBytes, last == bytes {
            logger.debug("configuration \(path) unchanged")
            return
        }
        lastBytes = .some(bytes)

        guard let bytes else {
            if initial {
                logger.info("no configuration file at \(path); running with the diagnostic endpoints (create pairs with `midi loopback create`)")
            } else {
                logger.notice("configuration \(path) was removed; removing its \(applied.count) loopback pairs")
            }
            apply(ConfigLoadResult.empty, state: .missing)
            return
        }

        // An empty file while running is what a save in place looks like between its truncate
        // and its write (issue 12: a reload landing there removed every pair). Routing is kept;
        // `{}` or deleting the file are the ways to say "no pairs".
        if !initial, bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            lastBytes = nil   // whatever comes next is applied, even the bytes applied before
            logger.error("configuration \(path) is empty (a save in progress looks like this); keeping the \(applied.count) pairs already loaded; write {} or delete the file to remove them")
            status = ConfigStatus(state: .syntaxError, message: "the file is empty", loopbackPairCount: applied.count)
            return
        }

        let result: ConfigLoadResult
        do {
            result = try ConfigLoader.load(bytes)
        } catch {
            let consequence = initial
                ? "running with the diagnostic endpoints only"
                : "keeping the \(applied.count) pairs already loaded"
            logger.error("configuration \(path): syntax error at line \(error.line), column \(error.column): \(error.reason); \(consequence); the file is not rewritten")
            status = ConfigStatus(state: .syntaxError, message: "line \(error.line), column \(error.column): \(error.reason)",
                                  loopbackPairCount: applied.count)
            return
        }
        for problem in result.problems {
            let line = "configuration \(path):\(problem.description)"
            if problem.severity == .error { logger.error("\(line)") } else { logger.warning("\(line)") }
        }
        apply(result, state: result.errors.isEmpty ? .loaded : .invalidEntries)
    }

    private func apply(_ result: ConfigLoadResult, state: ConfigStatus.State) {
        var issues = result.problems.map(\.description)
        service.legacyPortDefaults = result.legacyPortDefaults
        let reconciliation = service.reconcileConfiguredPairs(result.pairs.map { $0.definition(defaults: result.legacyPortDefaults) },
                                                              shouldStop: shouldStop)
        if reconciliation.interrupted {
            logger.notice("configuration \(path): applying stopped part-way (the service is stopping)")
            return
        }
        for failure in reconciliation.failures {
            let location = result.entryLocations[failure.associationId]
            let place = location.map { "\($0.position.line):\($0.position.column): \($0.path)" } ?? "\(failure.associationId)"
            let message = "\(place): loopback pair not applied: \(failure.error)"
            logger.error("configuration \(path):\(message)")
            issues.append(message)
        }
        applied = result.pairs.filter { service.loopbackPair($0.associationId)?.origin == .configured }
        let finalState: ConfigStatus.State = (state == .loaded && !reconciliation.failures.isEmpty) ? .invalidEntries : state
        status = ConfigStatus(state: finalState, message: nil, issues: issues, loopbackPairCount: applied.count)
        if state != .missing || !reconciliation.added.isEmpty || !reconciliation.removed.isEmpty {
            logger.info("configuration \(path): \(applied.count) loopback pairs (added \(reconciliation.added.count), removed \(reconciliation.removed.count))")
        }
    }

    /// Writes `pair` into the file (`--persist`). On success it becomes a config pair.
    func persist(_ pair: ConfiguredLoopbackPair) -> ControlError? {
        do {
            try store.persist(pair)
        } catch let error as ConfigEditError {
            let code: ControlError.Code
            switch error {
            case .conflict: code = .alreadyExists
            default: code = .notPermitted
            }
            return ControlError(code: code, message: "not persisted: \(error.description)")
        } catch {
            return ControlError(code: .internalError, message: "not persisted: writing \(path) failed: \(error)")
        }
        applied.append(pair)
        lastBytes = .some(try? store.read())
        status.loopbackPairCount = applied.count
        logger.info("persisted loopback pair \(pair.associationId) to \(path)")
        return nil
    }

    /// Deletes the entry of pair `id` from the file (`remove --persist`). The caller removes
    /// the pair from the service; the file change that follows is recognised as ours.
    func unpersist(_ id: AssociationId) -> ControlError? {
        do {
            try store.removePersistedPair(id)
        } catch let error as ConfigEditError {
            return ControlError(code: .notPermitted, message: "not removed from \(path): \(error.description)")
        } catch {
            return ControlError(code: .internalError, message: "not removed: writing \(path) failed: \(error)")
        }
        applied.removeAll { $0.associationId == id }
        lastBytes = .some(try? store.read())
        status.loopbackPairCount = applied.count
        logger.info("removed loopback pair \(id) from \(path)")
        return nil
    }
}
