#!/usr/bin/env python3
"""A client nobody here wrote: python3-rtmidi (RtMidi's ALSA back end) sends through one
loopback endpoint's client and reads through the other's.

    rtmidi_roundtrip.py "SENDER CLIENT" "RECEIVER CLIENT" PORT

Opens RtMidi output on SENDER:PORT and input on RECEIVER:PORT, sends notes, controllers, a
program change, pitch bend and a 300-byte SysEx, and checks that the same messages arrive in
order. Exit 0 if they do.
"""
import sys
import time

import rtmidi


def find_port(midi, client, port):
    # RtMidi's ALSA names are "<client name>:<port name> <client>:<port>".
    for index, name in enumerate(midi.get_ports()):
        if name.startswith(client + ":") and name.endswith(f":{port}"):
            return index, name
    raise SystemExit(f"no RtMidi port for {client}:{port} among {midi.get_ports()}")


def main():
    sender, receiver, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    out, inp = rtmidi.MidiOut(), rtmidi.MidiIn()
    out_index, out_name = find_port(out, sender, port)
    in_index, in_name = find_port(inp, receiver, port)
    inp.ignore_types(sysex=False, timing=False, active_sense=False)
    inp.open_port(in_index)
    out.open_port(out_index)
    print(f"RtMidi {rtmidi.get_rtmidi_version() if hasattr(rtmidi, 'get_rtmidi_version') else ''}: "
          f"out '{out_name}', in '{in_name}'")
    time.sleep(0.3)
    messages = [
        [0x90, 60, 100], [0x91, 64, 90], [0xB0, 7, 99], [0xC2, 17], [0xE0, 0x10, 0x50],
        [0xF0, 0x7D] + [(i * 5) & 0x7F for i in range(298)] + [0xF7],
        [0x80, 60, 0], [0x81, 64, 0], [0xD3, 55],
    ]
    for message in messages:
        out.send_message(message)
        time.sleep(0.02)
    received = []
    deadline = time.time() + 15
    while len(received) < len(messages) and time.time() < deadline:
        item = inp.get_message()
        if item is None:
            time.sleep(0.01)
            continue
        received.append(item[0])
    for index, (sent, got) in enumerate(zip(messages, received)):
        if list(sent) != list(got):
            print(f"message {index + 1}: sent {bytes(sent)[:8].hex(' ')}… ({len(sent)} bytes), "
                  f"received {bytes(got)[:8].hex(' ')}… ({len(got)} bytes)")
            return 1
    if len(received) != len(messages):
        print(f"sent {len(messages)} messages, received {len(received)}: {received}")
        return 1
    print(f"RtMidi received all {len(messages)} messages in order, SysEx of 300 bytes intact")
    out.close_port()
    inp.close_port()
    return 0


if __name__ == "__main__":
    sys.exit(main())
