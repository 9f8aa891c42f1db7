import CALSA

/// alsa-lib's own error printing (`snd_lib_error_set_handler`).
///
/// By default alsa-lib writes an "ALSA lib …" line on stderr for some failures and then
/// returns the error code anyway. Every wrapper call turns that code into an `ALSAError`
/// naming the operation, so a program that reports those errors itself (the daemon logs
/// them) can silence the library's copy. Process-wide, like the handler it sets.
public enum ALSALibraryMessages {
    /// From now on alsa-lib prints nothing; errors still reach callers as `ALSAError`.
    public static func silence() { calsa_silence_library_errors() }

    /// Back to alsa-lib's default handler (stderr).
    public static func restoreDefault() { calsa_restore_library_errors() }
}
