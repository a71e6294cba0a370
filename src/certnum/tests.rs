//! Certificate numbers: the check character's promises measured, reading, drawing.

use super::*;
use proptest::prelude::*;
use std::cell::{Cell, RefCell};

const PREFIX: &str = "PSCE";

/// A valid canonical number for the payload.
pub(crate) fn number(payload: &str) -> String {
    let payload: [u8; PAYLOAD_LEN] = payload.as_bytes().try_into().unwrap();
    format_number(PREFIX, &code_of(&payload))
}

/// Every code one substitution away from `code`.
fn substitutions(code: [u8; CODE_LEN]) -> impl Iterator<Item = [u8; CODE_LEN]> {
    (0..CODE_LEN).flat_map(move |pos| {
        let others = ALPHABET.iter().filter(move |&&c| c != code[pos]);
        others.map(move |&other| {
            let mut typo = code;
            typo[pos] = other;
            typo
        })
    })
}

/// A few hand-picked payloads and many random ones.
fn sample_payloads() -> Vec<[u8; PAYLOAD_LEN]> {
    let mut payloads = vec![*b"00000000", *b"ZZZZZZZZ", *b"7K3M9X2Q", *b"0Z0Z0Z0Z"];
    payloads.extend((0..300).map(|_| random_payload().unwrap()));
    payloads
}

#[test]
fn alphabet_is_crockfords() {
    let mut sorted = ALPHABET.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, ALPHABET.to_vec(), "ascending and distinct");
    for c in ('0'..='9').chain('A'..='Z') {
        assert_eq!(ALPHABET.contains(&(c as u8)), !"ILOU".contains(c), "{c}");
    }
}

#[test]
fn check_char_matches_hand_computed_values() {
    // Nothing adds up: check 0.
    assert_eq!(check_char(b"00000000"), b'0');
    // Rightmost payload char is doubled: 1 -> 2, check 30 = 'Y'.
    assert_eq!(check_char(b"00000001"), b'Y');
    // Z = 31 doubled is 62 = 1*32 + 30, digit sum 31, check 1.
    assert_eq!(check_char(b"0000000Z"), b'1');
    // Leftmost of eight is not doubled: 1, check 31 = 'Z'.
    assert_eq!(check_char(b"10000000"), b'Z');
    // 7K3M9X2Q: values 7,19,3,20,9,29,2,23 from left; doubled from the right:
    // Q 23->46->1+14=15, 2->2, X 29->58->1+26=27, 9, M 20->40->1+8=9, 3, K 19->38->1+6=7, 7.
    // Sum 15+2+27+9+9+3+7+7 = 79 = 15 mod 32, check 17 = 'H'.
    assert_eq!(check_char(b"7K3M9X2Q"), b'H');
}

#[test]
fn every_single_substitution_is_caught() {
    let mut tried = 0;
    let payloads = sample_payloads();
    for payload in &payloads {
        let code = code_of(payload);
        assert!(is_valid(&code));
        for typo in substitutions(code) {
            let shown = String::from_utf8_lossy(&typo);
            assert!(!is_valid(&typo), "{shown:?} passed");
            tried += 1;
        }
    }
    assert_eq!(tried, payloads.len() * CODE_LEN * 31);
}

/// A valid code with `a` at `pos` and `b` at `pos + 1`; when `pos + 1` is the check
/// character, payload position 0 (never doubled) is tuned until the check fits.
fn valid_code_with(pos: usize, a: u8, b: u8) -> [u8; CODE_LEN] {
    let mut payload = *b"7K3M9X2Q";
    payload[pos] = a;
    if pos + 1 < PAYLOAD_LEN {
        payload[pos + 1] = b;
        return code_of(&payload);
    }
    ALPHABET
        .iter()
        .map(|&first| {
            payload[0] = first;
            code_of(&payload)
        })
        .find(|code| code[PAYLOAD_LEN] == b)
        .unwrap()
}

#[test]
fn adjacent_transpositions_are_caught_except_zero_and_z() {
    let (mut swaps, mut missed) = (0, Vec::new());
    for pos in 0..CODE_LEN - 1 {
        for &a in ALPHABET {
            for &b in ALPHABET.iter().filter(|&&b| b != a) {
                let code = valid_code_with(pos, a, b);
                assert!(is_valid(&code) && code[pos] == a && code[pos + 1] == b);
                let mut swapped = code;
                swapped.swap(pos, pos + 1);
                swaps += 1;
                if is_valid(&swapped) {
                    missed.push((a, b));
                }
            }
        }
    }
    assert_eq!(swaps, 8 * 32 * 31);
    // The figure in the module docs: 7920 / 7936 = 99.798 %.
    let share = 1.0 - missed.len() as f64 / swaps as f64;
    assert!(share >= 0.997, "only {share} detected");
    assert_eq!(missed.len(), 16);
    let zero_z = |&p: &(u8, u8)| p == (b'0', b'Z') || p == (b'Z', b'0');
    assert!(missed.iter().all(zero_z), "{missed:?}");
}

