//! `cohort makeups`, `attend --guest` and `report --at-risk`.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime, TimeZone};

use crate::support::{DataRoot, TODAY, refused_line, session_dates};

/// The example and two cohorts that start after it, one in another zone.
pub fn with_other_cohorts() -> DataRoot {
    let root = DataRoot::example();
    root.ok("new 2026-winter --start 2026-11-24 --days tue,thu --time 09:00-11:00 --timezone America/Vancouver --trainer 'Ana Trainer'");
    root.ok("new 2026-late --start 2026-11-23 --days mon,wed --timezone America/Toronto --trainer 'Ana Trainer'");
    root
}

fn block_of<'a>(stdout: &'a str, participant: &str) -> Vec<&'a str> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with(&format!("{participant}  ")))
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn makeups_lists_the_coming_sessions_of_the_same_webinar_soonest_first_in_both_zones() {
    let root = with_other_cohorts();
    let run = root.cohort("makeups 2024-fall");
    run.success().stdout_has(&format!(
        "2024-fall: 3 at risk, 4 missed webinars to make up, as of {TODAY}; times in America/Toronto"
    ));
    // 2026-late meets Mon/Wed from 2026-11-23 (webinar 6 on Wed 12-09),
    // 2026-winter Tue/Thu from 2026-11-24 at 09:00 Vancouver = 12:00 Toronto.
    assert_eq!(
        block_of(&run.stdout, "p07"),
        [
            "p07  Mateus Conceição",
            "  webinar 6 Boundaries and inclusion",
            "    Wed 2026-12-09 12:00-14:00  with 2026-late, online",
            "    Thu 2026-12-10 12:00-14:00  with 2026-winter, online (09:00-11:00 America/Vancouver)",
        ]
    );
    assert_eq!(
        block_of(&run.stdout, "p17")[..3],
        [
            "p17  Élodie Moreau",
            "  webinar 3 Where peer support comes from",
            "    Mon 2026-11-30 12:00-14:00  with 2026-late, online",
        ]
    );
    // Nobody who attended everything, and not the withdrawn p10.
    for id in ["p01", "p10", "p18"] {
        assert!(block_of(&run.stdout, id).is_empty(), "{id} listed");
    }
}

#[test]
fn a_session_on_the_as_of_date_still_counts_and_none_scheduled_is_said() {
    let root = with_other_cohorts();
    assert_eq!(
        block_of(
            &root.ok("makeups 2024-fall --as-of 2026-12-10").stdout,
            "p07"
        ),
        [
            "p07  Mateus Conceição",
            "  webinar 6 Boundaries and inclusion",
            "    Thu 2026-12-10 12:00-14:00  with 2026-winter, online (09:00-11:00 America/Vancouver)",
        ]
    );
    assert_eq!(
        block_of(
            &root.ok("makeups 2024-fall --as-of 2027-02-01").stdout,
            "p17"
        ),
        [
            "p17  Élodie Moreau",
            "  webinar 3 Where peer support comes from: none scheduled",
            "  webinar 14 Substance use: none scheduled",
        ]
    );
    // Alone, the example has nowhere to make up anything.
    DataRoot::example()
        .ok("makeups 2024-fall --format json")
        .stdout_has("\"options\": []");
}

#[test]
fn limit_keeps_the_soonest() {
    let root = with_other_cohorts();
    assert_eq!(
        block_of(&root.ok("makeups 2024-fall --limit 1").stdout, "p07")[2..],
        ["    Wed 2026-12-09 12:00-14:00  with 2026-late, online"]
    );
}

#[test]
fn the_mail_merge_list_is_one_row_per_person_and_the_same_from_report_at_risk() {
    let root = with_other_cohorts();
    let csv = root.ok("makeups 2024-fall --format csv --limit 1");
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "cohort,participant,name,email,missed,makeup_options"
    );
    assert_eq!(lines.len(), 4, "{}", csv.stdout);
    assert_eq!(
        lines[2],
        "2024-fall,p08,Chloé Fontaine,chloe.fontaine@example.org,12,\
         \"webinar 12: Wed 2026-12-30 12:00-14:00 America/Toronto with 2026-late (2026-late), online\""
    );
    assert!(lines[3].starts_with("2024-fall,p17,Élodie Moreau,,3 14,\"webinar 3: Mon 2026-11-30"));
    assert!(lines[3].contains("; webinar 14: "), "{}", lines[3]);
    let report = root.ok("report 2024-fall --at-risk --format csv");
    let full = root.ok("makeups 2024-fall --format csv");
    assert_eq!(report.stdout, full.stdout);
    root.ok("report --all --at-risk --format json")
        .stdout_has("\"email\": \"chloe.fontaine@example.org\"")
        .stdout_has("\"email\": null");
    root.ok("report 2024-fall --at-risk")
        .stdout_has("chloe.fontaine@example.org")
        .stdout_has("at risk as of 2026-11-22: 3 participants");
}

