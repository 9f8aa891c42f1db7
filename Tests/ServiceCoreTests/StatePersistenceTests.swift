import Testing
import ServiceCore
import UMP

@Suite("Custom names and state persistence")
struct StatePersistenceTests {
    @Test("a custom name wins, raises updated(.name), and clearing it restores the transport name")
    func customName() throws {
        let (service, _) = makeService()
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        let log = EventLog(service)
        try service.setCustomName("  Synth In  ", for: ids.a)
        #expect(service.endpoint(ids.a)?.displayName == "Synth In")
        #expect(service.endpoint(ids.a)?.customization.name == "Synth In")
        #expect(log.updates.count == 1)
        #expect(log.updates.first?.1 == [.name, .customization])
        try service.setCustomName("Synth In", for: ids.a)          // no change, no event
        #expect(log.updates.count == 1)
        try service.setCustomName(nil, for: ids.a)
        #expect(service.endpoint(ids.a)?.displayName == "Perm Loopback 1A")
        try service.setCustomName("   ", for: ids.a)               // blank = clear
        #expect(service.endpoint(ids.a)?.customization.name == nil)
        try service.setCustomDescription("my synth", for: ids.a)
        #expect(service.endpoint(ids.a)?.displayDescription == "my synth")
        #expect(log.updates.last?.1 == [.description, .customization])
        let missing = EndpointDeviceId(instance: "loop_a_missing")
        #expect(throws: CustomizationError.endpointNotFound(missing)) { try service.setCustomName("x", for: missing) }
    }

    @Test("a custom name is saved and restored by a new service, also for an endpoint that appears later")
    func restored() throws {
        let store = InMemoryStateStore()
        do {
            let (service, _) = makeService(store: store)
            let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
            try service.setCustomName("Piano", for: ids.b)
            try service.setCustomDescription("the upright", for: ids.b)
            try service.setCustomName("Test Bus", for: .diagnosticsLoopbackA)
            #expect(store.saveCount == 3)
            #expect(!service.hasUnsavedState)
        }
        #expect(store.text?.contains("Piano") == true)

        let (service, _) = makeService(store: store)
        #expect(service.stateLoadError == nil)
        #expect(service.endpoint(.diagnosticsLoopbackA)?.displayName == "Test Bus")
        let log = EventLog(service)
        let ids = try service.createLoopbackPair(try seedPair1(), origin: .transient)
        #expect(service.endpoint(ids.b)?.displayName == "Piano")
        #expect(service.endpoint(ids.b)?.displayDescription == "the upright")
        guard case .added(let added)? = log.events.last else { Issue.record("no added event"); return }
        #expect(added.displayName == "Piano")            // watchers see the restored name at once

        // Removing the pair does not forget the name; saving keeps it for next time.
        try service.removeLoopbackPair(associationId: try seedPair1().associationId, origin: .transient)
        try service.setCustomName(nil, for: .diagnosticsLoopbackA)
        let third = MidiService(clock: ManualServiceClock(), stateStore: store)
        #expect(third.endpoint(.diagnosticsLoopbackA)?.displayName == "Service Test Loopback A")
        let again = try third.createLoopbackPair(try seedPair1(), origin: .transient)
        #expect(third.endpoint(again.b)?.displayName == "Piano")
    }

    @Test("deferred saving: nothing written until saveState")
    func deferred() throws {
        let store = InMemoryStateStore()
        let service = MidiService(clock: ManualServiceClock(), stateStore: store, autosaveState: false)
        try service.setCustomName("Later", for: .diagnosticsPing)
        #expect(store.saveCount == 0)
        #expect(service.hasUnsavedState)
        #expect(service.saveState())
        #expect(store.saveCount == 1)
        #expect(!service.hasUnsavedState)
        #expect(MidiService(clock: ManualServiceClock(), stateStore: store).endpoint(.diagnosticsPing)?.displayName == "Later")
    }

    @Test("a store that fails to save is reported and retried")
    func saveFailure() throws {
        final class FailingStore: StateStore {
            struct Full: Error, CustomStringConvertible { var description: String { "disk full" } }
            var fail = true
            var saved: [UInt8]?
            func load() -> [UInt8]? { nil }
            func save(_ bytes: [UInt8]) throws { if fail { throw Full() }; saved = bytes }
        }
        let store = FailingStore()
        let service = MidiService(clock: ManualServiceClock(), stateStore: store)
        try service.setCustomName("X", for: .diagnosticsPing)
        #expect(service.lastSaveError == "disk full")
        #expect(service.hasUnsavedState)
        store.fail = false
        #expect(service.saveState())
        #expect(service.lastSaveError == nil)
        #expect(store.saved != nil)
    }

    @Test("unreadable state is reported with its position and the service still starts")
    func unreadable() {
        let store = InMemoryStateStore(bytes: Array("{\n  \"endpoints\": {\n    \"x\": [1,,]\n  }\n}".utf8))
        let service = MidiService(clock: ManualServiceClock(), stateStore: store)
        let error = service.stateLoadError
        #expect(error?.line == 3)
        #expect(error?.column == 13)     // the second comma
        #expect(error?.description.contains("line 3") == true)
        #expect(service.endpoints(matching: .allTypes).count == 3)
    }

    @Test("state entries with odd values are skipped, the rest kept; unicode and escapes survive")
    func lenientAndEscapes() throws {
        let json = #"""
        {"format": "midi-services-state", "version": 1, "unknown": [true, null, 1.5e3],
         "endpoints": {
           "not an id": {"customName": "lost"},
           "diag_ping": {"customName": "P\u00efng \"\ud83c\udfb9\"\n", "customDescription": 7},
           "\\\\?\\SWD#MIDISRV#MIDIU_DIAG_LOOPBACK_B#{E7CCE071-3C03-423F-88D3-F1045D02552B}": {"customName": "Bee"}
         }}
        """#
        let store = InMemoryStateStore(bytes: Array(json.utf8))
        let service = MidiService(clock: ManualServiceClock(), stateStore: store)
        #expect(service.stateLoadError == nil)
        #expect(service.endpoint(.diagnosticsPing)?.displayName == "P\u{EF}ng \"🎹\"\n")
        #expect(service.endpoint(.diagnosticsPing)?.customization.description == nil)
        #expect(service.endpoint(.diagnosticsLoopbackB)?.displayName == "Bee")

        // Written back and read again, the odd name is intact.
        #expect(service.saveState())
        let reread = MidiService(clock: ManualServiceClock(), stateStore: store)
        #expect(reread.endpoint(.diagnosticsPing)?.displayName == "P\u{EF}ng \"🎹\"\n")
        #expect(store.text?.contains("not an id") == false)
    }

    @Test("a newer state format is refused rather than misread")
    func newerVersion() {
        let store = InMemoryStateStore(bytes: Array(#"{"version": 2, "endpoints": {}}"#.utf8))
        let service = MidiService(clock: ManualServiceClock(), stateStore: store)
        #expect(service.stateLoadError?.reason.contains("version 2") == true)
    }
}
