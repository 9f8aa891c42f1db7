import Glibc
import IPC
import ServiceCore
import POSIX

/// ServiceCore's `StateStore` over `<state dir>/endpoints.json`, written crash-safely with
/// `AtomicFile` (temp in the same directory, fsync, rename, fsync directory).
final class FileStateStore: StateStore {
    let directory: String
    var path: String { directory + "/endpoints.json" }
    /// Why the last read failed (other than the file not existing).
    private(set) var readError: SystemError?

    init(directory: String) { self.directory = directory }

    func load() -> [UInt8]? {
        do { return try AtomicFile.read(path) } catch {
            readError = error
            return nil
        }
    }

    func save(_ bytes: [UInt8]) throws {
        try AtomicFile.makeDirectories(directory, mode: 0o755)
        try AtomicFile.write(bytes, to: path)
    }

    /// Keeps an unreadable state file's bytes aside before the service's next save replaces it.
    func setAside() -> String? {
        let aside = path + ".corrupt"
        guard rename(path, aside) == 0 else { return nil }
        return aside
    }
}
