#!/usr/bin/env python3
"""Asks the kernel's sequencer (through alsa-lib, with ctypes — no extra module) what one
client and its ports look like, and checks it against the bridge's layout.

    seq_ports.py NAME GROUPS [PORTNAME=EXPECTED ...]

Passes (exit 0) when a user client named NAME exists with port 0 named NAME and ports
1…GROUPS named "Group n" (or as given by N=NAME arguments), every port with capabilities
READ|WRITE|SUBS_READ|SUBS_WRITE|DUPLEX, type MIDI_GENERIC|SOFTWARE|APPLICATION (not PORT,
not HARDWARE: PipeWire would show those as physical ports) and 16 MIDI
channels, and no other ports. Prints the client number and the ports it found.
    seq_ports.py --number NAME      print the client number of NAME (exit 1 if absent)
    seq_ports.py --absent NAME      exit 0 if no client is named NAME
    seq_ports.py --user-clients     print how many user clients exist
    seq_ports.py --input-pool NAME  print the input pool size of client NAME
(These four read /proc/asound/seq/clients, so they work even when all 64 user client slots
are taken and no program can open the sequencer.)
    seq_ports.py --readers NAME PORT   print how many subscribers read from NAME:PORT
                                   (the "Connecting To" entries of `aconnect -l`)
"""
import ctypes
import re
import subprocess
import sys

CAP_READ, CAP_WRITE, CAP_DUPLEX, CAP_SUBS_READ, CAP_SUBS_WRITE = 1, 2, 0x10, 0x20, 0x40
TYPE_MIDI_GENERIC, TYPE_SOFTWARE, TYPE_APPLICATION = 1 << 1, 1 << 17, 1 << 20
WANT_CAPS = CAP_READ | CAP_WRITE | CAP_SUBS_READ | CAP_SUBS_WRITE | CAP_DUPLEX
WANT_TYPE = TYPE_MIDI_GENERIC | TYPE_SOFTWARE | TYPE_APPLICATION
USER_CLIENT = 1

lib = ctypes.CDLL("libasound.so.2")
P = ctypes.c_void_p
for name, args, res in [
    ("snd_seq_open", [ctypes.POINTER(P), ctypes.c_char_p, ctypes.c_int, ctypes.c_int], ctypes.c_int),
    ("snd_seq_close", [P], ctypes.c_int),
    ("snd_seq_client_id", [P], ctypes.c_int),
    ("snd_seq_client_info_malloc", [ctypes.POINTER(P)], ctypes.c_int),
    ("snd_seq_port_info_malloc", [ctypes.POINTER(P)], ctypes.c_int),
    ("snd_seq_client_info_set_client", [P, ctypes.c_int], None),
    ("snd_seq_client_info_get_client", [P], ctypes.c_int),
    ("snd_seq_client_info_get_name", [P], ctypes.c_char_p),
    ("snd_seq_client_info_get_type", [P], ctypes.c_int),
    ("snd_seq_query_next_client", [P, P], ctypes.c_int),
    ("snd_seq_port_info_set_client", [P, ctypes.c_int], None),
    ("snd_seq_port_info_set_port", [P, ctypes.c_int], None),
    ("snd_seq_query_next_port", [P, P], ctypes.c_int),
    ("snd_seq_port_info_get_port", [P], ctypes.c_int),
    ("snd_seq_port_info_get_name", [P], ctypes.c_char_p),
    ("snd_seq_port_info_get_capability", [P], ctypes.c_uint),
    ("snd_seq_port_info_get_type", [P], ctypes.c_uint),
    ("snd_seq_port_info_get_midi_channels", [P], ctypes.c_int),
]:
    f = getattr(lib, name)
    f.argtypes, f.restype = args, res


def snapshot():
    """{client number: (name, type, [(port, name, caps, type, channels)])}"""
    seq = P()
    if lib.snd_seq_open(ctypes.byref(seq), b"default", 1, 0) < 0:   # SND_SEQ_OPEN_OUTPUT
        raise SystemExit("cannot open the ALSA sequencer")
    own = lib.snd_seq_client_id(seq)
    cinfo, pinfo = P(), P()
    lib.snd_seq_client_info_malloc(ctypes.byref(cinfo))
    lib.snd_seq_port_info_malloc(ctypes.byref(pinfo))
    lib.snd_seq_client_info_set_client(cinfo, -1)
    result = {}
    while lib.snd_seq_query_next_client(seq, cinfo) >= 0:
        number = lib.snd_seq_client_info_get_client(cinfo)
        if number == own:
            continue   # this script's own client
        ports = []
        lib.snd_seq_port_info_set_client(pinfo, number)
        lib.snd_seq_port_info_set_port(pinfo, -1)
        while lib.snd_seq_query_next_port(seq, pinfo) >= 0:
            ports.append((lib.snd_seq_port_info_get_port(pinfo),
                          lib.snd_seq_port_info_get_name(pinfo).decode(),
                          lib.snd_seq_port_info_get_capability(pinfo),
                          lib.snd_seq_port_info_get_type(pinfo),
                          lib.snd_seq_port_info_get_midi_channels(pinfo)))
        result[number] = (lib.snd_seq_client_info_get_name(cinfo).decode(),
                          lib.snd_seq_client_info_get_type(cinfo), ports)
    lib.snd_seq_close(seq)
    return result


