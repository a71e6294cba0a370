//! Certificates: `issue`, `export`, `verify`, `revoke` and the register in `check`.

use std::collections::BTreeSet;

use crate::support::{DataRoot, PRACTICUM, REGISTER, Run, TOML, refused_line};

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const HEADER: &str = "number,cohort,participant,name,level,date,issued_at,status,reason\n";
/// Participants of the example at Level 1 or above on the test date.
const EARNED: usize = 12;

/// One row of the register, by column name.
#[derive(Debug, Clone, serde::Deserialize)]
struct Row {
    number: String,
    participant: String,
    name: String,
    level: String,
    date: String,
    status: String,
    reason: String,
}

fn register(root: &DataRoot) -> Vec<Row> {
    let text = root.read(REGISTER);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(headers.iter().collect::<Vec<_>>().join(",") + "\n", HEADER);
    rdr.deserialize().map(Result::unwrap).collect()
}

/// The number last issued to `participant` for `level`.
pub(crate) fn number_of(root: &DataRoot, participant: &str, level: &str) -> String {
    register(root)
        .into_iter()
        .rfind(|r| r.participant == participant && r.level == level && r.status == "issued")
        .unwrap_or_else(|| panic!("no {level} certificate for {participant}"))
        .number
}

/// Luhn mod 32 over the payload, written out independently of the program's.
fn check_char(payload: &str) -> char {
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c).unwrap() as u32;
    let sum: u32 = payload
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let v = value(c);
            if i % 2 == 0 {
                (2 * v) / 32 + (2 * v) % 32
            } else {
                v
            }
        })
        .sum();
    ALPHABET[((32 - sum % 32) % 32) as usize] as char
}

/// The certificate number of an eight-character payload.
pub(crate) fn number(payload: &str) -> String {
    let (a, b) = payload.split_at(4);
    format!("PSCE-{a}-{b}-{}", check_char(payload))
}

/// The example with its certificates issued.
pub(crate) fn issued() -> DataRoot {
    let root = DataRoot::example();
    root.ok("issue 2024-fall");
    root
}

#[test]
fn issue_gives_each_earned_level_a_number_once() {
    let root = DataRoot::example();
    // Before the first issue: a dry run writes nothing, not even an empty
    // register, and there is nothing to revoke.
    root.unchanged("issue 2024-fall --dry-run")
        .stdout_has(&format!("would issue {EARNED} certificates"))
        .stdout_has("Zoë Martin-Leclerc");
    let nobody = format!("revoke {} --reason x", number("7K3M9X2Q"));
    refused_line(&root, &nobody, 1, "no certificates have been issued yet");
    let first = root.ok("issue 2024-fall");
    let rows = register(&root);
    assert_eq!(rows.len(), EARNED);
    let zoe = rows.iter().find(|r| r.participant == "p01").unwrap();
    assert_eq!(
        (zoe.name.as_str(), zoe.level.as_str(), zoe.date.as_str()),
        ("Zoë Martin-Leclerc", "Certified", "2025-02-04")
    );
    first
        .stdout_has(&format!("issued {EARNED} certificates"))
        .stdout_has(&zoe.number)
        .stdout_has("Zoë Martin-Leclerc");
    // Level 1R: the date of the trainers' evaluation.
    let mai = rows.iter().find(|r| r.participant == "p04").unwrap();
    assert_eq!(
        (mai.level.as_str(), mai.date.as_str()),
        ("Level 1R", "2024-11-07")
    );
    // Incomplete participants get nothing.
    assert!(
        rows.iter()
            .all(|r| !["p07", "p08", "p10", "p11", "p12", "p17"].contains(&r.participant.as_str()))
    );

    // A second run changes nothing.
    root.unchanged("issue --all").stdout_has("nothing to issue");
}

#[test]
fn issuing_nothing_leaves_no_empty_register_behind() {
    let root = DataRoot::empty();
    root.write("cohorts/x/.keep", "");
    root.unchanged("issue --all").stdout_has("nothing to issue");
}

