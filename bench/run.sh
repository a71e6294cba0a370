#!/usr/bin/env bash
# Program-scale benchmarks of `cohort`; see BENCHMARKS.md.
#
#   bench/run.sh [COHORTS]          default 3000 (about 57,000 files)
#
# Environment:
#   COHORT_BIN   the binary to measure      [target/release/cohort]
#   SYNTH        the generator              [target/release/examples/synth]
#   RUNS         timed runs of each command [5]
#   PY_RUNS      runs of the Python baseline, which is slow [3]
#   ATTEND_RUNS  runs of each attend variant [30]
#   SCALING      sizes of the scaling table, "" to skip [1 30 300 3000]
#   BENCH_TMP    where the temporary data roots go [$TMPDIR or /tmp]
#
# Every comparison runs in one process, interleaved round-robin (this machine
# is shared and noisy), and is reported as a ratio of medians. Targets are
# printed next to each figure; a missed target is reported, not fatal. The
# script fails (exit 1) only when the Rust and Python outcomes disagree.
set -euo pipefail

cd "$(dirname "$0")/.."
N=${1:-3000}
BIN=${COHORT_BIN:-target/release/cohort}
SYNTH=${SYNTH:-target/release/examples/synth}
RUNS=${RUNS:-5}
PY_RUNS=${PY_RUNS:-3}
ATTEND_RUNS=${ATTEND_RUNS:-30}
SCALING=${SCALING-1 30 300 3000}
# The generator dates nothing after this day; cohort must look from it too.
export COHORT_TODAY=2026-11-22
export COHORT_USER=bench

