#!/bin/sh
# Instructions `report --all --format csv` executes on 100 generated
# cohorts, counted by cachegrind: a figure the load of a shared machine
# does not move, for before/after comparisons of one change (BENCHMARKS.md,
# "The practicum pass row by row"). Each build given is run on the same
# data, and its CSV output compared with the first's: a change that saves
# instructions must not change a byte of the report.
#
#   cargo build --release && cargo build --release --example synth
#   bench/instructions.sh                         # this build
#   bench/instructions.sh OLD/cohort target/release/cohort
#
# Needs valgrind (Debian: apt-get install valgrind).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
synth=$here/target/release/examples/synth
cohorts=${COHORTS:-100}
export COHORT_TODAY=2026-11-22 NO_COLOR=1
[ $# -gt 0 ] || set -- "$here/target/release/cohort"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$synth" --cohorts "$cohorts" --today "$COHORT_TODAY" "$tmp/root" > /dev/null 2>&1

first=""
for bin in "$@"; do
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$bin" --root "$tmp/root" report --all --format csv \
        > "$tmp/out.csv" 2> "$tmp/err" || true
    refs=$(sed -n 's/.*I *refs: *//p' "$tmp/err")
    same=""
    if [ -z "$first" ]; then
        first=$tmp/first.csv
        cp "$tmp/out.csv" "$first"
    elif cmp -s "$first" "$tmp/out.csv"; then
        same="  (output the same as the first's)"
    else
        same="  (output DIFFERS from the first's)"
    fi
    echo "$bin: $refs instructions$same"
done
