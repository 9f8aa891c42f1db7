import Glibc

/// A filesystem path usable as a Unix socket address: non-empty, no NUL byte, and short enough
/// for `sockaddr_un.sun_path` (107 bytes plus the terminator on Linux).
public struct SocketPath: Hashable, Sendable, CustomStringConvertible {
    public let path: String

    /// The longest path, in UTF-8 bytes, that fits `sun_path` with its terminating NUL.
    public static let maximumLength: Int = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    public enum ValidationError: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case containsNUL(String)
        case tooLong(String, length: Int)
        public var description: String {
            switch self {
            case .empty: return "socket path is empty"
            case .containsNUL(let p): return "socket path \"\(p)\" contains a NUL byte"
            case .tooLong(let p, let n):
                return "socket path \"\(p)\" is \(n) bytes long; Unix sockets allow at most \(SocketPath.maximumLength)"
            }
        }
    }

    public init(_ path: String) throws(ValidationError) {
        guard !path.isEmpty else { throw .empty }
        let bytes = path.utf8
        guard !bytes.contains(0) else { throw .containsNUL(path) }
        guard bytes.count <= Self.maximumLength else { throw .tooLong(path, length: bytes.count) }
        self.path = path
    }

    public var description: String { path }

    /// Calls `body` with a filled `sockaddr_un` and its length.
    func withSockaddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            for (i, b) in path.utf8.enumerated() { raw[i] = b }   // length checked in init
        }
        return withUnsafePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }
}
