# Helpers for VM group scripts (sourced by Tests/vm/groups/*/run inside the guest).
#
# A group script prints one line per case:
#     PASS <name>
#     FAIL <name>: <reason>
# and nothing else is counted. Everything else it prints goes to the group's log.
# The runner prefixes names with the group name, so names need only be unique within a group.

pass() { echo "PASS $1"; }

fail() { echo "FAIL $1: $2"; }

# check NAME COMMAND...: PASS if COMMAND succeeds, else FAIL with the tail of its output.
# Each case's wall time goes to $MIDI_VM_GROUP_RESULTS/case-times ("SECONDS NAME"), which
# scripts/vm-test reads to print the slowest cases of the run.
check() {
    local name=$1; shift
    local out started=$EPOCHREALTIME
    if out=$("$@" 2>&1); then
        pass "$name"
    else
        local status=$?
        fail "$name" "exit $status: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"
    fi
    case_took "$name" "$started"
}

# case_took NAME STARTED: records NAME's wall time since STARTED (an $EPOCHREALTIME).
case_took() {
    [ -n "${MIDI_VM_GROUP_RESULTS:-}" ] || return 0
    awk -v a="$2" -v b="$EPOCHREALTIME" -v n="$1" 'BEGIN { printf "%.1f %s\n", b - a, n }' \
        >>"$MIDI_VM_GROUP_RESULTS/case-times"
}

# swift_tests PREFIX FILTER: runs the package's Swift Testing tests whose id matches FILTER
# (a regular expression, e.g. 'ALSASequencerTests\.'), and prints one PASS/FAIL line per test,
# named PREFIX/<Suite>.<test>. In the VM the kernel is there, so a skipped test is a FAIL.
swift_tests() {
    local prefix=$1 filter=$2
    local work="$MIDI_VM_GROUP_RESULTS/$prefix" started=$EPOCHREALTIME
    mkdir -p "$work"
    if [ ! -x "$MIDI_VM_TEST_BINARY" ]; then
        fail "$prefix" "test binary $MIDI_VM_TEST_BINARY missing (was the package built?)"
        return
    fi
    # The tree is read-only here: run from a writable directory, results to the shared one.
    (cd /tmp && "$MIDI_VM_TEST_BINARY" --testing-library swift-testing \
        --filter "$filter" --xunit-output "$work/xunit.xml") >"$work/output.log" 2>&1
    local status=$?
    echo "swift tests ($filter) exited $status; output in $work/output.log"
    python3 "$MIDI_VM_SUITE/swift-testing-results.py" "$work/xunit.xml" "$prefix" "$status" \
        --skipped-is-failure --log "$work/output.log"
    case_took "$prefix (swift tests)" "$started"
}
