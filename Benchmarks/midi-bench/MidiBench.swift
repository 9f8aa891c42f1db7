import ArgumentParser

/// `midi-bench`: latency, throughput, ping and memory figures for midisrv, side by side with a
/// baseline relay of the same shape. `all` runs everything and prints the table; `alsa`
/// compares the ALSA bridge with Midi Through (where the ALSA sequencer exists: the VM tier);
/// the other subcommands are the roles they use (usable alone for a closer look).
@main
struct MidiBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "midi-bench",
        abstract: "Benchmarks for midisrv against a baseline relay of the same shape.",
        subcommands: [AllCommand.self, SendCommand.self, ReceiveCommand.self, RelayCommand.self, PairCommand.self,
                      LoadedCommand.self, ALSACommand.self, ALSALoadedCommand.self, ALSALatencyCommand.self, ALSAThroughputCommand.self, ALSARelayCommand.self],
        defaultSubcommand: AllCommand.self)
}
