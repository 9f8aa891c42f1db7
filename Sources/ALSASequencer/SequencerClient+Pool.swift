import CALSA

#if canImport(Glibc)
import Glibc
#endif

/// The kernel's event pools of one client, in cells (one cell holds one fixed-size event; a
/// variable-length event takes one cell plus one per 28 bytes of data).
public struct ClientPool: Hashable, Sendable {
    /// Cells for this client's queued (scheduled) output. Direct output does not use it.
    public var outputPool: Int
    /// Cells of this client's input FIFO: how much may wait for it to read.
    public var inputPool: Int
    public var outputFree: Int
    public var inputFree: Int
}

extension SequencerClient {
    /// The kernel's upper bound for `setInputPool` (`SNDRV_SEQ_MAX_CLIENT_EVENTS`).
    public static let maximumInputPool = 2000

    /// This client's pools as the kernel reports them.
    ///
    /// By default a user client's input FIFO has 200 cells: about 200 short events, or one
    /// 5,500-byte SysEx. When it overflows, the kernel discards the whole FIFO and the next
    /// read reports it (counted in `inputOverruns`), so a client that must take bursts or long
    /// SysEx should enlarge it with `setInputPool` before traffic starts.
    public func pool() throws(ALSAError) -> ClientPool {
        var info: OpaquePointer?
        try check(snd_seq_client_pool_malloc(&info), "snd_seq_client_pool_malloc")
        guard let info else { throw ALSAError(code: -ENOMEM, operation: "snd_seq_client_pool_malloc") }
        defer { snd_seq_client_pool_free(info) }
        try check(snd_seq_get_client_pool(handle, info), "snd_seq_get_client_pool(client \(id))")
        return ClientPool(outputPool: snd_seq_client_pool_get_output_pool(info),
                          inputPool: snd_seq_client_pool_get_input_pool(info),
                          outputFree: snd_seq_client_pool_get_output_free(info),
                          inputFree: snd_seq_client_pool_get_input_free(info))
    }

    /// Resizes the input FIFO (1…`maximumInputPool` cells). Events waiting in it are
    /// discarded, so do this right after creating the client.
    public func setInputPool(_ cells: Int) throws(ALSAError) {
        guard (1...Self.maximumInputPool).contains(cells) else {
            throw .invalidArgument("set input pool of client \(id) to \(cells) cells: the kernel allows 1…\(Self.maximumInputPool)")
        }
        try check(snd_seq_set_client_pool_input(handle, cells),
                  "snd_seq_set_client_pool_input(client \(id), \(cells))")
    }
}
