import Testing
@testable import ServiceCore

@Suite("Service paths")
struct ConfigServicePathsTests {
    @Test func systemModeUsesFixedPaths() throws {
        let env = ["HOME": "/home/u", "XDG_CONFIG_HOME": "/x"]
        #expect(try ServicePaths.configFile(mode: .system, environment: env) == "/etc/midi-services/default.midiconfig.json")
        #expect(try ServicePaths.stateDirectory(mode: .system, environment: [:]) == "/var/lib/midi-services")
        #expect(try ServicePaths.socket(mode: .system, environment: [:]) == "/run/midi-services/midisrv.sock")
    }

    @Test func userModeFollowsXDG() throws {
        let env = ["HOME": "/home/u", "XDG_CONFIG_HOME": "/cfg/", "XDG_STATE_HOME": "/st", "XDG_RUNTIME_DIR": "/run/user/1000"]
        #expect(try ServicePaths.configFile(mode: .user, environment: env) == "/cfg/midi-services/default.midiconfig.json")
        #expect(try ServicePaths.stateDirectory(mode: .user, environment: env) == "/st/midi-services")
        #expect(try ServicePaths.socket(mode: .user, environment: env) == "/run/user/1000/midi-services/midisrv.sock")
    }

    @Test func userModeFallsBackToHome() throws {
        for env in [["HOME": "/home/u"], ["HOME": "/home/u/", "XDG_CONFIG_HOME": "", "XDG_STATE_HOME": "relative/dir"]] {
            #expect(try ServicePaths.configFile(mode: .user, environment: env) == "/home/u/.config/midi-services/default.midiconfig.json")
            #expect(try ServicePaths.stateDirectory(mode: .user, environment: env) == "/home/u/.local/state/midi-services")
        }
    }

    @Test func userModeWithoutHomeIsAnError() {
        #expect(throws: ServicePaths.ResolutionError.noHomeDirectory(variable: "XDG_CONFIG_HOME", purpose: "user configuration directory")) {
            try ServicePaths.configFile(mode: .user, environment: ["HOME": "relative"])
        }
        #expect(throws: ServicePaths.ResolutionError.self) { try ServicePaths.stateDirectory(mode: .user, environment: [:]) }
        #expect(throws: ServicePaths.ResolutionError.noRuntimeDirectory) {
            try ServicePaths.socket(mode: .user, environment: ["HOME": "/home/u"])
        }
    }

    @Test func overridesWin() throws {
        let env = ["MIDI_SERVICES_SOCKET": "/tmp/s.sock", "XDG_RUNTIME_DIR": "/run/user/1"]
        #expect(try ServicePaths.socket(mode: .user, environment: env) == "/tmp/s.sock")
        #expect(try ServicePaths.socket(mode: .system, environment: env) == "/tmp/s.sock")
        #expect(try ServicePaths.socket(mode: .user, environment: env, commandLine: "/cli.sock") == "/cli.sock")
        #expect(try ServicePaths.socket(mode: .user, environment: [:], commandLine: "/cli.sock") == "/cli.sock")
        #expect(try ServicePaths.socket(mode: .system, environment: ["MIDI_SERVICES_SOCKET": ""]) == "/run/midi-services/midisrv.sock")
        #expect(try ServicePaths.configFile(mode: .user, environment: [:], commandLine: "./my.json") == "./my.json")
    }
}
