//! `verify` keeps its index of a checked register in the cache folder
//! (`src/register/cache.rs`): the answers from a kept index are the
//! answers of a full check, and any change to the register makes it
//! stale.

use crate::certificates::{issued, number_of};
use crate::support::{DataRoot, REGISTER, Run};

/// The example with its certificates issued, and one of them revoked:
/// (the root, a valid number, the revoked number).
pub(crate) fn issued_and_revoked() -> (DataRoot, String, String) {
    let root = issued();
    let valid = number_of(&root, "p01", "Certified");
    let revoked = number_of(&root, "p05", "Level 1R");
    root.ok(&format!(
        "revoke {revoked} --reason 'issued in error' --yes"
    ));
    (root, valid, revoked)
}

/// The index files kept for `root`.
fn kept(root: &DataRoot) -> Vec<std::path::PathBuf> {
    let dir = std::fs::read_dir(root.cache_dir()).into_iter().flatten();
    dir.map(|e| e.unwrap().path()).collect()
}

/// `verify LINE` with no index kept or read.
fn uncached(root: &DataRoot, line: &str) -> Run {
    root.cohort_with(line, &[("COHORT_CACHE_DIR", "")], None)
}

fn same(a: &Run, b: &Run) {
    assert_eq!(
        (a.code, &a.stdout, &a.stderr),
        (b.code, &b.stdout, &b.stderr),
        "`cohort {}` answers differently from a kept index",
        a.args
    );
}

#[test]
fn answers_from_a_kept_index_are_the_answers_of_a_full_check() {
    let (root, valid, revoked) = issued_and_revoked();
    let mut mistyped = valid.clone();
    let last = mistyped.pop().unwrap();
    mistyped.push(if last == '0' { '1' } else { '0' });
    let lines = [
        format!("verify {valid}"),
        format!("verify {}", valid.to_lowercase()),
        format!("verify {revoked}"),
        format!("verify {revoked} --staff"),
        format!("verify {revoked} --format json"),
        format!("verify {mistyped}"),
        "verify PSCE-0000-0000-0".to_string(),
        "verify PSCE-7K3M".to_string(),
    ];
    let full: Vec<Run> = lines.iter().map(|line| uncached(&root, line)).collect();
    assert!(kept(&root).is_empty(), "COHORT_CACHE_DIR= keeps nothing");
    for (line, full) in lines.iter().zip(&full) {
        same(full, &root.cohort(line));
        same(full, &root.cohort(line));
    }
    root.ok(&format!("verify {valid}")).stdout_has("is VALID");
    root.cohort(&format!("verify {revoked} --staff"))
        .code(1)
        .stdout_has("REVOKED on")
        .stdout_has("issued in error");
    // One file for the one register, and nothing in it but numbers and places.
    // (Whole words only: two random bytes of a hash are "Zo" one time in
    // 65,536, and the index holds hundreds.)
    let files = kept(&root);
    assert_eq!(files.len(), 1, "{files:?}");
    let bytes = std::fs::read(&files[0]).unwrap();
    for private in [
        "Zoë",
        "Martin-Leclerc",
        "Darnell",
        "issued in error",
        "2024-fall",
        "p01",
    ] {
        assert!(
            !bytes
                .windows(private.len())
                .any(|w| w == private.as_bytes()),
            "the kept index holds {private:?}"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&files[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by its owner only: {mode:o}");
    }
}

#[test]
fn a_register_changed_by_hand_is_checked_again() {
    let (root, valid, _) = issued_and_revoked();
    root.cohort(&format!("verify {valid}")).success();
    assert_eq!(kept(&root).len(), 1);
    // A revocation typed in by hand counts at once.
    let text = root.read(REGISTER);
    let row = text.lines().find(|l| l.starts_with(&valid)).unwrap();
    let revocation = format!("{}\n", row.replace(",issued,", ",revoked,withdrawn"));
    root.write(REGISTER, format!("{text}{revocation}"));
    root.cohort(&format!("verify {valid}"))
        .code(1)
        .stdout_has("REVOKED on");
    // An error anywhere: verify refuses, whatever it kept before.
    root.edit(REGISTER, ",issued,", ",isued,");
    root.cohort(&format!("verify {valid}"))
        .fails(1, "status \"isued\" is not issued or revoked");
    // The same register put back is answered again.
    root.write(REGISTER, format!("{text}{revocation}"));
    root.cohort(&format!("verify {valid}"))
        .code(1)
        .stdout_has("REVOKED on");
}

#[test]
fn a_register_with_errors_leaves_no_index() {
    let (root, valid, _) = issued_and_revoked();
    root.edit(REGISTER, ",issued,", ",isued,");
    root.cohort(&format!("verify {valid}"))
        .fails(1, "is not issued or revoked");
    assert!(kept(&root).is_empty(), "{:?}", kept(&root));
}

#[test]
fn a_damaged_or_unwritable_index_is_the_same_as_none() {
    let (root, valid, revoked) = issued_and_revoked();
    root.cohort(&format!("verify {valid}")).success();
    let file = kept(&root).pop().unwrap();
    let good = std::fs::read(&file).unwrap();
    // Damaged: one byte changed in the middle, or cut short.
    for damaged in [
        {
            let mut b = good.clone();
            let mid = b.len() / 2;
            b[mid] ^= 0x55;
            b
        },
        good[..good.len() / 2].to_vec(),
        b"not an index".to_vec(),
    ] {
        std::fs::write(&file, &damaged).unwrap();
        root.cohort(&format!("verify {revoked}"))
            .code(1)
            .stdout_has("REVOKED on")
            .stderr_lacks("index");
        assert_eq!(std::fs::read(&file).unwrap(), good, "written again whole");
    }
    // A cache folder that cannot be made: verify answers all the same.
    let blocker = root.cache_dir().join("file");
    std::fs::write(&blocker, "").unwrap();
    let inside = blocker.join("cohort");
    let run = root.run_with(
        &["verify", &valid],
        &[("COHORT_CACHE_DIR", inside.to_str().unwrap())],
        None,
    );
    run.success().stdout_has("is VALID");
    assert_eq!(run.stderr, "");
}
