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
        #expect(service.endpoints(matching: .all).count == 3)
    }

    @Test("state entries with odd values are skipped, the rest kept; unicode and escapes survive, control characters are removed")
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
        // The trailing line break breaks the name rules (EndpointText): it is removed on load.
        #expect(service.endpoint(.diagnosticsPing)?.displayName == "P\u{EF}ng \"🎹\"")
        #expect(service.endpoint(.diagnosticsPing)?.customization.description == nil)
        #expect(service.endpoint(.diagnosticsLoopbackB)?.displayName == "Bee")

        // Written back and read again, the odd name is intact.
        #expect(service.saveState())
        let reread = MidiService(clock: ManualServiceClock(), stateStore: store)
        #expect(reread.endpoint(.diagnosticsPing)?.displayName == "P\u{EF}ng \"🎹\"")
        #expect(store.text?.contains("not an id") == false)
    }

    @Test("a newer state format is refused rather than misread")
    func newerVersion() {
        let store = InMemoryStateStore(bytes: Array(#"{"version": 2, "endpoints": {}}"#.utf8))
        let service = MidiService(clock: ManualServiceClock(), stateStore: store)
        #expect(service.stateLoadError?.reason.contains("version 2") == true)
    }

    /// A state file as the service wrote it before the state file and the configuration shared one
    /// JSON parser and writer (captured from `StateDocument.encode` at that commit, unedited; the
    /// name holds every character class the two escapers treated differently, DEL raw).
    static let stateFileFromBeforeSharedJSON = #"""
        {
          "format": "midi-services-state",
          "version": 1,
          "endpoints": {
            "\\\\?\\swd#midisrv#midiu_diag_loopback_a#{e7cce071-3c03-423f-88d3-f1045d02552b}": {
              "customName": "Synth",
              "declared": {
                "endpointName": "Hello Synth Endpoint!",
                "productInstanceId": "SN-0042",
                "endpointInfo": {
                  "umpVersionMajor": 1,
                  "umpVersionMinor": 1,
                  "hasStaticFunctionBlocks": true,
                  "functionBlockCount": 2,
                  "supportsMidi2Protocol": true,
                  "supportsMidi1Protocol": true,
                  "supportsReceivingJitterReductionTimestamps": false,
                  "supportsSendingJitterReductionTimestamps": true
                },
                "deviceIdentity": {
                  "systemExclusiveId": [
                    125,
                    0,
                    1
                  ],
                  "deviceFamily": [
                    2,
                    3
                  ],
                  "deviceFamilyModelNumber": [
                    4,
                    5
                  ],
                  "softwareRevisionLevel": [
                    6,
                    7,
                    8,
                    127
                  ]
                },
                "streamConfiguration": {
                  "protocol": 2,
                  "receiveJitterReductionTimestamps": true,
                  "sendJitterReductionTimestamps": false
                },
                "functionBlocks": [
                  {
                    "number": 0,
                    "name": "Main",
                    "isActive": true,
                    "direction": 3,
                    "uiHint": 3,
                    "midi10": 0,
                    "firstGroup": 0,
                    "groupCount": 2,
                    "midiCIMessageVersionFormat": 1,
                    "maxSysEx8Streams": 4
                  },
                  {
                    "number": 5,
                    "name": "",
                    "isActive": false,
                    "direction": 1,
                    "uiHint": 1,
                    "midi10": 2,
                    "firstGroup": 15,
                    "groupCount": 1,
                    "midiCIMessageVersionFormat": 0,
                    "maxSysEx8Streams": 0
                  }
                ]
              }
            },
            "\\\\?\\swd#midisrv#midiu_diag_loopback_b#{e7cce071-3c03-423f-88d3-f1045d02552b}": {
              "declared": {
                "endpointName": ""
              }
            },
            "\\\\?\\swd#midisrv#midiu_diag_ping#{e7cce071-3c03-423f-88d3-f1045d02552b}": {
              "customName": "Piano \"Upright\" \\ C:/x é 🎹 tab\tnl\ncr\r bs\u0008 ff\u000c nul\u0000 us\u001f del\#u{7F}",
              "customDescription": "the upright"
            }
          }
        }

        """#

    @Test("a state file written before the shared JSON code loads with the control characters of names removed, and is written back the same otherwise")
    func stateFileFromBeforeSharedJSON() throws {
        let store = InMemoryStateStore(bytes: Array(Self.stateFileFromBeforeSharedJSON.utf8))
        let service = MidiService(clock: ManualServiceClock(), stateStore: store)
        #expect(service.stateLoadError == nil)
        let ping = try #require(service.endpoint(.diagnosticsPing))
        // Control characters break the name rules (EndpointText, issue 12): removed on load.
        #expect(ping.customization.name == "Piano \"Upright\" \\ C:/x \u{E9} \u{1F3B9} tabnlcr bs ff nul us del")
        #expect(ping.customization.description == "the upright")
        #expect(ping.declared.isEmpty)
        #expect(service.endpoint(.diagnosticsLoopbackB)?.declared == DeclaredEndpointState(endpointName: ""))
        let synth = try #require(service.endpoint(.diagnosticsLoopbackA))
        #expect(synth.displayName == "Synth")
        #expect(synth.declared == DeclaredEndpointState(
            endpointInfo: EndpointInfoNotification(umpVersionMajor: 1, umpVersionMinor: 1, staticFunctionBlocks: true,
                                                   numberOfFunctionBlocks: 2, supportsMIDI2Protocol: true, supportsMIDI1Protocol: true,
                                                   receivesJRTimestamps: false, transmitsJRTimestamps: true),
            deviceIdentity: DeviceIdentityNotification(manufacturerIdBytes: [0x7D, 0x00, 0x01], family: 0x03 << 7 | 0x02,
                                                       familyModel: 0x05 << 7 | 0x04, softwareRevisionBytes: [0x06, 0x07, 0x08, 0x7F]),
            endpointName: "Hello Synth Endpoint!", productInstanceId: "SN-0042",
            functionBlocks: [
                DeclaredFunctionBlock(number: 0, name: "Main", isActive: true, direction: .bidirectional, uiHint: .senderAndReceiver,
                                      midi10: .notMIDI1, firstGroup: 0, groupCount: 2, midiCIMessageVersionFormat: 1, maxSysEx8Streams: 4),
                DeclaredFunctionBlock(number: 5, name: "", isActive: false, direction: .input, uiHint: .receiver,
                                      midi10: .restricted31250, firstGroup: 15, groupCount: 1),
            ],
            streamConfiguration: DeclaredStreamConfiguration(protocol: 2, receiveJitterReductionTimestamps: true)))

        // Saved again, the file is the same bytes but for the cleaned name.
        #expect(service.saveState())
        let expected = Self.stateFileFromBeforeSharedJSON
            .replacing(#"tab\tnl\ncr\r bs\u0008 ff\u000c nul\u0000 us\u001f del"# + "\u{7F}", with: "tabnlcr bs ff nul us del")
        #expect(expected != Self.stateFileFromBeforeSharedJSON)
        #expect(store.text == expected)
    }
}
