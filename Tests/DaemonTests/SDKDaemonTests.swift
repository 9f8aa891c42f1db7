import Dispatch
import Foundation
import Glibc
import IPC
import MIDIServices
import Synchronization
import Testing
import UMP

/// The SDK against the real `midisrv` process over a temporary socket, config and state dir.
@Suite("SDK against midisrv", .serialized)
struct SDKDaemonTests {
    // MARK: Loopback pairs

    @Test func createAndRemoveTransientPairThroughTheSDK() throws {
        let daemon = try SDKDaemon()
        let session = try daemon.session()
        defer { session.close() }

        let association = UUID()
        let config = MidiLoopbackEndpointCreationConfig(
            associationId: association,
            endpointDefinitionA: MidiLoopbackEndpointDefinition(name: "SDK Pair A", description: "first", uniqueId: "sdk-pair!1"),
            endpointDefinitionB: MidiLoopbackEndpointDefinition(name: "SDK Pair B", uniqueId: "sdk-pair!1"))
        let result = MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(config, session: session)
        #expect(result.success, "\(result.errorInformation)")
        // "!" is stripped; the ids are lower case and stable.
        #expect(result.endpointDeviceIdA == MidiEndpointDeviceInformation.endpointDeviceId(instance: "loop_a_sdk-pair1"))
        #expect(result.endpointDeviceIdB == MidiEndpointDeviceInformation.endpointDeviceId(instance: "loop_b_sdk-pair1"))
        #expect(result.pair?.isPersistent == false)

        let listed = try MidiEndpointDeviceInformation.findAll(session: session)
        #expect(Set(listed.map(\.endpointDeviceId)).isSuperset(of: [result.endpointDeviceIdA, result.endpointDeviceIdB]))
        let a = try #require(try MidiEndpointDeviceInformation.createFromEndpointDeviceId("loop_a_sdk-pair1", session: session))
        #expect(a.name == "SDK Pair A")
        #expect(a.transportSuppliedInfo.description == "first")
        #expect(a.transportCode == "LOOP")
        #expect(a.loopbackInfo?.side == "A")
        #expect(a.loopbackInfo?.pairedEndpointDeviceId == result.endpointDeviceIdB)
        let pairs = try MidiLoopbackEndpointManager.loopbackEndpointPairs(session: session)
        #expect(pairs.map(\.associationId) == [MidiLoopbackEndpointManager.formatAssociationId(association)])

        // The same unique id again is refused, with the reason.
        let again = MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(
            MidiLoopbackEndpointCreationConfig(endpointDefinitionA: .init(name: "Other A", uniqueId: "sdk-pair1"),
                                               endpointDefinitionB: .init(name: "Other B", uniqueId: "sdk-pair1")),
            session: session)
        #expect(!again.success)
        #expect(again.errorInformation.contains("sdk-pair1"), "\(again.errorInformation)")

        let removal = MidiLoopbackEndpointManager.removeTransientLoopbackEndpoints(.init(associationId: association), session: session)
        #expect(removal.success, "\(removal.errorInformation)")
        let after = try MidiEndpointDeviceInformation.findAll(session: session)
        #expect(!after.map(\.endpointDeviceId).contains(result.endpointDeviceIdA))
        #expect(try MidiEndpointDeviceInformation.createFromEndpointDeviceId(result.endpointDeviceIdA, session: session) == nil)
    }

    @Test func invalidDefinitionsAreRefusedBeforeReachingTheService() throws {
        func config(_ a: String, _ b: String, unique: String? = nil) -> MidiLoopbackEndpointCreationConfig {
            MidiLoopbackEndpointCreationConfig(endpointDefinitionA: .init(name: a, uniqueId: unique),
                                               endpointDefinitionB: .init(name: b, uniqueId: unique))
        }
        // No session is needed: validation happens first.
        let blank = MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(config("  ", "B"),
                                                                                 session: nil)
        #expect(!blank.success)
        #expect(blank.errorInformation.contains("name is required"))
        let long = MidiLoopbackEndpointManager.validate(config("A", "B", unique: String(repeating: "x", count: 33) + "!!"))
        #expect(long?.description.contains("33 characters") == true)
        let same = MidiLoopbackEndpointManager.validate(config("Same", "same"))
        #expect(same?.description.contains("unique") == true)
        #expect(MidiLoopbackEndpointManager.validate(config("A", "B", unique: String(repeating: "x", count: 32))) == nil)
    }

