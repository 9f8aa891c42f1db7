#!/bin/bash
# Runs inside the VM guest (started by scripts/vm-test). Not meant to be run on the host.
#
# usage: run-suite.sh RESULTS_DIR GROUP...
#
# RESULTS_DIR is shared read-write with the host; it holds env.sh written by the host. For each
# group (a directory Tests/vm/groups/<group>/ with an executable `run` and optional `modules`
# and `lane`): load its modules, run it with a time limit in its lane, keep its output in
# <group>.log, its PASS/FAIL lines, prefixed with the group name, in <group>.results, and its
# wall time in <group>.seconds. Writes `done` last, so the
# host can tell a finished run from a guest that died or never booted.

results=${1:?results directory}
shift

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp/vm-home TMPDIR=/tmp LC_ALL=C.UTF-8
mkdir -p "$HOME"

# shellcheck source=/dev/null
source "$results/env.sh"
export MIDI_VM_SUITE MIDI_VM_REPO MIDI_VM_BIN MIDI_VM_TEST_BINARY MIDI_VM_GROUP_TIMEOUT MIDI_VM_PARALLEL

read -r uptime _ </proc/uptime
echo "$uptime" >"$results/guest-uptime-at-start"
echo "vm-suite: guest kernel $(uname -r), up ${uptime}s, groups: $*"

# Lanes: the groups of one lane run one after another; lanes run side by side. A group names
# its lane in a file `lane` in its directory (default: main). Under TCG most of a group's time
# is one process starting after another on one vCPU, so two lanes use the guest's two vCPUs
# (and the host's two cores): the VM tier takes about the longer lane instead of the sum.
# Lanes share the kernel, so a case that needs the sequencer to itself (the 64-client limit)
# waits for the other lanes first (lib.sh's `wait_for_other_lanes`). MIDI_VM_PARALLEL=0 puts
# every group in one lane (the order given).
run_group() {
    local group=$1
    local dir="$MIDI_VM_SUITE/groups/$group"
    local out="$results/$group.results"
    local log="$results/$group.log"
    : >"$out"
    export MIDI_VM_GROUP_RESULTS="$results/$group"
    mkdir -p "$MIDI_VM_GROUP_RESULTS"
    echo "=== group $group (lane $MIDI_VM_LANE)"
    if [ ! -x "$dir/run" ]; then
        echo "FAIL $group: no executable $dir/run" >>"$out"
        return
    fi
    if [ -f "$results/$group.module-failures" ]; then
        cat "$results/$group.module-failures" >>"$out"
        return
    fi
    local start status took
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
}

# Modules first, every group's, before any group runs (a lane must not load a module while
# another lane's cases run); a module that does not load fails its group (its cases would
# only fail later with a less clear message).
for group in "$@"; do
    dir="$MIDI_VM_SUITE/groups/$group"
    [ -f "$dir/modules" ] || continue
    while read -r module params; do
        case "$module" in ''|'#'*) continue ;; esac
        # shellcheck disable=SC2086
        if ! err=$(modprobe "$module" $params 2>&1); then
            echo "FAIL $group/modprobe-$module: $err" >>"$results/$group.module-failures"
        fi
    done <"$dir/modules"
done
# udevd (started by virtme-ng) creates the device nodes; wait for it to settle.
udevadm settle --timeout=30 >/dev/null 2>&1 || true

# A `lane` file holds "NAME [POSITION]": groups run in their lane by POSITION (default 5),
# then in the order given.
lanes=()
declare -A lane_groups=()
ordered=$(for group in "$@"; do
              lane=main position=5
              if [ -s "$MIDI_VM_SUITE/groups/$group/lane" ]; then
                  read -r lane position <"$MIDI_VM_SUITE/groups/$group/lane"
                  position=${position:-5}
              fi
              [ "${MIDI_VM_PARALLEL:-1}" = 0 ] && lane=main
              echo "$position $lane $group"
          done | sort -s -n -k1,1)
while read -r _ lane group; do
    [ -n "$group" ] || continue
    [ -n "${lane_groups[$lane]+set}" ] || lanes+=("$lane")
    lane_groups[$lane]+="$group "
done <<<"$ordered"
export MIDI_VM_LANES="${lanes[*]}" MIDI_VM_LANES_DIR="$results"
echo "vm-suite: lanes: $(for lane in "${lanes[@]}"; do printf '%s(%s) ' "$lane" "${lane_groups[$lane]% }"; done)"
lane_pids=()
for lane in "${lanes[@]}"; do
    (
        export MIDI_VM_LANE=$lane
        for group in ${lane_groups[$lane]}; do run_group "$group"; done
        touch "$results/lane-$lane.done"
    ) &
    lane_pids+=($!)
done
wait "${lane_pids[@]}"

sync
echo finished >"$results/done"
