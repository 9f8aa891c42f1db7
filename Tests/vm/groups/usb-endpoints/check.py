#!/usr/bin/env python3
"""JSON checks for the usb-endpoints VM group (reads what `midi … --json` printed).

  check.py endpoint LIST ID [PATH=VALUE]...   ID is in LIST (midi endpoint list --json) and each
                                              dotted PATH has VALUE (JSON literal or plain text)
  check.py absent LIST ID                     ID is not in LIST
  check.py blocks LIST ID SPEC                group terminal blocks are exactly SPEC:
                                              "number:direction:firstGroup:groupCount:name;…"
  check.py ids LIST PREFIX                    prints the ids in LIST starting with PREFIX
  check.py events FILE EVENT ID               prints how many EVENT lines for ID FILE holds
                                              (midi watch-endpoints --json output)
  check.py monitor FILE WORDS;WORDS…          the monitor --json lines in FILE carry exactly these
                                              messages, in order ("0x20903C40 0x…;…")
Exit status 0 when the check holds; otherwise 1 with the reason on stdout.
"""
import json
import sys


def load_list(path):
    with open(path) as f:
        return json.load(f)


def find(endpoints, endpoint_id):
    for e in endpoints:
        if e.get("endpointDeviceId") == endpoint_id:
            return e
    return None


def dotted(value, path):
    for part in path.split("."):
        if isinstance(value, list):
            value = value[int(part)]
        elif isinstance(value, dict):
            if part not in value:
                return None     # an absent key is what JSONEncoder writes for nil
            value = value[part]
        else:
            return None
    return value


def fail(text):
    print(text)
    sys.exit(1)


def main(argv):
    command = argv[1]
    if command == "endpoint":
        endpoints = load_list(argv[2])
        e = find(endpoints, argv[3])
        if e is None:
            fail("%s not listed; ids: %s" % (argv[3], [x.get("endpointDeviceId") for x in endpoints]))
        print(json.dumps(e, indent=1, sort_keys=True))
        for spec in argv[4:]:
            path, _, text = spec.partition("=")
            try:
                expected = json.loads(text)
            except ValueError:
                expected = text
            actual = dotted(e, path)
            if actual != expected:
                fail("%s is %r, expected %r" % (path, actual, expected))
    elif command == "absent":
        endpoints = load_list(argv[2])
        if find(endpoints, argv[3]) is not None:
            fail("%s is still listed" % argv[3])
    elif command == "blocks":
        endpoints = load_list(argv[2])
        e = find(endpoints, argv[3])
        if e is None:
            fail("%s not listed" % argv[3])
        actual = ";".join("%s:%s:%s:%s:%s" % (b["number"], b["direction"], b["firstGroupIndex"], b["groupCount"], b.get("name"))
                          for b in e.get("groupTerminalBlocks", []))
        print(actual)
        if actual != argv[4]:
            fail("group terminal blocks are %r, expected %r" % (actual, argv[4]))
    elif command == "ids":
        for e in load_list(argv[2]):
            if e["endpointDeviceId"].startswith(argv[3]):
                print(e["endpointDeviceId"])
    elif command == "events":
        count = 0
        with open(argv[2]) as f:
            for line in f:
                line = line.strip()
                if not line.startswith("{"):
                    continue
                event = json.loads(line)
                if event.get("event") == argv[3] and event.get("endpointDeviceId") == argv[4]:
                    count += 1
        print(count)
    elif command == "monitor":
        expected = [w.split() for w in argv[3].split(";") if w.strip()]
        actual = []
        with open(argv[2]) as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    actual.append([w.upper().replace("0X", "0x") for w in json.loads(line)["words"]])
        expected = [[w.upper().replace("0X", "0x") for w in m] for m in expected]
        print("received: %s" % actual)
        if actual != expected:
            fail("monitor received %r, expected %r" % (actual, expected))
    else:
        fail("unknown command %s" % command)


if __name__ == "__main__":
    main(sys.argv)
