/// Client and port names as the kernel stores them: at most 63 bytes, no NUL.
enum SequencerName {
    /// The kernel's name fields are `char[64]`, NUL-terminated.
    static let maximumByteCount = 63

    /// `name` cut at its first NUL and to 63 UTF-8 bytes on a character boundary, so a long
    /// name is shortened rather than refused and never ends in half a character (alsa-lib's
    /// own `strncpy` would cut mid-character).
    static func fitted(_ name: String) -> String {
        var result = ""
        var used = 0
        for character in name {
            if character == "\0" { break }
            let size = character.utf8.count
            if used + size > maximumByteCount { break }
            result.append(character)
            used += size
        }
        return result
    }
}
