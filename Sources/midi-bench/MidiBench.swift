import ArgumentParser

/// `midi-bench`: latency, throughput, ping and memory figures for midisrv, side by side with a
/// baseline relay of the same shape. `all` runs everything and prints the table; the other
/// subcommands are the roles it spawns (usable alone for a closer look).
@main
struct MidiBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "midi-bench",
        abstract: "Benchmarks for midisrv against a baseline relay of the same shape.",
        subcommands: [AllCommand.self, SendCommand.self, ReceiveCommand.self, RelayCommand.self, PairCommand.self],
        defaultSubcommand: AllCommand.self)
}
