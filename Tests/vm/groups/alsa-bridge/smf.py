#!/usr/bin/env python3
"""Standard MIDI Files for the alsa-bridge VM group, with no module beyond the standard library.

    smf.py make OUT.mid            write the test song (notes on several channels, controllers,
                                   program and bank changes, pitch bend, channel and key
                                   pressure, SysEx of 6, 100 and 1,000 data bytes)
    smf.py note OUT.mid CH NOTE VEL  write a file with one note on/off pair
    smf.py notes OUT.mid COUNT [TICKS]  write COUNT note on/off pairs, TICKS (default 1) ticks of
                                   ~1 ms apart
    smf.py events FILE.mid         print the MIDI messages of a file, one per line, in order
    smf.py compare EXPECTED RECORDED   compare the messages of two files (timing ignored);
                                   exit 0 if equal, else print the first difference and exit 1

A message is compared as its bytes: channel messages as status + data, SysEx as F0 … F7
(a SysEx split into an F0 event and F7 continuation events is joined back together).
"""
import struct
import sys


def var_len(value):
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.insert(0, 0x80 | (value & 0x7F))
        value >>= 7
    return bytes(out)


def song_messages():
    """The test song as (delta ticks, message bytes) in order."""
    msgs = []

    def add(data, delta=2):
        msgs.append((delta, bytes(data)))

    for ch in range(4):
        add([0xB0 | ch, 0, 1 + ch])          # bank select MSB
        add([0xB0 | ch, 32, 10 + ch])        # bank select LSB
        add([0xC0 | ch, 5 + 7 * ch])         # program change
        add([0xB0 | ch, 7, 100 - ch])        # volume
        add([0xB0 | ch, 10, 64 + ch])        # pan
    add([0xF0] + list(range(1, 7)) + [0xF7])                      # SysEx, 6 data bytes
    for ch in range(4):
        base = 48 + 5 * ch
        add([0x90 | ch, base, 100 - 10 * ch])
        add([0x90 | ch, base + 4, 80 + ch])
        add([0xA0 | ch, base, 33 + ch])      # key pressure
        add([0xD0 | ch, 70 + ch])            # channel pressure
        add([0xE0 | ch, 0x00, 0x40])         # pitch bend centre
        add([0xE0 | ch, 0x7F, 0x7F])         # pitch bend max
        add([0xE0 | ch, 0x00, 0x00])         # pitch bend min
        add([0xE0 | ch, 0x15, 0x2A])         # pitch bend 0x1515
        add([0xB0 | ch, 64, 127])            # sustain on
        add([0xB0 | ch, 1, 42 + ch])         # modulation
    add([0xF0] + [(i * 7 + 3) & 0x7F for i in range(100)] + [0xF7])   # SysEx, 100 data bytes
    for ch in range(4):
        base = 48 + 5 * ch
        add([0x80 | ch, base, 64])
        add([0x90 | ch, base + 4, 0])        # note off as note on, velocity 0
        add([0xB0 | ch, 64, 0])
    add([0xF0, 0x7D] + [(i * 13 + 1) & 0x7F for i in range(999)] + [0xF7])  # SysEx, 1,000 data bytes
    add([0x99, 36, 127])                     # drums, channel 10
    add([0x89, 36, 0])
    add([0xBF, 121, 0])                      # channel 16: reset all controllers
    return msgs


def write_file(path, msgs, division=96):
    track = bytearray()
    track += var_len(0) + b"\xFF\x51\x03" + struct.pack(">I", 500000)[1:]   # tempo 120 bpm
    for delta, data in msgs:
        track += var_len(delta)
        if data[0] == 0xF0:
            track += b"\xF0" + var_len(len(data) - 1) + data[1:]
        else:
            track += data
    track += var_len(10) + b"\xFF\x2F\x00"
    with open(path, "wb") as f:
        f.write(b"MThd" + struct.pack(">IHHH", 6, 0, 1, division))
        f.write(b"MTrk" + struct.pack(">I", len(track)) + track)


