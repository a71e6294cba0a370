//! Hostile and odd files (docs/guarantees.md, "Links, special files and
//! sizes" and "Control characters"): nothing outside the root, nothing raw
//! on a terminal, no hang, no empty file left by a refusal.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::sheets::roster_refused;
use crate::support::{DataRoot, PRACTICUM, REGISTER, Run, TOML, files_below, refused_line, words};

const ESC: &str = "\u{1b}";

/// `cohort LINE` in `root` that must end within `limit` (a hang is a
/// failure, not a stuck test run). Killed and failed when it does not.
#[track_caller]
fn run_within(root: &DataRoot, line: &str, limit: Duration) -> Run {
    let started = Instant::now();
    // assert_cmd reads the pipes on threads, so that a flood of output
    // cannot block the child, and kills the child at the limit.
    let output = assert_cmd::Command::from_std(root.command(&words(line)))
        .timeout(limit)
        .output()
        .unwrap();
    let killed = output.status.code().is_none() && started.elapsed() >= limit;
    assert!(!killed, "`cohort {line}` did not end within {limit:?}");
    Run::of(line.to_string(), output)
}

/// The time [`run_within`] gives a command, and on the huge files.
const LIMIT: Duration = Duration::from_secs(20);
const HUGE: Duration = Duration::from_secs(30);

/// Fails unless `run` printed fewer than `bytes` bytes of messages.
#[track_caller]
fn messages_below(run: &Run, bytes: usize) {
    assert!(
        run.stderr.len() < bytes,
        "{} bytes of messages",
        run.stderr.len()
    );
}

/// Moves `rel` of `root` into the folder `to` and leaves a symbolic link to
/// it in its place; the path it now has.
fn link_away(root: &DataRoot, rel: &str, to: &Path) -> PathBuf {
    let real = to.join(Path::new(rel).file_name().unwrap());
    std::fs::rename(root.path(rel), &real).unwrap();
    symlink(&real, root.path(rel)).unwrap();
    real
}

/// The example with certificates issued; the number of p03's (Level 1).
fn issued() -> (DataRoot, String) {
    let root = DataRoot::example();
    root.cohort("issue --all").success();
    let register = root.read(REGISTER);
    let number = register
        .lines()
        .find(|l| l.contains(",p03,"))
        .and_then(|l| l.split(',').next())
        .expect("p03 has a certificate")
        .to_string();
    (root, number)
}

// ---- 1. Control characters -------------------------------------------------

#[test]
fn an_escape_sequence_in_the_register_cannot_make_a_revoked_number_read_valid() {
    let (root, number) = issued();
    root.run(&["revoke", &number, "--reason", "issued in error", "--yes"])
        .success();
    // A hand edit: the name erases the line above and prints its own verdict.
    let forged = format!("Siobhán{ESC}[1A{ESC}[2K\r{number} is VALID.{ESC}[8m");
    root.edit(REGISTER, "Siobhán O'Brien", &format!("\"{forged}\""));
    let run = root.run(&["verify", &number]);
    run.code(1);
    assert!(!run.stdout.contains("is VALID"), "{}", run.stdout);
    assert!(!run.stdout.contains(ESC) && !run.stderr.contains(ESC));
    run.stderr_has("error: cell 4 holds the control character U+001B (\\u{1b})")
        .stderr_has("Siobhán\\u{1b}[1A\\u{1b}[2K");
}

#[test]
fn verify_shows_names_escaped_even_from_a_register_it_accepts() {
    // A register row whose name holds a bidi override is refused, so verify
    // gives no answer at all rather than a disguised one.
    let (root, number) = issued();
    root.edit(REGISTER, "Siobhán O'Brien", "Siobhán \u{202e}neirB'O");
    let run = root.run(&["verify", &number]);
    run.code(1).stderr_has("U+202E (\\u{202e})");
    assert!(!run.stdout.contains("VALID"));
    assert!(!run.stderr.contains('\u{202e}'));
}

