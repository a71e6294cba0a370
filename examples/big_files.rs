//! Writes the large files of the "Hostile and odd files" benchmarks
//! (BENCHMARKS.md): into the data root DIR (a copy of the example), a
//! register of N certificates, or one cohort of N participants.
//!
//! `big_files register N DIR` appends N issued certificates of cohort
//! 2024-fall to DIR/certificates.csv and prints the last number;
//! `big_files cohort N DIR` writes DIR/cohorts/big/cohort.toml with N
//! participants (the 17 sessions of the example's curriculum). Every name
//! is made up; the same arguments write the same files.

use std::fmt::Write as _;

use cohort::certnum::{ALPHABET, check_char};

fn number(i: u64) -> String {
    let mut payload = [b'0'; 8];
    let mut n = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 24;
    for c in payload.iter_mut().rev() {
        *c = ALPHABET[(n % 32) as usize];
        n /= 32;
    }
    let check = check_char(&payload) as char;
    let p = std::str::from_utf8(&payload).expect("ASCII");
    format!("PSCE-{}-{}-{check}", &p[..4], &p[4..])
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, what, n, dir] = args.as_slice() else {
        eprintln!("usage: big_files register|cohort N DIR");
        std::process::exit(2);
    };
    let n: u64 = n.parse().expect("N is a number");
    let dir = std::path::Path::new(dir);
    match what.as_str() {
        "register" => {
            let mut text =
                String::from("number,cohort,participant,name,level,date,issued_at,status,reason\n");
            let mut last = String::new();
            for i in 0..n {
                last = number(i);
                writeln!(
                    text,
                    "{last},2024-fall,q{i},Person {i},Level 1,2024-11-05,2024-11-20T10:00:00-05:00,issued,"
                )
                .unwrap();
            }
            std::fs::write(dir.join("certificates.csv"), text).unwrap();
            println!("{last}");
        }
        "cohort" => {
            let mut text =
                String::from("id = \"big\"\nname = \"Big\"\ntimezone = \"America/Toronto\"\n");
            for w in 1..=17 {
                writeln!(
                    text,
                    "\n[[session]]\nwebinar = {w}\ndate = 2024-09-{:02}\nstart = \"12:00\"\nend = \"14:00\"",
                    w + 1
                )
                .unwrap();
            }
            for i in 0..n {
                writeln!(
                    text,
                    "\n[[participant]]\nid = \"p{i}\"\nname = \"Person {i}\"\nemail = \"p{i}@example.org\""
                )
                .unwrap();
            }
            let folder = dir.join("cohorts/big");
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("cohort.toml"), text).unwrap();
        }
        _ => {
            eprintln!("usage: big_files register|cohort N DIR");
            std::process::exit(2);
        }
    }
}
