import ArgumentParser
import BuildInfo
import Glibc
import MIDIServices

/// `midi`: the MIDI Services console, after the Windows MIDI Console. Every command talks to
/// the daemon `midisrv` through the `MIDIServices` SDK.
@main
struct Midi: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "midi",
        abstract: "MIDI Services console: loopback endpoints, endpoints, messages and the service.",
        discussion: """
        Talks to the MIDI service daemon (midisrv) over its socket: --socket, else \
        $MIDI_SERVICES_SOCKET, else the per-user daemon's socket when it exists, else \
        /run/midi-services/midisrv.sock.

        Endpoints are named by their full EndpointDeviceId, a short form (loop_a_default, \
        diag_loopback_a) or a unique endpoint name. Listings print tables; add --json for \
        scripts.

        Examples:
          midi loopback create --root-name "My Loopback"
          midi endpoint list
          midi endpoint loop_a_default send-message 0x20903C40
          midi endpoint "My Loopback (B)" monitor
          midi service ping

        Exit status: 0 success, 1 failure (invalid input, the service refused), 2 usage \
        error, 3 service not reachable, 4 endpoint or loopback pair not found, 5 timed out \
        waiting for messages.
        """,
        version: BuildInfo.versionLine,
        subcommands: [LoopbackCommand.self, EndpointCommand.self, ServiceCommand.self, WatchEndpoints.self,
                      EnumerateCommand.self, ConnectionsCommand.self])

    /// Parses (after accepting the Windows word order `endpoint <id> <verb>`), runs, and turns
    /// every failure into one line on stderr and a documented exit status.
    static func main() {
        InterruptHandling.unblockTerminationSignals()
        let arguments = ConsoleArguments.normalized(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let error as ConsoleError {
            ConsoleOutput.error(error.message)
            Glibc.exit(error.status.rawValue)
        } catch let error as MidiServiceError {
            let console = ConsoleError(error)
            ConsoleOutput.error(console.message)
            Glibc.exit(console.status.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { ConsoleOutput.line(message) }
                Glibc.exit(0)
            }
            if code == .validationFailure {
                // argument-parser's usage errors: its message (with the usage line), status 2.
                ConsoleOutput.raw(message + "\n", toStandardError: true)
                Glibc.exit(ConsoleStatus.usage.rawValue)
            }
            if !message.isEmpty { ConsoleOutput.raw(message + "\n", toStandardError: true) }
            Glibc.exit(code.rawValue)
        }
    }
}
