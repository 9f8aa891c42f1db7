#!/bin/bash
# Virtual USB MIDI 1.0 devices for the VM tier: configfs gadgets on dummy_hcd (docs/design.md §9).
# Source it (functions below), or run it: `gadget-lib.sh plug g1` calls `gadget_plug g1`.
#
#   gadget_setup                               load modules, mount configfs
#   gadget_create NAME VID PID SERIAL IN OUT [PRODUCT] [MANUFACTURER]
#                                              SERIAL "" = no iSerialNumber string at all
#   gadget_plug NAME [UDC]                     bind to a free UDC (or the given one); waits
#                                              until the host card is initialised by udev
#   gadget_unplug NAME                         unbind; waits until the host card is gone
#   gadget_remove NAME                         unplug if needed and delete the gadget
#   gadget_host_card NAME                      print the host-side card number (plugged gadget)
#   gadget_host_card_devpath NAME              print its sysfs DEVPATH
#   gadget_device_card NAME                    print the gadget side's own f_midi card number
#
# What the VM showed (Debian kernel 6.1.0-56, systemd-udevd 252, virtme-ng 1.42, TCG):
#  - `modprobe dummy_hcd num=3` gives UDCs dummy_udc.0..2; a gadget bound to dummy_udc.N shows up
#    on the host as a USB device below /devices/platform/dummy_hcd.N/usbN+1/, port 1:
#    ID_PATH=platform-dummy_hcd.N-usb-0:1:1.0, ID_PATH_TAG=platform-dummy_hcd_N-usb-0_1_1_0.
#  - configfs is not mounted by virtme-ng: mount it at /sys/kernel/config.
#  - Each plug makes TWO sound cards: the host's snd-usb-audio card "USB-Audio - <product>"
#    (id from the product, e.g. "Synth"), and the gadget side's own "MIDI Gadget - f_midi"
#    card below /devices/platform/dummy_udc.N/gadget.N/ — no USB parent, must be ignored.
#  - Host substreams: in_ports=I, out_ports=O gives O rawmidi *output* and I *input*
#    substreams on the host card (checked with 1/3: "Output 0..2", "Input 0"), named
#    "<product> MIDI <n>" (amidi -l: "IO hw:3,0,0 Synth g1 MIDI 1"). Only min(I,O) cables carry
#    data on 6.1, so data tests use I = O.
#  - udev: the card's `add` event has only ID_PATH/ID_PATH_TAG; the `change` event with
#    SOUND_INITIALIZED=1 has ID_VENDOR_ID, ID_MODEL_ID, ID_SERIAL_SHORT (absent when the gadget
#    has no serialnumber), ID_VENDOR/ID_MODEL(_ENC), ID_VENDOR_FROM_DATABASE ("Generic" for
#    0x1209). The USB device (e.g. /sys/bus/usb/devices/1-1) has no `serial` attribute when
#    strings/0x409/serialnumber was never written.
#  - Unplug removes both cards; replug into the same UDC gives the same DEVPATH and path tag
#    (card numbers are reused lowest-first).
#  - About 1 s per plug/unplug under TCG; allow 30 s.

GADGET_CONFIGFS=${GADGET_CONFIGFS:-/sys/kernel/config}
GADGET_ROOT="$GADGET_CONFIGFS/usb_gadget"
GADGET_TIMEOUT=${GADGET_TIMEOUT:-30}

gadget_log() { echo "gadget: $*" >&2; }

gadget_setup() {
    local m
    for m in "dummy_hcd num=3" libcomposite usb_f_midi snd-usb-audio; do
        # shellcheck disable=SC2086
        modprobe $m || { gadget_log "modprobe $m failed"; return 1; }
    done
    if ! mountpoint -q "$GADGET_CONFIGFS"; then
        mount -t configfs none "$GADGET_CONFIGFS" || { gadget_log "cannot mount configfs"; return 1; }
    fi
    [ -d "$GADGET_ROOT" ] || { gadget_log "$GADGET_ROOT missing (libcomposite not loaded?)"; return 1; }
}