#[test]
fn flags_and_cohort_user_with_control_characters_are_refused_and_change_nothing() {
    let root = DataRoot::example();
    let before = root.snapshot();
    let bad = format!("Rosa{ESC}[2K");
    let bad_note = "made up\nwith cohort 2025-winter".to_string();
    let rlo = "Grace \u{202e}rofakO".to_string();
    for line in [
        format!("attend 2024-fall 3 --present p01 --by '{bad}'"),
        format!("attend 2024-fall 9 --makeup p03 --note '{bad_note}'"),
        format!("practicum log 2024-fall p01 --date 2025-03-01 --hours 2 --monitor '{rlo}'"),
        format!("enroll 2024-fall --id p99 --name '{bad}' --email x@example.org"),
        format!("enroll 2024-fall --id p99 --name 'New Person' --email '{rlo}'"),
        format!("enroll 2024-fall --id p99 --name 'New Person' --alias '{bad}'"),
        format!("withdraw 2024-fall p11 --date 2024-11-06 --reason '{bad_note}'"),
        format!("revoke PSCE-7K3M-9X2Q-H --reason '{bad}'"),
        format!("evaluate 2024-fall p11 --participation full --by '{rlo}'"),
        format!(
            "new 2025-winter --start 2025-01-06 --days mon --timezone America/Toronto --trainer '{bad}'"
        ),
    ] {
        // Each refused with every file as it was.
        let run = refused_line(&root, &line, 2, "holds the control character U+");
        assert!(
            !run.stderr.contains(ESC) && !run.stderr.contains('\u{202e}'),
            "{line}"
        );
    }
    let run = root.cohort_with(
        "attend 2024-fall 3 --present p01",
        &[("COHORT_USER", &bad)],
        None,
    );
    run.code(2)
        .stderr_has("COHORT_USER \"Rosa\\u{1b}[2K\" holds the control character U+001B");
    assert_eq!(root.snapshot(), before);
}

#[test]
fn a_name_with_an_escape_blocks_status_and_report_and_is_shown_escaped() {
    let root = DataRoot::example();
    root.edit(
        TOML,
        "name = \"Zoë Martin-Leclerc\"",
        "name = \"Zoë\\u001b]0;owned\\u0007 Martin-Leclerc\"",
    );
    for args in [
        &["status", "2024-fall"][..],
        &["report", "2024-fall"],
        &["report", "--all", "--format", "csv"],
        &["export", "--all"],
        &["issue", "--all"],
    ] {
        let run = root.run(args);
        run.code(1).stderr_has("U+001B (\\u{1b})");
        assert!(
            !run.stdout.contains(ESC) && !run.stderr.contains(ESC),
            "{}",
            args.join(" ")
        );
        assert!(!run.stderr.contains('\u{7}'));
    }
    assert!(!root.path(REGISTER).exists());
}

// ---- 2. Paths --------------------------------------------------------------

#[test]
fn every_command_that_takes_a_cohort_refuses_a_path_or_a_non_slug() {
    let root = DataRoot::example();
    // What `cohorts/../../outside` would reach.
    let outside = tempfile::tempdir().unwrap();
    let reached = outside.path().join("x/attendance");
    std::fs::create_dir_all(&reached).unwrap();
    for id in ["../../outside", "Fall 2024", "2024-fall/../2024-fall", ".."] {
        for line in [
            "check ID",
            "report ID",
            "status ID",
            "export ID",
            "issue ID",
            "attend ID 3 --present p01",
            "enroll ID --id p99 --name 'New Person'",
            "evaluate ID p11 --participation full --by 'Rosa Delgado'",
            "withdraw ID p11 --date 2024-11-06",
            "practicum log ID p01 --date 2025-03-01 --hours 2 --monitor 'Grace Okafor'",
            "practicum result ID p04 pass --by 'Rosa Delgado'",
            "new ID --start 2025-01-06 --days mon --timezone America/Toronto",
            "alias ID p01 'Zoe ML'",
            "practicum log ID --from timesheet.csv",
        ] {
            let line = line.replace("ID", &format!("'{id}'"));
            // Refused with every file as it was.
            refused_line(&root, &line, 2, "is not a cohort id");
        }
    }
    assert_eq!(std::fs::read_dir(&reached).unwrap().count(), 0);
}

#[test]
fn the_id_help_never_proposes_a_path() {
    // A folder whose name is not a slug cannot be named on the command line;
    // its id mismatch help says to rename the folder.
    let root = DataRoot::example();
    root.cohort("check").success();
    std::fs::rename(
        root.path("cohorts/2024-fall"),
        root.path("cohorts/Fall 2024"),
    )
    .unwrap();
    root.cohort("check")
        .code(1)
        .stderr_has("cohorts/Fall 2024: error: \"Fall 2024\" is not a cohort id")
        .stderr_lacks("id = \"Fall 2024\"");
    root.cohort("report 'Fall 2024'")
        .fails(2, "is not a cohort id");
}

