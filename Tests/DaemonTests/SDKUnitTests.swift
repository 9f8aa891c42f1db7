import Foundation
import MIDIServices
import ServiceCore
import Testing
import UMP

/// The SDK's pure parts: no service needed.
@Suite("SDK without a service")
struct SDKUnitTests {
    @Test func wordsParseInHexWithOrWithoutPrefix() throws {
        #expect(try MidiMessageParsing.parseWord("0x20903C40") == 0x2090_3C40)
        #expect(try MidiMessageParsing.parseWord("20903c40") == 0x2090_3C40)
        #expect(try MidiMessageParsing.parseWord("0X2090_3C40") == 0x2090_3C40)
        #expect(try MidiMessageParsing.parseWord(" 7 ") == 7)
        for bad in ["", "0x", "0x123456789", "xyz", "-1", "0x20 90"] {
            #expect(throws: MidiServiceError.self, "\(bad)") { try MidiMessageParsing.parseWord(bad) }
        }
    }

    @Test func messageWordCountMustMatchTheType() throws {
        #expect(try MidiMessageParsing.parseMessage(words: ["0x20903C40"]) == UMPPacket(0x2090_3C40))
        #expect(try MidiMessageParsing.parseMessage(words: ["40903C00", "80000000"]) == UMPPacket(0x4090_3C00, 0x8000_0000))
        #expect(try MidiMessageParsing.parseMessage(words: ["F0000000", "1", "2", "3"]).wordCount == 4)
        do {
            _ = try MidiMessageParsing.parseMessage(words: ["0x40903C00"])
            Issue.record("a 2-word type accepted 1 word")
        } catch {
            #expect(error.description == "a message of type 0x4 (MIDI 2.0 channel voice) has 2 words; 1 given")
        }
        #expect(throws: MidiServiceError.self) { try MidiMessageParsing.parseMessage(words: ["0x20903C40", "0"]) }
        #expect(throws: MidiServiceError.self) { try MidiMessageParsing.parseMessage(words: []) }
        #expect(MidiMessageParsing.hex(0x2090_3C40) == "0x20903C40")
        #expect(MidiMessageParsing.hex(0x40) == "0x00000040")
    }

    @Test func associationIdsParseWithOrWithoutBraces() throws {
        let plain = try #require(MidiLoopbackEndpointManager.parseAssociationId("7af38a08-0f4b-43ad-b218-1757496f0034"))
        let braced = try #require(MidiLoopbackEndpointManager.parseAssociationId("{7AF38A08-0F4B-43AD-B218-1757496F0034}"))
        #expect(plain == braced)
        #expect(MidiLoopbackEndpointManager.formatAssociationId(plain) == "{7AF38A08-0F4B-43AD-B218-1757496F0034}")
        for bad in ["", "{}", "7af38a08", "7af38a080f4b43adb2181757496f0034", "{7af38a08-0f4b-43ad-b218-1757496f0034",
                    "7af38a08-0f4b-43ad-b218-1757496f003z"] {
            #expect(MidiLoopbackEndpointManager.parseAssociationId(bad) == nil, "\(bad)")
        }
    }

    @Test func uniqueIdsAreStrippedAndGenerated() {
        #expect(MidiLoopbackEndpointManager.strippedUniqueId("8675309-OU812-5150") == "8675309-OU812-5150")
        #expect(MidiLoopbackEndpointManager.strippedUniqueId("a b$c_d!é") == "abc_d")
        let generated = MidiLoopbackEndpointManager.generateUniqueId()
        #expect(generated.count == 16)
        #expect(generated.allSatisfy { $0.isHexDigit })
        #expect(generated != MidiLoopbackEndpointManager.generateUniqueId())
        // Both sides share one generated id when none was given.
        let config = MidiLoopbackEndpointCreationConfig(endpointDefinitionA: .init(name: "A"), endpointDefinitionB: .init(name: "B"))
        #expect(MidiLoopbackEndpointManager.validate(config) == nil)
    }

    @Test func clockConversions() {
        #expect(MidiClock.timestampFrequency == 1_000_000_000)
        #expect(MidiClock.convertTimestampTicksToMicroseconds(1_500) == 1.5)
        #expect(MidiClock.convertTimestampTicksToMilliseconds(2_000_000) == 2)
        #expect(MidiClock.convertTimestampTicksToSeconds(3_000_000_000) == 3)
        #expect(MidiClock.convertMillisecondsToTimestampTicks(5) == 5_000_000)
        #expect(MidiClock.convertMicrosecondsToTimestampTicks(5) == 5_000)
        #expect(MidiClock.convertSecondsToTimestampTicks(0.25) == 250_000_000)
        #expect(MidiClock.offsetTimestamp(1_000, byTicks: -5_000) == 0)
        #expect(MidiClock.offsetTimestamp(.max - 1, byTicks: 10) == .max)
        #expect(MidiClock.offsetTimestamp(10_000_000, byMilliseconds: -5) == 5_000_000)
        let before = MidiClock.now
        let ahead = MidiClock.offsetFromNow(milliseconds: 100)
        #expect(ahead >= before + 100_000_000)
        #expect(MidiClock.now >= before)
    }

