import ALSASequencer
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Clients and ports on the real kernel: names, fixed port numbers, capabilities, renames.
@Suite(.needsSequencer) struct ClientAndPortTests {
    static let portNames = ["Kernel Test Endpoint"] + (1...16).map { "Group \($0)" }

    /// A client with ports 0…16 created out of order (16 first), so only fixed numbering
    /// can give each port its number.
    func makeEndpointClient(_ base: String) throws -> SequencerClient {
        let client = try SequencerClient(name: uniqueName(base))
        try client.createPort(PortID(16), name: Self.portNames[16])
        for number in 0...15 {
            try client.createPort(PortID(UInt8(number)), name: Self.portNames[number])
        }
        return client
    }

    @Test("the kernel lists ports 0…16 with the exact names, capabilities, type and channels")
    func portsAtFixedNumbers() throws {
        let client = try makeEndpointClient("KT Ports")
        let info = try client.clientInfo(client.id)
        #expect(info.name == client.name)
        #expect(info.kind == .user)
        #expect(info.portCount == 17)

        let ports = try client.ports(of: client.id)
        #expect(ports.map(\.address.port.rawValue) == Array(0...16))
        for port in ports {
            #expect(port.address.client == client.id)
            #expect(port.name == Self.portNames[Int(port.address.port.rawValue)])
            #expect(port.capabilities == .duplexMIDI)
            #expect(port.type == .softwareMIDIPort)
            #expect(port.midiChannels == 16)
        }
        let one = try client.portInfo(client.address(of: PortID(5)))
        #expect(one.name == "Group 5")
        #expect(try client.clients().contains { $0.id == client.id && $0.name == client.name })
    }

    @Test("aconnect -l shows the client and its 17 ports by name")
    func aconnectSeesPorts() throws {
        let client = try makeEndpointClient("KT Aconnect")
        let listed = parseAconnectList(try run("/usr/bin/aconnect", ["-l"]))
        let ours = listed.filter { $0.client == Int(client.id.rawValue) }
        #expect(ours.first?.clientName == client.name)
        #expect(ours.map(\.port) == Array(0...16))
        #expect(ours.map(\.portName) == Self.portNames)
    }

    @Test("the kernel's own Midi Through client is visible through the query API")
    func midiThroughVisible() throws {
        let client = try SequencerClient(name: uniqueName("KT Query"))
        let clients = try client.clients()
        #expect(clients.contains { $0.id == .system && $0.kind == .kernel })
        let through = try #require(clients.first { $0.name == "Midi Through" })
        #expect(through.kind == .kernel)
        #expect(try client.ports(of: through.id).first?.name == "Midi Through Port-0")
    }

    @Test("creating a port number twice fails with EBUSY and says which port")
    func duplicatePort() throws {
        let client = try SequencerClient(name: uniqueName("KT Dup"))
        try client.createPort(PortID(3), name: "Three")
        let error = #expect(throws: ALSAError.self) { try client.createPort(PortID(3), name: "Again") }
        #expect(error?.code == -EBUSY)
        #expect(error?.operation.contains("port 3") == true)
        #expect(try client.portInfo(client.address(of: PortID(3))).name == "Three")
    }

    @Test("renaming the client and a port is seen by others; deleting a port removes it")
    func renameAndDelete() throws {
        let client = try makeEndpointClient("KT Rename")
        let observer = try SequencerClient(name: uniqueName("KT Observer"))
        let newName = uniqueName("KT Renamed")
        try client.rename(to: newName)
        #expect(client.name == newName)
        #expect(try observer.clientInfo(client.id).name == newName)

        try client.renamePort(PortID(2), to: "Group 2 (Keys)")
        #expect(try observer.portInfo(client.address(of: PortID(2))).name == "Group 2 (Keys)")
        let listed = parseAconnectList(try run("/usr/bin/aconnect", ["-l"]))
        #expect(listed.contains { $0.client == Int(client.id.rawValue) && $0.clientName == newName
                                  && $0.port == 2 && $0.portName == "Group 2 (Keys)" })

        try client.deletePort(PortID(16))
        #expect(try observer.ports(of: client.id).map(\.address.port.rawValue) == Array(0...15))
        let error = #expect(throws: ALSAError.self) { try observer.portInfo(client.address(of: PortID(16))) }
        #expect(error?.code == -ENOENT)
    }

    @Test("a client name longer than the kernel's 63 bytes is shortened, not refused")
    func longClientName() throws {
        let long = String(repeating: "L", count: 70)
        let client = try SequencerClient(name: long)
        #expect(client.name == String(repeating: "L", count: 63))
        #expect(try client.clientInfo(client.id).name == client.name)
    }
}