#[test]
fn adjacent_transpositions_in_random_numbers_are_nearly_all_caught() {
    let (mut swaps, mut caught) = (0u32, 0u32);
    for payload in sample_payloads() {
        let code = code_of(&payload);
        for pos in (0..CODE_LEN - 1).filter(|&p| code[p] != code[p + 1]) {
            let mut swapped = code;
            swapped.swap(pos, pos + 1);
            swaps += 1;
            caught += u32::from(!is_valid(&swapped));
        }
    }
    assert!(swaps > 2000);
    let share = f64::from(caught) / f64::from(swaps);
    assert!(share >= 0.99, "{caught} of {swaps}");
}

#[test]
fn exactly_nine_valid_numbers_lie_one_substitution_away() {
    let mut typo = code_of(b"7K3M9X2Q");
    typo[3] = b'N'; // was M
    assert!(!is_valid(&typo));
    let neighbours = substitutions(typo).filter(is_valid);
    assert_eq!(neighbours.count(), CODE_LEN);
}

#[test]
fn generate_gives_the_canonical_shape_in_the_alphabet() {
    for _ in 0..50 {
        let n = generate(PREFIX, |_| false).unwrap();
        let bytes = n.as_bytes();
        assert_eq!(n.len(), "PSCE-XXXX-XXXX-C".len(), "{n}");
        assert!(n.starts_with("PSCE-"));
        assert_eq!((bytes[9], bytes[14]), (b'-', b'-'), "{n}");
        let code: Vec<u8> = bytes[5..].iter().copied().filter(|&c| c != b'-').collect();
        assert_eq!(code.len(), CODE_LEN);
        assert!(code.iter().all(|c| ALPHABET.contains(c)), "{n}");
        assert_eq!(read(&n, PREFIX), Reading::Valid(n.clone()));
    }
}

#[test]
fn generate_draws_different_numbers() {
    let mut numbers: Vec<String> = (0..200)
        .map(|_| generate(PREFIX, |_| false).unwrap())
        .collect();
    numbers.sort();
    numbers.dedup();
    // Two equal draws in 200 happen with odds of about 1 in 50 million.
    assert_eq!(numbers.len(), 200);
}

#[test]
fn generate_retries_while_taken() {
    let seen = RefCell::new(Vec::new());
    let n = generate(PREFIX, |candidate| {
        seen.borrow_mut().push(candidate.to_owned());
        seen.borrow().len() <= 3
    })
    .unwrap();
    assert_eq!(seen.borrow().len(), 4);
    assert_eq!(seen.borrow().last(), Some(&n));
    assert!(seen.borrow()[..3].iter().all(|taken| *taken != n));
}

#[test]
fn generate_gives_up_when_everything_is_taken() {
    let asked = Cell::new(0);
    let err = generate(PREFIX, |_| {
        asked.set(asked.get() + 1);
        true
    })
    .unwrap_err();
    assert_eq!(asked.get(), MAX_DRAWS);
    assert!(err.to_string().contains("no free certificate number"));
}

#[test]
fn generate_rejects_bad_prefixes() {
    for bad in ["", "psce", "PS-CE", "PS CE", "PSCÉ"] {
        let err = generate(bad, |_| false).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{bad:?}");
    }
}

#[test]
fn read_accepts_any_case_spaces_dashes_and_look_alikes_and_flags_a_typo() {
    let n = number("7K3M9X2Q");
    assert_eq!(n, "PSCE-7K3M-9X2Q-H");
    let ones = number("00111000");
    let check = ones.chars().last().unwrap();
    let valid = |n: &str| Reading::Valid(n.to_owned());
    // M and N confused in the payload: reported in canonical form.
    let canonical = "PSCE-7K3N-9X2Q-H".to_owned();
    let typo = Reading::Mistyped { canonical };
    for (typed, prefix, want) in [
        (n.clone(), PREFIX, valid(&n)),
        ("psce 7k3m 9x2q h".into(), PREFIX, valid(&n)),
        ("PSCE7K3M9X2QH".into(), PREFIX, valid(&n)),
        (" psce-7k3m-9x2q-h ".into(), PREFIX, valid(&n)),
        ("\tPsCe - 7K3M -9x2Q- h\n".into(), PREFIX, valid(&n)),
        // En dashes from a word processor.
        ("PSCE–7K3M–9X2Q–H".into(), PREFIX, valid(&n)),
        // O is read as zero, I and L as one.
        (format!("psce-oOlI-i0o0-{check}"), PREFIX, valid(&ones)),
        (format!("PSCE OOLI IOO0 {check}"), PREFIX, valid(&ones)),
        // O, I and L in the prefix are kept as they are.
        ("oil1-7k3m-9x2q-h".into(), "OIL1", valid("OIL1-7K3M-9X2Q-H")),
        ("psce 7k3n 9x2q h".into(), PREFIX, typo),
    ] {
        assert_eq!(read(&typed, prefix), want, "{typed:?}");
    }
}

