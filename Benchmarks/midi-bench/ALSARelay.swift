import ALSASequencer
import ArgumentParser
import Glibc
import POSIX

/// The ALSA runs' user-space baseline: one ordinary sequencer client, in its own process, that
/// writes every event arriving on its port to that port's subscribers — and does nothing else
/// (no translation, no routing). Against it, the bridge's figures say what the daemon adds on
/// top of the unavoidable hop through another process; against Midi Through (a kernel client,
/// no process hop at all), what the whole route costs.
struct ALSARelayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "alsa-relay",
        abstract: "Baseline for the ALSA runs: a client that forwards every event on its port to the port's subscribers; prints \"ready <client>\", runs until stopped.")

    @Option(help: "Client name.")
    var name: String = "midi-bench ALSA relay"

    @Option(name: .customLong("rt-priority"), help: ArgumentHelp("SCHED_FIFO priority of the relay's thread; 0 = normal scheduling. Refused: the relay fails rather than run at normal scheduling.", valueName: "n"))
    var rtPriority: Int32 = 0

    func run() throws {
        try CommandFailure.reported("midi-bench alsa-relay") {
            // Its own process name, so a profile (scripts/bench --vm --profile) tells the relay
            // from the bench's other midi-bench processes.
            let comm = open("/proc/self/comm", O_WRONLY | O_CLOEXEC)
            if comm >= 0 {
                _ = "alsa-relay".withCString { Glibc.write(comm, $0, strlen($0)) }
                Glibc.close(comm)
            }
            try RoleScheduling.apply(rtPriority)
            let client = try SequencerClient(name: name)
            try client.setInputPool(SequencerClient.maximumInputPool)
            try client.createPort(PortID(0), name: name, capabilities: .duplexMIDI)
            var descriptors = try client.pollDescriptors()
            Console.out("ready \(client.id)")
            while true {
                let ready = retryingOnInterrupt { descriptors.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), -1) } }
                if ready < 0 { throw BenchError.system(.current("poll (ALSA relay)")) }
                while let received = try client.readEvent() {
                    if received.event.isSubscriptionNotice { continue }
                    try client.send(received.event, from: PortID(0))
                }
                client.drainOutput()
            }
        }
    }
}