#[test]
fn a_linked_cohort_folder_is_refused_by_every_command_alike() {
    // The example moved out of the root, with `cohorts/2024-fall` a link to it.
    let root = DataRoot::example();
    let elsewhere = tempfile::tempdir().unwrap();
    link_away(&root, "cohorts/2024-fall", elsewhere.path());
    let before = files_below(elsewhere.path());
    let message = "cohorts/2024-fall: error: is a symbolic link; cohort does not follow links below the data root";
    root.cohort("check").code(1).stderr_has(message);
    root.cohort("report --all").code(1).stderr_has(message);
    root.cohort("issue --all").code(1).stderr_has(message);
    root.cohort("export --all").code(1).stderr_has(message);
    let inside = "cohorts/2024-fall/cohort.toml: error: is inside cohorts/2024-fall, which is a symbolic link";
    for line in [
        "report 2024-fall",
        "status 2024-fall",
        "check 2024-fall",
        "attend 2024-fall 3 --present p01",
        "enroll 2024-fall --id p99 --name 'New Person'",
        "withdraw 2024-fall p11 --date 2024-11-06",
        "practicum log 2024-fall p01 --date 2025-03-01 --hours 2 --monitor 'Grace Okafor'",
    ] {
        root.cohort(line).code(1).stderr_has(inside);
    }
    assert_eq!(files_below(elsewhere.path()), before);
    assert!(!root.path(REGISTER).exists());
}

#[test]
fn a_linked_log_or_practicum_log_is_never_read_or_appended_through() {
    let root = DataRoot::example();
    let elsewhere = tempfile::tempdir().unwrap();
    let secret = elsewhere.path().join("secret.csv");
    std::fs::write(&secret, "participant,status\np01,present\nSECRET-LINE,x\n").unwrap();
    root.remove("cohorts/2024-fall/attendance/03.csv");
    symlink(&secret, root.path("cohorts/2024-fall/attendance/03.csv")).unwrap();
    let p_secret = link_away(&root, PRACTICUM, elsewhere.path());
    let secret_before = std::fs::read(&secret).unwrap();
    let p_before = std::fs::read(&p_secret).unwrap();

    root.cohort("check")
        .code(1)
        .stderr_has("cohorts/2024-fall/attendance/03.csv: error: is a symbolic link")
        .stderr_has("cohorts/2024-fall/practicum.csv: error: is a symbolic link")
        .stderr_lacks("SECRET-LINE");
    root.cohort("attend 2024-fall 3 --present p01")
        .code(1)
        .stderr_has("cohorts/2024-fall/attendance/03.csv: error: is a symbolic link");
    root.cohort("practicum log 2024-fall p01 --date 2025-03-01 --hours 2 --monitor 'Grace Okafor'")
        .code(1)
        .stderr_has("cohorts/2024-fall/practicum.csv: error: is a symbolic link");
    root.cohort("report 2024-fall").code(1);
    assert_eq!(std::fs::read(&secret).unwrap(), secret_before);
    assert_eq!(std::fs::read(&p_secret).unwrap(), p_before);
}

#[test]
fn a_linked_register_or_cohort_toml_is_refused() {
    let (root, number) = issued();
    let elsewhere = tempfile::tempdir().unwrap();
    let real = link_away(&root, REGISTER, elsewhere.path());
    let before = std::fs::read(&real).unwrap();
    root.run(&["verify", &number])
        .fails(1, "certificates.csv: error: is a symbolic link");
    root.run(&["revoke", &number, "--reason", "test", "--yes"])
        .code(1);
    root.cohort("check")
        .fails(1, "certificates.csv: error: is a symbolic link");
    assert_eq!(std::fs::read(&real).unwrap(), before);

    let root = DataRoot::example();
    let toml = link_away(&root, TOML, elsewhere.path());
    let before = std::fs::read(&toml).unwrap();
    root.cohort("withdraw 2024-fall p11 --date 2024-10-30")
        .code(1)
        .stderr_has("cohorts/2024-fall/cohort.toml: error: is a symbolic link");
    root.cohort("enroll 2024-fall --id p99 --name 'New Person'")
        .code(1);
    assert_eq!(std::fs::read(&toml).unwrap(), before);
    assert!(files_below(elsewhere.path()).len() == 2);
}

