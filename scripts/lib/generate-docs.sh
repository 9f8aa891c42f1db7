#!/bin/bash
# generate-docs.sh BINDIR OUTDIR - man pages and shell completions generated from the
# argument-parser definitions of the built midisrv and midi in BINDIR, so they cannot drift
# from `--help`:
#   OUTDIR/man/midisrv.8, OUTDIR/man/midi.1      swift-argument-parser's generate-manual tool
#                                                (built here from the package's dependency)
#   OUTDIR/completions/{bash,zsh,fish}/...       `<tool> --generate-completion-script <shell>`
# The man pages are dated from VERSION's last commit (or SOURCE_DATE_EPOCH), so building the
# same tree twice gives the same bytes.
set -euo pipefail
bindir=$1
out=$2
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

for tool in midisrv midi; do
    [ -x "$bindir/$tool" ] || { echo "generate-docs: $bindir/$tool is not built" >&2; exit 1; }
done
mkdir -p "$out/man" "$out/completions/bash" "$out/completions/zsh" "$out/completions/fish"

# Completions. The scripts call `midi ---completion ...` for endpoint arguments, which asks the
# running daemon for its endpoints' short ids.
for tool in midisrv midi; do
    # bash-completion sources the file: no "#!" line (lintian: bash-completion-with-hashbang).
    "$bindir/$tool" --generate-completion-script bash | sed '1{/^#!/d}' >"$out/completions/bash/$tool"
    "$bindir/$tool" --generate-completion-script zsh >"$out/completions/zsh/_$tool"
    "$bindir/$tool" --generate-completion-script fish >"$out/completions/fish/$tool.fish"
done

# Man pages: the generate-manual tool reads `<tool> --experimental-dump-help`.
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct -- VERSION 2>/dev/null || true)
    [ -n "$SOURCE_DATE_EPOCH" ] || SOURCE_DATE_EPOCH=$(stat -c %Y VERSION)
fi
date=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)
swift build -c release --product generate-manual >&2
generator="$(swift build -c release --show-bin-path)/generate-manual"
authors=(--authors "MIDI Services for Linux contributors")
"$generator" "$bindir/midisrv" --section 8 --date "$date" "${authors[@]}" --output-directory "$out/man"
"$generator" "$bindir/midi" --section 1 --date "$date" "${authors[@]}" --output-directory "$out/man"
for page in "$out/man/midisrv.8" "$out/man/midi.1"; do
    [ -s "$page" ] || { echo "generate-docs: generate-manual wrote no $page" >&2; exit 1; }
    # generate-manual copies the blank lines of a command's discussion; mdoc forbids empty
    # input lines (man --warnings reports each), and the paragraphs read the same without them.
    sed -i '/^[[:space:]]*$/d' "$page"
done