    @Test func configPairRefusesRemovalAndSaysWhy() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let session = try daemon.session()
        defer { session.close() }
        let id = try #require(MidiLoopbackEndpointManager.parseAssociationId(defaultPairAssociation))
        let result = MidiLoopbackEndpointManager.removeTransientLoopbackEndpoints(.init(associationId: id), session: session)
        #expect(!result.success)
        #expect(result.error?.code == .notPermitted)
        #expect(result.errorInformation.contains("configuration file"), "\(result.errorInformation)")
        #expect(try MidiLoopbackEndpointManager.loopbackEndpointPairs(session: session).map(\.isPersistent) == [true])
    }

    @Test func persistentPairSurvivesRestartTransientPairDoesNot() throws {
        let daemon = try SDKDaemon()
        var session = try daemon.session()
        let persistent = MidiLoopbackEndpointManager.createPersistentLoopbackEndpoints(
            MidiLoopbackEndpointCreationConfig(endpointDefinitionA: .init(name: "Kept A", uniqueId: "kept"),
                                               endpointDefinitionB: .init(name: "Kept B", uniqueId: "kept")),
            session: session)
        #expect(persistent.success, "\(persistent.errorInformation)")
        let transient = MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(
            MidiLoopbackEndpointCreationConfig(endpointDefinitionA: .init(name: "Gone A", uniqueId: "gone"),
                                               endpointDefinitionB: .init(name: "Gone B", uniqueId: "gone")),
            session: session)
        #expect(transient.success, "\(transient.errorInformation)")
        session.close()

        let file = try String(contentsOfFile: daemon.sandbox.configPath, encoding: .utf8)
        let keptId = MidiLoopbackEndpointManager.formatAssociationId(persistent.associationId)
        #expect(file.contains(keptId))
        #expect(file.contains("Kept A"))
        #expect(!file.contains("Gone A"))

        try daemon.restart()
        session = try daemon.session()
        defer { session.close() }
        let pairs = try MidiLoopbackEndpointManager.loopbackEndpointPairs(session: session)
        #expect(pairs.map(\.associationId) == [keptId])
        #expect(pairs.first?.isPersistent == true)
        #expect(try MidiEndpointDeviceInformation.createFromEndpointDeviceId(transient.endpointDeviceIdA, session: session) == nil)
    }

    // MARK: Traffic

    @Test func trafficFlowsBothWaysToEveryConnectionOnTheOtherSideOnly() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let first = try daemon.session("first")
        let second = try daemon.session("second")
        defer { first.close(); second.close() }

        // Three connections per side, spread over two sessions (two client processes' worth).
        var aSide: [(MidiEndpointConnection, Collected<MidiMessageReceivedEventArgs>)] = []
        var bSide: [(MidiEndpointConnection, Collected<MidiMessageReceivedEventArgs>)] = []
        for (index, session) in [first, second, first].enumerated() {
            let a = try session.createEndpointConnection(endpointDeviceId: index == 0 ? "loop_a_default" : defaultA)
            let b = try session.createEndpointConnection(endpointDeviceId: index == 0 ? "Default Loopback B" : defaultB)
            aSide.append((a, a.collect()))
            bSide.append((b, b.collect()))
            try a.open()
            try b.open()
        }
        #expect(aSide[0].0.connectedEndpointDeviceId == defaultA)   // short form resolved
        #expect(bSide[0].0.connectedEndpointDeviceId == defaultB)   // unique name resolved

        // A → B: timestamp 0 is stamped by the service; a non-zero one arrives unchanged.
        let before = MidiClock.now
        #expect(aSide[0].0.sendSingleMessageWords(timestamp: 0, 0x2090_3C40) == .succeeded)
        #expect(aSide[1].0.sendSingleMessagePacket(timestamp: 12_345, UMPPacket(0x4090_3C00, 0x8000_0000)) == .succeeded)
        for (_, received) in bSide {
            let messages = received.wait(for: 2)
            #expect(messages.count == 2)
            guard messages.count == 2 else { continue }
            #expect(Set(messages.map(\.packet)) == [UMPPacket(0x2090_3C40), UMPPacket(0x4090_3C00, 0x8000_0000)])
            let stamped = messages.first { $0.packet.word0 == 0x2090_3C40 }
            #expect(stamped.map { $0.timestamp >= before && $0.timestamp <= MidiClock.now } == true)
            #expect(messages.first { $0.packet.word0 == 0x4090_3C00 }?.timestamp == 12_345)
        }

        // B → A, several messages in one call; the sentinel proves the A side saw nothing before.
        let batch = (0..<5).map { TimestampedUMP(timestamp: 0, packet: UMPPacket(0x2080_3000 | UInt32($0))) }
        #expect(bSide[2].0.sendMultipleMessages(batch) == .succeeded)
        for (_, received) in aSide {
            let messages = received.wait(for: 5)
            #expect(messages.map(\.packet) == batch.map(\.packet), "every A connection gets B's messages, in order, and only those")
        }
        // A control round trip on each session is a barrier: its reply is queued after every
        // message the service delivered to that session before, and the reader hands those to
        // the callbacks first. So an echo to the sender's side would be visible by now.
        _ = try MidiEndpointDeviceInformation.findAll(session: first)
        _ = try MidiEndpointDeviceInformation.findAll(session: second)
        for (_, received) in bSide { #expect(received.count == 2) }
        for (_, received) in aSide { #expect(received.count == 5) }
        #expect(aSide[0].0.receivedMessageCount == 5)
    }

    @Test func bulkTrafficArrivesInOrderOrIsAccountedFor() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let session = try daemon.session()
        defer { session.close() }
        let a = try session.createEndpointConnection(endpointDeviceId: defaultA)
        let b = try session.createEndpointConnection(endpointDeviceId: defaultB)
        let received = Atomic<Int>(0)
        let outOfOrder = Atomic<Int>(0)
        let last = Atomic<UInt32>(0)
        b.messageReceived = { message in
            let value = message.packet.word1
            if value != last.load(ordering: .relaxed) &+ 1 { outOfOrder.add(1, ordering: .relaxed) }
            last.store(value, ordering: .relaxed)
            received.add(1, ordering: .relaxed)
        }
        try a.open()
        try b.open()
        // 20 000 two-word messages carrying a sequence number: half one per call, half in batches.
        var sequence: UInt32 = 0
        for _ in 0..<10_000 {
            sequence += 1
            #expect(a.sendSingleMessageWords(timestamp: 0, 0x4090_3C00, sequence) == .succeeded)
        }
        for _ in 0..<100 {
            let batch = (0..<100).map { offset in
                TimestampedUMP(timestamp: 0, packet: UMPPacket(0x4090_3C00, sequence + UInt32(offset) + 1))
            }
            sequence += 100
            #expect(a.sendMultipleMessages(batch) == .succeeded)
        }
        let sent = Int(sequence)
        // Whatever a full receiver queue dropped is reported back to the sender.
        #expect(pollUntil { received.load(ordering: .relaxed) + Int(a.deliveryLosses.receiverOverflow) == sent },
                "received \(received.load(ordering: .relaxed)), reported lost \(a.deliveryLosses.receiverOverflow) of \(sent)")
        if a.deliveryLosses.receiverOverflow == 0 {
            #expect(outOfOrder.load(ordering: .relaxed) == 0)
            #expect(last.load(ordering: .relaxed) == sequence)
        }
        #expect(b.receivedMessageCount == UInt64(received.load(ordering: .relaxed)))
    }

    /// One `sendMultipleMessages` call holding more than a frame (the SDK copies runs into
    /// frames and sends each as it fills; the daemon routes each frame in runs): every message,
    /// of every size, arrives once and in order, with the stamp the service gave it.
    @Test func aCallLargerThanAFrameArrivesWholeAndInOrder() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let session = try daemon.session()
        defer { session.close() }
        let a = try session.createEndpointConnection(endpointDeviceId: defaultA)
        let b = try session.createEndpointConnection(endpointDeviceId: defaultB)
        let received = Mutex<[TimestampedUMP]>([])
        b.messageReceived = { message in received.withLock { $0.append(message.timestampedPacket) } }
        try a.open()
        try b.open()
        // 1-, 2- and 4-word messages in turn, each carrying its index; 9,000 of them need
        // several frames.
        let messages = (0..<9_000).map { index -> TimestampedUMP in
            let n = UInt32(index)
            switch index % 3 {
            case 0: return TimestampedUMP(timestamp: 0, packet: UMPPacket(0x2090_0000 | (n & 0xFFFF)))
            case 1: return TimestampedUMP(timestamp: 0, packet: UMPPacket(0x4090_3C00, n))
            default: return TimestampedUMP(timestamp: 0, packet: UMPPacket(0x5000_0000, n, n, n))
            }
        }
        #expect(messages.count * 20 > WireFormat.maximumFrameSize, "the call must span several frames")
        let before = MidiClock.now
        #expect(a.sendMultipleMessages(messages) == .succeeded)
        #expect(pollUntil { received.withLock { $0.count } + Int(a.deliveryLosses.receiverOverflow) == messages.count })
        let got = received.withLock { $0 }
        #expect(a.deliveryLosses.total == 0, "nothing may be dropped at this size")
        #expect(got.map(\.packet) == messages.map(\.packet))
        #expect(got.allSatisfy { $0.timestamp >= before && $0.timestamp <= MidiClock.now })
    }

    /// A scheduled message is answered "scheduled" when sent; if a full receiver refuses it when
    /// it falls due, the daemon tells the sender afterwards (a send report with 0 messages), so
    /// that what was received plus what was reported lost adds up for scheduled sends too.
    @Test func scheduledMessagesAFullReceiverRefusesAreReportedToTheSenderLate() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let senderSession = try daemon.session()
        defer { senderSession.close() }
        let receiverSession = try daemon.session()
        let release = DispatchSemaphore(value: 0)
        defer {
            release.signal()
            receiverSession.close()
        }
        let a = try senderSession.createEndpointConnection(endpointDeviceId: defaultA)
        let b = try receiverSession.createEndpointConnection(endpointDeviceId: defaultB)
        let received = Atomic<Int>(0)
        b.messageReceived = { _ in
            // The reader thread stops at the first message: B's socket and queue fill up.
            if received.add(1, ordering: .relaxed).newValue == 1 { release.wait() }
        }
        try a.open()
        try b.open()
        let due = MidiClock.now + 300_000_000   // all are queued before the first falls due
        let batch = (0..<5_000).map { TimestampedUMP(timestamp: due, packet: UMPPacket(0x2090_3C00 | UInt32($0 & 0x7F))) }
        for _ in 0..<12 { #expect(a.sendMultipleMessages(batch) == .succeeded) }
        let sent = 12 * batch.count   // 720 kB for B: more than its 256 KiB queue and its socket hold
        #expect(pollUntil { a.deliveryLosses.receiverOverflow > 0 }, "no late report reached the sender")
        release.signal()
        #expect(pollUntil { received.load(ordering: .relaxed) + Int(a.deliveryLosses.receiverOverflow) == sent },
                "received \(received.load(ordering: .relaxed)) + reported \(a.deliveryLosses.receiverOverflow) of \(sent)")
        #expect(a.deliveryLosses.schedulerRefused == 0 && a.deliveryLosses.rejected == 0)
    }

    @Test func concurrentSendersShareConnectionsSafely() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let session = try daemon.session()
        defer { session.close() }
        let shared = try session.createEndpointConnection(endpointDeviceId: defaultA)
        let own = try (0..<3).map { _ in try session.createEndpointConnection(endpointDeviceId: defaultA) }
        let b = try session.createEndpointConnection(endpointDeviceId: defaultB)
        let perSender = Mutex<[UInt32: Int]>([:])
        b.messageReceived = { message in perSender.withLock { $0[message.packet.word1 >> 16, default: 0] += 1 } }
        for connection in own + [shared, b] { try connection.open() }
        let failures = Atomic<Int>(0)
        // Six threads: three on their own connection, three on one shared connection.
        DispatchQueue.concurrentPerform(iterations: 6) { thread in
            let connection = thread < 3 ? own[thread] : shared
            for index in 0..<1_000 {
                let result = connection.sendSingleMessageWords(timestamp: 0, 0x4090_3C00, UInt32(thread) << 16 | UInt32(index))
                if !result.isSuccess { failures.add(1, ordering: .relaxed) }
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        let lost = (own + [shared]).reduce(UInt64(0)) { $0 + $1.deliveryLosses.receiverOverflow }
        #expect(pollUntil { perSender.withLock { $0.values.reduce(0, +) } + Int(lost) == 6_000 })
        if lost == 0 { #expect(perSender.withLock { $0 } == [0: 1_000, 1: 1_000, 2: 1_000, 3: 1_000, 4: 1_000, 5: 1_000]) }
    }

    @Test func blockingCallsFromACallbackAreRefusedNotDeadlocked() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let session = try daemon.session()
        defer { session.close() }
        let a = try session.createEndpointConnection(endpointDeviceId: defaultA)
        let b = try session.createEndpointConnection(endpointDeviceId: defaultB)
        let outcomes = Collected<String>()
        b.messageReceived = { _ in
            do {
                _ = try MidiEndpointDeviceInformation.findAll(session: session)
                outcomes.append("answered")
            } catch {
                outcomes.append("\(error)")
            }
            // Sending from a callback is fine.
            outcomes.append(b.sendSingleMessageWords(timestamp: 0, 0x2080_3C00).isSuccess ? "sent" : "not sent")
        }
        try a.open()
        try b.open()
        #expect(a.sendSingleMessageWords(timestamp: 0, 0x2090_3C40) == .succeeded)
        let result = outcomes.wait(for: 2)
        #expect(result.first?.contains("cannot be called from a session callback") == true, "\(result)")
        #expect(result.last == "sent")
    }

    @Test func asyncSequenceDeliversInOrderAndEndsWithTheConnection() async throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let session = try daemon.session()
        defer { session.close() }
        let a = try session.createEndpointConnection(endpointDeviceId: defaultA)
        let b = try session.createEndpointConnection(endpointDeviceId: defaultB)
        let stream = b.receivedMessages(bufferLimit: 64)
        try a.open()
        try b.open()
        let words = (0..<20).map { UInt32(0x2090_0000) | UInt32($0) << 8 | 0x40 }
        #expect(a.sendMultipleMessagesWordList(timestamp: 0, words: words) == .succeeded)
        var got: [UInt32] = []
        for await message in stream {
            got.append(message.firstWord)
            if got.count == words.count { b.close() }   // ends the sequence
        }
        #expect(got == words)
        #expect(b.state == .closed)
    }

    @Test func sendResultsReportClosedConnectionsAndWrongWordCounts() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let session = try daemon.session()
        defer { session.close() }
        let a = try session.createEndpointConnection(endpointDeviceId: defaultA)
        #expect(a.sendSingleMessageWords(timestamp: 0, 0x2090_3C40) == [.failed, .endpointConnectionClosedOrInvalid])
        try a.open()
        #expect(a.sendSingleMessageWords(timestamp: 0, 0x4090_3C00) == [.failed, .invalidMessageTypeForWordCount])
        #expect(a.sendMultipleMessagesWordList(timestamp: 0, words: [0x2090_3C40, 0x4090_3C00]) == [.failed, .invalidMessageTypeForWordCount])
        #expect(a.sendSingleMessageWordArray(timestamp: 0, startIndex: 1, wordCount: 2, words: [0x2090_3C40]) == [.failed, .dataIndexOutOfRange])
        #expect(a.sendSingleMessageWords(timestamp: 0, 0x4090_3C00, 0x8000_0000) == .succeeded)
        a.close()
        #expect(a.sendSingleMessageWords(timestamp: 0, 0x2090_3C40) == [.failed, .endpointConnectionClosedOrInvalid])
        let missing = try session.createEndpointConnection(endpointDeviceId: "loop_a_nosuchthing")
        #expect(throws: MidiServiceError.self) { try missing.open() }
        do { try missing.open() } catch { #expect(error.code == .notFound) }
    }

    // MARK: Diagnostics

    @Test func diagnosticLoopbackKeepsTimestampsExactlyAsSent() throws {
        let daemon = try SDKDaemon()
        let session = try daemon.session()
        defer { session.close() }
        let a = try session.createEndpointConnection(endpointDeviceId: MidiEndpointDeviceInformation.diagnosticsLoopbackAEndpointId)
        let b = try session.createEndpointConnection(endpointDeviceId: "diag_loopback_b")
        let atA = a.collect(), atB = b.collect()
        try a.open()
        try b.open()
        #expect(a.sendSingleMessageWords(timestamp: 0, 0x2090_3C40) == .succeeded)
        #expect(a.sendSingleMessageWords(timestamp: 987_654_321, 0x2080_3C00) == .succeeded)
        let messages = atB.wait(for: 2)
        #expect(messages.map(\.timestamp) == [0, 987_654_321])
        #expect(b.sendSingleMessageWords(timestamp: 0, 0x2090_4040) == .succeeded)
        #expect(atA.wait(for: 1).map(\.timestamp) == [0])

        // Not listed unless asked for.
        let standard = try MidiEndpointDeviceInformation.findAll(session: session).map(\.endpointDeviceId)
        #expect(!standard.contains(MidiEndpointDeviceInformation.diagnosticsLoopbackAEndpointId))
        let withDiagnostics = try MidiEndpointDeviceInformation.findAll(filter: [.allStandardEndpoints, .includeDiagnosticLoopback],
                                                                        session: session).map(\.endpointDeviceId)
        #expect(withDiagnostics.contains(MidiEndpointDeviceInformation.diagnosticsLoopbackAEndpointId))
        #expect(!withDiagnostics.contains(MidiEndpointDeviceInformation.diagnosticsPingEndpointId))
    }

    /// What `midi endpoint … monitor --count 1` does: the callback wakes the main thread, which
    /// closes the session at once while the reader thread is still returning from that callback.
    /// The reader then exits and closes its wake pipe; a `close()` that wrote to the pipe after
    /// that raised SIGPIPE and killed the process (seen as exit 141 in the VM tier). SIGPIPE is
    /// left at its default here, so the race, if it came back, kills this test process: a
    /// failure no one can miss. Timing-dependent by nature, hence many rounds.
    @Test func closingRightAfterACallbackNeverRaisesSIGPIPE() throws {
        let daemon = try SDKDaemon()
        let previous = signal(SIGPIPE, SIG_DFL)
        defer { signal(SIGPIPE, previous) }
        let sender = try daemon.session("sender")
        defer { sender.close() }
        let a = try sender.createEndpointConnection(endpointDeviceId: "diag_loopback_a")
        try a.open()
        for round in 0..<200 {
            let session = try daemon.session("closer \(round)")
            let b = try session.createEndpointConnection(endpointDeviceId: "diag_loopback_b")
            let received = DispatchSemaphore(value: 0)
            b.messageReceived = { _ in received.signal() }
            try b.open()
            #expect(a.sendSingleMessageWords(timestamp: 0, 0x2090_3C40) == .succeeded)
            #expect(received.wait(timeout: .now() + testDeadline) == .success, "round \(round): no message")
            session.close()
        }
    }

    /// The reader thread blocks in `recvmsg`; `close()` must wake it wherever it waits — on an
    /// idle socket, or between reconnection attempts — instead of falling back to its 5 s
    /// give-up. (A bound for a hang, not a speed measurement.)
    @Test func closeWakesTheReaderWhereverItWaits() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        for round in 0..<5 {
            let session = try daemon.session("idle \(round)")
            let b = try session.createEndpointConnection(endpointDeviceId: defaultB)
            try b.open()
            usleep(20_000)   // the reader is back in its wait
            let start = Date()
            session.close()
            #expect(Date().timeIntervalSince(start) < 2, "round \(round): close() waited for the reader to give up")
            #expect(!session.isConnected)
        }
        let session = try daemon.session("reconnecting")
        try daemon.stop()
        #expect(pollUntil { !session.isConnected })
        usleep(100_000)   // into the back-off wait between attempts
        let start = Date()
        session.close()
        #expect(Date().timeIntervalSince(start) < 2, "close() while reconnecting waited for the reader to give up")
    }

    @Test func pingMeasuresRoundTrips() throws {
        let daemon = try SDKDaemon()
        let session = try daemon.session()
        defer { session.close() }
        let summary = try MidiDiagnostics.ping(count: 25, timeout: testDeadline, session: session)
        #expect(summary.success, "\(summary.failureReason)")
        #expect(summary.sent == 25)
        #expect(summary.responses.map(\.index) == Array(0..<25))
        #expect(summary.failures == 0)
        #expect(summary.minimumMicroseconds > 0)
        #expect(summary.minimumMicroseconds <= summary.medianMicroseconds)
        #expect(summary.medianMicroseconds <= summary.p99Microseconds)
        #expect(summary.p99Microseconds <= summary.maximumMicroseconds)
        for response in summary.responses {
            #expect(response.clientSendMidiTimestamp <= response.serviceReportedMidiTimestamp)
            #expect(response.serviceReportedMidiTimestamp <= response.clientReceiveMidiTimestamp)
        }
        // The ping connection is gone afterwards.
        #expect(session.connections.isEmpty)
    }

    // MARK: Watcher and names

    @Test func watcherReportsAddedRemovedUpdatedAndEnumerationCompleted() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let session = try daemon.session()
        defer { session.close() }
        let watcher = try MidiEndpointDeviceWatcher.create(session: session)
        let events = Collected<String>()
        watcher.added = { _, args in events.append("added \(args.addedDevice.endpointDeviceId)") }
        watcher.removed = { _, args in events.append("removed \(args.endpointDeviceId)") }
        watcher.updated = { _, args in
            events.append("updated \(args.endpointDeviceId) \(args.updatedDevice.name) name:\(args.isNameUpdated)")
        }
        watcher.enumerationCompleted = { _ in events.append("enumerationCompleted") }
        try watcher.start()
        #expect(events.wait(for: 3) == ["added \(defaultA)", "added \(defaultB)", "enumerationCompleted"])
        #expect(watcher.status == .enumerationCompleted)
        #expect(Set(watcher.enumeratedEndpointDevices.keys) == [defaultA, defaultB])

        let created = MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(
            MidiLoopbackEndpointCreationConfig(endpointDefinitionA: .init(name: "Watched A", uniqueId: "watched"),
                                               endpointDefinitionB: .init(name: "Watched B", uniqueId: "watched")),
            session: session)
        #expect(created.success)
        #expect(Array(events.wait(for: 5).dropFirst(3)) == ["added \(created.endpointDeviceIdA)", "added \(created.endpointDeviceIdB)"])

        try MidiEndpointDeviceInformation.updateUserSuppliedInfo(endpointDeviceId: created.endpointDeviceIdA, name: "Renamed A",
                                                                 session: session)
        #expect(events.wait(for: 6).last == "updated \(created.endpointDeviceIdA) Renamed A name:true")
        #expect(watcher.enumeratedEndpointDevices[created.endpointDeviceIdA]?.name == "Renamed A")

        #expect(MidiLoopbackEndpointManager.removeTransientLoopbackEndpoints(.init(associationId: created.associationId),
                                                                           session: session).success)
        #expect(Set(events.wait(for: 8).suffix(2)) == ["removed \(created.endpointDeviceIdA)", "removed \(created.endpointDeviceIdB)"])
        #expect(Set(watcher.enumeratedEndpointDevices.keys) == [defaultA, defaultB])

        let stopped = Collected<Bool>()
        watcher.stopped = { _ in stopped.append(true) }
        watcher.stop()
        #expect(stopped.count == 1)
        #expect(throws: MidiServiceError.self) { try watcher.start() }
    }

    @Test func customNamePersistsAcrossRestart() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        var session = try daemon.session()
        let renamed = try MidiEndpointDeviceInformation.updateUserSuppliedInfo(
            endpointDeviceId: "loop_b_default", name: "Synth Out", description: "the rack", session: session)
        #expect(renamed.name == "Synth Out")
        #expect(renamed.userSuppliedInfo.name == "Synth Out")
        #expect(renamed.transportSuppliedInfo.name == "Default Loopback B")
        session.close()

        try daemon.restart()
        session = try daemon.session()
        defer { session.close() }
        let after = try #require(try MidiEndpointDeviceInformation.createFromEndpointDeviceId(defaultB, session: session))
        #expect(after.name == "Synth Out")
        #expect(after.userSuppliedInfo.description == "the rack")
        // The custom name is a unique name, usable as a reference.
        #expect(try MidiEndpointDeviceInformation.createFromEndpointDeviceId("Synth Out", session: session)?.endpointDeviceId == defaultB)
        #expect(throws: MidiServiceError.self) {
            try MidiEndpointDeviceInformation.updateUserSuppliedInfo(endpointDeviceId: defaultB, name: "  ", session: session)
        }
    }

    // MARK: Failure and recovery

    @Test func clientKilledMidStreamLeavesDaemonAndOthersUnharmed() throws {
        guard let midi = ConsoleBinary.path else { throw HarnessError("midi binary not found; run `swift build` first") }
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let session = try daemon.session()
        defer { session.close() }
        let b = try session.createEndpointConnection(endpointDeviceId: defaultB)
        let atB = b.collect()
        try b.open()

        // Another process streams into A as fast as it can; kill it in the middle.
        let sender = Process()
        sender.executableURL = URL(fileURLWithPath: midi)
        sender.arguments = ["endpoint", "loop_a_default", "send-message", "0x20903C40", "--count", "10000000",
                            "--socket", daemon.socketPath]
        sender.standardOutput = FileHandle.nullDevice
        sender.standardError = FileHandle.nullDevice
        try sender.run()
        #expect(pollUntil { atB.count >= 200 }, "the streaming client's messages should arrive")
        kill(sender.processIdentifier, SIGKILL)
        sender.waitUntilExit()
        #expect(sender.terminationReason == .uncaughtSignal)

        // The daemon lives on and serves the remaining client: traffic, control, ping.
        #expect(daemon.process.process.isRunning)
        let a = try session.createEndpointConnection(endpointDeviceId: defaultA)
        try a.open()
        let countBefore = atB.count
        #expect(pollUntil {
            // Messages of the dead client may still be in flight; wait for the marker.
            _ = a.sendSingleMessageWords(timestamp: 0, 0x2080_3C00)
            return atB.all.dropFirst(countBefore).contains { $0.packet.word0 == 0x2080_3C00 }
        })
        #expect(try MidiDiagnostics.ping(count: 3, timeout: testDeadline, session: session).success)
        // The killed client is gone from the service's list (it notices the hang-up at once).
        #expect(try pollUntil { try MidiDiagnostics.serviceStatus(session: session).clients.count == 1 })
    }

    @Test func daemonRestartDisconnectsThenReconnectsOpenConnections() throws {
        let daemon = try SDKDaemon(config: defaultPairConfig)
        let session = try daemon.session()
        defer { session.close() }
        let a = try session.createEndpointConnection(endpointDeviceId: "loop_a_default")
        let b = try session.createEndpointConnection(endpointDeviceId: defaultB)
        let atB = b.collect()
        let disconnected = Collected<String>(), reconnected = Collected<String>()
        for connection in [a, b] {
            connection.endpointDeviceDisconnected = { disconnected.append($0.connectedEndpointDeviceId) }
            connection.endpointDeviceReconnected = { reconnected.append($0.connectedEndpointDeviceId) }
        }
        // A transient pair does not come back after the restart.
        let temporary = MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(
            MidiLoopbackEndpointCreationConfig(endpointDefinitionA: .init(name: "Temp A", uniqueId: "temp"),
                                               endpointDefinitionB: .init(name: "Temp B", uniqueId: "temp")),
            session: session)
        #expect(temporary.success)
        let t = try session.createEndpointConnection(endpointDeviceId: temporary.endpointDeviceIdA)
        let temporaryEvents = Collected<String>()
        t.endpointDeviceDisconnected = { _ in temporaryEvents.append("disconnected") }
        t.endpointDeviceReconnected = { _ in temporaryEvents.append("reconnected") }

        let watcherEvents = Collected<String>()
        let watcher = try MidiEndpointDeviceWatcher.create(session: session)
        watcher.added = { _, args in watcherEvents.append("added \(args.addedDevice.endpointDeviceId)") }
        watcher.removed = { _, args in watcherEvents.append("removed \(args.endpointDeviceId)") }
        watcher.enumerationCompleted = { _ in watcherEvents.append("enumerationCompleted") }
        try watcher.start()
        try a.open()
        try b.open()
        try t.open()
        #expect(a.sendSingleMessageWords(timestamp: 0, 0x2090_3C40) == .succeeded)
        #expect(atB.wait(for: 1).count == 1)
        let initial = ["added \(temporary.endpointDeviceIdA)", "added \(temporary.endpointDeviceIdB)",
                       "added \(defaultA)", "added \(defaultB)", "enumerationCompleted"]
        #expect(Set(watcherEvents.wait(for: 5)) == Set(initial))

        try daemon.stop()
        #expect(Set(disconnected.wait(for: 2)) == [defaultA, defaultB])
        #expect(pollUntil { !session.isConnected })
        #expect(!a.isOpen)
        #expect(a.sendSingleMessageWords(timestamp: 0, 0x2090_3C41).contains(.failed))
        #expect(reconnected.count == 0)

        try daemon.start()
        #expect(Set(reconnected.wait(for: 2)) == [defaultA, defaultB], "log:\n\(daemon.process.log)")
        #expect(a.isOpen && b.isOpen)
        #expect(session.isConnected)
        #expect(pollUntil {
            _ = a.sendSingleMessageWords(timestamp: 0, 0x2090_3C42)
            return atB.all.contains { $0.packet.word0 == 0x2090_3C42 }
        })
        // The watcher re-subscribed and reconciled: the transient pair is reported removed; the
        // endpoints that are still there cause no event, and there is no second enumeration.
        #expect(Set(watcherEvents.wait(for: 7).dropFirst(5)) == ["removed \(temporary.endpointDeviceIdA)",
                                                                  "removed \(temporary.endpointDeviceIdB)"])
        #expect(watcherEvents.count == 7)
        #expect(Set(watcher.enumeratedEndpointDevices.keys) == [defaultA, defaultB])
        // Its connection waits for the endpoint instead of reconnecting.
        #expect(pollUntil { t.state == .endpointGone })
        #expect(temporaryEvents.all == ["disconnected"])
        let created = MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(
            MidiLoopbackEndpointCreationConfig(endpointDefinitionA: .init(name: "After A", uniqueId: "after"),
                                               endpointDefinitionB: .init(name: "After B", uniqueId: "after")),
            session: session)
        #expect(created.success)
        #expect(watcherEvents.wait(for: 9).suffix(2) == ["added \(created.endpointDeviceIdA)", "added \(created.endpointDeviceIdB)"])
    }

    @Test func connectionFollowsItsEndpointAwayAndBack() throws {
        let daemon = try SDKDaemon()
        let session = try daemon.session()
        defer { session.close() }
        let definition = MidiLoopbackEndpointCreationConfig(endpointDefinitionA: .init(name: "Come Back A", uniqueId: "back"),
                                                            endpointDefinitionB: .init(name: "Come Back B", uniqueId: "back"))
        #expect(MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(definition, session: session).success)
        let b = try session.createEndpointConnection(endpointDeviceId: "loop_b_back")
        let events = Collected<String>()
        b.endpointDeviceDisconnected = { _ in events.append("disconnected") }
        b.endpointDeviceReconnected = { _ in events.append("reconnected") }
        let atB = b.collect()
        try b.open()

        #expect(MidiLoopbackEndpointManager.removeTransientLoopbackEndpoints(.init(associationId: definition.associationId),
                                                                           session: session).success)
        #expect(events.wait(for: 1) == ["disconnected"])
        #expect(b.state == .endpointGone)

        #expect(MidiLoopbackEndpointManager.createTransientLoopbackEndpoints(definition, session: session).success)
        #expect(events.wait(for: 2) == ["disconnected", "reconnected"])
        let a = try session.createEndpointConnection(endpointDeviceId: "loop_a_back")
        try a.open()
        #expect(a.sendSingleMessageWords(timestamp: 0, 0x2090_3C40) == .succeeded)
        #expect(atB.wait(for: 1).map(\.packet.word0) == [0x2090_3C40])
    }

    @Test func unreachableServiceIsAClearError() throws {
        let sandbox = try DaemonSandbox()
        do {
            _ = try MidiSession.create(name: "nobody", socketPath: sandbox.socketPath)
            Issue.record("a session was created without a service")
        } catch {
            guard case .serviceNotReachable(let path, _, let errno) = error else { Issue.record("\(error)"); return }
            #expect(path == sandbox.socketPath)
            #expect(errno == ENOENT)
            #expect(error.description.contains(sandbox.socketPath))
        }
    }
}
