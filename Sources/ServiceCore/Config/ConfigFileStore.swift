import Synchronization

/// Where the configuration file lives. ServiceCore stays free of OS libraries, so the daemon
/// implements this over the real file system; `InMemoryConfigFileStore` serves tests.
public protocol ConfigFileStore {
    /// The file's bytes, or nil when there is no file.
    func read() throws -> [UInt8]?
    /// Replaces the file's content so that a crash leaves either the old or the new content,
    /// never a mix: write a temporary file in the same directory, fsync it, rename it over the
    /// file (and fsync the directory).
    func writeAtomically(_ bytes: [UInt8]) throws
}

extension ConfigFileStore {
    /// Loads the file; no file is an empty configuration. Throws `JSONSyntaxError` for a file
    /// that does not parse, or the store's own error if it cannot be read.
    public func loadConfiguration() throws -> ConfigLoadResult {
        guard let bytes = try read() else { return .empty }
        return try ConfigLoader.load(bytes)
    }

    /// Adds `pair` to the file (creating it if missing) and writes it atomically. Throws
    /// `ConfigEditError` (nothing written) if the file does not parse or the pair clashes with
    /// an entry in it.
    public func persist(_ pair: ConfiguredLoopbackPair) throws {
        try writeAtomically(ConfigFileEditor.addingPair(pair, to: read()))
    }

    /// Removes the entry for `associationId` from the file and writes it atomically.
    public func removePersistedPair(_ associationId: AssociationId) throws {
        guard let bytes = try read() else { throw ConfigEditError.pairNotFound(associationId) }
        try writeAtomically(ConfigFileEditor.removingPair(associationId, from: bytes))
    }
}

/// A configuration "file" in memory, for tests: records every write.
public final class InMemoryConfigFileStore: ConfigFileStore, Sendable {
    private let state: Mutex<(content: [UInt8]?, writes: Int)>

    public init(content: [UInt8]? = nil) { state = Mutex((content, 0)) }

    public convenience init(text: String) { self.init(content: Array(text.utf8)) }

    public var content: [UInt8]? { state.withLock { $0.content } }
    public var text: String? { content.map { String(decoding: $0, as: UTF8.self) } }
    /// How many times `writeAtomically` was called.
    public var writeCount: Int { state.withLock { $0.writes } }

    public func read() throws -> [UInt8]? { content }

    public func writeAtomically(_ bytes: [UInt8]) throws {
        state.withLock { state in
            state.content = bytes
            state.writes += 1
        }
    }
}
