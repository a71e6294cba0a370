//! `cohort publish`: the verification site, driven in headless Chromium,
//! and what its files hold.

use cohort::certificate::site as web;
use serde_json::json;

use crate::chromium::Browser;
use crate::print::issued_with_template;
use crate::support::{Cli, DataRoot};

/// Certificate numbers and names of the register, issued rows only.
fn register(root: &DataRoot) -> Vec<(String, String, String)> {
    rows(root)
        .into_iter()
        .filter(|r| r[7] == "issued")
        .map(|r| (r[0].clone(), r[2].clone(), r[3].clone()))
        .collect()
}

/// The register's rows, header left out.
fn rows(root: &DataRoot) -> Vec<Vec<String>> {
    root.rows("certificates.csv").split_off(1)
}

/// `cohort publish DIR` with few PBKDF2 rounds, so that the test is quick.
fn publish_fast<'r>(root: &'r DataRoot, dir: &str) -> Cli<'r> {
    root.cli(&["publish", dir])
        .env("COHORT_TEST_PBKDF2_ITERATIONS", "1000")
}

/// The entry of `number` in the site at `site`, opened as the page opens it.
fn entry_of(site: &std::path::Path, salt: &str, number: &str) -> web::Entry {
    let (id, key) = web::derive(number, &web::salt_bytes(salt), 1000);
    let text = std::fs::read_to_string(site.join(format!("c/{id}.js"))).unwrap();
    web::open_entry(&text, &key).unwrap()
}

/// The date of the revocation of `number`, as the register has it.
fn revoked_on(root: &DataRoot, number: &str) -> String {
    rows(root)
        .into_iter()
        .find(|r| r[0] == number && r[7] == "revoked")
        .unwrap()[6][..10]
        .to_string()
}

/// The number with its first payload character changed: the check
/// character no longer fits.
fn mistyped(number: &str) -> String {
    let mut chars: Vec<char> = number.chars().collect();
    let i = number.find('-').unwrap() + 1;
    chars[i] = if chars[i] == '2' { '3' } else { '2' };
    chars.into_iter().collect()
}

/// A well-formed number with a fitting check character that nobody holds.
fn unknown(held: &[(String, String, String)]) -> String {
    for payload in ["ZZZZZZZZ", "YYYYYYYY"] {
        let check = cohort::certnum::check_char(payload.as_bytes()) as char;
        let n = format!("PSCE-{}-{}-{check}", &payload[..4], &payload[4..]);
        if !held.iter().any(|(h, _, _)| *h == n) {
            return n;
        }
    }
    unreachable!()
}

/// Types `number` into the page's form, submits it, and gives the answer's
/// status and text once the page has one.
fn ask(browser: &mut Browser, number: &str) -> (String, String) {
    browser.eval("(() => { document.getElementById('answer').dataset.status = ''; const n = document.getElementById('number'); n.value = ''; n.focus(); return true; })()");
    browser.type_text(number);
    browser.eval("document.querySelector('button[type=submit]').click(); true");
    answer(browser)
}

/// [`ask`], whose answer must have `status` and say `says`; the answer's text.
#[track_caller]
fn answers(browser: &mut Browser, number: &str, status: &str, says: &str) -> String {
    let (got, text) = ask(browser, number);
    assert_eq!(got, status, "{text}");
    assert!(text.contains(says), "{text}");
    text
}

fn answer(browser: &mut Browser) -> (String, String) {
    browser.wait_for(
        "['valid','revoked','mistyped','unknown','malformed'].includes(document.getElementById('answer').dataset.status)",
    );
    let status = browser.eval("document.getElementById('answer').dataset.status");
    let text = browser.eval("document.getElementById('answer').textContent");
    (
        status.as_str().unwrap().to_string(),
        text.as_str().unwrap().to_string(),
    )
}

