import Testing
@testable import ServiceCore

/// The remembered ALSA connections (docs/alsa-bridge.md, "Connections that come back"): the
/// list's bound and order, and its file read leniently.
@Suite("Remembered connections")
struct RememberedConnectionsTests {
    let a = EndpointDeviceId(instance: "loop_a_stable")
    let b = EndpointDeviceId(instance: "loop_b_stable")

    func entry(_ id: EndpointDeviceId, _ port: Int = 1, _ other: String = "Midi Through",
               _ direction: RememberedConnection.Direction = .from) -> RememberedConnection {
        RememberedConnection(endpoint: id, port: port, direction: direction, otherClient: other, otherPort: other + " Port-0")
    }

    @Test func eachOnceOldestGoesFirstWhenFull() {
        var list = RememberedConnectionList()
        let first = list.remember(entry(a)), again = list.remember(entry(a))
        #expect(first)
        #expect(!again, "the same entry again changes nothing")
        for k in 0..<RememberedConnectionList.limit { list.remember(entry(b, 1, "Synth \(k)")) }
        #expect(list.entries.count == RememberedConnectionList.limit)
        #expect(!list.entries.contains(entry(a)), "the oldest went")
        #expect(list.entries.last == entry(b, 1, "Synth \(RememberedConnectionList.limit - 1)"))
    }

    @Test func forgetOneEndpointLeavesTheOthers() {
        var list = RememberedConnectionList(entries: [entry(a), entry(b, 2, "aseqdump", .to), entry(a, 0, "PipeWire")])
        let gone = list.forgetAll(of: a)
        #expect(gone.count == 2)
        #expect(list.entries == [entry(b, 2, "aseqdump", .to)])
        let forgotten = list.forget(entry(b, 2, "aseqdump", .to))
        #expect(forgotten)
        #expect(list.entries.isEmpty)
    }

    @Test func theFileRoundTripsAndOddEntriesAreSkipped() throws {
        let list = RememberedConnectionList(entries: [entry(a), entry(b, 16, #"Name "with" quotes"#, .to)])
        #expect(try RememberedConnectionList.decode(list.encoded()) == list)

        let text = """
        {"format": "midi-services-alsa-connections", "version": 1, "connections": [
          {"endpoint": "loop_a_stable", "port": 1, "direction": "from", "otherClient": "Midi Through", "otherPort": "Midi Through Port-0"},
          {"endpoint": "loop_a_stable", "port": 17, "direction": "from", "otherClient": "x", "otherPort": "y"},
          {"endpoint": "loop_a_stable", "port": 1, "direction": "sideways", "otherClient": "x", "otherPort": "y"},
          {"endpoint": "loop_a_stable", "port": 1, "direction": "to", "otherClient": 5, "otherPort": "y"},
          "nonsense"
        ]}
        """
        let read = try RememberedConnectionList.decode(Array(text.utf8))
        #expect(read.entries == [entry(a)])
        #expect(throws: JSONSyntaxError.self) { try RememberedConnectionList.decode(Array("not json".utf8)) }
    }
}
