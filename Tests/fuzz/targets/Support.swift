// Shared by every fuzz target (compiled into each by scripts/fuzz; not part of `swift build`).
// A target defines `fuzz(_:)`; libFuzzer calls it through the C entry point below.
import Glibc

/// Ends the run when an invariant of the code under test does not hold: libFuzzer saves the
/// input as a crash and scripts/fuzz reports it. Only for the harness — never product code.
func invariant(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
               file: StaticString = #fileID, line: UInt = #line) {
    if !condition() {
        let text = "invariant violated (\(file):\(line)): \(message())\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
        abort()
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(UnsafeRawBufferPointer(start: size == 0 ? nil : data, count: size))
    return 0
}

/// Cuts a fuzz input into pieces: bytes, little-endian integers, length-prefixed chunks.
/// Reading past the end gives zeros / empty chunks, so every input means something.
struct InputCursor {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }
    var remaining: Int { max(0, bytes.count - offset) }

    mutating func u8() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16() -> UInt16 { UInt16(u8()) | UInt16(u8()) << 8 }

    /// The next `count` bytes (fewer at the end).
    mutating func take(_ count: Int) -> [UInt8] {
        let end = min(bytes.count, offset + max(0, count))
        defer { offset = end }
        return offset < end ? Array(bytes[offset..<end]) : []
    }

    /// A chunk prefixed by its u16 length; nil at the end of the input.
    mutating func chunk() -> [UInt8]? {
        guard !isAtEnd else { return nil }
        return take(Int(u16()))
    }

    mutating func rest() -> [UInt8] { take(remaining) }
}
