#!/bin/bash
# Runs inside the VM guest (started by scripts/vm-test). Not meant to be run on the host.
#
# usage: run-suite.sh RESULTS_DIR GROUP...
#
# RESULTS_DIR is shared read-write with the host; it holds env.sh written by the host. For each
# group (a directory Tests/vm/groups/<group>/ with an executable `run` and optional `modules`):
# load its modules, run it with a time limit, keep its output in <group>.log and its
# PASS/FAIL lines, prefixed with the group name, in <group>.results. Writes `done` last, so the
# host can tell a finished run from a guest that died or never booted.

results=${1:?results directory}
shift

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp/vm-home TMPDIR=/tmp LC_ALL=C.UTF-8
mkdir -p "$HOME"

# shellcheck source=/dev/null
source "$results/env.sh"
export MIDI_VM_SUITE MIDI_VM_REPO MIDI_VM_BIN MIDI_VM_TEST_BINARY MIDI_VM_GROUP_TIMEOUT

# Swift programs start from the guest's tmpfs. The root is 9p without a page cache, so every start
# of `midi` or `midisrv` read the binary and its ~15 Swift runtime libraries through 9p again:
# `midi --version` took 1.3 s from 9p and 0.5 s from copies in tmpfs (TCG, 2026-12-08), and the
# groups start these programs hundreds of times. The copies are made once per boot; if copying
# fails, the programs run from 9p as before.
stage_programs() {
    local dir=/tmp/midi-vm-bin program so
    mkdir -p "$dir/lib" || return 1
    for program in midi midisrv; do
        cp "$MIDI_VM_BIN/$program" "$dir/" || return 1
    done
    # The Swift runtime the binaries link (the toolchain's, not the system's libraries).
    for so in $(ldd "$dir/midi" "$dir/midisrv" | awk '$3 ~ /^\// && $3 !~ /^\/(usr\/)?lib(64|32)?\// { print $3 }' | sort -u); do
        cp -L "$so" "$dir/lib/" || return 1
    done
    MIDI_VM_BIN=$dir
    export LD_LIBRARY_PATH=$dir/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
    echo "vm-suite: midi and midisrv start from tmpfs ($dir, $(ls "$dir/lib" | wc -l) runtime libraries, $(du -sm "$dir" | cut -f1) MB)"
}

read -r uptime _ </proc/uptime
echo "$uptime" >"$results/guest-uptime-at-start"
echo "vm-suite: guest kernel $(uname -r), up ${uptime}s, groups: $*"
stage_programs || echo "vm-suite: could not copy the programs to tmpfs; they start from $MIDI_VM_BIN (9p)"

for group in "$@"; do
    dir="$MIDI_VM_SUITE/groups/$group"
    out="$results/$group.results"
    log="$results/$group.log"
    : >"$out"
    export MIDI_VM_GROUP_RESULTS="$results/$group"
    mkdir -p "$MIDI_VM_GROUP_RESULTS"
    echo "=== group $group"
    if [ ! -x "$dir/run" ]; then
        echo "FAIL $group: no executable $dir/run" >>"$out"
        continue
    fi

    # Modules first; a module that does not load fails the group (its cases would only
    # fail later with a less clear message).
    modules_ok=1
    if [ -f "$dir/modules" ]; then
        while read -r module params; do
            case "$module" in ''|'#'*) continue ;; esac
            # shellcheck disable=SC2086
            if ! err=$(modprobe "$module" $params 2>&1); then
                echo "FAIL $group/modprobe-$module: $err" >>"$out"
                modules_ok=0
            fi
        done <"$dir/modules"
    fi
    if [ "$modules_ok" = 0 ]; then continue; fi
    # udevd (started by virtme-ng) creates the device nodes; wait for it to settle.
    udevadm settle --timeout=30 >/dev/null 2>&1 || true

    start=$(date +%s)
    (cd "$MIDI_VM_REPO" && timeout --kill-after=10 "$MIDI_VM_GROUP_TIMEOUT" "$dir/run") >"$log" 2>&1
    status=$?
    # Console copy for CI logs.
    sed "s/^/[$group] /" "$log"
    grep -E '^(PASS|FAIL) ' "$log" | sed -E "s#^(PASS|FAIL) #\1 $group/#" >>"$out"
    if [ "$status" = 124 ] || [ "$status" = 137 ]; then
        echo "FAIL $group: timed out after ${MIDI_VM_GROUP_TIMEOUT}s" >>"$out"
    elif [ "$status" != 0 ] && ! grep -q '^FAIL ' "$out"; then
        echo "FAIL $group: run exited $status: $(grep -v -E '^(PASS|FAIL) ' "$log" | tail -n 2 | tr '\n' ' ')" >>"$out"
    fi
    if ! grep -qE '^(PASS|FAIL) ' "$out"; then
        echo "FAIL $group: no PASS/FAIL lines" >>"$out"
    fi
    took=$(( $(date +%s) - start ))
    echo "$took" >"$results/$group.seconds"
    echo "=== group $group took ${took}s"
done

sync
echo finished >"$results/done"
