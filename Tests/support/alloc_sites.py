#!/usr/bin/env python3
"""Symbolizes a malloc_count.c trace (MALLOC_TRACE_FILE) and prints the allocation sites.

    alloc_sites.py TRACE [DEPTH] [--fail-on REGEX]

For each sampled allocation, the first DEPTH (default 6) frames outside libc, the shim and the
Swift runtime's allocator entry points are symbolized (llvm-symbolizer, else addr2line) and
demangled (swift-demangle if on PATH); identical stacks are counted, most frequent first.
With --fail-on, every allocation with any frame matching REGEX is printed in full and the exit
status is 1 if there is one.
"""
import collections
import re
import shutil
import subprocess
import sys

SKIP = ("libc.so", "malloc_count.so", "ld-linux")
# Allocator entry points: the same on every stack, so not worth a line.
RUNTIME = ("malloc", "swift_slowAlloc", "swift_allocObject", "swift_allocBox", "swift_retain")


def load(path):
    traces, maps, in_maps = [], [], False
    for line in open(path, errors="replace"):
        if line.startswith("MAPS"):
            in_maps = True
            continue
        if in_maps:
            parts = line.split()
            if len(parts) >= 6 and "x" in parts[1]:
                lo, hi = (int(x, 16) for x in parts[0].split("-"))
                maps.append((lo, hi, int(parts[2], 16), parts[5]))
        elif line.startswith("T "):
            traces.append([int(x, 16) for x in line.split()[1:]])
    return traces, maps


def locate(address, maps, bases):
    for lo, hi, offset, path in maps:
        if lo <= address < hi:
            return path, address - lo + offset
    return None, address


def main(argv):
    fail_on = None
    if "--fail-on" in argv:
        i = argv.index("--fail-on")
        fail_on = re.compile(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    traces, maps = load(argv[1])
    depth = int(argv[2]) if len(argv) > 2 else 6
    symbolizer = shutil.which("llvm-symbolizer")
    requests = collections.defaultdict(set)
    located = []
    for trace in traces:
        frames = []
        for address in trace:
            path, offset = locate(address - 1, maps, None)
            if path is None or any(s in path for s in SKIP):
                continue
            frames.append((path, offset))
            requests[path].add(offset)
        located.append(frames)
    names = {}
    for path, offsets in requests.items():
        offsets = sorted(offsets)
        if symbolizer:
            out = subprocess.run([symbolizer, "--obj", path, "--functions=linkage", "--inlining=false"],
                                 input="".join(f"0x{o:x}\n" for o in offsets), capture_output=True, text=True).stdout
            blocks = [b.splitlines() for b in out.strip().split("\n\n")]
            for o, block in zip(offsets, blocks):
                names[(path, o)] = (block[0] if block else "?") + " " + (block[1].rsplit("/", 1)[-1] if len(block) > 1 else "")
        else:
            out = subprocess.run(["addr2line", "-f", "-e", path] + [hex(o) for o in offsets],
                                 capture_output=True, text=True).stdout.splitlines()
            for i, o in enumerate(offsets):
                names[(path, o)] = out[2 * i] + " " + out[2 * i + 1].rsplit("/", 1)[-1]
    demangler = shutil.which("swift-demangle") or shutil.which("/opt/swift/usr/bin/swift-demangle")
    if demangler:
        keys = list(names)
        out = subprocess.run([demangler, "--simplified"], input="\n".join(names[k] for k in keys) + "\n",
                             capture_output=True, text=True).stdout.splitlines()
        for k, line in zip(keys, out):
            names[k] = line
    matching = []
    stacks = collections.Counter()
    for frames in located:
        if fail_on and any(fail_on.search(names.get(f, "")) for f in frames):
            matching.append([names.get(f, "?") for f in frames])
        named = [names.get(f, "?") for f in frames]
        named = [n for n in named if not n.split(" ")[0] in RUNTIME]
        stacks[tuple(named[:depth])] += 1
    print(f"{len(traces)} sampled allocations")
    for stack, count in stacks.most_common(25):
        print(f"\n{count} x")
        for frame in stack:
            print("    " + frame[:200])
    if fail_on:
        print(f"\n{len(matching)} of {len(traces)} allocations have a frame matching {fail_on.pattern}")
        for stack in matching[:10]:
            print("\n" + "\n".join("    " + f[:200] for f in stack))
        return 1 if matching else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