// ---- 3. Hangs and floods ---------------------------------------------------

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[test]
fn a_fifo_named_like_a_log_hangs_no_command() {
    let root = DataRoot::example();
    root.remove("cohorts/2024-fall/attendance/03.csv");
    mkfifo(&root.path("cohorts/2024-fall/attendance/03.csv"));
    let message =
        "cohorts/2024-fall/attendance/03.csv: error: is a FIFO (named pipe), not a regular file";
    for line in [
        "check",
        "report 2024-fall",
        "status 2024-fall",
        "attend 2024-fall 3 --present p01",
        "issue --all",
    ] {
        run_within(&root, line, LIMIT).code(1).stderr_has(message);
    }
    // The register and the practicum log too.
    mkfifo(&root.path(REGISTER));
    run_within(&root, "verify PSCE-7K3M-9X2Q-H", LIMIT)
        .fails(1, "certificates.csv: error: is a FIFO");
    run_within(&root, "check", LIMIT).fails(1, "certificates.csv: error: is a FIFO");
    let root = DataRoot::example();
    mkfifo(&root.path(REGISTER));
    for line in [
        "issue --all --dry-run",
        "issue --all",
        "revoke PSCE-7K3M-9X2Q-H --reason test --dry-run",
        "revoke PSCE-7K3M-9X2Q-H --reason test --yes",
    ] {
        run_within(&root, line, LIMIT).fails(1, "certificates.csv");
    }
    // `new` reads the other cohorts for a default time zone.
    std::fs::create_dir_all(root.path("cohorts/2025-winter")).unwrap();
    mkfifo(&root.path("cohorts/2025-winter/cohort.toml"));
    run_within(
        &root,
        "new 2025-spring --start 2025-04-07 --days mon --dry-run",
        LIMIT,
    )
    .success();
}

#[test]
fn a_huge_sparse_log_is_refused_at_once() {
    let root = DataRoot::example();
    let path = root.path("cohorts/2024-fall/attendance/03.csv");
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    let size = 2 * 1024 * 1024 * 1024;
    file.set_len(size).unwrap(); // sparse: no disk used
    drop(file);
    let message = "cohorts/2024-fall/attendance/03.csv: error: is 2048 MiB; cohort reads files of at most 64 MiB";
    for line in [
        "check",
        "report 2024-fall",
        "attend 2024-fall 3 --present p01",
    ] {
        run_within(&root, line, LIMIT).code(1).stderr_has(message);
    }
    assert_eq!(std::fs::metadata(&path).unwrap().len(), size);
}

#[test]
fn a_ten_megabyte_cell_gives_a_short_message() {
    let root = DataRoot::example();
    let cell = "x".repeat(10 * 1024 * 1024);
    root.append(
        "cohorts/2024-fall/attendance/03.csv",
        &format!("p06,{cell},,Rosa Delgado,,\n"),
    );
    let run = run_within(&root, "check", HUGE);
    run.code(1)
        .stderr_has("cohorts/2024-fall/attendance/03.csv:20: error: status \"xxx");
    messages_below(&run, 8 * 1024);
    let run = run_within(&root, "attend 2024-fall 3 --present p01", HUGE);
    run.code(1);
    messages_below(&run, 8 * 1024);
}

#[test]
fn a_million_unknown_columns_give_a_few_warnings_quickly() {
    let root = DataRoot::example();
    let mut header = String::from("participant,status,minutes,recorded_by,recorded_at,note");
    for i in 0..1_000_000 {
        header.push_str(&format!(",c{i}"));
    }
    header.push('\n');
    root.write("cohorts/2024-fall/attendance/03.csv", &header);
    let started = Instant::now();
    let run = run_within(&root, "check", HUGE);
    run.success()
        .stderr_has("warning: unknown column \"c0\" is ignored")
        .stderr_has("warning: and 999997 more unknown columns are ignored");
    messages_below(&run, 16 * 1024);
    let run = run_within(&root, "attend 2024-fall 3 --present p01 --dry-run", HUGE);
    messages_below(&run, 16 * 1024);
    assert!(started.elapsed() < HUGE);
}