#[test]
fn a_level_1r_holder_who_is_certified_later_gets_a_new_certificate_and_keeps_the_old() {
    let root = issued();
    let old = number_of(&root, "p06", "Level 1R");
    // p06 is 1.25 h short, with a pass on 2025-03-10: log the missing support hours.
    root.append(PRACTICUM, "p06,2025-03-03,1.25,support,Grace Okafor,\n");
    root.ok("issue 2024-fall")
        .stdout_has("issued 1 certificate,")
        .stdout_has("Ingrid Sørensen")
        .stdout_has("Certified");
    let new = number_of(&root, "p06", "Certified");
    assert_ne!(new, old);
    let new_row = register(&root).into_iter().find(|r| r.number == new);
    assert_eq!(new_row.unwrap().date, "2025-03-10");
    for (n, level) in [(&old, "Level 1R"), (&new, "Certified")] {
        root.ok(&format!("verify {n}"))
            .stdout_has("VALID")
            .stdout_has(level);
    }
    let export = root.ok("export 2024-fall");
    let p06: Vec<&str> = export
        .stdout
        .lines()
        .filter(|l| l.contains(",p06,"))
        .collect();
    assert_eq!(p06.len(), 2, "{p06:?}");
    assert!(
        p06[0].starts_with(&old) && p06[0].contains(",Level 1R,"),
        "ordered by level: {p06:?}"
    );
    assert!(
        p06[1].starts_with(&new)
            && p06[1].contains(",Certified,Certified Peer Supporter,2025-03-10,")
    );
    root.ok("check").stderr_lacks(&old);
}

#[test]
fn verify_finds_every_single_typo_and_suggests_the_number() {
    let root = issued();
    let n = number_of(&root, "p01", "Certified");
    let code: Vec<usize> = (0..n.len())
        .filter(|&i| i >= 5 && n.as_bytes()[i] != b'-')
        .collect();
    assert_eq!(code.len(), 9);
    let typo = |at: usize, symbol: u8| {
        let mut t = n.clone().into_bytes();
        t[at] = symbol;
        String::from_utf8(t).unwrap()
    };
    let mistyped = |typed: &str| {
        root.run(&["verify", typed])
            .code(2)
            .stdout_has("check character does not fit")
            .stdout_has(&format!("{n}?"));
    };
    // Every position, one other symbol each.
    for &at in &code {
        let other = *ALPHABET.iter().find(|&&c| c != n.as_bytes()[at]).unwrap();
        mistyped(&typo(at, other));
    }
    // Every other symbol at one position (the check character).
    let at = *code.last().unwrap();
    for &symbol in ALPHABET.iter().filter(|&&c| c != n.as_bytes()[at]) {
        mistyped(&typo(at, symbol));
    }
}

#[test]
fn verify_reads_numbers_the_way_people_say_them() {
    let root = DataRoot::example();
    let n = number("00111000");
    root.write(REGISTER, format!("{HEADER}{n},2024-fall,p03,Siobhán O'Brien,Level 1,2025-01-23,2025-02-01T10:00:00-05:00,issued,\n"));
    let check = n.chars().last().unwrap().to_ascii_lowercase();
    for typed in [
        n.to_lowercase(),
        format!("psce oo1l i0oo {check}"),
        format!("PSCEOOILIOOO{check}"),
    ] {
        root.run(&["verify", &typed])
            .success()
            .stdout_has(&format!("{n} is VALID"))
            .stdout_has("Siobhán O'Brien")
            .stdout_has("Level 1")
            .stdout_has("Fall 2024 (2024-fall)")
            .stdout_has("2025-01-23");
    }
    // Several words on the command line are one number.
    root.run(&["verify", "psce", "0011", "1000", &check.to_string()])
        .success();
}

