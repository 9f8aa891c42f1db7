#!/usr/bin/env python3
"""The USB transport's latency in the VM (run by usb-in-guest.sh, under `scripts/bench --vm-usb`).

    usb-latency.py --midi MIDI --gadget-card N --endpoint ID --transport T --rounds R --json OUT
    usb-latency.py --compare RAWMIDI.json SEQUENCER.json [--commit C] [--environment E]

One virtual USB MIDI device (a configfs gadget: its own f_midi card N is the "device"), a
running midisrv, and the `midi` console:

- device -> daemon: the gadget writes a Note On (its number in note and velocity) on its rawmidi
  output at t0 (CLOCK_MONOTONIC); `midi endpoint ID monitor --json` prints the timestamp the
  daemon gave the message when it read it (the same clock). Latency = that timestamp - t0:
  USB, the host's snd-usb-audio, then rawmidi or the sequencer (snd-seq-midi and the event
  delivery), and the daemon's wake-up. R rounds, one every 10 ms.
- daemon -> device: `midi endpoint ID send-message … --timestamp T` with T about 3 s ahead
  (the console's start-up under TCG takes a second or more); the service sends it when due and
  the gadget reads it at t1. Latency = t1 - T: the scheduler's wake-up, rawmidi or the
  sequencer, USB. min(R, 30) rounds (a console process each). Rounds whose message was sent
  after its timestamp (the console started too late) are left out and counted.
"""
import argparse
import json
import os
import select
import statistics
import subprocess
import sys
import time


def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100.0 * (len(s) - 1)))))
    return s[k]


def summary(values):
    return {"count": len(values), "p50": percentile(values, 50), "p90": percentile(values, 90),
            "p99": percentile(values, 99), "min": min(values) if values else None,
            "max": max(values) if values else None,
            "mean": statistics.mean(values) if values else None}


def note_of(i):
    return 0x40 + (i >> 7) % 0x3F, 1 + (i & 0x7F) % 127  # never velocity 0


def device_to_daemon(args, fd):
    warm = 20
    out = open("/tmp/usb-bench-monitor.txt", "w")
    # The monitor prints a line per message as it comes (flushed), until it is stopped.
    mon = subprocess.Popen([args.midi, "endpoint", args.endpoint, "monitor", "--json", "--timeout", "600"],
                           stdout=out, stderr=subprocess.DEVNULL)
    # Warm-up notes until the monitor has one (the daemon subscribes once it connects).
    sent = {}
    i = 0
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        note, vel = note_of(i)
        sent[(note, vel)] = time.monotonic_ns()
        os.write(fd, bytes([0x90, note, vel]))
        i += 1
        time.sleep(0.2)
        if os.path.getsize("/tmp/usb-bench-monitor.txt") > 0:
            break
    first_measured = i + warm
    while i < first_measured + args.rounds:
        note, vel = note_of(i)
        sent[(note, vel)] = time.monotonic_ns()
        os.write(fd, bytes([0x90, note, vel]))
        i += 1
        time.sleep(0.01)
    measured = {note_of(k) for k in range(first_measured, first_measured + args.rounds)}
    last = '"0x2090%02X%02X"' % note_of(first_measured + args.rounds - 1)
    end = time.monotonic() + 60
    while time.monotonic() < end and last.lower() not in open("/tmp/usb-bench-monitor.txt").read().lower():
        time.sleep(0.2)
    time.sleep(1)
    mon.terminate()
    mon.wait()
    out.close()
    samples = []
    for line in open("/tmp/usb-bench-monitor.txt"):
        line = line.strip()
        if not line.startswith("{"):
            continue
        m = json.loads(line)
        w = int(m["words"][0], 16)
        key = ((w >> 8) & 0x7F, w & 0x7F)
        if key in measured and key in sent:
            samples.append((int(m["timestamp"]) - sent[key]) / 1000.0)
    return samples