[ -x "$BIN" ] || { echo "run.sh: no $BIN; build it with: cargo build --release" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
if [ ! -x "$SYNTH" ]; then
    echo "run.sh: building the generator (cargo build --release --example synth)" >&2
    cargo build --release --example synth >&2
fi
TMP=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/cohort-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

interleave() { python3 bench/interleave.py "$@"; }
median() { awk -v n="$1" '$1 == n { print $2 }' "$2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# verdict VALUE OP LIMIT: "ok" or "MISSED"
verdict() { awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { ok = (op == "<=") ? v <= l : (op == ">=") ? v >= l : v < l; print ok ? "ok" : "MISSED" }'; }
secs() { awk -v s="$1" 'BEGIN { if (s < 0.1) printf "%.1f ms", s * 1000; else printf "%.2f s", s }'; }
maxrss_mb() { # peak resident memory of one run, in MB (needs GNU time)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }'
    else
        echo "n/a"
    fi
}
generate() { # generate COHORTS DIR
    [ -d "$2/cohorts" ] || "$SYNTH" --cohorts "$1" "$2" 2>/dev/null
}
describe() { # files and size of a data root
    echo "$(find "$1" -type f | wc -l) files, $(du -sm "$1" | cut -f1) MB"
}
floor_cmd() { echo "find $1 -type f -print0 | xargs -0 cat > /dev/null"; }

echo "cohort benchmarks: $("$BIN" --version 2>/dev/null || echo "$BIN"), $(git rev-parse --abbrev-ref HEAD 2>/dev/null || echo '?') $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
ROOT=$TMP/root-$N
generate "$N" "$ROOT"
echo "data root: $N cohorts, $(describe "$ROOT"); COHORT_TODAY=$COHORT_TODAY; medians of $RUNS interleaved runs (Python: $PY_RUNS)"
echo

# Correctness first: a fast wrong answer is worth nothing.
"$BIN" --root "$ROOT" check 2>"$TMP/check.err" >/dev/null || { tail -5 "$TMP/check.err"; echo "run.sh: cohort check found errors in the generated data" >&2; exit 1; }
"$BIN" --root "$ROOT" report --all --format csv >"$TMP/rust.csv" 2>/dev/null
python3 bench/reference.py --root "$ROOT" >"$TMP/python.csv"
python3 bench/compare.py "$TMP/rust.csv" "$TMP/python.csv" || exit 1
echo

# 1 and 3: report and check against the read floor and the Python baseline.
interleave --runs "$RUNS" --limit python="$PY_RUNS" \
    floor="$(floor_cmd "$ROOT")" \
    report="$BIN --root $ROOT report --all --format csv" \
    check="$BIN --root $ROOT check" \
    python="python3 bench/reference.py --root $ROOT" >"$TMP/main.txt"
floor=$(median floor "$TMP/main.txt"); report=$(median report "$TMP/main.txt")
check=$(median check "$TMP/main.txt"); python=$(median python "$TMP/main.txt")
rep_mem=$(maxrss_mb "$BIN" --root "$ROOT" report --all --format csv)
chk_mem=$(maxrss_mb "$BIN" --root "$ROOT" check)
r1=$(ratio "$report" "$floor"); r2=$(ratio "$python" "$report"); r3=$(ratio "$check" "$floor")
printf '%-46s %10s %12s %10s  %s\n' "measure ($N cohorts)" "median" "ratio" "target" "verdict"
printf '%-46s %10s\n' "read floor: cat every file" "$(secs "$floor")"
printf '%-46s %10s %11sx %10s  %s\n' "report --all --format csv, vs read floor" "$(secs "$report")" "$r1" "<= 1.3x" "$(verdict "$r1" "<=" 1.3)"
printf '%-46s %10s %11sx %10s  %s\n' "python3 bench/reference.py over report" "$(secs "$python")" "$r2" ">= 10x" "$(verdict "$r2" ">=" 10)"
printf '%-46s %10s %12s %10s  %s\n' "report peak memory (max RSS)" "$rep_mem MB" "" "< 64 MB" "$(verdict "$rep_mem" "<" 64)"
printf '%-46s %10s %11sx %10s  %s\n' "check, vs read floor" "$(secs "$check")" "$r3" "<= 1.5x" "$(verdict "$r3" "<=" 1.5)"
printf '%-46s %10s\n' "check peak memory (max RSS)" "$chk_mem MB"
echo

# 2: attend on a 2,000-row log (the target: under 10 ms), a 100,000-row one
# (correct, not fast: no target), an empty one, and the example cohort.
if "$BIN" attend --help 2>&1 | grep -qi "not built yet"; then
    echo "attend: not built yet (\`cohort attend --help\` says so); part 2 skipped — run this script again once it is"
else
    A=$TMP/attend
    mkdir -p "$A/cohorts"
    cp curriculum.toml "$A/"
    for id in 2024-fall long-log huge-log empty-log; do
        cp -r cohorts/2024-fall "$A/cohorts/$id"
        sed -i "s/^id = \"2024-fall\"/id = \"$id\"/" "$A/cohorts/$id/cohort.toml"
    done
    # Earlier history of every participant, then the real rows, so that the
    # standing rows are those of the example.
    python3 - "$A/cohorts/long-log/attendance/03.csv" 2000 "$A/cohorts/huge-log/attendance/03.csv" 100000 <<'PY'
import sys, datetime
# Each row recorded a second after the one before: a log of corrections, not
# of exact copies (which `check` warns about, one by one).
start = datetime.datetime.fromisoformat("2024-09-17T14:04:00-04:00")
for path, rows in zip(sys.argv[1::2], sys.argv[2::2]):
    lines = open(path, encoding="utf-8").read().splitlines()
    header, real = lines[0], lines[1:]
    history = [f"p{(i % 18) + 1:02d},present,,A Trainer,{(start + datetime.timedelta(seconds=i)).isoformat()},"
               for i in range(int(rows) - len(real))]
    open(path, "w", encoding="utf-8").write("\n".join([header, *history, *real]) + "\n")
PY
    head -1 cohorts/2024-fall/attendance/03.csv >"$A/cohorts/empty-log/attendance/03.csv"
    # The first participant present one run, absent the next: every run appends.
    marks=${ATTEND_MARKS:-'--{ALT} p01'}
    if ! "$BIN" --root "$A" attend 2024-fall 3 ${marks//\{ALT\}/present} >"$TMP/attend.out" 2>&1; then
        echo "attend: \`cohort attend 2024-fall 3 ${marks//\{ALT\}/present}\` failed; part 2 skipped:"
        sed 's/^/  /' "$TMP/attend.out" | head -20
    else
        interleave --runs "$ATTEND_RUNS" --warmup 2 \
            long="$BIN --root $A attend long-log 3 $marks" \
            huge="$BIN --root $A attend huge-log 3 $marks" \
            empty="$BIN --root $A attend empty-log 3 $marks" \
            example="$BIN --root $A attend 2024-fall 3 $marks" >"$TMP/attend.txt"
        long=$(median long "$TMP/attend.txt"); empty=$(median empty "$TMP/attend.txt")
        huge=$(median huge "$TMP/attend.txt")
        example=$(median example "$TMP/attend.txt")
        printf '%-46s %10s %12s %10s  %s\n' "attend, empty log" "$(secs "$empty")" "" "" ""
        printf '%-46s %10s %12s %10s  %s\n' "attend on the example cohort" "$(secs "$example")" "" "" ""
        printf '%-46s %10s %12s %10s  %s\n' "attend, 2,000-row log" "$(secs "$long")" "" "< 10 ms" "$(verdict "$long" "<" 0.010)"
        printf '%-46s %10s %11sx %10s  %s\n' "attend: 2,000-row log over empty log" "" "$(ratio "$long" "$empty")" "" ""
        printf '%-46s %10s %12s %10s  %s\n' "attend, 100,000-row log (correct, not fast)" "$(secs "$huge")" "" "" ""
    fi
fi
echo

# Scaling: report and check against the read floor at each size.
if [ -n "$SCALING" ]; then
    printf '%8s %8s %10s %10s %10s %9s %9s %12s\n' cohorts files floor report check report/floor check/floor "report/cohort"
    for n in $SCALING; do
        dir=$TMP/root-$n
        generate "$n" "$dir"
        if [ "$n" = "$N" ]; then
            cp "$TMP/main.txt" "$TMP/scale.txt"
        else
            interleave --runs "$RUNS" \
                floor="$(floor_cmd "$dir")" \
                report="$BIN --root $dir report --all --format csv" \
                check="$BIN --root $dir check" >"$TMP/scale.txt"
        fi
        f=$(median floor "$TMP/scale.txt"); r=$(median report "$TMP/scale.txt"); c=$(median check "$TMP/scale.txt")
        printf '%8s %8s %10s %10s %10s %8sx %8sx %12s\n' "$n" "$(find "$dir" -type f | wc -l)" \
            "$(secs "$f")" "$(secs "$r")" "$(secs "$c")" "$(ratio "$r" "$f")" "$(ratio "$c" "$f")" \
            "$(awk -v r="$r" -v n="$n" 'BEGIN { printf "%.2f ms", r / n * 1000 }')"
        [ "$n" = "$N" ] || rm -rf "$dir"
    done
fi