#[test]
fn verify_says_unknown_with_exit_1_and_malformed_with_exit_2() {
    let root = issued();
    let unknown = format!("verify {}", number("7K3M9X2Q"));
    for (line, code, says) in [
        (
            unknown.as_str(),
            1,
            "no certificate was issued with this number",
        ),
        ("verify PSCE-7K3M-9X2Q", 2, "NOT a certificate number"),
        ("verify PSCE-7K3M-9X2Q", 2, "too short"),
        ("verify PSCE-7K3U-9X2Q-H", 2, "'U'"),
        ("verify ABCD-7K3M-9X2Q-H", 2, "does not start with PSCE"),
    ] {
        root.cohort(line).code(code).stdout_has(says);
    }
}

#[test]
fn verify_prints_only_what_a_phone_check_needs() {
    let root = issued();
    let n = number_of(&root, "p01", "Certified");
    let run = root.ok(&format!("verify {n}"));
    run.stdout_has("Zoë Martin-Leclerc")
        .stdout_has("Certified Peer Supporter");
    for private in [
        "@",
        "zoe.martin-leclerc",
        "example.org",
        "Zoe Martin",
        "p01",
        "Grace Okafor",
    ] {
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            assert!(
                !text.contains(private),
                "{stream} shows {private:?}:\n{text}"
            );
        }
    }
    // Another certificate holder's records do not appear either.
    assert!(!run.stdout.contains("José"), "{}", run.stdout);
}

#[test]
fn revoke_appends_a_row_and_verify_says_when_and_why() {
    let root = issued();
    let n = number_of(&root, "p05", "Level 1R");
    let before = root.snapshot();
    root.unchanged(&format!("revoke {n} --reason 'issued in error' --dry-run"))
        .stdout_has("would revoke");

    root.ok(&format!("revoke {n} --reason 'issued in error' --yes"))
        .stdout_has(&format!("revoked {n}"));
    let rows = register(&root);
    assert_eq!(rows.len(), EARNED + 1);
    let last = rows.last().unwrap();
    assert_eq!(
        (
            last.number.as_str(),
            last.status.as_str(),
            last.reason.as_str()
        ),
        (n.as_str(), "revoked", "issued in error")
    );
    assert_eq!(
        (last.name.as_str(), last.level.as_str()),
        ("Darnell Brooks, Jr.", "Level 1R")
    );
    assert!(
        root.read(REGISTER)
            .as_bytes()
            .starts_with(&before[REGISTER]),
        "append-only"
    );

    let run = root.run(&["verify", &n]);
    run.code(1).stdout_has("REVOKED on");
    // The reason is for staff only.
    assert!(!run.stdout.contains("issued in error"), "{}", run.stdout);
    root.run(&["verify", &n, "--staff"])
        .code(1)
        .stdout_has("REVOKED on")
        .stdout_has(": issued in error.");
    let export = root.ok("export 2024-fall");
    assert!(
        !export.stdout.contains(&n),
        "export leaves revoked certificates out"
    );
    root.ok("check");

    // Refusals leave every file as it was.
    let mut typo = n.clone().into_bytes();
    typo[5] = if typo[5] == b'0' { b'1' } else { b'0' };
    let typo = String::from_utf8(typo).unwrap();
    for (line, code, message) in [
        (format!("revoke {n} --reason again"), 1, "already revoked"),
        (
            format!("revoke {} --reason x", number("7K3M9X2Q")),
            1,
            "is not in the register",
        ),
        (
            "revoke PSCE-7K3M-9X2Q --reason x".to_string(),
            2,
            "too short",
        ),
        (format!("revoke {typo} --reason x"), 2, "mistyped"),
        (format!("revoke {n} --reason '  '"), 2, "--reason is empty"),
    ] {
        refused_line(&root, &line, code, message);
    }

    // The records still give Level 1R: issue replaces the revoked certificate.
    root.ok("issue 2024-fall")
        .stdout_has(&format!("replaces revoked {n}"));
    assert_ne!(number_of(&root, "p05", "Level 1R"), n);
}

