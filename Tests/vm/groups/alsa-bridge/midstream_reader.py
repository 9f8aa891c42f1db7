#!/usr/bin/env python3
"""A reader that connects to a bridge port while traffic flows must get every event sent after
its connect (the bridge writes a port only while it has readers: docs/alsa-bridge.md, "Ports
nobody reads").

    midstream_reader.py SEND_CLIENT SEND_PORT READ_CLIENT READ_PORT [BEFORE AFTER]

One sequencer client (through alsa-lib, with ctypes — no extra module) sends numbered Note On
events to SEND_CLIENT:SEND_PORT (a loopback's A side), BEFORE of them paced 1 ms apart with
nobody reading READ_CLIENT:READ_PORT (its B side); then its input port subscribes itself to
READ_CLIENT:READ_PORT (as `aseqdump -p` does) and, the moment that call returns, sends a burst
of AFTER/2 events in one write, then AFTER/2 more paced. It reads until nothing more comes
for 3 s and passes (exit 0) when every event numbered from the first one sent after the connect
arrived, once, in order. Earlier events may arrive too (a few sent just before the connect):
they are counted, not required. The burst right after the connect is what a bridge that dropped
events for ports it thought unread would lose: its notice of the new subscription and the
burst reach the daemon in the same wake-up.

Each event's number is in its channel, note and velocity (velocity 1…127, never a Note Off).
"""
import ctypes
import sys
import time

SND_SEQ_OPEN_DUPLEX, SND_SEQ_NONBLOCK = 3, 1
CAP_READ, CAP_WRITE, CAP_SUBS_READ, CAP_SUBS_WRITE = 1, 2, 0x20, 0x40
TYPE_MIDI_GENERIC, TYPE_APPLICATION = 1 << 1, 1 << 20
EVENT_NOTEON = 6
QUEUE_DIRECT, ADDRESS_SUBSCRIBERS, ADDRESS_UNKNOWN = 253, 254, 253
EAGAIN, ENOSPC = 11, 28


class Addr(ctypes.Structure):
    _fields_ = [("client", ctypes.c_ubyte), ("port", ctypes.c_ubyte)]


class Note(ctypes.Structure):
    _fields_ = [("channel", ctypes.c_ubyte), ("note", ctypes.c_ubyte), ("velocity", ctypes.c_ubyte),
                ("off_velocity", ctypes.c_ubyte), ("duration", ctypes.c_uint)]


class Data(ctypes.Union):
    _fields_ = [("note", Note), ("raw", ctypes.c_ubyte * 12)]


class Event(ctypes.Structure):   # snd_seq_event_t, 28 bytes
    _fields_ = [("type", ctypes.c_ubyte), ("flags", ctypes.c_ubyte), ("tag", ctypes.c_ubyte),
                ("queue", ctypes.c_ubyte), ("time", ctypes.c_ubyte * 8), ("source", Addr), ("dest", Addr),
                ("data", Data)]


assert ctypes.sizeof(Event) == 28

lib = ctypes.CDLL("libasound.so.2")
P = ctypes.c_void_p
for name, args, res in [
    ("snd_seq_open", [ctypes.POINTER(P), ctypes.c_char_p, ctypes.c_int, ctypes.c_int], ctypes.c_int),
    ("snd_seq_set_client_name", [P, ctypes.c_char_p], ctypes.c_int),
    ("snd_seq_set_client_pool_input", [P, ctypes.c_size_t], ctypes.c_int),
    ("snd_seq_create_simple_port", [P, ctypes.c_char_p, ctypes.c_uint, ctypes.c_uint], ctypes.c_int),
    ("snd_seq_connect_to", [P, ctypes.c_int, ctypes.c_int, ctypes.c_int], ctypes.c_int),
    ("snd_seq_connect_from", [P, ctypes.c_int, ctypes.c_int, ctypes.c_int], ctypes.c_int),
    ("snd_seq_event_output", [P, ctypes.POINTER(Event)], ctypes.c_int),
    ("snd_seq_drain_output", [P], ctypes.c_int),
    ("snd_seq_event_input", [P, ctypes.POINTER(ctypes.POINTER(Event))], ctypes.c_int),
]:
    f = getattr(lib, name)
    f.argtypes, f.restype = args, res


