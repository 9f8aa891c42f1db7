import MIDIServices

/// Shell completion of endpoint arguments: the short ids of the endpoints the running daemon
/// has now (`loop_a_default`, `diag_loopback_a`, `usb_…`). The completion scripts generated
/// from the argument definitions (`midi --generate-completion-script bash|zsh|fish`) call
/// `midi ---completion …`, which runs this. No daemon, no completions: the shell gets an empty
/// list and never an error message in the middle of the command line.
enum EndpointCompletion {
    /// `words` are the command line so far; a `--socket PATH` in it is honoured.
    static func shortIds(words: [String], prefix: String) -> [String] {
        var socket: String?
        for (index, word) in words.enumerated() {
            if word == "--socket", index + 1 < words.count { socket = words[index + 1] }
            if word.hasPrefix("--socket=") { socket = String(word.dropFirst("--socket=".count)) }
        }
        guard let session = try? MidiSession.create(name: "midi completion", socketPath: socket) else { return [] }
        defer { session.close() }
        guard let devices = try? MidiEndpointDeviceInformation.findAll(sortOrder: .endpointDeviceId, filter: .all, session: session) else {
            return []
        }
        return devices.compactMap(\.shortId).filter { $0.hasPrefix(prefix.lowercased()) }
    }
}
