#!/bin/bash
# Runs inside the VM guest, started by `scripts/bench --vm` (not by scripts/test or
# scripts/vm-test: this is a measurement, not a test). Not meant to be run on the host.
#
# usage: run-in-guest.sh RESULTS_DIR [midi-bench COMMAND ARGS...]
#
# RESULTS_DIR is shared read-write with the host and holds env.sh written by it. Loads the
# sequencer and its Midi Through client (snd-seq-dummy, client 14), then runs
# `midi-bench $MIDI_BENCH_COMMAND` with the host's release build: `alsa` (scripts/bench --vm: a
# temporary midisrv with one loopback pair, its ALSA bridge clients against Midi Through and a
# user relay) or `alsa-loaded` (scripts/bench --vm-loaded: the bridge and the user relay idle,
# under stress-ng and under stress-ng with real-time scheduling). Leaves COMMAND.txt (the table),
# COMMAND.json, COMMAND.log (progress and errors) and status; writes `done` last.
results=${1:?results directory}
shift

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp/vm-home TMPDIR=/tmp LC_ALL=C.UTF-8
mkdir -p "$HOME"
# shellcheck source=/dev/null
source "$results/env.sh"
command=${MIDI_BENCH_COMMAND:-alsa}
log="$results/$command.log"

read -r uptime _ </proc/uptime
echo "bench-vm: guest kernel $(uname -r), up ${uptime}s, midi-bench $command" >"$log"
status=0
for module in snd-seq snd-seq-dummy; do
    if ! err=$(modprobe "$module" 2>&1); then
        echo "bench-vm: modprobe $module failed: $err" >>"$log"
        status=1
    fi
done
udevadm settle --timeout=30 >/dev/null 2>&1 || true
if [ "$status" = 0 ]; then
    cat /proc/asound/seq/clients >>"$log" 2>&1
    # With MIDI_BENCH_PROFILE=1 (scripts/bench --vm --profile) the run is sampled system-wide
    # by perf (cpu-clock: under TCG there is no PMU) and a flat profile per process is kept;
    # its figures are then perf's, not a clean measurement.
    profiler=()
    if [ "${MIDI_BENCH_PROFILE:-0}" = 1 ]; then
        profiler=(perf record -e cpu-clock -F 4000 -g -a -o /tmp/perf.data --)
    fi
    # With MIDI_BENCH_PROFILE=syscalls (scripts/bench --vm --syscalls) `strace -c -f` is
    # attached to midisrv and to the relay as soon as each runs, so their start-up is not
    # counted; each summary is written when its process ends (midi-bench stops them).
    tracers=()
    if [ "${MIDI_BENCH_PROFILE:-0}" = syscalls ]; then
        for comm in midisrv alsa-relay; do
            (
                for _ in $(seq 1 600); do
                    pid=$(pgrep -x "$comm" | head -n 1)
                    [ -n "$pid" ] && exec strace -c -f -S calls -o "$results/syscalls-$comm.txt" -p "$pid"
                    sleep 0.1
                done
                echo "bench-vm: no $comm process to trace within 60 s" >>"$log"
            ) 2>>"$log" &
            tracers+=($!)
        done
    fi
    (cd /tmp && "${profiler[@]}" "$MIDI_BENCH_BIN/midi-bench" "$command" --midisrv "$MIDI_BENCH_BIN/midisrv" \
        --commit "$MIDI_BENCH_COMMIT" --environment "$MIDI_BENCH_ENVIRONMENT" \
        --json "$results/$command.json" "$@") >"$results/$command.txt" 2>>"$log"
    status=$?
    for tracer in "${tracers[@]}"; do wait "$tracer" 2>/dev/null; done
    if [ "${MIDI_BENCH_PROFILE:-0}" = 1 ]; then
        # Flat (self) and inclusive (children) profiles per process, in per cent of that
        # process's own samples: most of a run's samples are idle vCPUs, so per cent of all
        # samples would hide everything under the limit.
        for comm in midisrv alsa-relay midi-bench; do
            perf report -i /tmp/perf.data --comm "$comm" --percentage relative --no-children -g none \
                --sort dso,sym --percent-limit 0.5 --stdio >"$results/profile-$comm.txt" 2>>"$log"
            perf report -i /tmp/perf.data --comm "$comm" --percentage relative --children -g none \
                --sort sym --percent-limit 2 --stdio >"$results/profile-$comm-inclusive.txt" 2>>"$log"
        done
        perf report -i /tmp/perf.data --sort comm,pid --percentage relative -g none --stdio \
            >"$results/profile-processes.txt" 2>>"$log"
        # The samples themselves, for call graphs read on the host (`perf report -i … -g
        # caller`): the user-space binaries are the host's files, the guest kernel's symbols
        # are in /boot/System.map-<version> (`--kallsyms`).
        cp /tmp/perf.data "$results/perf.data" 2>>"$log"
    fi
fi
echo "$status" >"$results/status"
sync
echo finished >"$results/done"