fn emails(root: &DataRoot) -> Vec<String> {
    root.read("cohorts/2024-fall/cohort.toml")
        .lines()
        .filter_map(|l| l.strip_prefix("email = \""))
        .map(|l| l.trim_end_matches('"').to_string())
        .collect()
}

/// E-mails go only into the lists made to write to people.
#[test]
fn emails_appear_only_in_the_mail_merge_lists() {
    let root = with_other_cohorts();
    let emails = emails(&root);
    assert!(emails.len() >= 5, "{emails:?}");
    let site = tempfile::tempdir().unwrap();
    let site_dir = site.path().to_str().unwrap();
    let site_args = ["site", site_dir];
    let outputs: Vec<&[&str]> = vec![
        &["check"],
        &["status", "2024-fall"],
        &["status", "2024-fall", "--format", "csv"],
        &["status", "2024-fall", "--format", "json"],
        &["report", "2024-fall"],
        &["report", "--all", "--format", "csv"],
        &["report", "--all", "--format", "json"],
        &["report", "2024-fall", "--participant", "p08"],
        &["makeups", "--all"],
        &["makeups", "--all", "--format", "json"],
        &["calendar", "2024-fall"],
        &["calendar", "2024-fall", "--participant", "p08"],
        &["stats", "--all"],
        &["stats", "--all", "--format", "json"],
        &["stats", "--all", "--by", "cohort", "--format", "csv"],
        &site_args,
    ];
    for args in outputs {
        let run = root.run(args);
        run.success();
        for email in &emails {
            assert!(
                !run.stdout.contains(email.as_str()) && !run.stderr.contains(email.as_str()),
                "`cohort {}` shows {email}",
                args.join(" ")
            );
        }
    }
    for (rel, bytes) in crate::support::files_below(site.path()) {
        let text = String::from_utf8_lossy(&bytes);
        for email in &emails {
            assert!(!text.contains(email.as_str()), "site {rel} shows {email}");
        }
    }
    // And the lists do show them.
    root.ok("makeups --all --format csv")
        .stdout_has("chloe.fontaine@example.org");
}

#[test]
fn a_guest_make_up_goes_into_the_home_cohorts_log_with_a_note_naming_where_and_when() {
    let root = with_other_cohorts();
    let on = |line: &str| root.cli_line(line).env("COHORT_TODAY", "2026-12-09");
    on("attend 2026-late 6 --guest 2024-fall:p07 --dry-run")
        .unchanged()
        .stdout_has("made up with 2026-late (2026-late) on 2026-12-09");

    on("attend 2026-late 6 --guest 2024-fall:p07")
        .run()
        .success()
        .stdout_has("1 row written to cohorts/2024-fall/attendance/06.csv");
    let log = root.read("cohorts/2024-fall/attendance/06.csv");
    let last = log.lines().last().unwrap();
    assert!(
        last.starts_with("p07,makeup,,test-runner,")
            && last.ends_with(",made up with 2026-late (2026-late) on 2026-12-09"),
        "{last}"
    );
    // The earlier row stays; nothing is written to the other cohort.
    assert!(log.contains("p07,partial,104,"), "{log}");
    assert!(!root.path("cohorts/2026-late/attendance/06.csv").exists());
    let after = on("makeups 2024-fall").run();
    assert!(block_of(&after.success().stdout, "p07").is_empty());
    on("status 2024-fall")
        .run()
        .success()
        .stdout_has("at risk: p08 (webinar 12), p17 (webinar 3, 14)");
}

#[test]
fn a_guest_make_up_is_refused_as_any_append_and_writes_nothing() {
    let root = with_other_cohorts();
    refused_line(
        &root,
        "attend 2026-late 6 --guest 2024-fall:p07",
        2,
        "webinar 6 of 2026-late is on 2026-12-09, after today (2026-11-22); a make-up is recorded once it is held",
    );
    for (line, message) in [
        (
            "attend 2026-late 6 --guest 2024-fall:p01",
            "p01 attended webinar 6 (present); a make-up is for a missed webinar",
        ),
        (
            "attend 2026-late 6 --guest 2024-fall:p99",
            "cohort 2024-fall has no participant \"p99\"",
        ),
        (
            "attend 2026-late 6 --guest 2024-fall",
            "--guest \"2024-fall\" is not COHORT:ID",
        ),
        (
            "attend 2026-late 6 --guest 2026-late:p01",
            "--guest is for a participant of another cohort",
        ),
        (
            "attend 2026-late 6 --guest 2025-nope:p07",
            "there is no cohort \"2025-nope\"",
        ),
        (
            "attend 2026-late 6 --guest 2024-fall:p07 --present p01",
            "--guest records one make-up on its own",
        ),
        (
            "attend 2026-late 18 --guest 2024-fall:p07",
            "there is no webinar 18",
        ),
    ] {
        root.cli_line(line)
            .env("COHORT_TODAY", "2026-12-09")
            .refused(2, message);
    }
}

