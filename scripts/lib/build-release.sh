#!/bin/sh
# build-release.sh - the binaries that get installed or packaged: release, with the Swift
# standard library and Foundation linked in (--static-swift-stdlib), so they run on a machine
# without the Swift toolchain. Needs only libasound2 and libudev1 there.
set -eu
cd "$(dirname "$0")/../.."
for product in midisrv midi; do
    swift build -c release --static-swift-stdlib --product "$product" >&2
done
