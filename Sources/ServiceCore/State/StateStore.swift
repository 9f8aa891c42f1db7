/// Where the service keeps its state (custom names, captured metadata): a blob of bytes the
/// owner stores crash-safely. The daemon implements it over a file in the state directory
/// (write temp, fsync, rename); tests use `InMemoryStateStore`.
public protocol StateStore: AnyObject {
    /// The last saved bytes, or `nil` when nothing was ever saved.
    func load() -> [UInt8]?
    /// Replaces the stored bytes. A thrown error leaves `MidiService.hasUnsavedState` set and
    /// is kept in `MidiService.lastSaveError`; the next change (or `saveState()`) tries again.
    func save(_ bytes: [UInt8]) throws
}

/// A `StateStore` in memory, for tests and for running without a state directory.
public final class InMemoryStateStore: StateStore {
    public var bytes: [UInt8]?
    /// How many times `save` was called.
    public private(set) var saveCount = 0

    public init(bytes: [UInt8]? = nil) { self.bytes = bytes }

    public func load() -> [UInt8]? { bytes }
    public func save(_ bytes: [UInt8]) {
        self.bytes = bytes
        saveCount += 1
    }

    /// The stored bytes as text.
    public var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }
}

/// The stored state could not be read: what was wrong and where (byte offset, line, column).
public struct StateDecodingError: Error, Equatable, CustomStringConvertible {
    public var reason: String
    public var offset: Int
    public var line: Int
    public var column: Int

    public var description: String { "state file unreadable at line \(line), column \(column): \(reason)" }
}

extension StateDecodingError {
    /// The file is not JSON: the parser's reason, where it found the mistake.
    init(_ error: JSONSyntaxError) {
        self.init(reason: error.reason.description, offset: error.position.offset, line: error.line, column: error.column)
    }
}
