#!/usr/bin/env bash
# A ~30-second smoke test of the benchmark setup, for CI:
#
#   bench/ci-smoke.sh          (COHORT_BIN, SYNTH as for bench/run.sh)
#
# Generates 30 cohorts twice with one seed (the files must be identical),
# checks them (0 errors), and compares `cohort report --all --format csv`
# with bench/reference.py on the example cohort and on the 30 cohorts. It
# prints a few timings for information; it fails only on a correctness
# mismatch, never on a slow run.
set -euo pipefail

cd "$(dirname "$0")/.."
BIN=${COHORT_BIN:-target/release/cohort}
SYNTH=${SYNTH:-target/release/examples/synth}
export COHORT_TODAY=2026-11-22

[ -x "$BIN" ] || { echo "ci-smoke: no $BIN; build it with: cargo build --release" >&2; exit 2; }
[ -x "$SYNTH" ] || cargo build --release --example synth >&2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cohort-smoke.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fail() { echo "ci-smoke: FAIL: $*" >&2; exit 1; }

"$SYNTH" --cohorts 30 --seed 7 "$TMP/a" 2>/dev/null
"$SYNTH" --cohorts 30 --seed 7 "$TMP/b" 2>/dev/null
diff -r "$TMP/a" "$TMP/b" >/dev/null || fail "the same seed wrote different files"
echo "ci-smoke: the generator is reproducible (30 cohorts, seed 7, $(find "$TMP/a" -type f | wc -l) files)"

"$BIN" --root "$TMP/a" check 2>"$TMP/check.err" >/dev/null || { tail -20 "$TMP/check.err" >&2; fail "cohort check found errors in generated data"; }
echo "ci-smoke: $(tail -1 "$TMP/check.err")"

for root in . "$TMP/a"; do
    "$BIN" --root "$root" report --all --format csv >"$TMP/rust.csv" 2>/dev/null || fail "report failed on $root"
    python3 bench/reference.py --root "$root" >"$TMP/python.csv" || fail "reference.py failed on $root"
    python3 bench/compare.py "$TMP/rust.csv" "$TMP/python.csv" || fail "Rust and Python outcomes differ on $root"
done
# As the records stood mid-cohort and on the way to certification: the
# example's dates, and dates spread over the generated cohorts' years.
for as_of in 2024-09-20 2024-10-09 2024-11-05 2025-01-15; do
    "$BIN" report 2024-fall --as-of $as_of --format csv >"$TMP/rust.csv" 2>/dev/null || fail "report --as-of $as_of failed"
    python3 bench/reference.py --as-of $as_of | awk -F, 'NR == 1 || $1 == "2024-fall"' >"$TMP/python.csv" || fail "reference.py --as-of $as_of failed"
    python3 bench/compare.py "$TMP/rust.csv" "$TMP/python.csv" || fail "Rust and Python outcomes differ as of $as_of"
done
for as_of in 2023-03-01 2024-06-15 2025-10-01 2026-05-20; do
    "$BIN" --root "$TMP/a" report --all --as-of $as_of --format csv >"$TMP/rust.csv" 2>/dev/null || fail "report --as-of $as_of failed on generated data"
    python3 bench/reference.py --root "$TMP/a" --as-of $as_of >"$TMP/python.csv" || fail "reference.py --as-of $as_of failed"
    python3 bench/compare.py "$TMP/rust.csv" "$TMP/python.csv" || fail "Rust and Python outcomes differ as of $as_of on generated data"
done
echo "ci-smoke: Rust and Python agree as the records stood on 8 earlier dates"
# Every outcome occurs, or the comparison proves little.
for outcome in Incomplete "Level 1" "Level 1R" Certified; do
    grep -q ",$outcome," "$TMP/rust.csv" || fail "no participant is $outcome in the generated data"
done

echo "ci-smoke: timings, for information only (medians of 3, interleaved):"
python3 bench/interleave.py --runs 3 \
    floor="find $TMP/a -type f -print0 | xargs -0 cat > /dev/null" \
    report="$BIN --root $TMP/a report --all --format csv" \
    check="$BIN --root $TMP/a check" \
    python="python3 bench/reference.py --root $TMP/a" | sed 's/^/  /'
echo "ci-smoke: ok"