gadget_create() {
    local name=$1 vid=$2 pid=$3 serial=$4 in=$5 out=$6
    local product=${7:-Test $1} manufacturer=${8:-MIDI Services Tests}
    local g="$GADGET_ROOT/$name"
    [ -e "$g" ] && { gadget_log "$name exists already"; return 1; }
    mkdir "$g" || return 1
    echo "$vid" >"$g/idVendor" && echo "$pid" >"$g/idProduct" || return 1
    mkdir "$g/strings/0x409" || return 1
    # Leaving serialnumber unwritten gives a device with no iSerialNumber (no sysfs `serial`).
    if [ -n "$serial" ]; then echo "$serial" >"$g/strings/0x409/serialnumber" || return 1; fi
    echo "$manufacturer" >"$g/strings/0x409/manufacturer" || return 1
    echo "$product" >"$g/strings/0x409/product" || return 1
    mkdir "$g/functions/midi.usb0" || return 1
    echo "$in" >"$g/functions/midi.usb0/in_ports" || return 1
    echo "$out" >"$g/functions/midi.usb0/out_ports" || return 1
    mkdir "$g/configs/c.1" || return 1
    ln -s "$g/functions/midi.usb0" "$g/configs/c.1/" || return 1
}

# The UDC a gadget is bound to (empty when unplugged).
gadget_udc() { cat "$GADGET_ROOT/$1/UDC" 2>/dev/null; }

# First UDC no gadget is bound to.
gadget_free_udc() {
    local udc used
    used=$(cat "$GADGET_ROOT"/*/UDC 2>/dev/null)
    for udc in $(ls /sys/class/udc | sort); do
        grep -qx "$udc" <<<"$used" || { echo "$udc"; return 0; }
    done
    gadget_log "no free UDC (load dummy_hcd with num=3 for three)"
    return 1
}

# The host card's sysfs path for a plugged gadget: dummy_udc.N pairs with dummy_hcd.N.
gadget_host_card_syspath() {
    local udc n c
    udc=$(gadget_udc "$1"); [ -n "$udc" ] || return 1
    n=${udc##*.}
    for c in /sys/class/sound/card*; do
        [ -e "$c" ] || continue
        case "$(readlink -f "$c")" in
            */dummy_hcd."$n"/*) readlink -f "$c"; return 0 ;;
        esac
    done
    return 1
}

gadget_host_card() {
    local p; p=$(gadget_host_card_syspath "$1") || return 1
    basename "$p" | sed 's/^card//'
}

gadget_host_card_devpath() {
    local p; p=$(gadget_host_card_syspath "$1") || return 1
    echo "${p#/sys}"
}

# The gadget side's own f_midi card (below dummy_udc.N/gadget.N, no USB parent) of a plugged
# gadget: reading its rawmidi input substream i gives what the host wrote to its output
# substream i; writing its output substream i is what the host reads on input substream i.
gadget_device_card() {
    local udc n c
    udc=$(gadget_udc "$1"); [ -n "$udc" ] || return 1
    n=${udc##*.}
    for c in /sys/class/sound/card*; do
        [ -e "$c" ] || continue
        case "$(readlink -f "$c")" in
            */dummy_udc."$n"/gadget*) basename "$c" | sed 's/^card//'; return 0 ;;
        esac
    done
    return 1
}

gadget_plug() {
    local name=$1 udc=${2:-} i p
    [ -n "$udc" ] || udc=$(gadget_free_udc) || return 1
    echo "$udc" >"$GADGET_ROOT/$name/UDC" || { gadget_log "binding $name to $udc failed"; return 1; }
    for ((i = 0; i < GADGET_TIMEOUT * 4; i++)); do
        if p=$(gadget_host_card_syspath "$name") \
            && udevadm info -q property -p "$p" 2>/dev/null | grep -qx 'SOUND_INITIALIZED=1'; then
            return 0
        fi
        sleep 0.25
    done
    gadget_log "$name on $udc: no initialised host card within ${GADGET_TIMEOUT}s"
    return 1
}

gadget_unplug() {
    local name=$1 i p
    p=$(gadget_host_card_syspath "$name")
    echo "" >"$GADGET_ROOT/$name/UDC" || { gadget_log "unbinding $name failed"; return 1; }
    [ -n "$p" ] || return 0
    for ((i = 0; i < GADGET_TIMEOUT * 4; i++)); do
        [ -e "$p" ] || { udevadm settle --timeout=10 >/dev/null 2>&1; return 0; }
        sleep 0.25
    done
    gadget_log "$name: host card $p still present ${GADGET_TIMEOUT}s after unplug"
    return 1
}

gadget_remove() {
    local name=$1 g="$GADGET_ROOT/$1"
    [ -d "$g" ] || return 0
    [ -n "$(gadget_udc "$name")" ] && gadget_unplug "$name"
    rm -f "$g/configs/c.1/midi.usb0"
    rmdir "$g/configs/c.1" "$g/functions/midi.usb0" "$g/strings/0x409" "$g"
}

# Run as a command: gadget-lib.sh <verb> ARGS… → gadget_<verb> ARGS…
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    verb=${1:?usage: gadget-lib.sh setup|create|plug|unplug|remove|host_card ARGS...}
    shift
    "gadget_$verb" "$@"
fi