def daemon_to_device(args, fd):
    rounds = min(args.rounds, 30)
    samples, late, lost = [], 0, 0
    while select.select([fd], [], [], 0)[0]:
        os.read(fd, 256)
    for i in range(rounds):
        note, vel = note_of(i)
        due = time.monotonic_ns() + 3_000_000_000
        word = "0x2090%02X%02X" % (note, vel)
        proc = subprocess.Popen([args.midi, "endpoint", args.endpoint, "send-message", word, "--timestamp", str(due)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        got = b""
        arrival = None
        end = time.monotonic() + 20
        while time.monotonic() < end:
            r, _, _ = select.select([fd], [], [], 0.5)
            if r:
                got += os.read(fd, 256)
                if bytes([0x90, note, vel]) in got or (len(got) >= 2 and got[-2:] == bytes([note, vel])):
                    arrival = time.monotonic_ns()
                    break
        proc.wait()
        if arrival is None:
            lost += 1
            continue
        latency = (arrival - due) / 1000.0
        if latency > 500_000 or latency < 0:
            late += 1
            continue
        samples.append(latency)
    return samples, late, lost


def measure(args):
    node = "/dev/snd/midiC%dD0" % args.gadget_card
    fd = os.open(node, os.O_RDWR | os.O_NONBLOCK)
    endpoint = args.endpoint
    if not endpoint.startswith("\\\\?\\"):
        args.endpoint = "\\\\?\\swd#midisrv#midiu_%s#{e7cce071-3c03-423f-88d3-f1045d02552b}" % endpoint
    inbound = device_to_daemon(args, fd)
    outbound, late, lost = daemon_to_device(args, fd)
    os.close(fd)
    result = {"transport": args.transport, "rounds": args.rounds,
              "deviceToDaemonMicroseconds": summary(inbound), "deviceToDaemonLost": args.rounds - len(inbound),
              "daemonToDeviceMicroseconds": summary(outbound), "daemonToDeviceLate": late,
              "daemonToDeviceLost": lost}
    json.dump(result, open(args.json, "w"), indent=1)
    print("%-10s device->daemon p50 %8.0f us  p90 %8.0f us  p99 %8.0f us  (%d samples, %d lost)   "
          "daemon->device p50 %8.0f us  p90 %8.0f us  (%d samples, %d late, %d lost)" % (
              args.transport, result["deviceToDaemonMicroseconds"]["p50"] or -1,
              result["deviceToDaemonMicroseconds"]["p90"] or -1, result["deviceToDaemonMicroseconds"]["p99"] or -1,
              len(inbound), result["deviceToDaemonLost"], result["daemonToDeviceMicroseconds"]["p50"] or -1,
              result["daemonToDeviceMicroseconds"]["p90"] or -1, len(outbound), late, lost))
    return 0 if inbound and outbound and result["deviceToDaemonLost"] == 0 and lost == 0 else 1


def compare(args):
    raw, seq = (json.load(open(p)) for p in args.compare)
    print()
    print("USB device path, sequencer vs rawmidi (commit %s; %s)" % (args.commit, args.environment))
    for key, label in (("deviceToDaemonMicroseconds", "device -> daemon"), ("daemonToDeviceMicroseconds", "daemon -> device")):
        for p in ("p50", "p90", "p99"):
            a, b = raw[key][p], seq[key][p]
            if a and b:
                print("  %-17s %s  rawmidi %8.0f us  sequencer %8.0f us  ratio %.2fx  (+%.0f us)" % (label, p, a, b, b / a, b - a))
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--midi")
    ap.add_argument("--gadget-card", type=int)
    ap.add_argument("--endpoint")
    ap.add_argument("--transport")
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--json")
    ap.add_argument("--compare", nargs=2)
    ap.add_argument("--commit", default="?")
    ap.add_argument("--environment", default="?")
    args = ap.parse_args()
    sys.exit(compare(args) if args.compare else measure(args))


if __name__ == "__main__":
    main()
