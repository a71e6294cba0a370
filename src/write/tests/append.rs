use super::*;

#[test]
fn append_to_new_file_writes_header_then_rows() {
    let (_dir, path) = temp_path("logs/2024/training.csv");
    let mut log = locked(&path).unwrap();
    assert_eq!(log.contents(), "");
    log.add(&["date", "name"], &[["2024-01-02", "Ann"]])
        .unwrap();
    log.add(&["date", "name"], &[["2024-01-03", "Bo"]]).unwrap();
    let expected = "date,name\n2024-01-02,Ann\n2024-01-03,Bo\n";
    assert_eq!(log.contents(), expected);
    drop(log);
    assert_eq!(read(&path), expected);
}

#[test]
fn append_writes_cells_under_reordered_upper_case_headers() {
    let before = " NAME ,Notes,Date\nAnn,hi,2024-01-01\n";
    let after = appended(before, &["date", "name"], &[["2024-01-02", "Bo"]]);
    assert_eq!(after, format!("{before}Bo,,2024-01-02\n"));
}

#[test]
fn append_keeps_a_spreadsheets_separator_and_lone_cr_line_ends() {
    for (before, after) in [
        // fr-CA Excel: `;` and CRLF.
        (
            "\u{feff}name;date\r\nAnn;2024-01-01\r\n",
            "\u{feff}name;date\r\nAnn;2024-01-01\r\n\"Bo; Jr\";2024-01-02\r\n",
        ),
        // Tab separated, its last row unterminated.
        (
            "name\tdate\nAnn\t2024-01-01",
            "name\tdate\nAnn\t2024-01-01\nBo; Jr\t2024-01-02\n",
        ),
        // Old Mac: lone CRs.
        (
            "name,date\rAnn,2024-01-01\r",
            "name,date\rAnn,2024-01-01\rBo; Jr,2024-01-02\r",
        ),
        (
            "name,date\rAnn,2024-01-01",
            "name,date\rAnn,2024-01-01\rBo; Jr,2024-01-02\r",
        ),
    ] {
        let got = appended(before, &["date", "name"], &[["2024-01-02", "Bo; Jr"]]);
        assert_eq!(got, after, "{before:?}");
    }
}

#[test]
fn append_to_bom_crlf_file_writes_crlf_rows() {
    let before = "\u{feff}Name,Date\r\nAnn,2024-01-01\r\n";
    let rows = [["2024-01-02", "Bo"], ["2024-01-03", "Cy"]];
    let after = appended(before, &["date", "name"], &rows);
    assert_eq!(after, format!("{before}Bo,2024-01-02\r\nCy,2024-01-03\r\n"));
}

#[test]
fn append_adds_missing_final_line_ending_first() {
    for (before, row, after) in [
        (
            "name,date\nAnn,2024-01-01",
            ["Bo", "2024-01-02"],
            "name,date\nAnn,2024-01-01\nBo,2024-01-02\n",
        ),
        // Same for a CRLF file, and for one holding only its header.
        (
            "name,date\r\nAnn,2024-01-01",
            ["Bo", "x"],
            "name,date\r\nAnn,2024-01-01\r\nBo,x\r\n",
        ),
        ("name,date", ["Bo", "x"], "name,date\nBo,x\n"),
    ] {
        let got = appended(before, &["name", "date"], &[row]);
        assert_eq!(got, after, "{before:?}");
    }
}

#[test]
fn append_with_value_for_missing_column_fails_and_writes_nothing() {
    let before = "name,date\nAnn,2024-01-01\n";
    let (_dir, path) = temp_file("log.csv", before);
    let mut log = locked(&path).unwrap();
    let fields = ["name", "date", "grade"];
    let rows = [["Bo", "2024-01-02", ""], ["Cy", "2024-01-03", "A"]];
    let err = log.add(&fields, &rows).unwrap_err();
    assert!(matches!(&err, WriteError::MissingColumn { column, .. } if column == "grade"));
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("\"grade\""), "{message}");
    assert_eq!(fs::read(&path).unwrap(), before.as_bytes());
    assert_eq!(log.contents(), before);

    // An empty value for an unknown column is fine: nothing is lost.
    log.add(&fields, &[["Bo", "2024-01-02", ""]]).unwrap();
    assert_eq!(read(&path), format!("{before}Bo,2024-01-02\n"));
}

