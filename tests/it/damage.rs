//! Random damage to every file of a data root: `check`, `report` and
//! `status` must end with a located error or a clean run, never a panic
//! (exit 101) or a signal.

use crate::support::DataRoot;

/// splitmix64: small, seeded, reproducible.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// One kind of damage a file can suffer: flipped bytes, inserted junk
/// (including quotes, commas, newlines and invalid UTF-8), a cut, a
/// duplicated or deleted line.
pub fn damage(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let junk: &[&[u8]] = &[
        b"\"",
        b",",
        b"\n",
        b"\r\n",
        b"\xff",
        b"\xc3",
        b"=",
        b"[",
        b"]]",
        b"\0",
        "ë".as_bytes(),
        b"9999999999999999999999",
    ];
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => {
                let j = junk[rng.below(junk.len())];
                out.splice(at..at, j.iter().copied());
            }
            2 => out.truncate(at),
            3 => {
                let end = (at + 1 + rng.below(40)).min(out.len());
                out.drain(at.min(end)..end);
            }
            4 => {
                let text: Vec<u8> = out.clone();
                let lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
                let line = lines[rng.below(lines.len())];
                let mut dup = line.to_vec();
                dup.push(b'\n');
                out.splice(at..at, dup);
            }
            _ => {
                let b = rng.below(256) as u8;
                out.insert(at, b);
            }
        }
    }
    out
}

#[test]
fn damaged_files_never_crash_the_reading_commands() {
    let pristine = DataRoot::example();
    let files: Vec<(String, Vec<u8>)> = pristine.snapshot().into_iter().collect();
    let mut rng = Rng(0x5EED);
    let mut located = 0;
    // Every file is damaged several times; each run checks all three readers.
    for round in 0..3 {
        for (rel, bytes) in &files {
            let root = DataRoot::example();
            let damaged = damage(bytes, &mut rng);
            root.write(rel, &damaged);
            for args in [
                &["check"][..],
                &["report", "2024-fall"],
                &["status", "2024-fall"],
            ] {
                let run = root.run(args);
                assert!(
                    run.code == 0 || run.code == 1,
                    "round {round}, {rel} damaged: `cohort {}` exited {}\n{}",
                    args.join(" "),
                    run.code,
                    run.stderr
                );
                assert!(!run.stderr.contains("panicked"), "{rel}: {}", run.stderr);
                if run.code == 1 {
                    // A refusal names a file (and a line where there is one).
                    assert!(
                        run.stderr.contains(": error: ") || run.stderr.contains("cohort: error:"),
                        "{rel}: exit 1 without a located error:\n{}",
                        run.stderr
                    );
                    located += 1;
                }
            }
        }
    }
    assert!(
        located > 0,
        "no damage was ever detected: the damage is not reaching the loaders"
    );
}