    @Test func pingStatisticsUseNearestRank() {
        func response(_ index: UInt32, microseconds: UInt64) -> MidiServicePingResponse {
            MidiServicePingResponse(sourceId: 1, index: index, clientSendMidiTimestamp: 1_000,
                                    serviceReportedMidiTimestamp: 1_500, clientReceiveMidiTimestamp: 1_000 + microseconds * 1_000)
        }
        let responses = (1...100).map { response(UInt32($0), microseconds: UInt64($0)) }
        let summary = MidiServicePingResponseSummary(responses: responses.reversed(), failures: 0, failureReason: "")
        #expect(summary.success)
        #expect(summary.minimumMicroseconds == 1)
        #expect(summary.maximumMicroseconds == 100)
        #expect(summary.medianMicroseconds == 50.5)
        #expect(summary.p99Microseconds == 99)
        #expect(summary.averageMicroseconds == 50.5)
        #expect(summary.averagePingRoundTripMidiClock == 50_500)
        let failed = MidiServicePingResponseSummary(responses: [response(0, microseconds: 7)], failures: 2, failureReason: "late")
        #expect(!failed.success)
        #expect(failed.sent == 3)
        #expect(failed.p99Microseconds == 7)
    }

    @Test func socketPathResolutionOrder() {
        let none: (String) -> String? = { _ in nil }
        #expect(MidiServiceSocket.resolve(explicit: "/x.sock", environment: { _ in "/env.sock" }, fileExists: { _ in true }) == "/x.sock")
        #expect(MidiServiceSocket.resolve(explicit: nil, environment: { $0 == "MIDI_SERVICES_SOCKET" ? "/env.sock" : nil },
                                          fileExists: { _ in true }) == "/env.sock")
        let xdg: (String) -> String? = { $0 == "XDG_RUNTIME_DIR" ? "/run/user/1000" : nil }
        #expect(MidiServiceSocket.resolve(explicit: nil, environment: xdg, fileExists: { $0 == "/run/user/1000/midi-services/midisrv.sock" })
                == "/run/user/1000/midi-services/midisrv.sock")
        #expect(MidiServiceSocket.resolve(explicit: nil, environment: xdg, fileExists: { _ in false }) == "/run/midi-services/midisrv.sock")
        #expect(MidiServiceSocket.resolve(explicit: "", environment: none, fileExists: { _ in true }) == "/run/midi-services/midisrv.sock")
    }

    /// The SDK (MIDIServices, which does not link ServiceCore) and the daemon (`ServicePaths`)
    /// both follow `MIDIRules.ServiceSocketPath`; this holds them to the same paths end to end: a
    /// client finds a user daemon's socket and the system daemon's, and both honour the same
    /// variable.
    @Test func sdkLooksWhereTheDaemonListens() throws {
        for runtime in ["/run/user/1000", "/run/user/1000/", "/tmp/xdg//"] {
            let daemonUser = try ServicePaths.socket(mode: .user, environment: ["XDG_RUNTIME_DIR": runtime])
            let client = MidiServiceSocket.resolve(explicit: nil, environment: { $0 == "XDG_RUNTIME_DIR" ? runtime : nil },
                                                   fileExists: { $0 == daemonUser })
            #expect(client == daemonUser, "XDG_RUNTIME_DIR=\(runtime)")
        }
        let daemonSystem = try ServicePaths.socket(mode: .system, environment: [:])
        #expect(MidiServiceSocket.resolve(explicit: nil, environment: { _ in nil }, fileExists: { _ in false }) == daemonSystem)
        #expect(MidiServiceSocket.systemPath == ServicePaths.systemSocket)
        #expect(MidiServiceSocket.environmentVariable == ServicePaths.socketEnvironmentVariable)
        let chosen = try ServicePaths.socket(mode: .user, environment: [ServicePaths.socketEnvironmentVariable: "/srv/m.sock"])
        #expect(MidiServiceSocket.resolve(explicit: nil, environment: { $0 == MidiServiceSocket.environmentVariable ? "/srv/m.sock" : nil },
                                          fileExists: { _ in false }) == chosen)
    }

    @Test func sendResultsAreTheWindowsFlags() {
        #expect(MidiSendMessageResults.succeeded.rawValue == 0x8000_0000)
        #expect(MidiSendMessageResults.failed.rawValue == 0x1000_0000)
        #expect(MidiSendMessageResults.bufferFull.rawValue == 0x0001_0000)
        #expect(MidiSendMessageResults.endpointConnectionClosedOrInvalid.rawValue == 0x0004_0000)
        #expect(MidiSendMessageResults.invalidMessageTypeForWordCount.rawValue == 0x0010_0000)
        #expect(MidiSendMessageResults.succeeded.isSuccess)
        #expect(!MidiSendMessageResults([.failed, .bufferFull]).isSuccess)
        #expect(MidiSendMessageResults([.failed, .bufferFull]).description == "[failed, bufferFull]")
    }

    @Test func wellKnownEndpointIds() {
        #expect(MidiEndpointDeviceInformation.diagnosticsLoopbackAEndpointId
                == #"\\?\swd#midisrv#midiu_diag_loopback_a#{e7cce071-3c03-423f-88d3-f1045d02552b}"#)
        #expect(MidiEndpointDeviceInformation.diagnosticsLoopbackBEndpointId.contains("midiu_diag_loopback_b#"))
        #expect(MidiEndpointDeviceInformation.endpointDeviceId(instance: "LOOP_A_X") == MidiEndpointDeviceInformation.endpointDeviceId(instance: "loop_a_x"))
    }
}
