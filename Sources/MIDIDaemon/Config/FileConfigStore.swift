import IPC
import ServiceCore

/// `ConfigFileStore` over the real file system: reads the file, replaces it with
/// `AtomicFile.write` (temp in the same directory, fsync, rename, fsync directory).
struct FileConfigStore: ConfigFileStore {
    let path: String

    func read() throws -> [UInt8]? { try AtomicFile.read(path) }

    func writeAtomically(_ bytes: [UInt8]) throws {
        let (directory, _) = FileChangeWatcher.split(path)
        try AtomicFile.makeDirectories(directory)
        try AtomicFile.write(bytes, to: path)
    }
}
