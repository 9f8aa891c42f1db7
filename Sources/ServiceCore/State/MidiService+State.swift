extension MidiService {
    /// Saves customizations and captured metadata through the state store now.
    /// Returns false (and keeps `lastSaveError`) when the store refused.
    @discardableResult
    public func saveState() -> Bool {
        guard let store = stateStore else { hasUnsavedState = false; return true }
        do {
            try store.save(StateDocument.encode(persisted))
            hasUnsavedState = false
            lastSaveError = nil
            return true
        } catch {
            lastSaveError = "\(error)"
            return false
        }
    }

    func loadState() {
        guard let bytes = stateStore?.load(), !bytes.isEmpty else { return }
        do {
            persisted = try StateDocument.decode(bytes)
        } catch {
            stateLoadError = error
        }
    }

    /// Forgets the saved state of endpoints that are gone beyond `maximumAbsentEndpointStates`
    /// of them (issue 12: names of removed endpoints were kept forever, `endpoints.json` grew
    /// to 24 MB). Loopback endpoints are forgotten first — a USB device's name is what brings
    /// it back named after a replug — then by id; pruned down to three quarters of the bound,
    /// so the sort runs once per many removals.
    func pruneAbsentState() {
        guard persisted.count > maximumAbsentEndpointStates else { return }   // the usual case, O(1)
        let absentCount = persisted.count - persisted.keys.lazy.filter { self.nodesById[$0] != nil }.count
        guard absentCount > maximumAbsentEndpointStates else { return }
        let absent = persisted.keys.filter { nodesById[$0] == nil }.sorted { lhs, rhs in
            let lhsLoop = lhs.rawValue.contains("#midiu_loop_"), rhsLoop = rhs.rawValue.contains("#midiu_loop_")
            return lhsLoop != rhsLoop ? lhsLoop : lhs.rawValue < rhs.rawValue
        }
        for id in absent.prefix(absentCount - maximumAbsentEndpointStates * 3 / 4) { persisted[id] = nil }
        hasUnsavedState = true
        if autosaveState { saveState() }
    }

    /// Copies an endpoint's customization and declared metadata into the persisted set, and
    /// saves when autosaving.
    func recordPersistentState(of node: EndpointNode) {
        let state = PersistedEndpointState(customization: node.model.customization, declared: node.model.declared,
                                           isMuted: persisted[node.model.id]?.isMuted ?? false)
        guard persisted[node.model.id] != state else { return }
        persisted[node.model.id] = state.isEmpty ? nil : state
        hasUnsavedState = true
        if autosaveState { saveState() }
    }

    /// Records whether a configured pair is muted, against both endpoints' ids, and saves
    /// when autosaving — so the mute survives restarts and re-creation from the file.
    func recordMuted(_ muted: Bool, pair: RegisteredLoopbackPair) {
        var changed = false
        for id in [pair.endpointIdA, pair.endpointIdB] {
            var state = persisted[id] ?? PersistedEndpointState()
            guard state.isMuted != muted else { continue }
            state.isMuted = muted
            persisted[id] = state.isEmpty ? nil : state
            changed = true
        }
        guard changed else { return }
        hasUnsavedState = true
        if autosaveState { saveState() }
    }

    /// Whether a configured pair was muted when last seen.
    func wasMuted(_ pair: LoopbackPairDefinition) -> Bool {
        persisted[pair.endpointId(.a)]?.isMuted == true || persisted[pair.endpointId(.b)]?.isMuted == true
    }
}
