#!/usr/bin/env bash
# The planning commands against `report --all`, side by side; see BENCHMARKS.md.
#
#   bench/plan.sh [COHORTS]          default 3000
#
# Environment: COHORT_BIN, SYNTH, RUNS [5], BENCH_TMP, as bench/run.sh.
# Every command runs round-robin with the others (bench/interleave.py) and
# is reported as a ratio of medians to `report --all --format csv`; the
# target is 1.5x. A missed target is reported, not fatal. `site` is timed
# twice: into a new folder each run, and over the pages of the last run
# (replacing a file costs the file system more than creating one).
set -euo pipefail

cd "$(dirname "$0")/.."
N=${1:-3000}
BIN=${COHORT_BIN:-target/release/cohort}
SYNTH=${SYNTH:-target/release/examples/synth}
RUNS=${RUNS:-5}
export COHORT_TODAY=2026-11-22

[ -x "$BIN" ] || { echo "plan.sh: no $BIN; build it with: cargo build --release" >&2; exit 2; }
[ -x "$SYNTH" ] || cargo build --release --example synth >&2
TMP=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/cohort-plan.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
ROOT=$TMP/root
"$SYNTH" --cohorts "$N" "$ROOT" 2>/dev/null
echo "data: $N cohorts, $(find "$ROOT" -type f | wc -l) files"

# Each command must succeed (interleave.py stops on a failure), and the site
# must hold a page per cohort.
"$BIN" --root "$ROOT" site "$TMP/site" 2>/dev/null
pages=$(find "$TMP/site" -name '*.html' | wc -l)
[ "$pages" -eq $((N + 1)) ] || { echo "plan.sh: site wrote $pages pages, not $((N + 1))" >&2; exit 1; }

python3 bench/interleave.py --runs "$RUNS" \
    report="$BIN --root $ROOT report --all --format csv" \
    makeups="$BIN --root $ROOT makeups --all --format csv" \
    stats="$BIN --root $ROOT stats --all --by cohort" \
    site_new="$BIN --root $ROOT site \$(mktemp -d -p $TMP)" \
    site_again="$BIN --root $ROOT site $TMP/site" >"$TMP/times.txt"

median() { awk -v n="$1" '$1 == n { print $2 }' "$TMP/times.txt"; }
report=$(median report)
printf '%-36s %10s %8s %8s  %s\n' "measure ($N cohorts, $RUNS runs)" "median" "ratio" "target" "verdict"
printf '%-36s %9.2fs\n' "report --all --format csv" "$report"
for name in makeups stats site_new site_again; do
    t=$(median "$name")
    awk -v n="$name" -v t="$t" -v r="$report" 'BEGIN {
        label = (n == "makeups") ? "makeups --all --format csv" : (n == "stats") ? "stats --all --by cohort" : (n == "site_new") ? "site DIR, a new folder" : "site DIR, over the last site"
        ratio = t / r
        printf "%-36s %9.2fs %7.2fx %8s  %s\n", label, t, ratio, "<= 1.5x", (ratio <= 1.5) ? "ok" : "MISSED"
    }'
done
