use super::*;

fn random_below(n: u64) -> u64 {
    std::hash::RandomState::new().hash_one(std::time::SystemTime::now()) % n
}

/// Kills `child`, which must still be running: it loops until killed.
fn kill(mut child: Child) {
    let running = child.try_wait().unwrap().is_none();
    assert!(running, "child stopped by itself");
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Runs this test binary again as a child process doing `mode`.
fn spawn_child(mode: &str, path: &Path, id: usize) -> Child {
    let entry = module_path!().split_once("::").unwrap().1.to_string() + "::child_process_entry";
    Command::new(std::env::current_exe().unwrap())
        .args([
            entry.as_str(),
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_MODE, mode)
        .env(CHILD_PATH, path)
        .env(CHILD_ID, id.to_string())
        .stdout(Stdio::null())
        .spawn()
        .unwrap()
}

/// Not a test of its own: the body of the child processes the multi-process
/// and crash tests start (with `--ignored`). Without the environment variable
/// it does nothing.
#[test]
#[ignore = "the child process of the tests that start processes, not a test"]
fn child_process_entry() {
    let Ok(mode) = std::env::var(CHILD_MODE) else {
        return;
    };
    let path = PathBuf::from(std::env::var_os(CHILD_PATH).unwrap());
    let id: usize = std::env::var(CHILD_ID).unwrap().parse().unwrap();
    match mode.as_str() {
        "append" => {
            for i in 0..200 {
                let mut log = locked(&path).unwrap();
                let next = next_number(log.contents());
                log.append(
                    &["who", "n", "number"],
                    &[strings(&[&format!("p{id}"), &i.to_string(), &next])],
                )
                .unwrap();
            }
        }
        "replace-loop" => {
            let (old, new) = big_tomls();
            loop {
                replace_atomically(&path, old.as_bytes()).unwrap();
                replace_atomically(&path, new.as_bytes()).unwrap();
            }
        }
        "append-loop" => {
            for seq in 0.. {
                let mut log = locked(&path).unwrap();
                let rows: Vec<_> = (0..3).map(|k| crash_row(id, seq * 3 + k)).collect();
                log.append(&CRASH_FIELDS, &rows).unwrap();
            }
        }
        other => panic!("unknown child mode {other}"),
    }
}

#[test]
fn eight_threads_appending_lose_nothing() {
    let (_dir, path) = temp_path("log.csv");
    std::thread::scope(|s| {
        for t in 0..8 {
            let path = &path;
            s.spawn(move || {
                for i in 0..200 {
                    let mut log = locked(path).unwrap();
                    let note = format!("thread {t}, row {i}, \"quoted\"");
                    log.append(
                        &["who", "n", "note"],
                        &[strings(&[&format!("t{t}"), &i.to_string(), &note])],
                    )
                    .unwrap();
                }
            });
        }
    });
    let text = read(&path);
    assert_eq!(text.lines().count(), 1601);
    let rows = parse(&text);
    assert_eq!(rows[0], ["who", "n", "note"]);
    let mut seen = BTreeSet::new();
    for row in &rows[1..] {
        assert_eq!(row.len(), 3, "{row:?}");
        let t = &row[0][1..];
        assert_eq!(row[2], format!("thread {t}, row {}, \"quoted\"", row[1]));
        assert!(
            seen.insert((row[0].clone(), row[1].clone())),
            "duplicate {row:?}"
        );
    }
    assert_eq!(seen.len(), 1600);
}

#[test]
fn four_processes_appending_lose_nothing() {
    let (_dir, path) = temp_path("log.csv");
    let children: Vec<Child> = (0..4).map(|id| spawn_child("append", &path, id)).collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let text = read(&path);
    let rows = parse(&text);
    assert_eq!(rows.len(), 801, "{text}");
    assert_eq!(rows[0], ["who", "n", "number"]);
    assert!(rows[1..].iter().all(|r| r.len() == 3));
    let seen: BTreeSet<_> = rows[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    assert_eq!(seen.len(), 800);
    // Numbers handed out by reading under the lock are all distinct.
    let numbers: Vec<String> = rows[1..].iter().map(|r| r[2].clone()).collect();
    let expected: Vec<String> = (0..800).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected);
}

/// About 1 MB, so a write takes long enough for kills to land inside it.
fn big_tomls() -> (String, String) {
    let body: String = (0..20_000)
        .map(|i| format!("key{i} = \"value number {i} of the file\"\n"))
        .collect();
    (
        format!("# old\n{body}"),
        format!("# new\n{body}[extra]\nx = 1\n"),
    )
}

#[test]
fn killed_replace_leaves_old_or_new_file() {
    let (dir, path) = temp_path("cohort.toml");
    let (old, new) = big_tomls();
    replace_atomically(&path, old.as_bytes()).unwrap();
    for _ in 0..4 {
        let child = spawn_child("replace-loop", &path, 0);
        std::thread::sleep(Duration::from_millis(50 + random_below(250)));
        kill(child);
        let now = read(&path);
        let len = now.len();
        assert!(now == old || now == new, "garbled file of {len} bytes");
    }
    for entry in fs::read_dir(dir.path()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            name == "cohort.toml" || name.starts_with(".cohort.toml.tmp-"),
            "{name}"
        );
    }
}

const CRASH_FIELDS: [&str; 4] = ["seq", "who", "note", "tail"];
const CRASH_NOTE: &str = "a \"quoted\" note, with a comma and\na second line";

/// Long rows so a write spans several pages. The last cell is quoted (it
/// holds a comma), so any cut inside a row is visible as one.
fn crash_row(id: usize, seq: usize) -> Vec<String> {
    vec![
        seq.to_string(),
        format!("p{id}-{}", "x".repeat(6000)),
        CRASH_NOTE.into(),
        "end,".into(),
    ]
}

#[test]
fn killed_append_leaves_only_whole_rows() {
    let (_dir, path) = temp_path("log.csv");
    locked(&path)
        .unwrap()
        .append(&CRASH_FIELDS, &[crash_row(9, 0)])
        .unwrap();
    let mut torn = 0;
    for round in 0..4 {
        let mut child = spawn_child("append-loop", &path, round);
        // On a loaded machine the child may take a while to start: wait
        // for its first row, then kill it at a random moment after.
        let started = std::time::Instant::now();
        let mark = format!(",p{round}-");
        while !String::from_utf8_lossy(&fs::read(&path).unwrap()).contains(&mark)
            && started.elapsed() < Duration::from_secs(20)
            && child.try_wait().unwrap().is_none()
        {
            std::thread::sleep(Duration::from_millis(10));
        }
        std::thread::sleep(Duration::from_millis(random_below(250)));
        kill(child);

        let mut text = read(&path);
        // The kernel may cut a large write short when SIGKILL arrives
        // between pages. Then the tail must be recognisably cut, and the
        // next append must refuse rather than glue onto it.
        if scan_tail(&text, b',') != Tail::Clean {
            torn += 1;
            let err = locked(&path)
                .unwrap()
                .append(&CRASH_FIELDS, &[crash_row(9, 0)])
                .unwrap_err();
            assert!(matches!(err, WriteError::IncompleteLastRow { .. }), "{err}");
            assert_eq!(read(&path), text);
            let whole = text.rfind("\"end,\"\n").unwrap() + "\"end,\"\n".len();
            text.truncate(whole);
            fs::write(&path, &text).unwrap();
        }
        let rows = parse(&text);
        assert_eq!(rows[0], CRASH_FIELDS);
        let mine: Vec<_> = rows
            .iter()
            .filter(|r| r[1].starts_with(&format!("p{round}-")))
            .collect();
        assert!(!mine.is_empty(), "child {round} appended nothing");
        for row in &rows[1..] {
            assert_eq!(row.len(), 4, "{row:?}");
            assert_eq!(row[1].len(), 6003, "{row:?}");
            assert_eq!((row[2].as_str(), row[3].as_str()), (CRASH_NOTE, "end,"));
        }
        for (k, row) in mine.iter().enumerate() {
            assert_eq!(row[0], k.to_string(), "rows of child {round} out of order");
        }
    }
    if torn > 0 {
        eprintln!("{torn} kill(s) cut a write short; each was detected");
    }
}
