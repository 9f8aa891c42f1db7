# Shared by scripts/run, scripts/test, scripts/vm-test, scripts/bench: install what is missing,
# quickly and idempotently, on a fresh Debian 12 machine. Source it; do not run it.

# need_apt PKG... : install the Debian packages that are not installed yet.
need_apt() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# need_pip MODULE_COMMAND PACKAGE : install a PyPI package when its command is missing.
need_pip() {
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "setup: installing $2 from PyPI" >&2
    python3 -m pip install --quiet "$2" >&2 || python3 -m pip install --quiet --break-system-packages "$2" >&2
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

# Build-time libraries for the CALSA/CUdev system library targets.
BUILD_PACKAGES=(pkg-config libasound2-dev libudev-dev)
