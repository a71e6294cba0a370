#!/usr/bin/env python3
"""Compares two `report --format csv` outputs on every column but `reasons`
(whose wording may differ), row by row. Exit 0 when they agree, 1 (with the
first differences) when they do not.

    python3 bench/compare.py RUST.csv PYTHON.csv
"""

import csv
import sys

COLUMNS = ["cohort", "participant", "name", "attended", "required", "missed",
           "upcoming", "practicum_hours", "outcome"]


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return [tuple(r[c] for c in COLUMNS) for r in csv.DictReader(f)]


def main():
    a, b = rows(sys.argv[1]), rows(sys.argv[2])
    differences = [(i, x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(a) != len(b):
        print(f"compare: {len(a)} rows in {sys.argv[1]} but {len(b)} in {sys.argv[2]}")
    for i, x, y in differences[:10]:
        print(f"compare: row {i + 2} differs:\n  {x}\n  {y}")
    if differences or len(a) != len(b):
        print(f"compare: MISMATCH ({len(differences)} differing rows)")
        return 1
    print(f"compare: the {len(a)} rows agree on every column but reasons")
    return 0


if __name__ == "__main__":
    sys.exit(main())