def read_messages(path):
    """Every MIDI message of every track, in time order (stable across tracks)."""
    data = open(path, "rb").read()
    if data[:4] != b"MThd":
        raise ValueError(f"{path}: not a Standard MIDI File")
    header_len = struct.unpack(">I", data[4:8])[0]
    _, ntracks, _ = struct.unpack(">HHH", data[8:14])
    pos = 8 + header_len
    timed = []
    for track_index in range(ntracks):
        while data[pos:pos + 4] != b"MTrk":
            if pos + 8 > len(data):
                raise ValueError(f"{path}: track {track_index} missing")
            pos += 8 + struct.unpack(">I", data[pos + 4:pos + 8])[0]
        length = struct.unpack(">I", data[pos + 4:pos + 8])[0]
        end = pos + 8 + length
        p = pos + 8
        tick = 0
        running = 0
        pending_sysex = None
        seq = 0

        def read_var():
            nonlocal p
            value = 0
            while True:
                b = data[p]
                p += 1
                value = (value << 7) | (b & 0x7F)
                if not b & 0x80:
                    return value

        while p < end:
            tick += read_var()
            status = data[p]
            if status & 0x80:
                p += 1
            else:
                status = running
            if status == 0xFF:
                kind = data[p]
                p += 1
                n = read_var()
                p += n
                if kind == 0x2F:
                    break
                continue
            if status in (0xF0, 0xF7):
                n = read_var()
                chunk = data[p:p + n]
                p += n
                if status == 0xF0:
                    pending_sysex = bytearray(b"\xF0") + chunk
                elif pending_sysex is not None:
                    pending_sysex += chunk
                else:
                    timed.append((tick, track_index, seq, bytes(chunk)))   # escaped bytes
                    seq += 1
                if pending_sysex is not None and pending_sysex[-1:] == b"\xF7":
                    timed.append((tick, track_index, seq, bytes(pending_sysex)))
                    seq += 1
                    pending_sysex = None
                running = 0
                continue
            running = status
            size = 1 if status & 0xF0 in (0xC0, 0xD0) else 2
            timed.append((tick, track_index, seq, bytes([status]) + data[p:p + size]))
            seq += 1
            p += size
        pos = end
    timed.sort(key=lambda t: (t[0], t[1], t[2]))
    return [m for _, _, _, m in timed]


def show(message):
    if len(message) > 12:
        return f"{message[:6].hex(' ')} … {message[-2:].hex(' ')} ({len(message)} bytes)"
    return message.hex(" ")


def main(argv):
    if len(argv) >= 3 and argv[1] == "make":
        write_file(argv[2], song_messages())
        print(f"wrote {argv[2]}: {len(song_messages())} messages")
        return 0
    if len(argv) == 6 and argv[1] == "note":
        ch, note, vel = (int(x, 0) for x in argv[3:6])
        write_file(argv[2], [(0, bytes([0x90 | ch, note, vel])), (4, bytes([0x80 | ch, note, 0]))])
        return 0
    if len(argv) in (4, 5) and argv[1] == "notes":
        msgs = []
        ticks = int(argv[4]) if len(argv) == 5 else 1
        for i in range(int(argv[3])):
            msgs.append((ticks, bytes([0x90 | (i % 16), 36 + i % 60, 1 + i % 127])))
            msgs.append((ticks, bytes([0x80 | (i % 16), 36 + i % 60, 0])))
        write_file(argv[2], msgs, division=480)
        return 0
    if len(argv) == 3 and argv[1] == "events":
        for m in read_messages(argv[2]):
            print(show(m))
        return 0
    if len(argv) == 4 and argv[1] == "compare":
        expected, recorded = read_messages(argv[2]), read_messages(argv[3])
        for i, (e, r) in enumerate(zip(expected, recorded)):
            if e != r:
                print(f"message {i + 1} differs: expected {show(e)}, recorded {show(r)}")
                return 1
        if len(expected) != len(recorded):
            print(f"expected {len(expected)} messages, recorded {len(recorded)}")
            extra = recorded[len(expected):] or expected[len(recorded):]
            print("first unmatched:", show(extra[0]))
            return 1
        sysex = [len(m) - 2 for m in expected if m[0] == 0xF0]
        print(f"all {len(expected)} messages arrived in order and intact (SysEx data sizes {sysex})")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
