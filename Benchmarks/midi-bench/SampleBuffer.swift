import Glibc
import POSIX

/// Latency samples (nanoseconds) in storage allocated once, before the measurement: recording a
/// sample is a store and an increment, so the bench's own per-message path never allocates.
/// Percentiles come from sorting the samples in place afterwards (exact, not bucketed).
final class SampleBuffer {
    private let storage: UnsafeMutableBufferPointer<UInt64>
    private(set) var count = 0
    /// Samples offered after the buffer was full (a receiver given more than it expected).
    private(set) var overflowed = 0

    init(capacity: Int) {
        storage = .allocate(capacity: max(capacity, 1))
        storage.initialize(repeating: 0)
    }

    deinit { storage.deallocate() }

    var capacity: Int { storage.count }

    @inline(__always)
    func record(_ nanoseconds: UInt64) {
        guard count < storage.count else {
            overflowed &+= 1
            return
        }
        storage[count] = nanoseconds
        count &+= 1
    }

    /// Writes the recorded samples, raw (native-endian UInt64), so the coordinator can merge
    /// rounds before taking percentiles.
    func write(to path: String) throws(BenchError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .system(.current("open \(path)")) }
        defer { close(fd) }
        let bytes = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: storage[0..<count]))
        var offset = 0
        while offset < bytes.count {
            let n = retryingOnInterrupt { Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset) }
            guard n > 0 else { throw .system(.current("write \(path)")) }
            offset += n
        }
    }

    /// Reads a file written by `write(to:)`.
    static func read(from path: String) throws(BenchError) -> [UInt64] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system(.current("open \(path)")) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .system(.current("fstat \(path)")) }
        var samples = [UInt64](repeating: 0, count: Int(info.st_size) / 8)
        let wanted = samples.count * 8
        let got = samples.withUnsafeMutableBytes { buffer -> Int in
            var offset = 0
            while offset < wanted {
                let n = retryingOnInterrupt { Glibc.read(fd, buffer.baseAddress! + offset, wanted - offset) }
                guard n > 0 else { break }
                offset += n
            }
            return offset
        }
        guard got == wanted else { throw .process("\(path): read \(got) of \(wanted) bytes") }
        return samples
    }

    /// A copy of what was recorded (after the measurement: it allocates).
    var recorded: [UInt64] { Array(storage[0..<count]) }

    /// Sorts what was recorded and summarizes it.
    func summary() -> LatencySummary {
        var recorded = UnsafeMutableBufferPointer(rebasing: storage[0..<count])
        recorded.sort()
        return LatencySummary(sorted: UnsafeBufferPointer(recorded))
    }
}

/// Order statistics of a set of latencies, in nanoseconds.
struct LatencySummary: Codable, Equatable, Sendable {
    var count: Int
    var min: UInt64
    var p50: UInt64
    var p99: UInt64
    var p999: UInt64
    var max: UInt64
    var mean: Double

    /// From ascending samples. Percentiles use the nearest-rank definition: the smallest sample
    /// with at least p·n samples at or below it — always an observed value, never interpolated.
    init(sorted samples: UnsafeBufferPointer<UInt64>) {
        count = samples.count
        guard let first = samples.first, let last = samples.last else {
            min = 0; p50 = 0; p99 = 0; p999 = 0; max = 0; mean = 0
            return
        }
        min = first
        max = last
        p50 = Self.nearestRank(samples, 0.50)
        p99 = Self.nearestRank(samples, 0.99)
        p999 = Self.nearestRank(samples, 0.999)
        var total = 0.0
        for sample in samples { total += Double(sample) }
        mean = total / Double(samples.count)
    }

    init(sorted samples: [UInt64]) {
        self = samples.withUnsafeBufferPointer { LatencySummary(sorted: $0) }
    }

    /// Nearest rank: index ⌈p·n⌉ − 1, clamped to the samples.
    static func nearestRank(_ samples: UnsafeBufferPointer<UInt64>, _ fraction: Double) -> UInt64 {
        let rank = Int((fraction * Double(samples.count)).rounded(.up))
        return samples[Swift.min(Swift.max(rank - 1, 0), samples.count - 1)]
    }
}
