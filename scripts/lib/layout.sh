# Where an installation puts each file: the one definition scripts/install, scripts/uninstall,
# scripts/package and scripts/run share (docs/install.md lists it). Source it after setting
# SCOPE (system, the default, or user), PREFIX and DESTDIR (all optional); it sets the
# variables below. Every path is without DESTDIR.
SCOPE=${SCOPE:-system}
DESTDIR=${DESTDIR:-}
DESTDIR=${DESTDIR%/}
# A per-user installation (scripts/install --user): no root, nothing outside the home
# directory, the user units only; the XDG base directories are where systemd --user,
# bash-completion, fish and man look.
XDG_DATA_HOME_DIR=${XDG_DATA_HOME:-$HOME/.local/share}
XDG_CONFIG_HOME_DIR=${XDG_CONFIG_HOME:-$HOME/.config}
if [ "$SCOPE" = user ]; then
    PREFIX=${PREFIX:-$HOME/.local}
else
    PREFIX=${PREFIX:-/usr/local}
fi
PREFIX=${PREFIX%/}

BINDIR=$PREFIX/bin
MANDIR=$PREFIX/share/man
DATADIR=$PREFIX/share/midi-services
if [ "$SCOPE" = user ]; then
    # systemd --user reads $XDG_DATA_HOME/systemd/user, never $PREFIX/lib.
    SYSTEMD_USER_UNIT_DIR=${SYSTEMD_USER_UNIT_DIR:-$XDG_DATA_HOME_DIR/systemd/user}
    BASH_COMPLETION_DIR=$XDG_DATA_HOME_DIR/bash-completion/completions
    ZSH_COMPLETION_DIR=$XDG_DATA_HOME_DIR/zsh/site-functions
    FISH_COMPLETION_DIR=$XDG_DATA_HOME_DIR/fish/vendor_completions.d
else
    # systemd reads /usr/lib/systemd/{system,user} and /usr/local/lib/systemd/{system,user} alike.
    SYSTEMD_SYSTEM_UNIT_DIR=${SYSTEMD_SYSTEM_UNIT_DIR:-$PREFIX/lib/systemd/system}
    SYSTEMD_USER_UNIT_DIR=${SYSTEMD_USER_UNIT_DIR:-$PREFIX/lib/systemd/user}
    SYSUSERS_DIR=${SYSUSERS_DIR:-$PREFIX/lib/sysusers.d}
    # udev reads rules from /usr/lib/udev/rules.d (packages) and /etc/udev/rules.d (the admin),
    # never from /usr/local: a /usr/local install puts its rules where the admin's go.
    if [ -z "${UDEV_RULES_DIR:-}" ]; then
        if [ "$PREFIX" = /usr ]; then UDEV_RULES_DIR=/usr/lib/udev/rules.d; else UDEV_RULES_DIR=/etc/udev/rules.d; fi
    fi
    # zsh: Debian's packages use vendor-completions; zsh's own default fpath has site-functions
    # under /usr/local.
    BASH_COMPLETION_DIR=$PREFIX/share/bash-completion/completions
    if [ "$PREFIX" = /usr ]; then ZSH_COMPLETION_DIR=$PREFIX/share/zsh/vendor-completions; else ZSH_COMPLETION_DIR=$PREFIX/share/zsh/site-functions; fi
    FISH_COMPLETION_DIR=$PREFIX/share/fish/vendor_completions.d
fi
# The daemon's own paths (docs/daemon.md, "Paths"): for the system daemon made by systemd from
# the unit; for a user daemon, the configuration scripts/install --user creates.
SYSCONF_DIR=/etc/midi-services
STATE_DIR=/var/lib/midi-services
USER_CONFIG_DIR=$XDG_CONFIG_HOME_DIR/midi-services
USER_STATE_DIR=${XDG_STATE_HOME:-$HOME/.local/state}/midi-services
# The service user and group.
SERVICE_USER=midisrv

# installed_files: every file an installation owns, one per line, without DESTDIR.
installed_files() {
    echo "$BINDIR/midisrv"
    echo "$BINDIR/midi"
    if [ "$SCOPE" != user ]; then
        echo "$SYSTEMD_SYSTEM_UNIT_DIR/midisrv.service"
        echo "$SYSTEMD_SYSTEM_UNIT_DIR/midisrv.socket"
    fi
    echo "$SYSTEMD_USER_UNIT_DIR/midisrv.service"
    echo "$SYSTEMD_USER_UNIT_DIR/midisrv.socket"
    if [ "$SCOPE" != user ]; then
        echo "$SYSUSERS_DIR/midi-services.conf"
        echo "$UDEV_RULES_DIR/70-midi-services.rules"
    fi
    cat <<LIST
$MANDIR/man8/midisrv.8
$MANDIR/man1/midi.1
$BASH_COMPLETION_DIR/midi
$BASH_COMPLETION_DIR/midisrv
$ZSH_COMPLETION_DIR/_midi
$ZSH_COMPLETION_DIR/_midisrv
$FISH_COMPLETION_DIR/midi.fish
$FISH_COMPLETION_DIR/midisrv.fish
$DATADIR/default.midiconfig.json
LIST
}
