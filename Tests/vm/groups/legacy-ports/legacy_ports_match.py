#!/usr/bin/env python3
"""Checks `midi enumerate legacy-endpoints --json` (file argv[1]) against `aconnect -l`
(file argv[2]): every listed client:port exists in aconnect's listing with the same client and
port name, and every port of every client the listing names is listed. Exit 0 when they match.
aconnect pads port names to 16 characters; trailing blanks are ignored."""
import json
import re
import sys

entries = json.load(open(sys.argv[1]))
clients = {}   # number -> (name, {port: name})
current = None
for line in open(sys.argv[2]):
    m = re.match(r"^client (\d+): '(.*)' \[", line)
    if m:
        current = int(m.group(1))
        clients[current] = (m.group(2), {})
        continue
    m = re.match(r"^\s+(\d+) '(.*)'\s*$", line)
    if m and current is not None:
        clients[current][1][int(m.group(1))] = m.group(2).rstrip()

problems = []
listed = {}
for e in entries:
    c, p = e["client"], e["port"]
    listed.setdefault(c, set()).add(p)
    if c not in clients:
        problems.append(f"{c}:{p} is not in aconnect -l")
        continue
    name, ports = clients[c]
    if name != e["clientName"]:
        problems.append(f"client {c}: aconnect says '{name}', the listing '{e['clientName']}'")
    if ports.get(p) != e["portName"]:
        problems.append(f"{c}:{p}: aconnect says '{ports.get(p)}', the listing '{e['portName']}'")
    if not e["endpointDeviceId"].startswith("\\\\?\\swd#midisrv#midiu_"):
        problems.append(f"{c}:{p}: odd EndpointDeviceId {e['endpointDeviceId']}")
    # A loopback's port 0 carries all groups, port n group n; a USB card's ports (owner
    # "kernel") follow its substreams, checked by the caller.
    if e["owner"] == "loopback" and (p == 0 and e.get("group") is not None or p > 0 and e.get("group") != p):
        problems.append(f"{c}:{p}: group {e.get('group')}")
for c, ports in listed.items():
    missing = set(clients.get(c, ("", {}))[1]) - ports
    if missing:
        problems.append(f"client {c}: ports {sorted(missing)} are in aconnect -l but not listed")
print(f"{len(entries)} ports of {len(listed)} clients compared")
for p in problems:
    print(p)
sys.exit(1 if problems or not entries else 0)
