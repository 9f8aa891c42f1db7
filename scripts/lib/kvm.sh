# Shared by scripts/vm-test and scripts/bench: whether a VM guest of this machine may use KVM.
# Source it; do not run it. Callers set `kernel` (the guest kernel image), `repo`, and may set
# `vm_flags`/`qemu_opts` (arrays, the boot's own vng options) and `say` (a message function).
#
# KVM only when a guest really boots with it. A /dev/kvm that opens proves little: on one
# machine of this kind qemu aborts at once ("failed to set MSR 0x10a"), on another a KVM guest
# ran and never printed a line, so a 30-minute suite limit was spent on nothing. So boot the
# real thing (`vng --exec`, same kernel and options as the suite) with a short limit, and use
# KVM only if it answered. The answer is cached for this boot of the host (boot_id), machine-
# wide in /run, so it is paid once. MIDI_VM_KVM=0/1 (--no-kvm/--kvm) skips the probe.
probe_limit=${MIDI_VM_KVM_PROBE_TIMEOUT:-60}
declare -F say >/dev/null || say() { echo "$*" >&2; }
kvm_probe() {  # sets kvm_ok (1/0) and kvm_why
    kvm_ok=0
    if [ ! -e /dev/kvm ]; then kvm_why="no /dev/kvm"; return; fi
    if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ]; then kvm_why="/dev/kvm is not readable and writable for $(id -un)"; return; fi
    local key cache_dir cache out status
    key="$(cat /proc/sys/kernel/random/boot_id 2>/dev/null) $kernel ${MIDI_VM_QEMU_OPTS:-}"
    cache_dir=/run/midi-services
    mkdir -p "$cache_dir" 2>/dev/null && [ -w "$cache_dir" ] || cache_dir="${repo:-.}/.build"
    cache="$cache_dir/vm-kvm-probe"
    if [ -f "$cache" ] && [ "$(sed -n 1p "$cache")" = "$key" ]; then
        kvm_ok=$(sed -n 2p "$cache"); kvm_why="$(sed -n 3p "$cache") (cached for this boot in $cache)"
        return
    fi
    say "probing KVM: vng --exec true with KVM, at most ${probe_limit}s"
    local t0=$SECONDS
    out=$(cd /tmp && timeout --kill-after=5 "$probe_limit" vng --run "$kernel" "${vm_flags[@]+"${vm_flags[@]}"}" "${qemu_opts[@]+"${qemu_opts[@]}"}" \
        --exec 'echo midi-vm-kvm-probe-ok' </dev/null 2>&1)
    status=$?
    if [ "$status" = 0 ] && grep -q midi-vm-kvm-probe-ok <<<"$out"; then
        kvm_ok=1; kvm_why="a KVM guest booted and answered in $((SECONDS - t0)) s"
    elif [ "$status" = 124 ] || [ "$status" = 137 ]; then
        kvm_why="a KVM guest printed nothing within ${probe_limit} s (hung; killed)"
    else
        kvm_why="the KVM probe boot failed (exit $status): $(grep -v '^$' <<<"$out" | tail -n 2 | tr '\n' ' ' | cut -c1-200)"
    fi
    printf '%s\n%s\n%s\n' "$key" "$kvm_ok" "$kvm_why" >"$cache" 2>/dev/null
}
remember_kvm_hang() {  # the suite's KVM boot hung although the probe passed: TCG from now on
    local cache
    for cache in /run/midi-services/vm-kvm-probe "${repo:-.}/.build/vm-kvm-probe"; do
        [ -f "$cache" ] && sed -i '2s/.*/0/;3s/.*/a KVM guest did not start the suite (boot watchdog)/' "$cache"
    done
}
# kvm_choose: sets kvm_flags (vng options) and kvm_text (why) from MIDI_VM_KVM (0/1 force, else
# the probe) — the one decision, for every boot.
kvm_choose() {
    case "${1:-${MIDI_VM_KVM:-auto}}" in
        1) kvm_flags=(); kvm_text="KVM (forced)" ;;
        0) kvm_flags=(--disable-kvm); kvm_text="TCG software emulation (forced)" ;;
        *) kvm_probe
           if [ "$kvm_ok" = 1 ]; then
               kvm_flags=(); kvm_text="KVM ($kvm_why)"
           else
               kvm_flags=(--disable-kvm); kvm_text="TCG software emulation, because $kvm_why"
           fi ;;
    esac
}
