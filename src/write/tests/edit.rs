use super::*;

const SAMPLE_TOML: &str = "# Course settings, edited by hand.\n\
    title = \"First aid\"   # shown on certificates\n\
    \n\
    [counter]\n\
    value = 0\n\
    \n\
    [trainers]  # alphabetical please\n\
    names = [ \"Ann\",  \"Bo\" ]\n";

/// How many files `dir` holds: more than expected means a temporary file left.
fn files_in(dir: &tempfile::TempDir) -> usize {
    fs::read_dir(dir.path()).unwrap().count()
}

/// The permission bits of `path`.
fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn bump(doc: &mut toml_edit::DocumentMut) -> Result<i64, String> {
    let n = doc["counter"]["value"].as_integer().ok_or("no counter")? + 1;
    doc["counter"]["value"] = toml_edit::value(n);
    Ok(n)
}

#[test]
fn edit_toml_keeps_comments_and_formatting() {
    let (dir, path) = temp_file("cohort.toml", SAMPLE_TOML);
    assert_eq!(edit_toml(&path, bump).unwrap(), 1);
    assert_eq!(read(&path), SAMPLE_TOML.replace("value = 0", "value = 1"));
    assert!(files_in(&dir) == 1, "temp file left");
}

#[test]
fn edit_toml_without_change_leaves_the_file_alone() {
    let (_dir, path) = temp_file("cohort.toml", SAMPLE_TOML);
    let inode = fs::metadata(&path).unwrap().ino();
    let title = edit_toml(&path, |doc| {
        Ok::<_, String>(doc["title"].as_str().unwrap().to_string())
    })
    .unwrap();
    assert_eq!(title, "First aid");
    assert_eq!(fs::metadata(&path).unwrap().ino(), inode);
}

#[test]
fn concurrent_edit_toml_increments_all_land() {
    let (_dir, path) = temp_file("cohort.toml", SAMPLE_TOML);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..100 {
                    edit_toml(&path, bump).unwrap();
                }
            });
        }
    });
    assert_eq!(read(&path), SAMPLE_TOML.replace("value = 0", "value = 200"));
}

#[test]
fn edit_toml_error_from_edit_writes_nothing() {
    let (_dir, path) = temp_file("cohort.toml", SAMPLE_TOML);
    let inode = fs::metadata(&path).unwrap().ino();
    let err = edit_toml(&path, |doc| {
        doc["title"] = toml_edit::value("changed");
        Err::<(), _>("certificate number taken")
    })
    .unwrap_err();
    assert!(matches!(err, EditError::Edit("certificate number taken")));
    assert_eq!(fs::read(&path).unwrap(), SAMPLE_TOML.as_bytes());
    assert_eq!(fs::metadata(&path).unwrap().ino(), inode);
}

#[test]
fn edit_toml_reports_bad_toml_and_missing_file_by_name() {
    let (dir, path) = temp_file("cohort.toml", "title = \n");
    let err = edit_toml(&path, bump).unwrap_err();
    assert!(matches!(err, EditError::Parse { .. }));
    let message = err.to_string();
    let want = format!("could not read {} as TOML: ", path.display());
    assert!(message.starts_with(&want), "{message}");
    assert!(message.contains("line 1"), "{message}");
    assert_eq!(read(&path), "title = \n");

    let missing = dir.path().join("nope.toml");
    let message = edit_toml(&missing, bump).unwrap_err().to_string();
    let shown = missing.display();
    let want = format!("could not read {shown}: it or its folder does not exist");
    assert_eq!(message, want);
}

#[test]
fn edit_toml_keeps_crlf_line_endings() {
    let crlf = SAMPLE_TOML.replace('\n', "\r\n");
    let (_dir, path) = temp_file("cohort.toml", &crlf);
    edit_toml(&path, |doc| {
        doc["trainers"]["lead"] = toml_edit::value("Ann");
        bump(doc)
    })
    .unwrap();
    let expected = crlf.replace("value = 0", "value = 1") + "lead = \"Ann\"\r\n";
    assert_eq!(read(&path), expected);
}

#[test]
fn edit_toml_keeps_a_byte_order_mark() {
    let (_dir, path) = temp_file("cohort.toml", &format!("\u{feff}{SAMPLE_TOML}"));
    edit_toml(&path, bump).unwrap();
    assert_eq!(
        read(&path),
        format!("\u{feff}{}", SAMPLE_TOML.replace("value = 0", "value = 1"))
    );
}

#[test]
fn replace_atomically_keeps_permissions() {
    let (dir, path) = temp_file("cohort.toml", "old");
    for (bits, text) in [(0o640, "new"), (0o604, "newer")] {
        fs::set_permissions(&path, Permissions::from_mode(bits)).unwrap();
        replace_atomically(&path, text.as_bytes()).unwrap();
        assert_eq!(read(&path), text);
        assert_eq!(mode(&path), bits, "{bits:o}");
    }
    assert_eq!(files_in(&dir), 1, "temp file left");
}

#[test]
fn replace_atomically_refuses_a_symlink_and_leaves_both_files() {
    let (dir, real) = temp_file("real.toml", "old");
    let link = dir.path().join("cohort.toml");
    std::os::unix::fs::symlink("real.toml", &link).unwrap();
    let err = replace_atomically(&link, b"new").unwrap_err();
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert!(link.is_symlink());
    assert_eq!(read(&real), "old");
    assert_eq!(files_in(&dir), 2, "temp file left");
}

#[test]
fn replace_atomically_refuses_a_read_only_file() {
    let (_dir, path) = temp_file("cohort.toml", "old");
    fs::set_permissions(&path, Permissions::from_mode(0o444)).unwrap();
    let err = replace_atomically(&path, b"new").unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    assert_eq!(read(&path), "old");
    assert_eq!(mode(&path), 0o444);
}

#[test]
fn create_atomically_creates_once_and_never_touches_an_existing_file() {
    let (dir, path) = temp_path("cohort.toml");
    create_atomically(&path, b"first").unwrap();
    assert_eq!(read(&path), "first");
    let err = create_atomically(&path, b"second").unwrap_err();
    assert!(matches!(err, WriteError::AlreadyExists { .. }));
    assert_eq!(
        err.to_string(),
        format!("{} already exists", path.display())
    );
    assert_eq!(read(&path), "first");
    assert_eq!(files_in(&dir), 1, "temp file left");
}

#[test]
fn messages_name_the_path_as_given() {
    let err = replace_atomically(Path::new("no-such-folder/cohort.toml"), b"x").unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not write a new version of no-such-folder/cohort.toml: it or its folder does not exist"
    );
}