#[test]
fn append_quotes_commas_quotes_and_newlines() {
    let (_dir, path) = temp_path("log.csv");
    let tricky = [
        "Smith, Ann",
        "she said \"hi\"",
        "line one\nline two",
        "",
        "plain",
    ];
    let fields = ["a", "b", "c", "d", "e"];
    let mut log = locked(&path).unwrap();
    log.add(&fields, &[tricky]).unwrap();
    log.add(&fields, &[["x", "y", "z", "w", "v"]]).unwrap();
    let text = read(&path);
    assert_eq!(
        text,
        "a,b,c,d,e\n\"Smith, Ann\",\"she said \"\"hi\"\"\",\"line one\nline two\",,plain\nx,y,z,w,v\n"
    );
    let rows = parse(&text);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1], tricky);
}

#[test]
fn append_refuses_to_glue_onto_a_cut_off_last_row() {
    let (_dir, path) = temp_path("log.csv");
    for torn in [
        "name,date,note\nAnn,2024-01-01,\"half a quo",
        "name,date,note\nAnn,2024-01-01,\"a cell\nthat goes on\n",
        "name,date,note\nAnn,2024-",
    ] {
        fs::write(&path, torn).unwrap();
        let err = append_to(&path, &["name", "date", "note"], &[["Bo", "x", "y"]]).unwrap_err();
        assert!(matches!(err, WriteError::IncompleteLastRow { .. }), "{err}");
        assert_eq!(read(&path), torn);
    }
}

#[test]
fn append_rereads_a_file_changed_without_the_lock() {
    let (dir, path) = temp_path("log.csv");
    let mut log = locked(&path).unwrap();
    log.add(&["n"], &[["1"]]).unwrap();
    // Someone (a spreadsheet) rewrites it in place, reordering columns.
    fs::write(&path, "Other,N\r\nq,1\r\n").unwrap();
    log.add(&["n"], &[["2"]]).unwrap();
    assert_eq!(read(&path), "Other,N\r\nq,1\r\n,2\r\n");
    // ... or replaces it by rename: our handle would append to a ghost.
    fs::write(dir.path().join("new.csv"), "n\n").unwrap();
    fs::rename(dir.path().join("new.csv"), &path).unwrap();
    let err = log.add(&["n"], &[["3"]]).unwrap_err();
    assert!(matches!(err, WriteError::Replaced { .. }), "{err}");
}

#[test]
fn locked_log_excludes_a_second_opener_until_dropped() {
    let (_dir, path) = temp_path("log.csv");
    let log = locked(&path).unwrap();
    let other = File::open(&path).unwrap();
    assert!(other.try_lock().is_err());
    drop(log);
    assert!(other.try_lock().is_ok());
}

/// A log whose notes hold commas, quotes and line breaks.
fn long_log(header: &str, eol: &str) -> String {
    let mut text = format!("{header}{eol}");
    for i in 0..200 {
        text += &format!("Ann,\"note {i}, with a comma\nand a line break\",2024-01-01{eol}");
    }
    text
}

#[test]
fn append_to_a_log_of_quoted_line_breaks_keeps_its_header_and_line_ends() {
    let before = format!("\u{feff}{}", long_log(" NAME ,Notes,Date", "\r\n"));
    let (_dir, path) = temp_file("log.csv", &before);
    let mut log = locked(&path).unwrap();
    let fields = ["date", "name", "notes"];
    log.add(&fields, &[["2024-01-02", "Bo", "two\nlines, \"quoted\""]])
        .unwrap();
    log.add(&fields, &[["2024-01-03", "Cy", ""]]).unwrap();
    assert_eq!(
        read(&path),
        format!("{before}Bo,\"two\nlines, \"\"quoted\"\"\",2024-01-02\r\nCy,,2024-01-03\r\n")
    );
}