#[test]
fn concurrent_issue_runs_never_duplicate_a_number_or_a_certificate() {
    let root = DataRoot::example();
    let children: Vec<_> = (0..6)
        .map(|_| root.command(&["issue", "2024-fall"]).spawn().unwrap())
        .collect();
    let mut total = 0;
    for child in children {
        let run = Run::of("issue 2024-fall".into(), child.wait_with_output().unwrap());
        run.success();
        total += run
            .stdout
            .lines()
            .find_map(|l| {
                l.strip_prefix("issued ")
                    .and_then(|rest| rest.split(' ').next())
            })
            .map_or(0, |n| n.parse::<usize>().unwrap());
    }
    assert_eq!(
        total, EARNED,
        "the certificates were issued once between them"
    );
    let rows = register(&root);
    assert_eq!(rows.len(), EARNED);
    let numbers: BTreeSet<&str> = rows.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(numbers.len(), EARNED, "no number twice");
    let held: BTreeSet<(&str, &str)> = rows
        .iter()
        .map(|r| (r.participant.as_str(), r.level.as_str()))
        .collect();
    assert_eq!(held.len(), EARNED, "no certificate twice");
    assert!(
        root.read(REGISTER).matches("number,cohort").count() == 1,
        "one header"
    );
    root.ok("check");
}

#[test]
fn export_neutralises_formulas_but_the_register_keeps_the_name_as_issued() {
    let root = DataRoot::example();
    root.rename("Kwame Mensah", "=HYPERLINK(\\\"http://x\\\")");
    root.ok("issue 2024-fall");
    let p13 = register(&root).into_iter().find(|r| r.participant == "p13");
    assert_eq!(p13.unwrap().name, "=HYPERLINK(\"http://x\")");
    let export = root.ok("export 2024-fall --format csv");
    export.stdout_has(",\"'=HYPERLINK(\"\"http://x\"\")\",");
    assert!(
        !export
            .stdout
            .lines()
            .any(|l| l.split(',').any(|cell| cell.starts_with('='))),
        "{}",
        export.stdout
    );
    // JSON is not for spreadsheets: the name as it is.
    root.ok("export 2024-fall --format json")
        .stdout_has("\"name\": \"=HYPERLINK(\\\"http://x\\\")\"");
}

#[test]
fn export_has_the_columns_and_order_of_the_contract() {
    let root = issued();
    let run = root.ok("export --all --level certified");
    // A byte-order mark first, so that Excel on Windows reads UTF-8.
    let text = run
        .stdout
        .strip_prefix('\u{feff}')
        .expect("a byte-order mark");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "number,cohort,participant,name,level,credential,date,program,trainers,cohort_name"
    );
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    let participants: Vec<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(participants, ["p01", "p02", "p16"]);
    assert!(lines[1].ends_with(",Certified,Certified Peer Supporter,2025-02-04,Peer Support Core Essentials,Rosa Delgado; Malik Haddad,Fall 2024"), "{}", lines[1]);
    assert!(
        !text.contains('@'),
        "no e-mail without --with-email: {text}"
    );
    root.ok("export 2024-fall --level 'Level 1'")
        .stdout_has(",Level 1,Level 1: completed the training,");
    root.cohort("export 2024-fall --level incomplete")
        .fails(2, "not a certificate level");
}

#[test]
fn a_name_change_after_issue_does_not_alter_the_certificate() {
    let root = issued();
    let n = number_of(&root, "p03", "Level 1");
    root.rename("Siobhán O'Brien", "Siobhán Kelly");
    root.ok(&format!("verify {n}"))
        .stdout_has("Siobhán O'Brien");
    root.ok("export 2024-fall").stdout_has("Siobhán O'Brien");
    root.ok("issue 2024-fall").stdout_has("nothing to issue");
}

