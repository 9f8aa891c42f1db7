#!/bin/sh
# service-setup.sh - what a system installation sets up besides its files, defined once for
# scripts/install, scripts/uninstall and the .deb's maintainer scripts (scripts/package copies
# the functions between the two "functions" marks into postinst and postrm):
#
#   service-setup.sh configure EXAMPLE   the user midisrv (group audio), /etc/midi-services
#                                        (root:midisrv 2775) with EXAMPLE copied in as the
#                                        configuration when there is none; reload systemd, udev
#   service-setup.sh purge               remove the configuration, the state and the user
#
# POSIX sh: it runs in maintainer scripts. Why the configuration is not a conffile:
# docs/systemd.md ("Where --persist writes").
set -eu

# --- functions ---------------------------------------------------------------------------
MIDI_SERVICES_USER=midisrv
MIDI_SERVICES_CONFIG_DIR=/etc/midi-services
MIDI_SERVICES_CONFIG=/etc/midi-services/default.midiconfig.json
MIDI_SERVICES_STATE_DIR=/var/lib/midi-services

# The system user: systemd-sysusers with the installed sysusers.d entry where systemd is there,
# else the same with useradd (package passwd, always installed).
midi_services_create_user() {
    if command -v systemd-sysusers >/dev/null 2>&1 && [ -e "${1:-/usr/lib/sysusers.d/midi-services.conf}" ]; then
        systemd-sysusers "${1:-/usr/lib/sysusers.d/midi-services.conf}"
    fi
    if ! getent group "$MIDI_SERVICES_USER" >/dev/null; then
        groupadd --system "$MIDI_SERVICES_USER"
    fi
    if ! getent passwd "$MIDI_SERVICES_USER" >/dev/null; then
        useradd --system --gid "$MIDI_SERVICES_USER" --home-dir "$MIDI_SERVICES_STATE_DIR" --no-create-home \
            --shell /usr/sbin/nologin --comment "MIDI Services daemon" "$MIDI_SERVICES_USER"
    fi
    if getent group audio >/dev/null && ! id -nG "$MIDI_SERVICES_USER" | tr ' ' '\n' | grep -qx audio; then
        usermod --append --groups audio "$MIDI_SERVICES_USER"
    fi
}

# The configuration: the admin's file and the daemon's (`midi loopback create --persist` writes
# it), created once from the example and never replaced afterwards.
midi_services_prepare_config() {
    install -d -o root -g "$MIDI_SERVICES_USER" -m 2775 "$MIDI_SERVICES_CONFIG_DIR"
    if [ ! -e "$MIDI_SERVICES_CONFIG" ] && [ -e "$1" ]; then
        install -o root -g "$MIDI_SERVICES_USER" -m 0664 "$1" "$MIDI_SERVICES_CONFIG"
    fi
}

# Apply the udev rules to sound devices present now (plugged in before the install).
midi_services_reload_udev() {
    if [ -S /run/udev/control ] && command -v udevadm >/dev/null 2>&1; then
        udevadm control --reload || true
        udevadm trigger --subsystem-match=sound --action=change || true
    fi
}

midi_services_purge() {
    rm -rf "$MIDI_SERVICES_CONFIG_DIR" "$MIDI_SERVICES_STATE_DIR"
}
# --- end of functions --------------------------------------------------------------------

case "${1:-}" in
    configure)
        [ $# -ge 2 ] || { echo "service-setup.sh configure EXAMPLE" >&2; exit 2; }
        sysusers=${SYSUSERS_FILE:-/usr/lib/sysusers.d/midi-services.conf}
        midi_services_create_user "$sysusers"
        midi_services_prepare_config "$2"
        if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
        midi_services_reload_udev
        echo "service-setup: user $MIDI_SERVICES_USER ($(id -nG "$MIDI_SERVICES_USER")), configuration $MIDI_SERVICES_CONFIG"
        ;;
    purge)
        midi_services_purge
        if getent passwd "$MIDI_SERVICES_USER" >/dev/null; then userdel "$MIDI_SERVICES_USER"; fi
        if getent group "$MIDI_SERVICES_USER" >/dev/null; then groupdel "$MIDI_SERVICES_USER" 2>/dev/null || true; fi
        echo "service-setup: removed $MIDI_SERVICES_CONFIG_DIR, $MIDI_SERVICES_STATE_DIR and the user $MIDI_SERVICES_USER"
        ;;
    functions) ;;   # sourced for its functions
    *) echo "usage: service-setup.sh configure EXAMPLE | purge" >&2; exit 2 ;;
esac