/// The shipped default (600,000 rounds), opened from disk as a file.
#[test]
fn the_site_answers_valid_revoked_mistyped_and_unknown_in_chromium() {
    let root = issued_with_template();
    let held = register(&root);
    let (revoked, _, _) = held.iter().find(|(_, p, _)| p == "p09").unwrap().clone();
    root.ok(&format!(
        "revoke {revoked} --reason 'issued in error' --yes"
    ));
    let site = root.path("site");
    root.run(&["publish", site.to_str().unwrap()])
        .success()
        .stderr_has("published 12 certificates (1 revoked)");
    let page = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        page.contains("const ITERATIONS = 600000;"),
        "the shipped count"
    );

    let mut browser = Browser::start();
    browser.open(&format!("file://{}", site.join("index.html").display()));
    let (valid, _, name) = held.iter().find(|(_, p, _)| p == "p04").unwrap().clone();
    assert_eq!(name, "Nguyễn Thị Mai");
    let text = answers(&mut browser, &valid, "valid", &format!("{valid} is VALID."));
    assert!(text.contains("holder: Nguyễn Thị Mai"), "{text}");
    assert!(text.contains("level: Level 1R"), "{text}");
    assert!(text.contains("since: 2024-11-07"), "{text}");

    // Typed as people type: lower case, spaces, no dashes, O for 0.
    let sloppy = valid.to_lowercase().replace('-', " ").replace('0', "o");
    let (status, text) = ask(&mut browser, &sloppy);
    assert_eq!(status, "valid", "{sloppy}: {text}");

    let on = revoked_on(&root, &revoked);
    let says = format!("{revoked} was REVOKED on {on}");
    answers(&mut browser, &revoked, "revoked", &says);

    let typo = mistyped(&valid);
    answers(&mut browser, &typo, "mistyped", "a character was mistyped");

    let nobody = unknown(&held);
    let says = format!("{nobody} is NOT a certificate");
    answers(&mut browser, &nobody, "unknown", &says);

    answers(&mut browser, "PSCE-1234", "malformed", "too short");

    // The page's port of the check character reads what `verify` reads: every
    // single substitution and every neighbour swap of a real number, and
    // sloppy typing, get the same verdict from both.
    let mut inputs = vec![
        valid.clone(),
        sloppy.clone(),
        "psce-1234".into(),
        "XYZ-1".into(),
    ];
    let code: Vec<char> = valid.chars().collect();
    let positions: Vec<usize> = (5..code.len()).filter(|&i| code[i] != '-').collect();
    for &i in &positions {
        for c in "0123456789ABCDEFGHJKMNPQRSTVWXYZUIL".chars() {
            let mut typed = code.clone();
            typed[i] = c;
            inputs.push(typed.into_iter().collect());
        }
    }
    for w in positions.windows(2) {
        let mut typed = code.clone();
        typed.swap(w[0], w[1]);
        inputs.push(typed.into_iter().collect());
    }
    let verdicts = browser.eval(&format!(
        "{}.map(t => {{ const r = read(t); return r.kind + ' ' + (r.number || ''); }})",
        serde_json::to_string(&inputs).unwrap()
    ));
    for (input, page) in inputs.iter().zip(verdicts.as_array().unwrap()) {
        let rust = match cohort::certnum::read(input, "PSCE") {
            cohort::certnum::Reading::Valid(n) => format!("valid {n}"),
            cohort::certnum::Reading::Mistyped { canonical } => format!("mistyped {canonical}"),
            cohort::certnum::Reading::Malformed(_) => "malformed ".to_string(),
        };
        assert_eq!(page.as_str().unwrap(), rust, "{input}");
    }
    assert!(inputs.len() > 300);

    // The address in a certificate's QR code opens the page with the answer.
    browser.open(&format!(
        "file://{}#{valid}",
        site.join("index.html").display()
    ));
    let (status, text) = answer(&mut browser);
    assert_eq!(status, "valid", "{text}");
    assert_eq!(
        browser.eval("document.getElementById('number').value"),
        json!(valid)
    );
}

