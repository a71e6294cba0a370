#!/usr/bin/env python3
"""A plain Python baseline of `cohort report --all --format csv`.

    python3 bench/reference.py [--root DIR] [--as-of YYYY-MM-DD]

It implements the outcome rules of SPEC.md ("Rules") the straightforward
way, with the standard library only, and prints the same CSV columns:
cohort,participant,name,attended,required,missed,upcoming,practicum_hours,
outcome,reasons. It is the yardstick of bench/run.sh, not a second tool:
it trusts the data (run `cohort check` first) and validates nothing.

The date is --as-of, else COHORT_TODAY, else today, as for `cohort`.
Before today, the records are taken as they stood at the end of that date
in the cohort's time zone (SPEC "Rules"): attendance rows recorded later
(a row without recorded_at counts from its session's date), evaluations,
practicum rows, practicum results and withdrawals dated later are left out.
The root is --root, else COHORT_ROOT, else the nearest folder at or above
the current one that holds curriculum.toml.
"""

import argparse
import csv
import datetime
import os
import re
import sys
import tomllib
import zoneinfo

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
ATTENDED = {"present", "makeup"}


def find_root(explicit):
    if explicit:
        return explicit
    if os.environ.get("COHORT_ROOT"):
        return os.environ["COHORT_ROOT"]
    here = os.path.abspath(os.getcwd())
    while True:
        if os.path.isfile(os.path.join(here, "curriculum.toml")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            sys.exit("reference.py: no curriculum.toml here or above; give --root DIR")
        here = parent


def as_date(value):
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value).strip())


def hours_seconds(text):
    """Exact seconds of `1.5`, `0.25`, `12` or `1:30`; negative for a
    reversing row (`-1.5`), which counts when the rows it cancels count:
    it has their date, kind and monitor, so the same test decides."""
    text = text.strip()
    if text.startswith("-"):
        return -hours_seconds(text[1:])
    if ":" in text:
        h, m = text.split(":", 1)
        return int(h) * 3600 + int(m) * 60
    whole, _, frac = text.partition(".")
    return int(whole or "0") * 3600 + int((frac + "00")[:2]) * 36


def hours_text(seconds):
    """Rounded half up to hundredths, without trailing zeros."""
    h = (seconds * 100 + 1800) // 3600
    whole, frac = divmod(h, 100)
    if frac == 0:
        return str(whole)
    if frac % 10 == 0:
        return f"{whole}.{frac // 10}"
    return f"{whole}.{frac:02d}"