#[test]
fn read_rejects_wrong_prefixes_strangers_and_lengths_saying_why() {
    let cases: [(&str, &str, &[&str]); 9] = [
        // A wrong prefix, or none.
        ("ABCD-7K3M-9X2Q-H", PREFIX, &["does not start with PSCE"]),
        ("7K3M-9X2Q-H", PREFIX, &["does not start with PSCE"]),
        // The prefix is compared as it is, not Crockford-mapped.
        ("0111-7K3M-9X2Q-H", "OIL1", &["does not start with OIL1"]),
        // U and other strangers.
        ("psce-7k3u-9x2q-h", PREFIX, &["'U'"]),
        ("PSCE-7K3M-9X2Q-H.", PREFIX, &["'.'"]),
        // Wrong lengths.
        ("PSCE-7K3M-9X2Q", PREFIX, &["too short", "8"]),
        ("PSCE-7K3M-9X2Q-HH", PREFIX, &["too long", "10"]),
        ("  - ", PREFIX, &["nothing"]),
        // A bad prefix argument.
        ("psce-7k3m-9x2q-h", "psce", &["prefix"]),
    ];
    for (typed, prefix, said) in cases {
        let why = match read(typed, prefix) {
            Reading::Malformed(why) => why,
            other => panic!("{typed:?}: expected Malformed, got {other:?}"),
        };
        assert!(said.iter().all(|s| why.contains(s)), "{typed:?}: {why}");
    }
}

#[test]
fn near_misses_finds_only_one_substitution_away() {
    let meant = number("7K3M9X2Q");
    let registered = [
        number("ZZZZZZZZ"),             // unrelated
        meant.clone(),                  // duplicate entries come back once
        number("7K3M9X2R"),             // payload and check differ: two away
        number("7K3N9X2Q"),             // only the check differs: one away
        meant.replace("PSCE", "ABCD"),  // another curriculum
        "PSCE-7K3M-9X2Q-H-".to_owned(), // not canonical
        "PSCE-7K3M-9X2QH-".to_owned(),  // not canonical either
        meant.clone(),
    ];
    let registered = || registered.iter().map(String::as_str);
    let found = near_misses("PSCE-7K3N-9X2Q-H", registered());
    assert_eq!(found, vec![meant.clone(), number("7K3N9X2Q")]);
    // A transposition is not one substitution away.
    assert!(!near_misses("PSCE-K73M-9X2Q-H", registered()).contains(&meant));
    // Nothing is its own near miss, and non-canonical input finds nothing.
    assert!(near_misses(&meant, [meant.as_str()]).is_empty());
    assert!(near_misses("psce-7k3n-9x2q-h", registered()).is_empty());
}

proptest! {
    #[test]
    fn read_never_panics(input in any::<String>(), prefix in "[A-Z0-9a-z-]{0,5}") {
        let _ = read(&input, &prefix);
        let _ = near_misses(&input, [input.as_str(), "PSCE-0000-0000-0"]);
        let _ = check_char(input.as_bytes());
    }

    #[test]
    fn read_never_panics_near_the_shape(input in "[pPsScCeE0-9A-Za-z \\-–]{0,24}") {
        if let Reading::Valid(n) = read(&input, PREFIX) {
            prop_assert_eq!(read(&n, PREFIX), Reading::Valid(n.clone()));
        }
    }

    #[test]
    fn any_valid_number_reads_back_however_it_is_typed(
        values in prop::array::uniform8(0usize..32),
        lower in any::<bool>(),
        spaced in any::<bool>(),
    ) {
        let payload: [u8; PAYLOAD_LEN] = values.map(|v| ALPHABET[v]);
        let n = format_number(PREFIX, &code_of(&payload));
        let mut typed = if spaced { n.replace('-', " ") } else { n.replace('-', "") };
        if lower {
            typed = typed.to_lowercase();
        }
        prop_assert_eq!(read(&typed, PREFIX), Reading::Valid(n.clone()));
    }
}
