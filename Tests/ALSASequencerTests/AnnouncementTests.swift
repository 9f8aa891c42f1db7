import ALSASequencer
import Foundation
import Testing

/// System Announce (0:1) on the real kernel: what the daemon learns about other clients.
@Suite(.needsSequencer) struct AnnouncementTests {
    /// A client listening to 0:1 on a private port.
    func makeWatcher() throws -> SequencerClient {
        let watcher = try SequencerClient(name: uniqueName("KT Watch"))
        try watcher.createPort(PortID(0), name: "announce", capabilities: [.write, .noExport], type: .application)
        try watcher.subscribeToAnnouncements(on: PortID(0))
        return watcher
    }

    /// The announcements of one client's life, from its start to its exit.
    ///
    /// Tests run in parallel, and the kernel reuses client numbers: it frees a closing client's
    /// number after announcing its ports' exits but before announcing the client's own exit
    /// (`seq_free_client`), so another test's client that had this number can still be heard
    /// leaving around this one's start, and a later client can take the number once this one
    /// has gone. So the window opens at this client's start and closes at the first client exit
    /// after its port has gone; nil until both have arrived.
    static func lifecycleWindow(of events: [SequencerEvent], client id: ClientID, port: Address) -> ArraySlice<SequencerEvent>? {
        guard let start = events.firstIndex(of: .clientStarted(id)),
              let portGone = events[start...].firstIndex(of: .portExited(port)),
              let exit = events[portGone...].firstIndex(of: .clientExited(id)) else { return nil }
        return events[start...exit]
    }

    @Test("a client appearing, gaining a port, being renamed and leaving is announced")
    func clientLifecycle() throws {
        let watcher = try makeWatcher()
        var appeared: SequencerClient? = try SequencerClient(name: uniqueName("KT Appear"))
        let id = try #require(appeared?.id)
        try appeared?.createPort(PortID(7), name: "seven")
        try appeared?.rename(to: uniqueName("KT Appeared"))
        try appeared?.renamePort(PortID(7), to: "Seven")
        appeared = nil  // closes the client

        let port = Address(client: id, port: PortID(7))
        let events = try watcher.collect(what: "lifecycle of client \(id)") { received in
            Self.lifecycleWindow(of: received.map(\.event), client: id, port: port) != nil
        }
        let window = try #require(Self.lifecycleWindow(of: events.map(\.event), client: id, port: port))
        // Kernel 6.1 does not announce renames (clientChanged/portChanged); newer kernels do.
        // Either way, the lifecycle itself comes in this order. The window ends at this client's
        // exit; an exit of the number's previous owner may come inside it and is not this one's.
        let lifecycle = window.dropLast().filter {
            switch $0 {
            case .clientStarted(let c): return c == id
            case .portStarted(let a), .portExited(let a): return a == port
            default: return false
            }
        } + window.suffix(1)
        #expect(lifecycle == [.clientStarted(id), .portStarted(port), .portExited(port), .clientExited(id)],
                "announcements about client \(id): \(events.map(\.event))")
        #expect(events.allSatisfy { $0.source == .systemAnnounce })
        #expect(events.allSatisfy { $0.destination == watcher.address(of: PortID(0)) })
    }

    @Test("connections between other clients are announced as subscribed/unsubscribed")
    func subscriptionNotices() throws {
        let watcher = try makeWatcher()
        let a = try SequencerClient(name: uniqueName("KT SubA"))
        let b = try SequencerClient(name: uniqueName("KT SubB"))
        try a.createPort(PortID(0), name: "a")
        try b.createPort(PortID(1), name: "b")
        try a.connect(from: PortID(0), to: b.address(of: PortID(1)))
        try a.disconnect(from: PortID(0), to: b.address(of: PortID(1)))
        let sender = a.address(of: PortID(0))
        let destination = b.address(of: PortID(1))
        let events = try watcher.collect(what: "unsubscription \(sender) -> \(destination)") { received in
            received.contains { $0.event == .portUnsubscribed(sender: sender, destination: destination) }
        }
        let notices = events.map(\.event).filter {
            $0 == .portSubscribed(sender: sender, destination: destination)
                || $0 == .portUnsubscribed(sender: sender, destination: destination)
        }
        #expect(notices == [.portSubscribed(sender: sender, destination: destination),
                            .portUnsubscribed(sender: sender, destination: destination)])
    }

    @Test("the sequencer is reported available, and poll descriptors are given")
    func availability() throws {
        #expect(SequencerAvailability.check() == .available)
        let client = try SequencerClient(name: uniqueName("KT Poll"))
        let descriptors = try client.pollDescriptors()
        #expect(!descriptors.isEmpty)
        #expect(descriptors.allSatisfy { $0.fd >= 0 })
        #expect(try client.readEvent() == nil)
    }
}

/// The window `clientLifecycle` judges, on the sequences a reused client number produces
/// (no kernel needed: these are the orders `seq_free_client` allows).
@Suite struct LifecycleWindowTests {
    let id = ClientID(129)
    var port: Address { Address(client: id, port: PortID(7)) }

    @Test("the previous owner's port exits, heard before this client started, are outside the window")
    func previousOwnersPortsBeforeStart() throws {
        let earlier = Address(client: id, port: PortID(0))
        let events: [SequencerEvent] = [.portExited(earlier), .clientStarted(id), .clientExited(id), .portStarted(port),
                                        .portExited(port), .clientExited(id), .clientStarted(id)]
        let window = try #require(AnnouncementTests.lifecycleWindow(of: events, client: id, port: port))
        #expect(Array(window) == Array(events[1...5]))
    }

    @Test("no window until this client's port has gone and its exit has come")
    func incompleteLifecycle() {
        #expect(AnnouncementTests.lifecycleWindow(of: [.clientStarted(id), .portStarted(port), .clientExited(id)],
                                                  client: id, port: port) == nil)
        #expect(AnnouncementTests.lifecycleWindow(of: [.clientStarted(id), .portStarted(port), .portExited(port)],
                                                  client: id, port: port) == nil)
    }
}
