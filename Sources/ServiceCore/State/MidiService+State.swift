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

    /// Copies an endpoint's customization and declared metadata into the persisted set, and
    /// saves when autosaving.
    func recordPersistentState(of node: EndpointNode) {
        let state = PersistedEndpointState(customization: node.model.customization, declared: node.model.declared)
        guard persisted[node.model.id] != state else { return }
        persisted[node.model.id] = state.isEmpty ? nil : state
        hasUnsavedState = true
        if autosaveState { saveState() }
    }
}