def ok(result, what):
    if result < 0:
        sys.exit(f"{what} failed: {result}")
    return result


def encode(number):
    return number // (128 * 127) % 16, number % 128, 1 + number // 128 % 127


def decode(channel, note, velocity):
    return channel * 128 * 127 + (velocity - 1) * 128 + note


def main():
    send_client, send_port, read_client, read_port = (int(a) for a in sys.argv[1:5])
    before = int(sys.argv[5]) if len(sys.argv) > 5 else 300
    after = int(sys.argv[6]) if len(sys.argv) > 6 else 400
    seq = P()
    ok(lib.snd_seq_open(ctypes.byref(seq), b"default", SND_SEQ_OPEN_DUPLEX, SND_SEQ_NONBLOCK), "snd_seq_open")
    ok(lib.snd_seq_set_client_name(seq, b"midstream reader"), "set name")
    ok(lib.snd_seq_set_client_pool_input(seq, 2000), "input pool")
    out = ok(lib.snd_seq_create_simple_port(seq, b"out", CAP_READ | CAP_SUBS_READ, TYPE_MIDI_GENERIC | TYPE_APPLICATION), "out port")
    inp = ok(lib.snd_seq_create_simple_port(seq, b"in", CAP_WRITE | CAP_SUBS_WRITE, TYPE_MIDI_GENERIC | TYPE_APPLICATION), "in port")
    ok(lib.snd_seq_connect_to(seq, out, send_client, send_port), f"connect to {send_client}:{send_port}")

    received = []
    other = 0
    pointer = ctypes.POINTER(Event)()

    def read_all():
        nonlocal other
        count = 0
        while True:
            result = lib.snd_seq_event_input(seq, ctypes.byref(pointer))
            if result == -EAGAIN:
                return count
            if result == -ENOSPC:
                sys.exit("our own input pool overflowed: the test is void")
            ok(result, "snd_seq_event_input")
            ev = pointer.contents
            if ev.type == EVENT_NOTEON and ev.dest.port == inp and (ev.source.client, ev.source.port) == (read_client, read_port):
                n = ev.data.note
                received.append(decode(n.channel, n.note, n.velocity))
                count += 1
            else:
                other += 1

    event = Event()

    def queue(number):
        ctypes.memset(ctypes.byref(event), 0, ctypes.sizeof(event))
        event.type, event.queue = EVENT_NOTEON, QUEUE_DIRECT
        event.source.port = out
        event.dest.client, event.dest.port = ADDRESS_SUBSCRIBERS, ADDRESS_UNKNOWN
        event.data.note.channel, event.data.note.note, event.data.note.velocity = encode(number)
        ok(lib.snd_seq_event_output(seq, ctypes.byref(event)), "snd_seq_event_output")

    number = 0
    for _ in range(before):
        queue(number)
        number += 1
        ok(lib.snd_seq_drain_output(seq), "drain")
        read_all()
        time.sleep(0.001)
    ok(lib.snd_seq_connect_from(seq, inp, read_client, read_port), f"connect from {read_client}:{read_port}")
    first_after = number
    burst = after // 2
    for _ in range(burst):
        queue(number)
        number += 1
    ok(lib.snd_seq_drain_output(seq), "drain")
    for _ in range(after - burst):
        read_all()
        queue(number)
        number += 1
        ok(lib.snd_seq_drain_output(seq), "drain")
        time.sleep(0.001)
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < 3:
        if read_all():
            quiet_since = time.monotonic()
        time.sleep(0.01)

    expected = list(range(first_after, number))
    got_after = [n for n in received if n >= first_after]
    early = [n for n in received if n < first_after]
    print(f"sent {number} events to {send_client}:{send_port}; connected to {read_client}:{read_port} after event "
          f"{first_after - 1}; received {len(received)} ({len(early)} from before the connect, first {received[0] if received else None}), "
          f"{len(got_after)} of the {len(expected)} sent after it; {other} other events")
    if received != sorted(received) or len(set(received)) != len(received):
        print("out of order or duplicated")
        return 1
    missing = sorted(set(expected) - set(got_after))
    if missing:
        print(f"missing {len(missing)} sent after the connect, e.g. {missing[:20]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
