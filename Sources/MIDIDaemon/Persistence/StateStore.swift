#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import IPC
import Logging

/// The state directory: user customizations (custom names, descriptions) and captured
/// metadata, keyed by EndpointDeviceId, in one JSON file written crash-safely.
///
/// `endpoints.json`:
///
///     { "version": 1, "endpoints": { "<endpoint device id>": { "userSupplied": {…}, "declared": {…} } } }
struct StateStore {
    struct EndpointState: Codable, Equatable {
        var userSupplied: UserSuppliedInfo?
        var declared: DeclaredEndpointInfo?
        var functionBlocks: [FunctionBlockInfo]?
    }

    struct Document: Codable, Equatable {
        var version = 1
        var endpoints: [String: EndpointState] = [:]
    }

    let directory: String
    var path: String { directory + "/endpoints.json" }

    /// Reads the state; a missing file is empty state, an unreadable or corrupt one is logged
    /// and set aside (renamed `.corrupt`) so the user's data is not overwritten blindly.
    func load(logger: Logger) -> Document {
        let bytes: [UInt8]?
        do { bytes = try AtomicFile.read(path) } catch {
            logger.error("state file \(path) cannot be read: \(error); starting without saved names")
            return Document()
        }
        guard let bytes else { return Document() }
        do {
            return try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            let aside = path + ".corrupt"
            _ = try? AtomicFile.write(bytes, to: aside)
            logger.error("state file \(path) is not valid (\(error)); kept a copy at \(aside), starting without saved names")
            return Document()
        }
    }

    func save(_ document: Document) throws {
        try AtomicFile.makeDirectories(directory, mode: 0o755)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(document)) + [0x0A], to: path)
    }
}
