import Glibc

/// Closes a rawmidi output of an unplugged device off the loop thread.
///
/// On its last close the kernel drains an output substream: it waits until the bytes still in
/// the kernel buffer have gone to the device, for up to 10 seconds (`snd_rawmidi_drain_output`).
/// A device that has been unplugged never takes them, and dropping them first
/// (`SNDRV_RAWMIDI_IOCTL_DROP`) is refused once the card is disconnected — so a close on the
/// loop thread could stall every client for those 10 seconds. A detached thread does the close
/// instead; nothing else touches the handle after it is handed over.
enum DetachedClose {
    private final class Box: @unchecked Sendable {
        let sink: any USBMIDIByteSink
        init(_ sink: any USBMIDIByteSink) { self.sink = sink }
    }

    static func close(_ sink: any USBMIDIByteSink) {
        let box = Unmanaged.passRetained(Box(sink)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
            box.sink.close(discardingPending: true)
            return nil
        }, box)
        if started == 0 {
            pthread_detach(thread)
        } else {
            // No thread: close here rather than leak the substream.
            Unmanaged<Box>.fromOpaque(box).takeRetainedValue().sink.close(discardingPending: true)
        }
    }
}