#[test]
fn the_site_holds_no_number_or_name_in_the_clear_and_no_listing() {
    let root = issued_with_template();
    let held = register(&root);
    let site = root.path("site");
    publish_fast(&root, "site").run().success();
    // Every file of the site, with its text.
    let files: Vec<(String, String)> = crate::support::files_below(&site)
        .into_iter()
        .map(|(rel, bytes)| (rel, String::from_utf8(bytes).unwrap()))
        .collect();
    assert_eq!(
        files.len(),
        held.len() + 2,
        "index.html, c/index.html and one entry each"
    );
    assert!(files.iter().any(|(rel, _)| rel == "index.html"));
    assert!(
        files.iter().any(|(rel, _)| rel == "c/index.html"),
        "no folder without an index.html"
    );
    for (rel, text) in &files {
        for (number, participant, name) in &held {
            let payload = &number[5..14];
            for secret in [
                number.as_str(),
                payload,
                &payload.replace('-', ""),
                name.as_str(),
            ] {
                assert!(!text.contains(secret), "{rel} holds {secret:?}");
            }
            // An entry is random base64: it holds a given four-letter run
            // by chance in about one run of the test in sixty, so there only
            // words of six bytes or more are looked for.
            let shortest = if rel.ends_with(".js") { 6 } else { 4 };
            for word in name.split_whitespace().filter(|w| w.len() >= shortest) {
                assert!(
                    !text.contains(word),
                    "{rel} holds {word:?} of {participant}"
                );
            }
        }
        if rel.starts_with("c/") && rel.ends_with(".js") {
            assert!(text.len() < 1000, "small: {rel} is {} bytes", text.len());
        }
    }
    let sizes: std::collections::BTreeSet<usize> = files
        .iter()
        .filter(|(rel, _)| rel.ends_with(".js"))
        .map(|(_, t)| t.len())
        .collect();
    assert_eq!(
        sizes.len(),
        1,
        "every entry the same size, whatever the name: {sizes:?}"
    );
    // What the page computes finds each one: salt from the page, PBKDF2, the entry.
    let page = &files.iter().find(|(rel, _)| rel == "index.html").unwrap().1;
    let salt = web::salt_of(page).unwrap();
    for (number, _, name) in &held {
        let entry = entry_of(&site, &salt, number);
        assert_eq!(&entry.name, name);
        assert_eq!(entry.status, "valid");
    }
}

#[test]
fn publishing_again_shows_a_revocation_keeps_the_salt_and_removes_stale_entries() {
    let root = issued_with_template();
    let held = register(&root);
    let site = root.path("site");
    publish_fast(&root, "site").run().success();
    let salt = web::salt_of(&root.read("site/index.html")).unwrap();
    std::fs::write(site.join("c/0123456789abcdef0123456789abcdef.js"), "stale").unwrap();
    let (number, _, _) = &held[0];
    root.ok(&format!("revoke {number} --reason 'issued in error' --yes"));
    publish_fast(&root, "site")
        .run()
        .success()
        .stderr_has("(1 revoked)")
        .stderr_has("removed 1 stale entry");
    let page = root.read("site/index.html");
    assert_eq!(web::salt_of(&page).unwrap(), salt, "same salt");
    assert!(!site.join("c/0123456789abcdef0123456789abcdef.js").exists());
    let entry = entry_of(&site, &salt, number);
    assert_eq!(entry.status, "revoked");
    assert_eq!(entry.revoked_on, Some(revoked_on(&root, number)));
}

#[test]
fn a_folder_that_is_not_a_site_is_refused_and_left_alone() {
    let root = issued_with_template();
    root.write("www/notes.txt", "keep me");
    publish_fast(&root, "www").refused(1, "cohort: error: www holds files that `cohort publish` did not write; give a new or empty folder (publishing replaces what is there); nothing was published");
}

#[test]
fn a_register_with_errors_is_not_published() {
    let root = issued_with_template();
    root.append(
        "certificates.csv",
        "PSCE-NOPE,2024-fall,p01,X,Level 1,2024-11-07,2024-11-08,issued,\n",
    );
    root.cli_line("publish site")
        .refused(1, "certificates.csv:")
        .stderr_has("refusing to go on");
}
