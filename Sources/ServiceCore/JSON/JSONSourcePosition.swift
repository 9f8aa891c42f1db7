/// A place in a JSON file.
///
/// `offset` is the byte offset from the start of the file (a UTF-8 byte order mark, if any, is
/// counted). `line` and `column` are 1-based, as editors and compilers print them: a line ends at
/// LF, CR LF or a lone CR; a column counts Unicode scalars, so `é` is one column and a tab is one.
public struct JSONSourcePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let offset: Int
    public let line: Int
    public let column: Int

    public init(offset: Int, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public static let start = JSONSourcePosition(offset: 0, line: 1, column: 1)

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.offset < rhs.offset }

    public var description: String { "line \(line), column \(column)" }
}

/// The bytes a piece of JSON text occupies: `start` is its first byte, `end` the byte after its
/// last (so `start.offset..<end.offset` slices it out of the file).
public struct JSONSourceRange: Hashable, Sendable {
    public let start: JSONSourcePosition
    public let end: JSONSourcePosition

    public init(start: JSONSourcePosition, end: JSONSourcePosition) {
        self.start = start
        self.end = end
    }

    public var byteRange: Range<Int> { start.offset..<end.offset }
}
