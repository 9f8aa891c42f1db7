# Shared by scripts/run, scripts/test, scripts/vm-test, scripts/bench, scripts/fresh-test: install
# what is missing, quickly and idempotently, on a fresh Debian 12 machine. Source it; do not run
# it. Everything a script uses that a new machine lacks is installed here (scripts/fresh-test
# checks that in a minimal Debian root).

# need_apt PKG... : install the Debian packages that are not installed yet. Fails if apt does.
need_apt() {
    # One dpkg-query for all of them (this is the whole cost when everything is installed).
    local missing=() installed pkg
    installed=" $(dpkg-query -W -f='${Package}:${Status}\n' "$@" 2>/dev/null \
        | sed -n 's/^\([^:]*\):install ok installed$/\1/p' | tr '\n' ' ') "
    for pkg in "$@"; do
        case "$installed ${missing[*]} " in *" $pkg "*) continue ;; esac
        missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    # Non-interactive throughout: no debconf questions, keep existing configuration files, and
    # wait (up to 10 min) for another apt run's lock instead of failing at once.
    local apt=(apt-get -q -o DPkg::Lock::Timeout=600 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    $sudo env DEBIAN_FRONTEND=noninteractive "${apt[@]}" update -qq >&2 || {
        echo "setup: apt-get update failed" >&2; return 1; }
    $sudo env DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y -qq --no-install-recommends "${missing[@]}" >&2 || {
        echo "setup: apt-get install ${missing[*]} failed" >&2; return 1; }
}

# need_venv : the project's Python tools (scripts/lib/python-requirements.txt, pinned) in a
# virtual environment of the project's own, .build/venv, put first on PATH. Made with Debian's
# python3 and python3-venv; remade when the requirements file changes. Nothing goes into the
# machine's Python, so what someone installed there before does not matter.
need_venv() {
    local top req venv stamp want
    top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
    req="$top/scripts/lib/python-requirements.txt"
    venv="$top/.build/venv"
    stamp="$venv/requirements.sha256"
    want=$(sha256sum <"$req" | cut -d' ' -f1)
    if [ ! -x "$venv/bin/python3" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        need_apt python3 python3-venv || return 1
        echo "setup: making the Python virtual environment $venv: $(grep -v '^#' "$req" | tr '\n' ' ')" >&2
        rm -rf "$venv"
        /usr/bin/python3 -m venv "$venv" >&2 || { echo "setup: python3 -m venv $venv failed" >&2; return 1; }
        "$venv/bin/python3" -m pip install --quiet --disable-pip-version-check -r "$req" >&2 || {
            echo "setup: pip install -r $req into $venv failed" >&2; return 1; }
        echo "$want" >"$stamp"
    fi
    case ":$PATH:" in *":$venv/bin:"*) ;; *) export PATH="$venv/bin:$PATH" ;; esac
    hash -r
}

# need_swift : Swift is not in Debian; the machine must have a toolchain on PATH.
need_swift() {
    if ! command -v swift >/dev/null 2>&1; then
        for d in /opt/swift/usr/bin /opt/swift/bin; do [ -x "$d/swift" ] && export PATH="$d:$PATH"; done
    fi
    command -v swift >/dev/null 2>&1 || {
        echo "setup: no Swift toolchain on PATH; install Swift 6 from https://swift.org/install" >&2
        return 1
    }
}

# Build-time libraries for the CALSA/CUdev system library targets, and the C compiler of the
# allocation-counting shim (Tests/support/malloc_count.c).
BUILD_PACKAGES=(pkg-config libasound2-dev libudev-dev gcc)

# The install tier (Tests/install/run): systemd-analyze for the units, man for the man pages,
# dpkg-deb/fakeroot/lintian for the package, debootstrap for the root it is installed into,
# strip (binutils) for the packaged binaries. scripts/test installs these together with
# every other tier's packages, in one apt run: the kernel's initramfs and man-db's index are
# then rebuilt once, not once per tier.
INSTALL_PACKAGES=(systemd man-db debootstrap lintian dpkg-dev fakeroot binutils)

# The VM tier (scripts/vm-test, scripts/bench --vm): qemu, a Debian kernel with its modules,
# a static busybox for virtme-ng's initramfs (it checks that with `file`, and fails without it),
# and what the guest runs from the shared root — modprobe (kmod), udevd/udevadm (udev),
# alsa-utils, python3-rtmidi, ps/pgrep (procps); PipeWire with WirePlumber and a session bus
# for the usb-pipewire group (pipewire-bin: pw-link, pw-dump; dbus-daemon: dbus-run-session and
# the daemon it starts, with dbus-session-bus-common's session.conf — dbus-bin has neither, and a
# fresh root with only dbus-bin failed all of usb-pipewire).
VM_PACKAGES=(qemu-system-x86 linux-image-amd64 busybox-static file kmod udev alsa-utils python3-rtmidi procps
             pipewire wireplumber pipewire-bin dbus-daemon)

# need_vm_tools : everything the VM tier needs, virtme-ng (vng) included.
need_vm_tools() {
    need_apt "${VM_PACKAGES[@]}" || return 1
    need_venv || return 1
    command -v vng >/dev/null 2>&1 || { echo "setup: vng is not on PATH after need_venv" >&2; return 1; }
}
