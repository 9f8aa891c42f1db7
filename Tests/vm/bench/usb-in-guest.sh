#!/bin/bash
# Runs inside the VM guest, started by `scripts/bench --vm-usb` (a measurement, not a test).
#
# usage: usb-in-guest.sh RESULTS_DIR [ROUNDS]
#
# One virtual USB MIDI device (a configfs gadget on dummy_hcd, as in the usb-endpoints group),
# measured through the daemon twice with the same rounds: `midisrv --usb-transport rawmidi`
# (the card's rawmidi substreams) and the default (the card's ALSA sequencer client). Writes
# usb.txt (the table, from usb-latency.py), usb.json, usb.log and status; `done` last.
results=${1:?results directory}
rounds=${2:-200}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/tmp/vm-home TMPDIR=/tmp LC_ALL=C.UTF-8
mkdir -p "$HOME"
# shellcheck source=/dev/null
source "$results/env.sh"
# shellcheck source=../groups/usb-gadget/gadget-lib.sh
source "$here/../groups/usb-gadget/gadget-lib.sh"
log=$results/usb.log
read -r uptime _ </proc/uptime
echo "bench-usb: guest kernel $(uname -r), up ${uptime}s, binaries $MIDI_BENCH_BIN" >"$log"

status=0
for module in "dummy_hcd num=1" libcomposite usb_f_midi snd-usb-audio snd-seq snd-seq-midi; do
    # shellcheck disable=SC2086
    modprobe $module >>"$log" 2>&1 || { echo "bench-usb: modprobe $module failed" >>"$log"; status=1; }
done
work=/tmp/usb-bench
rm -rf "$work"; mkdir -p "$work/state"
export MIDI_SERVICES_SOCKET=$work/midisrv.sock
if [ "$status" = 0 ]; then
    { gadget_setup && gadget_create b1 0x1209 0x4d49 BENCH-1 1 1 "Bench Synth" "Acme" && gadget_plug b1 dummy_udc.0; } >>"$log" 2>&1 || status=1
fi
if [ "$status" = 0 ]; then
    gcard=$(gadget_device_card b1)
    for transport in rawmidi auto; do
        daemon_log=$work/daemon-$transport.log
        "$MIDI_BENCH_BIN/midisrv" --config "$work/none.json" --state-dir "$work/state" --user \
            --usb-transport "$transport" --log-level info >"$daemon_log" 2>&1 &
        pid=$!
        for _ in $(seq 300); do grep -q 'USB MIDI device arrived' "$daemon_log" && break; sleep 0.2; done
        python3 "$here/usb-latency.py" --midi "$MIDI_BENCH_BIN/midi" --gadget-card "$gcard" \
            --endpoint 'usb_1209_4d49_bench-1' --transport "$transport" --rounds "$rounds" \
            --json "$results/usb-$transport.json" >>"$results/usb.txt" 2>>"$log" || status=1
        kill -TERM "$pid"; wait "$pid"
        cat "$daemon_log" >>"$log"
    done
    python3 "$here/usb-latency.py" --compare "$results/usb-rawmidi.json" "$results/usb-auto.json" \
        --commit "$MIDI_BENCH_COMMIT" --environment "$MIDI_BENCH_ENVIRONMENT" >>"$results/usb.txt" 2>>"$log" || status=1
    gadget_remove b1 >>"$log" 2>&1
fi
echo "$status" >"$results/status"
sync
echo finished >"$results/done"
