#!/usr/bin/env bash
# Costs of issue 12: `report --as-of` against `report`, and `cohort sync`
# on the example cohort against git's own time. See BENCHMARKS.md.
#
#   bench/sharing.sh [COHORTS]     default 3000
#
# COHORT_BIN, SYNTH, RUNS as for bench/run.sh; SYNCS: timed syncs [20].
set -euo pipefail

cd "$(dirname "$0")/.."
N=${1:-3000}
BIN=${COHORT_BIN:-target/release/cohort}
SYNTH=${SYNTH:-target/release/examples/synth}
RUNS=${RUNS:-7}
SYNCS=${SYNCS:-20}
export COHORT_TODAY=2026-11-22
[ -x "$BIN" ] || { echo "sharing.sh: no $BIN; build it with: cargo build --release" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
[ -x "$SYNTH" ] || cargo build --release --example synth >&2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cohort-sharing.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# 1. report --as-of: the generated cohorts span 2019 to 2026; as of
# 2025-06-01 every cohort's records are cut (rows stamped later, later
# evaluations, practicum rows and results, withdrawals left out).
"$SYNTH" --cohorts "$N" "$TMP/root" 2>/dev/null
"$BIN" --root "$TMP/root" check 2>/dev/null >/dev/null || { echo "sharing.sh: generated data has errors" >&2; exit 1; }
python3 bench/interleave.py --runs "$RUNS" \
    report="$BIN --root $TMP/root report --all --format csv" \
    asof="$BIN --root $TMP/root report --all --format csv --as-of 2025-06-01" \
    floor="find $TMP/root -type f -print0 | xargs -0 cat > /dev/null" >"$TMP/asof.txt"
report=$(awk '$1 == "report" { print $2 }' "$TMP/asof.txt")
asof=$(awk '$1 == "asof" { print $2 }' "$TMP/asof.txt")
floor=$(awk '$1 == "floor" { print $2 }' "$TMP/asof.txt")
printf '%-52s %8.1f ms\n' "read floor ($N cohorts)" "$(awk -v s="$floor" 'BEGIN { print s * 1000 }')"
printf '%-52s %8.1f ms\n' "report --all" "$(awk -v s="$report" 'BEGIN { print s * 1000 }')"
printf '%-52s %8.1f ms   %.2fx report (target <= 1.1x)\n' "report --all --as-of 2025-06-01" \
    "$(awk -v s="$asof" 'BEGIN { print s * 1000 }')" "$(awk -v a="$asof" -v b="$report" 'BEGIN { print a / b }')"

# 2. sync on the example cohort: a bare repository and one clone; each run
# records one row and syncs (commit, fetch, merge, check, push).
git init --quiet --bare -b main "$TMP/shared.git"
mkdir "$TMP/seed"
cp curriculum.toml "$TMP/seed/"
cp -r cohorts "$TMP/seed/"
printf 'cohorts/*/attendance/*.csv merge=union\ncohorts/*/practicum.csv merge=union\ncertificates.csv merge=union\n' >"$TMP/seed/.gitattributes"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.org GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.org
(cd "$TMP/seed" && git init --quiet -b main && git add . && git commit --quiet -m seed && git push --quiet "$TMP/shared.git" main)
git clone --quiet "$TMP/shared.git" "$TMP/clone"
: >"$TMP/sync.txt"
for i in $(seq "$SYNCS"); do
    mark=$([ $((i % 2)) = 0 ] && echo present || echo absent)
    (cd "$TMP/clone" && COHORT_USER=bench "$BIN" attend 2024-fall 17 --$mark p11 >/dev/null 2>&1)
    (cd "$TMP/clone" && COHORT_SYNC_TIMING=1 "$BIN" sync 2>&1 >/dev/null | grep '^sync:' >>"$TMP/sync.txt")
done
# "sync: T ms in all, G ms in git, C ms in cohort"
python3 - "$TMP/sync.txt" <<'PY'
import re, statistics, sys
rows = [list(map(float, re.findall(r"([0-9.]+) ms", l))) for l in open(sys.argv[1])]
total, git, own = (statistics.median(c) for c in zip(*rows))
print(f"{'sync on the example (median of %d)' % len(rows):<52} {total:8.1f} ms in all, {git:.1f} ms in git, {own:.1f} ms in cohort (target: cohort's part < 1000 ms)")
PY
