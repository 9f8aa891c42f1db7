/// Where a value sits in a JSON document (here, the configuration), for messages a user can follow:
///
///     endpointTransportPluginSettings.{942BF02D-93C0-4EA8-B03E-D51156CA75E1}.create.{0C1B3439-593F-4B7A-8950-4698D97B0897}.endpointB.uniqueIdentifier
///
/// Notation: object keys joined by `.`; a key that is empty or holds anything other than
/// `A-Z a-z 0-9 _ - { }` is written as a quoted JSON string in brackets (`["my key"]`, no dot
/// before it); an array element is `[n]` (0-based). The document itself is `(top level)`.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public let components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// A path made of object keys only.
    public init(keys: String...) { self.components = keys.map(Component.key) }

    public static let root = JSONPath()

    public func appending(_ key: String) -> JSONPath { JSONPath(components + [.key(key)]) }
    public func appending(index: Int) -> JSONPath { JSONPath(components + [.index(index)]) }

    /// The last key, if the path ends in one.
    public var lastKey: String? {
        if case .key(let key)? = components.last { return key }
        return nil
    }

    public var description: String {
        guard !components.isEmpty else { return "(top level)" }
        var text = ""
        for component in components {
            switch component {
            case .key(let key) where Self.isPlain(key):
                if !text.isEmpty { text += "." }
                text += key
            case .key(let key):
                text += "[" + JSONText.quoted(key) + "]"
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// Keys printed bare: identifiers and braced GUIDs, the keys this schema uses.
    static func isPlain(_ key: String) -> Bool {
        !key.isEmpty && key.unicodeScalars.allSatisfy { s in
            switch s {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-", "{", "}": return true
            default: return false
            }
        }
    }
}