def find(clients, name):
    found = [n for n, (cname, _, _) in clients.items() if cname == name]
    return found


def proc_clients():
    """{client number: {"name", "type", "input_pool"}} from /proc/asound/seq/clients."""
    clients, current, section = {}, None, None
    with open("/proc/asound/seq/clients") as f:
        for line in f:
            m = re.match(r'^Client +(\d+) : "(.*)" \[(\w+)', line)
            if m:
                current = int(m.group(1))
                clients[current] = {"name": m.group(2), "type": m.group(3), "input_pool": None}
                section = None
                continue
            if current is None:
                continue
            if re.match(r"^ +Input pool", line):
                section = "input"
            elif re.match(r"^ +Output pool", line):
                section = "output"
            m = re.match(r"^ +Pool size +: +(\d+)", line)
            if m and section == "input":
                clients[current]["input_pool"] = int(m.group(1))
    return clients


def aconnect_readers(client, port):
    """Subscribers of client:port as `aconnect -l` shows them."""
    listing = subprocess.run(["aconnect", "-l"], capture_output=True, text=True, check=True).stdout
    name, current, count = None, None, 0
    for line in listing.splitlines():
        m = re.match(r"^client (\d+): '(.*)' \[", line)
        if m:
            name, current = m.group(2), None
            continue
        m = re.match(r"^ +(\d+) '", line)
        if m:
            current = int(m.group(1))
            continue
        if "Connecting To:" in line and name == client and current == port:
            count += len(line.split(":", 1)[1].split(","))
    return count


def main(argv):
    if len(argv) == 4 and argv[1] == "--readers":
        print(aconnect_readers(argv[2], int(argv[3])))
        return 0
    if len(argv) in (2, 3) and argv[1] in ("--number", "--absent", "--user-clients", "--input-pool"):
        proc = proc_clients()
        if argv[1] == "--user-clients":
            print(sum(1 for c in proc.values() if c["type"] == "User"))
            return 0
        found = [n for n, c in proc.items() if c["name"] == argv[2]]
        if argv[1] == "--absent":
            if found:
                print(f"client(s) {found} still named '{argv[2]}'")
                return 1
            return 0
        if not found:
            print(f"no client named '{argv[2]}'")
            return 1
        print(found[0] if argv[1] == "--number" else proc[found[0]]["input_pool"])
        return 0
    clients = snapshot()
    if len(argv) < 3:
        print(__doc__)
        return 2
    name, groups = argv[1], int(argv[2])
    expected = {0: name}
    expected.update({n: f"Group {n}" for n in range(1, groups + 1)})
    for spec in argv[3:]:
        number, _, port_name = spec.partition("=")
        expected[int(number)] = port_name
    found = find(clients, name)
    if len(found) != 1:
        print(f"expected one client named '{name}', found {found}")
        return 1
    cname, ctype, ports = clients[found[0]]
    print(f"client {found[0]}: '{cname}' type={'user' if ctype == USER_CLIENT else ctype}")
    problems = []
    if ctype != USER_CLIENT:
        problems.append("not a user client")
    for port, pname, caps, ptype, channels in ports:
        print(f"  {port:3d} '{pname}' caps=0x{caps:x} type=0x{ptype:x} channels={channels}")
        if port not in expected:
            problems.append(f"unexpected port {port} '{pname}'")
            continue
        if pname != expected[port]:
            problems.append(f"port {port} is '{pname}', expected '{expected[port]}'")
        if caps != WANT_CAPS:
            problems.append(f"port {port} capabilities 0x{caps:x}, expected 0x{WANT_CAPS:x}")
        if ptype != WANT_TYPE:
            problems.append(f"port {port} type 0x{ptype:x}, expected 0x{WANT_TYPE:x}")
        if channels != 16:
            problems.append(f"port {port} has {channels} MIDI channels, expected 16")
    missing = sorted(set(expected) - {p[0] for p in ports})
    if missing:
        problems.append(f"missing ports {missing}")
    for p in problems:
        print("problem:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
