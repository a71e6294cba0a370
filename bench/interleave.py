#!/usr/bin/env python3
"""Times shell commands round-robin, so that a noisy, shared machine slows
all of them alike, and prints each one's median wall time.

    python3 bench/interleave.py --runs 5 [--warmup 1] [--limit NAME=K ...] \
        NAME='COMMAND' NAME='COMMAND' ...

Round r runs every command once, starting at a rotating offset so that no
command always follows the same neighbour. `{ALT}` in a command becomes
`present` on even runs and `absent` on odd ones (a recording command that
would otherwise write nothing the second time). `--limit NAME=K` runs that
command in the first K rounds only and without warm-up (a slow baseline). Output, one line per
command: NAME MEDIAN_SECONDS MIN MAX RUNS. A command that fails stops
everything with its stderr: a timing of a failure means nothing.
"""

import argparse
import shlex
import statistics
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--limit", action="append", default=[])
    ap.add_argument("commands", nargs="+")
    args = ap.parse_args()
    commands = [c.split("=", 1) for c in args.commands]
    limits = {n: int(k) for n, k in (x.split("=", 1) for x in args.limit)}
    times = {name: [] for name, _ in commands}
    counts = {name: 0 for name, _ in commands}

    def run(name, command):
        alt = "present" if counts[name] % 2 == 0 else "absent"
        counts[name] += 1
        command = command.replace("{ALT}", alt)
        # Without a shell when none is needed: one fork less inside the timing.
        shell = any(c in command for c in "|&;<>()$`*?")
        argv = command if shell else shlex.split(command)
        start = time.perf_counter()
        done = subprocess.run(argv, shell=shell, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            sys.stderr.write(f"interleave: {name} failed (exit {done.returncode}): {command}\n")
            sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
            sys.exit(1)
        return elapsed

    for name, command in commands:
        if name not in limits:
            for _ in range(args.warmup):
                run(name, command)
    for r in range(args.runs):
        k = r % len(commands)
        for name, command in commands[k:] + commands[:k]:
            if r < limits.get(name, args.runs):
                times[name].append(run(name, command))
    for name, _ in commands:
        t = times[name]
        print(f"{name} {statistics.median(t):.4f} {min(t):.4f} {max(t):.4f} {len(t)}")


if __name__ == "__main__":
    main()
