//! Many writers at once, and kill -9 at random moments: attendance,
//! practicum hours, evaluations and certificates all land whole or not at
//! all, and never twice.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::damage::Rng;
use crate::support::{DataRoot, PRACTICUM, REGISTER, Run, TOML};

/// Every record of a CSV file, header included; panics on a torn row.
fn records(root: &DataRoot, rel: &str) -> Vec<csv::StringRecord> {
    if !root.path(rel).exists() {
        return Vec::new();
    }
    let text = root.read(rel);
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "{rel} ends inside a row:\n{text}"
    );
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr
        .records()
        .map(|r| r.unwrap_or_else(|e| panic!("{rel}: {e}")))
        .collect();
    if let Some(header) = rows.first() {
        for row in &rows {
            assert_eq!(row.len(), header.len(), "{rel}: a torn row {row:?}");
        }
    }
    rows
}

/// Certificate numbers issued (not revocations), each at most once.
fn issued_numbers(root: &DataRoot) -> Vec<String> {
    let rows = records(root, REGISTER);
    let issued: Vec<_> = rows.iter().skip(1).filter(|r| &r[7] == "issued").collect();
    let numbers: Vec<String> = issued.iter().map(|r| r[0].to_string()).collect();
    let unique: HashSet<&String> = numbers.iter().collect();
    assert_eq!(
        unique.len(),
        numbers.len(),
        "a certificate number was issued twice: {numbers:?}"
    );
    let people: HashSet<(&str, &str, &str)> =
        issued.iter().map(|r| (&r[1], &r[2], &r[4])).collect();
    assert_eq!(
        people.len(),
        numbers.len(),
        "one person got one level twice"
    );
    numbers
}

/// `evaluate` of `id`, recommended, dated `date`.
fn evaluate(id: &str, date: &str) -> String {
    format!(
        "evaluate 2024-fall {id} --participation full --recommend --by 'Malik Haddad' --date {date}"
    )
}

#[test]
fn many_writers_at_once_lose_nothing() {
    let root = DataRoot::example();
    // p11 awaits evaluation; p13 and p15 are Level 1 and get re-evaluated.
    let evaluated = [
        ("p11", "2024-11-08"),
        ("p13", "2024-11-09"),
        ("p15", "2024-11-10"),
    ];
    let attendance_before = records(&root, "cohorts/2024-fall/attendance/07.csv").len();
    let practicum_before = records(&root, PRACTICUM).len();
    let mut children = Vec::new();
    for i in 0..6 {
        let id = format!("p0{}", i + 1);
        children.push(root.spawn(&["attend", "2024-fall", "7", "--excused", &id]));
        let date = format!("2026-10-{:02}", i + 1);
        children.push(root.spawn_line(&format!(
            "practicum log 2024-fall p18 --date {date} --hours 0:45 --monitor 'Grace Okafor'"
        )));
        children.push(root.spawn(&["issue", "2024-fall"]));
    }
    for (id, date) in evaluated {
        children.push(root.spawn_line(&evaluate(id, date)));
    }
    for child in children {
        Run::of("(spawned)".into(), child.wait_with_output().unwrap()).success();
    }
    assert_eq!(
        records(&root, "cohorts/2024-fall/attendance/07.csv").len(),
        attendance_before + 6
    );
    assert_eq!(records(&root, PRACTICUM).len(), practicum_before + 6);
    // No TOML edit was lost: every evaluation is there with its own date.
    let toml = root.read(TOML);
    for (id, date) in evaluated {
        let at = toml.find(&format!("id = \"{id}\"")).unwrap();
        let next = toml[at + 1..]
            .find("[[participant]]")
            .map_or(toml.len(), |n| at + 1 + n);
        assert!(
            toml[at..next].contains(&format!("date = {date}")),
            "the evaluation of {id} was lost:\n{}",
            &toml[at..next]
        );
    }
    // Six `issue` runs at once: each certificate once, however they interleaved.
    let numbers = issued_numbers(&root);
    assert!(!numbers.is_empty());
    root.cohort("issue 2024-fall").success();
    let after = issued_numbers(&root);
    // The three evaluations may have landed after some issue runs; whatever is
    // due now is issued once, and a second run adds nothing.
    root.cohort("issue 2024-fall").success();
    assert_eq!(issued_numbers(&root), after);
    root.check_clean();
}

#[test]
fn kill_nine_at_random_moments_leaves_every_file_whole() {
    let root = DataRoot::example();
    let mut rng = Rng(std::process::id() as u64);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut rounds = 0;
    while Instant::now() < deadline {
        rounds += 1;
        let toml_before = root.read(TOML);
        let (status, date) = if rounds % 2 == 0 {
            ("--present", "2024-11-07")
        } else {
            ("--absent", "2024-11-08")
        };
        let eval = evaluate("p13", date);
        let hours = format!("0:{:02}", 1 + rng.below(59));
        let mut children = vec![
            root.spawn(&["attend", "2024-fall", "8", status, "p02"]),
            root.spawn_line(&format!(
                "practicum log 2024-fall p14 --date 2026-11-20 --hours {hours} --monitor 'Grace Okafor'"
            )),
            root.spawn_line(&eval),
            root.spawn(&["issue", "2024-fall"]),
        ];
        std::thread::sleep(Duration::from_micros(rng.below(25_000) as u64));
        for child in &mut children {
            let _ = child.kill();
        }
        for mut child in children {
            let _ = child.wait();
        }
        // Whole rows only; the TOML file is the old one or the new one.
        records(&root, "cohorts/2024-fall/attendance/08.csv");
        records(&root, PRACTICUM);
        issued_numbers(&root);
        let toml = root.read(TOML);
        // What the evaluation alone makes of the file as it was.
        let expected = DataRoot::example();
        expected.write(TOML, &toml_before);
        expected.cohort(&eval).success();
        let toml_after = expected.read(TOML);
        assert!(
            toml == toml_before || toml == toml_after,
            "round {rounds}: cohort.toml is neither the old nor the new version:\n{toml}"
        );
    }
    assert!(rounds >= 3, "only {rounds} rounds ran");
    root.check_clean();
}
