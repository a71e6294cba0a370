#!/bin/sh
# Scaling of the loaders that were quadratic (BENCHMARKS.md, "Hostile and
# odd files"): one cohort of N participants, and `verify` on a register of
# N certificates (N in SIZES, default "8000 16000 100000"). Prints the
# median wall and user time of RUNS runs.
#
#   cargo build --release && cargo build --release --example big_files
#   bench/hostile.sh                    # this build
#   COHORT_BIN=path/to/cohort bench/hostile.sh   # another build, same data
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${COHORT_BIN:-$here/target/release/cohort}
gen=$here/target/release/examples/big_files
runs=${RUNS:-5}
export COHORT_TODAY=2026-11-22 NO_COLOR=1

# Median of `runs` runs of a command: "wall user" in seconds.
median() {
    i=0
    : > "$tmp/times"
    while [ $i -lt "$runs" ]; do
        /usr/bin/time -f "%e %U" -o "$tmp/one" "$@" > /dev/null 2>&1 || true
        cat "$tmp/one" >> "$tmp/times"
        i=$((i + 1))
    done
    sort -n "$tmp/times" | sed -n "$(( (runs + 1) / 2 ))p"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in ${SIZES:-8000 16000 100000}; do
    root=$tmp/root-$n
    mkdir -p "$root"
    cp "$here/curriculum.toml" "$root/"
    "$gen" cohort "$n" "$root"
    number=$("$gen" register "$n" "$root")
    set -- $(median "$bin" --root "$root" check big)
    printf 'check, %6d participants:      %6s s wall, %6s s user\n' "$n" "$1" "$2"
    set -- $(median "$bin" --root "$root" report big --format csv)
    printf 'report csv, %6d participants: %6s s wall, %6s s user\n' "$n" "$1" "$2"
    # verify checks the whole register, or answers from the index it kept
    # of the same register (src/register/cache.rs): both are timed.
    set -- $(median env COHORT_CACHE_DIR= "$bin" --root "$root" verify "$number")
    printf 'verify, %6d certificates:     %6s s wall, %6s s user (checked in full)\n' "$n" "$1" "$2"
    COHORT_CACHE_DIR=$tmp/cache-$n "$bin" --root "$root" verify "$number" > /dev/null 2>&1 || true
    set -- $(median env COHORT_CACHE_DIR="$tmp/cache-$n" "$bin" --root "$root" verify "$number")
    printf 'verify, %6d certificates:     %6s s wall, %6s s user (index kept)\n' "$n" "$1" "$2"
done
