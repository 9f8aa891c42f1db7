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
            received.contains { $0.event == .clientExited(id) }
        }
        // Tests run in parallel: once this client has gone, the kernel may hand its number to
        // another test's client before the watcher stops reading, so only what came up to
        // and including the first exit is about this client.
        let untilExit = events.map(\.event).prefix { $0 != .clientExited(id) } + [.clientExited(id)]
        let aboutIt = untilExit.filter { event in
            switch event {
            case .clientStarted(let c), .clientChanged(let c), .clientExited(let c): return c == id
            case .portStarted(let a), .portChanged(let a), .portExited(let a): return a.client == id
            default: return false
            }
        }
        // Kernel 6.1 does not announce renames (clientChanged/portChanged); newer kernels do.
        // Either way, the lifecycle itself comes in this order.
        let lifecycle = aboutIt.filter {
            if case .clientChanged = $0 { return false }
            if case .portChanged = $0 { return false }
            return true
        }
        #expect(lifecycle == [.clientStarted(id), .portStarted(port), .portExited(port), .clientExited(id)])
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