#[test]
fn issue_and_export_refuse_data_with_errors_and_change_nothing() {
    let root = DataRoot::example();
    root.append("cohorts/2024-fall/attendance/03.csv", "p99,present,,,,\n");
    for line in [
        "issue 2024-fall",
        "export 2024-fall",
        "issue 2024-fall --dry-run",
    ] {
        refused_line(&root, line, 1, "cohorts/2024-fall/attendance/03.csv")
            .stderr_has("unknown participant \"p99\"")
            .stderr_has("refusing to go on");
    }
    assert!(!root.path(REGISTER).exists());
}

#[test]
fn a_register_with_errors_is_refused_and_located() {
    let root = issued();
    let n = number_of(&root, "p02", "Certified");
    root.append(
        REGISTER,
        &format!("{n},2024-fall,p09,Rahim Chowdhury,Level 1,2024-11-07,2025-01-01,issued,\n"),
    );
    let already = format!(
        "certificates.csv:{}: error: number {n} was already issued on line",
        EARNED + 2
    );
    for (line, message) in [
        ("issue 2024-fall".to_string(), already.as_str()),
        ("export 2024-fall".to_string(), "already issued"),
        (format!("verify {n}"), "already issued"),
        (format!("revoke {n} --reason x"), "already issued"),
        ("check".to_string(), "certificates.csv:14: error:"),
    ] {
        refused_line(&root, &line, 1, message);
    }
}

#[test]
fn check_reports_every_kind_of_register_problem() {
    let root = DataRoot::example();
    let (a, b, c) = (number("7K3M9X2Q"), number("00000001"), number("ZZZZ0000"));
    let mut typo = a.clone();
    typo.replace_range(5..6, "8");
    root.write(
        REGISTER,
        format!(
            "{HEADER}\
             {typo},2024-fall,p01,Zoë Martin-Leclerc,Certified,2025-02-04,2025-03-01T10:00:00-05:00,issued,\n\
             {a},2024-fall,p01,Zoë Martin-Leclerc,Diploma,2025-02-04,2025-03-01T10:00:00-05:00,issued,\n\
             {a},2024-fall,p01,Zoë Martin-Leclerc,Certified,2025-02-04,2025-03-01T10:00:00-05:00,cancelled,\n\
             {b},2024-fall,p01,Zoë Martin-Leclerc,Certified,2025-02-04,2025-03-01T10:00:00-05:00,revoked,oops\n\
             {c},2023-spring,p01,Someone,Level 1,2023-06-01,2023-06-02,issued,\n\
             {a},2024-fall,p77,Someone Else,Level 1,2024-11-07,2025-03-01,issued,\n"
        ),
    );
    root.cohort("check").fails(1, "certificates.csv:2: error: number")
        .stderr_has("check character that does not fit")
        .stderr_has("certificates.csv:3: error: level \"Diploma\" is not a certificate level")
        .stderr_has("certificates.csv:4: error: status \"cancelled\" is not issued or revoked")
        .stderr_has(&format!("certificates.csv:5: error: revokes {b}, but no earlier row issued it"))
        .stderr_has(&format!("certificates.csv:6: warning: certificate {c} is of cohort 2023-spring, which has no cohorts/2023-spring/cohort.toml"))
        .stderr_has(&format!("certificates.csv:7: warning: certificate {a} is of participant p77, who is not in cohort 2024-fall"));
}

#[test]
fn check_warns_when_a_correction_lowers_an_issued_level() {
    let root = issued();
    let n = number_of(&root, "p13", "Level 1");
    root.ok("check").stderr_lacks(&n);
    root.edit(
        TOML,
        "name = \"Kwame Mensah\"\n\n[participant.evaluation]\nparticipation = \"full\"",
        "name = \"Kwame Mensah\"\n\n[participant.evaluation]\nparticipation = \"partial\"",
    );
    root.ok("check")
        .stderr_has(&format!("warning: certificate {n} was issued for Level 1, but the records of p13 in 2024-fall now give Incomplete"))
        .stderr_has(&format!("cohort revoke {n}"));
    // Revoking it settles the warning.
    root.ok(&format!("revoke {n} --reason 'evaluation corrected' --yes"));
    root.ok("check").stderr_lacks(&format!("certificate {n}"));
}