// ---- 4. Refused writes leave nothing ---------------------------------------

/// `cohort ARGS…` with a file-size limit of 0: every write to a file fails
/// as on a full disk (EFBIG; SIGXFSZ is ignored, so the write returns an
/// error instead of killing the process). Creating a file still works.
/// It must fail (exit 1) and leave every file as it was.
#[track_caller]
fn fails_on_full_disk(root: &DataRoot, line: &str) -> Run {
    let before = root.snapshot();
    let script = "trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\"";
    let mut args = vec![
        "-c".to_string(),
        script.into(),
        env!("CARGO_BIN_EXE_cohort").into(),
    ];
    args.extend(words(line));
    let output = root.command_of("sh", &args).output().unwrap();
    let run = Run::of(line.to_string(), output);
    run.code(1);
    assert_eq!(root.snapshot(), before, "`cohort {line}` on a full disk");
    run
}

#[test]
fn a_failed_write_to_a_new_log_or_register_leaves_no_file() {
    let root = DataRoot::example();
    root.remove("cohorts/2024-fall/attendance/17.csv");
    fails_on_full_disk(&root, "attend 2024-fall 17 --present p01")
        .stderr_has("could not write to cohorts/2024-fall/attendance/17.csv")
        .stderr_lacks(&root.dir().display().to_string());

    let root = DataRoot::example();
    fails_on_full_disk(&root, "issue --all")
        .stderr_has("could not write to certificates.csv")
        .stderr_lacks(&root.dir().display().to_string());
    assert!(!root.path(REGISTER).exists());

    root.remove(PRACTICUM);
    fails_on_full_disk(
        &root,
        "practicum log 2024-fall p04 --date 2025-03-01 --hours 2 --monitor 'Grace Okafor'",
    );
}

#[test]
fn a_read_only_cohort_toml_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let root = DataRoot::example();
    let path = root.path(TOML);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    root.withdraw("2024-fall", "p11")
        .date("2024-10-30")
        .refused(1, "cohorts/2024-fall/cohort.toml")
        .stderr_has("it is read-only");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

// ---- 7. Smaller ------------------------------------------------------------

#[test]
fn an_empty_cohort_root_gets_a_clear_message() {
    let root = DataRoot::example();
    root.cohort_with("check", &[("COHORT_ROOT", "")], None)
        .fails(2, "COHORT_ROOT is set but empty");
}

/// `PSCE-XXXX-XXXX-C` for an 8-character payload, with its check character.
fn number_with_check(payload: &str, check: char) -> String {
    format!("PSCE-{}-{}-{check}", &payload[..4], &payload[4..])
}

fn check_of(payload: &str) -> char {
    cohort::certnum::check_char(payload.as_bytes()) as char
}

#[test]
fn verify_suggests_at_most_one_number_and_only_a_registered_valid_one() {
    let (p1, p2) = ("7K3M9X2Q", "7K3M9X2R");
    let (c1, c2) = (check_of(p1), check_of(p2));
    assert_ne!(c1, c2);
    let a = number_with_check(p1, c1);
    let b = number_with_check(p2, c2);
    // One character from both: a's payload with b's check character.
    let typed = number_with_check(p1, c2);
    let row = |n: &str, p: &str, name: &str| {
        format!("{n},2024-fall,{p},{name},Level 1,2024-11-05,2024-11-20T10:00:00-05:00,issued,\n")
    };
    let register = |rows: &[String]| {
        let header = "number,cohort,participant,name,level,date,issued_at,status,reason";
        format!("{header}\n{}", rows.concat())
    };
    let root = DataRoot::example();
    let p03 = row(&a, "p03", "Siobhán O'Brien");
    let p09 = row(&b, "p09", "Rahim Chowdhury");
    root.write(REGISTER, register(&[p03.clone(), p09]));
    let run = root.run(&["verify", &typed]);
    run.code(2)
        .stdout_has("its check character does not fit")
        .stdout_has("Check the number against the printed certificate.");
    assert!(
        !run.stdout.contains(&a) && !run.stdout.contains(&b),
        "{}",
        run.stdout
    );

    root.write(REGISTER, register(&[p03]));
    root.run(&["verify", &typed])
        .code(2)
        .stdout_has(&format!("Did you mean {a}?"));
}