#[test]
fn append_keeps_the_separator_of_a_semicolon_log_of_quoted_line_breaks() {
    let before = long_log("name;notes;date", "\r\n").replace(",2024", ";2024");
    let before = before.replace("Ann,", "Ann;");
    let fields = ["date", "name", "notes"];
    let after = appended(&before, &fields, &[["2024-01-02", "Bo", "a; b, c"]]);
    assert_eq!(after, format!("{before}Bo;\"a; b, c\";2024-01-02\r\n"));
}

#[test]
fn append_refuses_a_log_whose_last_row_opens_a_quote() {
    let before = format!("{}Bo,\"never closed\n", long_log("name,notes,date", "\n"));
    let (_dir, path) = temp_file("log.csv", &before);
    let fields = ["name", "notes", "date"];
    let err = append_to(&path, &fields, &[["Cy", "", "2024-01-03"]]).unwrap_err();
    assert!(
        matches!(&err, WriteError::IncompleteLastRow { detail, .. } if detail.contains("never closed")),
        "{err}"
    );
    assert_eq!(read(&path), before);
}

#[test]
fn append_ends_an_unterminated_last_row_of_quoted_line_breaks_first() {
    let before = format!("{}Bo,,2024-01-02", long_log("name,notes,date", "\n"));
    let fields = ["name", "notes", "date"];
    let after = appended(&before, &fields, &[["Cy", "", "2024-01-03"]]);
    assert_eq!(after, format!("{before}\nCy,,2024-01-03\n"));
}

#[test]
fn append_to_a_new_file_in_a_new_folder_writes_the_header_first() {
    let (_dir, path) = temp_path("new/log.csv");
    let mut log = locked(&path).unwrap();
    assert!(log.contents().is_empty());
    log.add(&["name", "date"], &[["Ann", "2024-01-01"]])
        .unwrap();
    assert_eq!(log.contents(), "name,date\nAnn,2024-01-01\n");
    drop(log);
    assert_eq!(read(&path), "name,date\nAnn,2024-01-01\n");
}

#[test]
fn appends_never_follow_a_link_or_wait_on_a_fifo() {
    let (dir, real) = temp_file("real.csv", "a\n1\n");
    let link = dir.path().join("log.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let err = locked(&link).err().expect("refused");
    let want = "log.csv: it is a symbolic link; cohort does not follow links below the data root";
    assert!(err.to_string().ends_with(want), "{err}");
    assert_eq!(read(&real), "a\n1\n");
    // Nor a link on the way to it: a folder swapped for one is not followed.
    fs::create_dir(dir.path().join("real")).unwrap();
    fs::write(dir.path().join("real/log.csv"), "a\n1\n").unwrap();
    std::os::unix::fs::symlink("real", dir.path().join("linked")).unwrap();
    let err = LockedLog::open(dir.path(), "linked/log.csv").err().unwrap();
    let want = "linked/log.csv: it is inside linked, which is a symbolic link";
    assert!(err.to_string().contains(want), "{err}");
    let err = LockedLog::open(dir.path(), "real/log.csv/x.csv")
        .err()
        .unwrap();
    let want = "real/log.csv/x.csv: part of the path is a file";
    assert!(err.to_string().contains(want), "{err}");
    assert_eq!(read(&dir.path().join("real/log.csv")), "a\n1\n");
    let fifo = dir.path().join("fifo.csv");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // Opened without blocking: an error at once, not a hang.
    let err = locked(&fifo).err().expect("refused");
    assert!(err.to_string().contains("not a regular file"), "{err}");
}

#[test]
fn a_log_created_by_an_open_that_writes_nothing_is_removed() {
    let (_dir, path) = temp_path("new.csv");
    drop(locked(&path).unwrap());
    assert!(!path.exists());
    // One that existed, even empty, stays.
    fs::write(&path, "").unwrap();
    drop(locked(&path).unwrap());
    assert!(path.exists());
}