/// A cohort's sessions read straight from its cohort.toml: (webinar, start
/// instant, zone name, date).
fn sessions_of(text: &str) -> (String, Vec<(u32, chrono::DateTime<chrono::Utc>, NaiveDate)>) {
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    let zone = doc["timezone"].as_str().unwrap().to_string();
    let tz: chrono_tz::Tz = zone.parse().unwrap();
    let mut sessions = Vec::new();
    let tables = doc["session"].as_array_of_tables().unwrap();
    for (s, date) in tables.iter().zip(session_dates(text)) {
        let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap();
        let start = NaiveTime::parse_from_str(s["start"].as_str().unwrap(), "%H:%M").unwrap();
        let instant = tz
            .from_local_datetime(&date.and_time(start))
            .earliest()
            .unwrap()
            .with_timezone(&chrono::Utc);
        sessions.push((s["webinar"].as_integer().unwrap() as u32, instant, date));
    }
    (zone, sessions)
}

#[test]
fn on_generated_cohorts_every_option_is_the_soonest_session_elsewhere() {
    let root = DataRoot::generated(40);
    let needs = root.json("makeups --all --format json --limit 1000");
    let needs = needs.as_array().unwrap();
    assert!(needs.len() > 20, "only {} at risk", needs.len());

    // Who is at risk: exactly report's missed, withdrawn people left out.
    let rows = root.json("report --all --format json");
    // (cohort, participant, missed webinars), each missed one read by `webinar`.
    let who = |r: &serde_json::Value, webinar: fn(&serde_json::Value) -> u64| {
        let missed = r["missed"].as_array().unwrap().iter().map(webinar);
        let id = |key: &str| r[key].as_str().unwrap().to_string();
        (id("cohort"), id("participant"), missed.collect::<Vec<_>>())
    };
    let expected: Vec<_> = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["missed"].as_array().unwrap().is_empty())
        .filter(|r| !r["reasons"][0].as_str().unwrap().starts_with("withdrew"))
        .map(|r| who(r, |m| m.as_u64().unwrap()))
        .collect();
    let got: Vec<_> = needs
        .iter()
        .map(|n| who(n, |m| m["webinar"].as_u64().unwrap()))
        .collect();
    assert_eq!(got, expected);

    let mut schedules = BTreeMap::new();
    for (rel, bytes) in crate::support::files_below(&root.path("cohorts")) {
        if let Some(id) = rel.strip_suffix("/cohort.toml") {
            schedules.insert(
                id.to_string(),
                sessions_of(&String::from_utf8(bytes).unwrap()),
            );
        }
    }
    let today = NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").unwrap();
    let mut options_seen = 0;
    for n in needs {
        let home = n["cohort"].as_str().unwrap();
        let home_tz: chrono_tz::Tz = schedules[home].0.parse().unwrap();
        for m in n["missed"].as_array().unwrap() {
            let w = m["webinar"].as_u64().unwrap() as u32;
            let mut coming: Vec<(chrono::DateTime<chrono::Utc>, &str)> = schedules
                .iter()
                .filter(|(id, _)| id.as_str() != home)
                .flat_map(|(id, (_, s))| {
                    s.iter()
                        .filter(move |(sw, _, date)| *sw == w && *date >= today)
                        .map(move |(_, at, _)| (*at, id.as_str()))
                })
                .collect();
            coming.sort();
            let options = m["options"].as_array().unwrap();
            let ids: Vec<&str> = options
                .iter()
                .map(|o| o["cohort"].as_str().unwrap())
                .collect();
            let want: Vec<&str> = coming.iter().map(|(_, id)| *id).collect();
            assert_eq!(ids, want, "{home} {} webinar {w}", n["participant"]);
            for (o, (at, _)) in options.iter().zip(&coming) {
                let local = at.with_timezone(&home_tz);
                assert_eq!(o["home_date"], local.date_naive().to_string());
                assert_eq!(o["home_start"], local.format("%H:%M").to_string());
                options_seen += 1;
            }
        }
    }
    assert!(options_seen > 10, "only {options_seen} options");
}

#[test]
fn makeups_usage_errors_exit_2_and_name_what_would_be_right() {
    let root = with_other_cohorts();
    root.cohort("makeups").code(2).stderr_has(
        "name a cohort, or give --all; the cohorts are: 2024-fall, 2026-late, 2026-winter",
    );
    root.cohort("makeups 2024-fal")
        .fails(2, "did you mean 2024-fall?");
    root.cohort("makeups 2024-fall --limit 0")
        .fails(2, "--limit 0 would list no session");
    root.cohort("report 2024-fall --at-risk --participant p07")
        .code(2);
}

#[test]
fn makeups_refuses_when_another_cohorts_schedule_has_errors() {
    let root = with_other_cohorts();
    root.edit(
        "cohorts/2026-late/cohort.toml",
        "start = \"12:00\"",
        "start = \"noon\"",
    );
    root.cohort("makeups 2024-fall")
        .fails(1, "cohorts/2026-late/cohort.toml")
        .stderr_has("refusing to go on");
}
