#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON for control bodies. Control traffic only — never on the UMP hot path.
enum JSONCoding {
    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return Array(try encoder.encode(value))
        } catch {
            // Our own Codable types contain only strings, numbers, bools and arrays of them;
            // encoding them cannot fail. Reaching this is a programming error in this module.
            preconditionFailure("encoding \(T.self) to JSON failed: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: UnsafeRawBufferPointer, what: String) throws(FrameError) -> T {
        do {
            try JSONBodyCheck.validate(bytes)
        } catch {
            throw .invalidPayload(what: what, reason: error.description)
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .invalidPayload(what: what, reason: describe(error))
        } catch {
            throw .invalidPayload(what: what, reason: "\(error)")
        }
    }

    /// "key path: reason" for a DecodingError, without Foundation's verbose dump.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            codingPath.isEmpty ? "$" : "$." + codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(type)"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): missing \(type) value"
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath + [key])): required key missing"
        case .dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

/// The body of operations that take no argument, and of the `done` reply.
public struct Empty: Hashable, Sendable, Codable {
    public init() {}
}
