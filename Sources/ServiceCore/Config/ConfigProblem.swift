/// Something the loader found wrong with the configuration file that did not stop it reading
/// the rest: an entry it skipped (error) or something it ignored (warning).
public struct ConfigProblem: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable {
        /// The entry at `path` was rejected; nothing of it was created.
        case error
        /// Ignored (unknown key, duplicate key…); everything else was still used.
        case warning
    }

    public let severity: Severity
    /// What the problem is about, in `JSONPath` notation.
    public let path: JSONPath
    /// Where in the file: the offending value or key, or the object that lacks a required key.
    public let position: JSONSourcePosition
    public let message: String

    public init(_ severity: Severity, path: JSONPath, position: JSONSourcePosition, message: String) {
        self.severity = severity
        self.path = path
        self.position = position
        self.message = message
    }

    public var line: Int { position.line }
    public var column: Int { position.column }

    /// `12:17: error: endpointTransportPluginSettings.….name: name is required…`
    public var description: String { "\(line):\(column): \(severity.rawValue): \(path): \(message)" }

    /// The compiler-style form with the file name in front, for logs.
    public func formatted(file: String) -> String { "\(file):\(description)" }
}

/// Where a loaded pair was declared: its association id key in `create`.
public struct ConfigEntryLocation: Hashable, Sendable {
    public let path: JSONPath
    public let position: JSONSourcePosition
}

/// What loading a configuration file produced: the valid pairs, in file order, and everything
/// worth telling the user.
public struct ConfigLoadResult: Hashable, Sendable {
    public let pairs: [ConfiguredLoopbackPair]
    /// In file order.
    public let problems: [ConfigProblem]
    /// Where each returned pair was declared, for messages about it at run time.
    public let entryLocations: [AssociationId: ConfigEntryLocation]
    /// The top-level `midi1Ports`: defaults for every endpoint that does not set its own.
    public let legacyPortDefaults: LegacyPortSettings

    public init(pairs: [ConfiguredLoopbackPair], problems: [ConfigProblem],
                entryLocations: [AssociationId: ConfigEntryLocation] = [:],
                legacyPortDefaults: LegacyPortSettings = .builtIn) {
        self.pairs = pairs
        self.problems = problems
        self.entryLocations = entryLocations
        self.legacyPortDefaults = legacyPortDefaults
    }

    /// No file, or a file with no loopback section.
    public static let empty = ConfigLoadResult(pairs: [], problems: [])

    public var errors: [ConfigProblem] { problems.filter { $0.severity == .error } }
    public var warnings: [ConfigProblem] { problems.filter { $0.severity == .warning } }
}
