#if canImport(Glibc)
import Glibc
import POSIX
#endif
internal import CUdev

/// Substream names and counts of a card's rawmidi devices, asked of the card's control device
/// (`/dev/snd/controlC<N>`, ioctl `SNDRV_CTL_IOCTL_RAWMIDI_INFO`) — the same source `amidi -l`
/// uses. Needs read access to the control device (group `audio`, see `udev/`).
public struct RawMidiControl: ~Copyable {
    private let fd: Int32
    public let path: String

    public init(card: Int, devRoot: String = "/dev/snd") throws(UdevError) {
        path = "\(devRoot)/controlC\(card)"
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw .fromErrno("open", subject: path) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Name and count for substream `index` of `device` in one direction.
    public func substream(device: Int, index: Int, direction: RawMidiSubstream.Direction)
        throws(UdevError) -> (name: String, count: Int) {
        var buffer = [CChar](repeating: 0, count: 64)
        var count: UInt32 = 0
        let stream: Int32 = direction == .input ? 1 : 0   // SNDRV_RAWMIDI_STREAM_INPUT / _OUTPUT
        let rc = buffer.withUnsafeMutableBufferPointer { b in
            cudev_rawmidi_substream_info(fd, UInt32(device), UInt32(index), stream,
                                         b.baseAddress, b.count, &count)
        }
        guard rc == 0 else {
            throw .fromReturn(rc, "ioctl(SNDRV_CTL_IOCTL_RAWMIDI_INFO)",
                              subject: "\(path) device \(device) \(direction) \(index)")
        }
        let name = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (name, Int(count))
    }

    /// All substreams of `device` in one direction; `[]` when the device has none in that
    /// direction (the kernel answers ENOENT then).
    public func substreams(device: Int, direction: RawMidiSubstream.Direction) throws(UdevError) -> [RawMidiSubstream] {
        let first: (name: String, count: Int)
        do {
            first = try substream(device: device, index: 0, direction: direction)
        } catch where error.errno == .noSuchFileOrDirectory || error.errno == .noSuchDeviceOrAddress {
            return []
        }
        var result = [RawMidiSubstream(direction: direction, device: device, index: 0, name: first.name)]
        if first.count > 1 {
            for index in 1..<first.count {
                let s = try substream(device: device, index: index, direction: direction)
                result.append(RawMidiSubstream(direction: direction, device: device, index: index, name: s.name))
            }
        }
        return result
    }
}
