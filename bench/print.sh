#!/usr/bin/env bash
# Printing at program scale: at least 1,000 certificates, one PDF each, and
# the same as one merged file; and publishing them (600,000 PBKDF2 rounds
# per certificate). See BENCHMARKS.md ("Certificates").
#
#   bench/print.sh [COHORTS]     default 63 (1,014 certificates)
#
# Environment: COHORT_BIN, SYNTH as for bench/run.sh; RUNS timed runs [3].
set -euo pipefail

cd "$(dirname "$0")/.."
N=${1:-63}
BIN=${COHORT_BIN:-target/release/cohort}
SYNTH=${SYNTH:-target/release/examples/synth}
RUNS=${RUNS:-3}
export COHORT_TODAY=2026-11-22
export COHORT_USER=bench

[ -x "$BIN" ] || { echo "print.sh: no $BIN; build it with: cargo build --release" >&2; exit 2; }
[ -x "$SYNTH" ] || cargo build --release --example synth >&2
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cohort-print.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

"$SYNTH" --cohorts "$N" "$TMP/root" 2>/dev/null
# The generator writes the shipped curriculum.toml, [certificate] included.
grep -q '^verify_url' "$TMP/root/curriculum.toml" || { echo "print.sh: the curriculum has no verify_url" >&2; exit 2; }
"$BIN" --root "$TMP/root" print --write-template 2>/dev/null
"$BIN" --root "$TMP/root" issue --all >/dev/null 2>"$TMP/issue.err" || { tail "$TMP/issue.err" >&2; exit 1; }
CERTS=$("$BIN" --root "$TMP/root" export --all 2>/dev/null | tail -n +2 | wc -l)
echo "print.sh: $N cohorts, $CERTS issued certificates; $(nproc) cores"
[ "$CERTS" -ge 1000 ] || { echo "print.sh: fewer than 1,000 certificates; give more cohorts" >&2; exit 2; }

best() { sort -n | head -1; }
timed() { # timed LABEL CMD...: the best of RUNS wall-clock times, in seconds
    local label=$1; shift
    local t
    t=$(for _ in $(seq "$RUNS"); do
        rm -rf "$TMP/out" "$TMP/site"
        local s e
        s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
        awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f\n", e - s }'
    done | best)
    echo "$label: $t s (best of $RUNS)"
}
timed "print --all (one PDF each)" "$BIN" --root "$TMP/root" print --all --out "$TMP/out"
echo "  $(find "$TMP/out" -name '*.pdf' | wc -l) files, $(du -sm "$TMP/out" | cut -f1) MB"
timed "print --all --merge (one file)" "$BIN" --root "$TMP/root" print --all --merge --out "$TMP/out"
echo "  $(du -sm "$TMP/out/certificates.pdf" | cut -f1) MB"
# One run: it is slow by design. User time over certificates gives the cost
# of one PBKDF2 on one core.
rm -rf "$TMP/site"
/usr/bin/time -f "%e %U" -o "$TMP/publish.time" "$BIN" --root "$TMP/root" publish "$TMP/site" 2>/dev/null
read -r wall user < "$TMP/publish.time"
echo "publish (PBKDF2, 600,000 rounds each): $wall s wall, $user s CPU; $(awk -v u="$user" -v n="$CERTS" 'BEGIN { printf "%.0f ms CPU per certificate, %.1f hashes per second per core", 1000 * u / n, n / u }')"