#[test]
fn report_and_check_agree_on_a_folder_name_that_is_not_an_id() {
    let root = DataRoot::example();
    std::fs::create_dir_all(root.path("cohorts/Fall 2024")).unwrap();
    std::fs::copy(root.path(TOML), root.path("cohorts/Fall 2024/cohort.toml")).unwrap();
    root.cohort("check")
        .fails(1, "\"Fall 2024\" is not a cohort id");
    root.cohort("report 'Fall 2024'")
        .fails(2, "\"Fall 2024\" is not a cohort id");
    root.cohort("report --all")
        .fails(1, "\"Fall 2024\" is not a cohort id");
}

// ---- 5. Dates --------------------------------------------------------------

#[test]
fn practicum_hours_of_tomorrow_are_accepted_with_a_days_grace_but_not_later() {
    // TODAY is 2026-11-22: a trainer at UTC+14 may already be on the 23rd.
    let root = DataRoot::example();
    root.append(PRACTICUM, "p18,2026-11-23,2,support,Sam Whitfield,\n");
    root.cohort("check").success();
    root.cohort("report --all").success();
    root.append(PRACTICUM, "p18,2026-11-24,2,support,Sam Whitfield,\n");
    root.cohort("check").code(1).stderr_has(
        "error: date 2026-11-24 is in the future (today is 2026-11-22 in America/Toronto; a day's grace is allowed)",
    );
}

#[test]
fn new_reads_back_what_it_would_write() {
    let root = DataRoot::example();
    let before = root.snapshot();
    root.cohort("new 2025-late --start 9999-12-01 --days mon --timezone America/Toronto")
        .code(2)
        .stderr_has("--start 9999-12-01: the sessions would run past the year 9999")
        .stderr_has("nothing was written");
    // A session time the clocks skip (2025-03-09 in Toronto: 02:00 → 03:00).
    root.cohort("new 2025-spring --start 2025-03-09 --days sun --time 02:30-04:30 --timezone America/Toronto")
    .fails(2, "webinar 1: start 02:30 on 2025-03-09 does not exist in America/Toronto")
    .stderr_has("could not be read back");
    assert_eq!(root.snapshot(), before);
    assert!(!root.path("cohorts/2025-spring").exists());
}

#[test]
fn a_linked_attendance_folder_or_curriculum_is_refused() {
    let root = DataRoot::example();
    let elsewhere = tempfile::tempdir().unwrap();
    let real = link_away(&root, "cohorts/2024-fall/attendance", elsewhere.path());
    let before = files_below(&real);
    let message = "cohorts/2024-fall/attendance: error: is a symbolic link; cohort does not follow links below the data root";
    root.cohort("check").code(1).stderr_has(message);
    root.cohort("report 2024-fall").code(1).stderr_has(message);
    root.cohort("attend 2024-fall 3 --present p01")
        .fails(1, "cohorts/2024-fall/attendance/03.csv: error: is inside cohorts/2024-fall/attendance, which is a symbolic link");
    assert_eq!(files_below(&real), before);

    let root = DataRoot::example();
    link_away(&root, "curriculum.toml", elsewhere.path());
    root.cohort("check")
        .fails(1, "curriculum.toml: error: is a symbolic link");
    root.cohort("report 2024-fall").code(1);
}

#[test]
fn a_roster_name_with_a_control_character_enrols_nobody() {
    let root = DataRoot::example();
    root.write(
        "roster.csv",
        "id,name,email\np20,Ada Example,ada@example.org\np21,\"Bo\u{1b}[2K Example\",bo@example.org\n",
    );
    let run = roster_refused(
        &root,
        "roster.csv",
        "roster.csv:3: error: cell 2 holds the control character U+001B (\\u{1b})",
    );
    assert!(!run.stderr.contains(ESC));
}

#[test]
fn a_fifo_named_as_a_roster_timesheet_or_meeting_report_hangs_nothing() {
    let root = DataRoot::example();
    mkfifo(&root.path("in.csv"));
    for line in [
        "enroll 2024-fall --from in.csv",
        "practicum log 2024-fall --from in.csv",
        "attend 2024-fall 3 --from-report in.csv",
    ] {
        let run = run_within(&root, line, LIMIT);
        assert_ne!(run.code, 0, "{line}");
        run.stderr_has("not a regular file");
    }
}