def read_csv(path):
    """(header -> index, rows) of a CSV file, or None when it does not exist."""
    try:
        f = open(path, encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        return None
    with f:
        rows = csv.reader(f)
        header = next(rows, None)
        if header is None:
            return {}, []
        columns = {name.strip().lower(): i for i, name in enumerate(header)}
        return columns, [r for r in rows if any(c.strip() for c in r)]


def get(row, columns, name):
    i = columns.get(name)
    return row[i].strip() if i is not None and i < len(row) else ""


def missed_how(mark, min_minutes):
    if mark is None:
        return "no attendance recorded"
    status, minutes = mark
    if status == "partial":
        return f"partial, {minutes or 0} of {min_minutes} minutes"
    return status


def recorded_on(stamp, session_date, zone):
    """The day, in the cohort's zone, a row was recorded on."""
    if not stamp:
        return session_date
    return datetime.datetime.fromisoformat(stamp).astimezone(zone).date()


def cohort_rows(root, cid, curriculum, as_of, cut):
    base = os.path.join(root, "cohorts", cid)
    with open(os.path.join(base, "cohort.toml"), "rb") as f:
        cohort = tomllib.load(f)
    required = len(curriculum["webinar"])
    min_minutes = curriculum["attendance"]["min_minutes"]
    required_seconds = int(round(float(curriculum["practicum"]["required_hours"]) * 3600))
    sessions = {s["webinar"]: as_date(s["date"]) for s in cohort.get("session", [])}
    last_session = max(sessions.values())
    participants = cohort.get("participant", [])
    zone = zoneinfo.ZoneInfo(cohort["timezone"])
    if cut:
        # As the records stood: what is dated later did not exist yet.
        for p in participants:
            for key, field in (("withdrawn", None), ("evaluation", "date"), ("practicum", "date")):
                if key in p and as_date(p[key] if field is None else p[key][field]) > as_of:
                    del p[key]

    # Rule 1 and 2 need the standing row: the last row of each participant.
    standing = {p["id"]: [None] * required for p in participants}
    for w in range(1, required + 1):
        read = read_csv(os.path.join(base, "attendance", f"{w:02d}.csv"))
        if read is None:
            continue
        columns, rows = read
        for row in rows:
            pid = get(row, columns, "participant")
            status = get(row, columns, "status").lower()
            minutes = get(row, columns, "minutes")
            if cut and recorded_on(get(row, columns, "recorded_at"), sessions[w], zone) > as_of:
                continue
            standing[pid][w - 1] = (status, int(minutes) if minutes else None)

    # Rule 3: counted practicum hours, exact (whole seconds).
    counted = {p["id"]: 0 for p in participants}
    read = read_csv(os.path.join(base, "practicum.csv"))
    if read is not None:
        columns, rows = read
        for row in rows:
            kind = get(row, columns, "kind").lower() or "support"
            monitor = get(row, columns, "monitor")
            date = datetime.date.fromisoformat(get(row, columns, "date"))
            if cut and date > as_of:
                continue
            if kind == "support" and monitor and date > last_session:
                counted[get(row, columns, "participant")] += hours_seconds(get(row, columns, "hours"))

    out = []
    for p in participants:
        pid = p["id"]
        attended, upcoming, missed, reasons = 0, 0, [], []
        for w in range(1, required + 1):
            mark = standing[pid][w - 1]
            if mark is not None:
                status, minutes = mark
                ok = status in ATTENDED or (status == "partial" and (minutes or 0) >= min_minutes)
                if ok:
                    attended += 1
                else:
                    missed.append(w)
                    reasons.append(f"missed webinar {w} ({missed_how(mark, min_minutes)}; make-up needed)")
            elif sessions[w] < as_of:
                missed.append(w)
                reasons.append(f"missed webinar {w} ({missed_how(None, min_minutes)}; make-up needed)")
            else:
                upcoming += 1
        if upcoming == 1:
            reasons.append("1 webinar upcoming")
        elif upcoming > 1:
            reasons.append(f"{upcoming} webinars upcoming")

        # Rule 4 and 5.
        hours = counted[pid]
        evaluation = p.get("evaluation")
        result = p.get("practicum")
        if "withdrawn" in p:
            reasons = [f"withdrew on {as_date(p['withdrawn'])}"]
            outcome = "Incomplete"
        elif evaluation is None:
            reasons.append("awaiting trainer evaluation")
            outcome = "Incomplete"
        elif evaluation["participation"].strip() == "partial":
            reasons.append("participation judged partial by the trainers")
            outcome = "Incomplete"
        elif missed or upcoming:
            outcome = "Incomplete"
        elif not evaluation.get("recommend", False):
            reasons.append("not recommended for a practicum")
            outcome = "Level 1"
        else:
            if hours < required_seconds:
                reasons.append(f"practicum {hours_text(hours)} of {hours_text(required_seconds)} h")
            if result is None:
                reasons.append("practicum not yet evaluated")
            elif result["result"].strip() != "pass":
                reasons.append(f"practicum evaluated as not passed on {as_date(result['date'])}")
            outcome = "Level 1R" if reasons else "Certified"

        out.append([
            cid, pid, p["name"], str(attended), str(required),
            " ".join(map(str, missed)), str(upcoming), hours_text(hours),
            outcome, "; ".join(reasons),
        ])
    out.sort(key=lambda r: r[1])
    return out


def neutralise(cell):
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root")
    ap.add_argument("--as-of")
    args = ap.parse_args()
    root = find_root(args.root)
    today = os.environ.get("COHORT_TODAY") or datetime.date.today().isoformat()
    today = datetime.date.fromisoformat(today.strip())
    as_of = datetime.date.fromisoformat(args.as_of.strip()) if args.as_of else today
    with open(os.path.join(root, "curriculum.toml"), "rb") as f:
        curriculum = tomllib.load(f)

    cohorts_dir = os.path.join(root, "cohorts")
    ids = sorted(
        name for name in (os.listdir(cohorts_dir) if os.path.isdir(cohorts_dir) else [])
        if SLUG.match(name) and os.path.isfile(os.path.join(cohorts_dir, name, "cohort.toml"))
    )
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["cohort", "participant", "name", "attended", "required", "missed",
                     "upcoming", "practicum_hours", "outcome", "reasons"])
    for cid in ids:
        for row in cohort_rows(root, cid, curriculum, as_of, as_of < today):
            writer.writerow([neutralise(c) for c in row])


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        sys.exit(0)
