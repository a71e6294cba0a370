"""Writes a Zoom participants report of N rows for webinar 3 (2024-09-17) of
the example cohort, for BENCHMARKS.md's meeting-report figures: every
participant of cohorts/2024-fall/cohort.toml with about N/18 joins spread
from 11:50 to 14:05.

python3 bench/meeting_report.py 300 > r300.csv
"""
import re
import sys

n = int(sys.argv[1])
toml = open("cohorts/2024-fall/cohort.toml", encoding="utf-8").read()
people = re.findall(r'name = "([^"]+)"\n(?:email = "([^"]+)")?', toml.split("[[participant]]", 1)[1])


def t(sec):
    h, r = divmod(sec, 3600)
    m, s = divmod(r, 60)
    return f"09/17/2024 {h % 12 or 12:02}:{m:02}:{s:02} {'AM' if h < 12 else 'PM'}"


rows = [
    "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
    f"812 3456 7890,Webinar 3,{t(11 * 3600 + 45 * 60)},{t(14 * 3600 + 10 * 60)},rosa.delgado@example.org,145,{n}",
    "",
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,In Waiting Room",
]
per = -(-n // len(people))
step = 8100 // per
start = 11 * 3600 + 50 * 60
for i in range(n):
    name, email = people[i % len(people)]
    a = start + (i // len(people)) * step + i % 7
    b = a + step - 5 - (i % 3) * 20
    rows.append(f'"{name}",{email},{t(a)},{t(b)},{(b - a) // 60},No,No')
sys.stdout.write("\n".join(rows) + "\n")
