//! Certificate numbers of the form `PREFIX-XXXX-XXXX-C`.
//!
//! * `PREFIX` names the curriculum (e.g. `PSCE`): uppercase ASCII letters and digits.
//! * `XXXX-XXXX` is the *payload*: eight characters drawn from the operating system's
//!   secure random source. Holding a number tells that a person has lived experience
//!   of mental illness, so numbers must not be guessable or enumerable; 40 random bits
//!   (about 10¹²) make guessing a registered one hopeless.
//! * `C` is a Luhn mod 32 check character over the payload **only**: the prefix is not
//!   part of the checksum. A wrong prefix is caught by comparing it with the expected
//!   one, and leaving it out lets one number keep its check character if a curriculum
//!   is ever renamed.
//!
//! All nine payload and check characters come from Crockford's base-32 alphabet, which
//! leaves out `I`, `L`, `O` and `U` so that nothing looks like `1`, `0` or `V`. (Crockford's
//! own mod 37 check symbols `*~$=U` are deliberately not used: every character of a
//! number stays in one alphabet that is easy to read aloud.)
//!
//! What the check character catches:
//! * **every** single mistyped character among the nine, because Luhn's doubling step is a
//!   permutation of the 32 values;
//! * every swap of two different neighbouring characters except `0`↔`Z`: 2 of the 992
//!   ordered pairs slip through, so **99.8 %** (7 920 of 7 936 over all eight neighbour
//!   positions, check character included) are detected. The tests measure this.

use std::io;

/// Crockford's base-32 alphabet; a character's index is its value in the checksum.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Random characters in a number.
const PAYLOAD_LEN: usize = 8;
/// Payload plus the check character.
const CODE_LEN: usize = PAYLOAD_LEN + 1;
/// How often [`generate`] draws again before concluding that `taken` never says no.
/// With 2⁴⁰ possible payloads even a huge register needs a handful of draws at most.
const MAX_DRAWS: usize = 1000;
/// Dashes people paste from word processors and PDFs, read like `-`.
const DASHES: [char; 7] = [
    '-', '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2212}',
];

/// Value (0..32) of a canonical alphabet character.
fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|i| i as u32)
}

/// Luhn mod 32 check character for the payload (8 alphabet chars, already canonical).
///
/// From the rightmost payload character leftwards the factors are 2, 1, 2, 1, …; a doubled
/// value is folded back by summing its base-32 digits (`addend / 32 + addend % 32`), and
/// the check character brings the total to a multiple of 32. Bytes outside the alphabet
/// count as `0` so that the function stays total; callers pass canonical payloads.
pub fn check_char(payload: &[u8]) -> u8 {
    let sum = payload.iter().rev().enumerate().fold(0, |sum, (i, &c)| {
        let v = value(c).unwrap_or(0);
        let addend = if i % 2 == 0 {
            let doubled = 2 * v;
            doubled / 32 + doubled % 32
        } else {
            v
        };
        (sum + addend) % 32
    });
    ALPHABET[((32 - sum) % 32) as usize]
}

/// A fresh canonical number `PREFIX-XXXX-XXXX-C` whose text `taken` says is not taken yet (retry otherwise).
///
/// Fails with `InvalidInput` for a prefix that is not uppercase letters and digits, with
/// the operating system's error if its random source fails, and with an error (instead
/// of looping forever) if `taken` keeps saying yes.
pub fn generate(prefix: &str, taken: impl Fn(&str) -> bool) -> io::Result<String> {
    check_prefix(prefix).map_err(|why| io::Error::new(io::ErrorKind::InvalidInput, why))?;
    for _ in 0..MAX_DRAWS {
        let payload = random_payload()?;
        let mut code = [0; CODE_LEN];
        code[..PAYLOAD_LEN].copy_from_slice(&payload);
        code[PAYLOAD_LEN] = check_char(&payload);
        let number = format_number(prefix, &code);
        if !taken(&number) {
            return Ok(number);
        }
    }
    Err(io::Error::other(format!(
        "no free certificate number found in {MAX_DRAWS} draws"
    )))
}

/// What a typed number is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// Well-formed with a fitting check character; the canonical form.
    Valid(String),
    /// Well-formed shape but the check character does not fit: a typo somewhere. `canonical` is the typed number in canonical form.
    Mistyped { canonical: String },
    /// Not a certificate number at all: says why in plain words (wrong prefix, wrong length, a character outside the alphabet such as 'U', …).
    Malformed(String),
}

/// Read what a person typed: trims, removes spaces, uppercases, maps O→0, I/L→1, accepts the hyphens present or absent (e.g. "psce 7k3m 9x2q h", "PSCE7K3M9X2QH", " psce-7k3m-9x2q-h ").
///
/// Whitespace and dashes may stand anywhere, since people group characters as they
/// like. The O/I/L mapping applies only after the prefix: a prefix may itself contain
/// those letters and is compared as it is, ignoring case.
pub fn read(input: &str, prefix: &str) -> Reading {
    if let Err(why) = check_prefix(prefix) {
        return Reading::Malformed(why);
    }
    let typed: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && !DASHES.contains(c))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if typed.is_empty() {
        return Reading::Malformed("nothing was typed".to_owned());
    }
    let Some(rest) = typed.strip_prefix(prefix) else {
        return Reading::Malformed(format!("it does not start with {prefix}"));
    };
    let mut code = Vec::with_capacity(CODE_LEN);
    for c in rest.chars() {
        match canonical_char(c) {
            Some(b) => code.push(b),
            None => {
                return Reading::Malformed(format!("{c:?} does not occur in certificate numbers"));
            }
        }
    }
    let Ok(code) = <[u8; CODE_LEN]>::try_from(code.as_slice()) else {
        let how = if code.len() < CODE_LEN {
            "too short"
        } else {
            "too long"
        };
        return Reading::Malformed(format!(
            "{how}: {} characters after {prefix}, but a certificate number has {CODE_LEN}",
            code.len()
        ));
    };
    let number = format_number(prefix, &code);
    if check_char(&code[..PAYLOAD_LEN]) == code[PAYLOAD_LEN] {
        Reading::Valid(number)
    } else {
        Reading::Mistyped { canonical: number }
    }
}

/// Registered numbers that differ from `canonical` in exactly one character of the 9 (payload + check) — for "did you mean …?". Sorted, deduplicated.
///
/// Since every single substitution breaks the checksum, at most nine valid numbers (one
/// per position) lie one character away from any typed number, so the list stays short.
/// Entries not in canonical form, or with another prefix, are never near misses.
pub fn near_misses<'a>(
    canonical: &str,
    registered: impl IntoIterator<Item = &'a str>,
) -> Vec<String> {
    let Some((prefix, code)) = split_canonical(canonical) else {
        return Vec::new();
    };
    let mut found: Vec<String> = registered
        .into_iter()
        .filter(|number| {
            split_canonical(number).is_some_and(|(p, c)| {
                p == prefix && c.iter().zip(&code).filter(|(a, b)| a != b).count() == 1
            })
        })
        .map(str::to_owned)
        .collect();
    found.sort();
    found.dedup();
    found
}

/// Why `prefix` cannot be a curriculum prefix, if it cannot.
fn check_prefix(prefix: &str) -> Result<(), String> {
    if !prefix.is_empty()
        && prefix
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        Ok(())
    } else {
        Err(format!(
            "the prefix {prefix:?} is not made of uppercase letters and digits"
        ))
    }
}

/// Eight uniformly random alphabet characters: 5 random bytes are exactly 8 × 5 bits.
fn random_payload() -> io::Result<[u8; PAYLOAD_LEN]> {
    let mut bytes = [0; 5];
    // Converted by hand: getrandom's own `From` impl needs its `std` feature.
    getrandom::fill(&mut bytes).map_err(|e| match e.raw_os_error() {
        Some(errno) => io::Error::from_raw_os_error(errno),
        None => io::Error::other(e),
    })?;
    let bits = bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    Ok(std::array::from_fn(|i| {
        ALPHABET[((bits >> (35 - 5 * i)) & 31) as usize]
    }))
}

/// The canonical alphabet character for a typed (already uppercased) one, as Crockford reads it.
fn canonical_char(c: char) -> Option<u8> {
    let c = match c {
        'O' => '0',
        'I' | 'L' => '1',
        c => c,
    };
    u8::try_from(c).ok().filter(|&b| value(b).is_some())
}

/// `PREFIX-XXXX-XXXX-C`.
fn format_number(prefix: &str, code: &[u8; CODE_LEN]) -> String {
    let mut number = String::with_capacity(prefix.len() + CODE_LEN + 3);
    number.push_str(prefix);
    for (i, &c) in code.iter().enumerate() {
        if i % 4 == 0 {
            number.push('-');
        }
        number.push(char::from(c));
    }
    number
}

/// Prefix and the nine code characters of a number in canonical form, or `None`.
fn split_canonical(number: &str) -> Option<(&str, [u8; CODE_LEN])> {
    let mut parts = number.split('-');
    let (prefix, first, second, check) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || first.len() != 4 || second.len() != 4 {
        return None;
    }
    let code: [u8; CODE_LEN] = [first, second, check].concat().as_bytes().try_into().ok()?;
    code.iter()
        .all(|&c| value(c).is_some())
        .then_some((prefix, code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::cell::{Cell, RefCell};

    const PREFIX: &str = "PSCE";

    /// The nine code characters for a payload, check character appended.
    fn code_of(payload: &[u8; PAYLOAD_LEN]) -> [u8; CODE_LEN] {
        let mut code = [0; CODE_LEN];
        code[..PAYLOAD_LEN].copy_from_slice(payload);
        code[PAYLOAD_LEN] = check_char(payload);
        code
    }

    fn is_valid(code: &[u8; CODE_LEN]) -> bool {
        check_char(&code[..PAYLOAD_LEN]) == code[PAYLOAD_LEN]
    }

    /// A valid canonical number for the payload.
    fn number(payload: &str) -> String {
        let payload: [u8; PAYLOAD_LEN] = payload.as_bytes().try_into().unwrap();
        format_number(PREFIX, &code_of(&payload))
    }

    /// A few hand-picked payloads and many random ones.
    fn sample_payloads() -> Vec<[u8; PAYLOAD_LEN]> {
        let mut payloads = vec![*b"00000000", *b"ZZZZZZZZ", *b"7K3M9X2Q", *b"0Z0Z0Z0Z"];
        for _ in 0..300 {
            payloads.push(random_payload().unwrap());
        }
        payloads
    }

    fn malformed_reason(reading: Reading) -> String {
        match reading {
            Reading::Malformed(why) => why,
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn alphabet_is_crockfords() {
        let mut sorted = ALPHABET.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, ALPHABET.to_vec(), "ascending and distinct");
        for c in (b'0'..=b'9').chain(b'A'..=b'Z') {
            assert_eq!(
                ALPHABET.contains(&c),
                !b"ILOU".contains(&c),
                "{}",
                c as char
            );
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
            for pos in 0..CODE_LEN {
                for &other in ALPHABET.iter().filter(|&&c| c != code[pos]) {
                    let mut typo = code;
                    typo[pos] = other;
                    assert!(
                        !is_valid(&typo),
                        "{:?} passed",
                        String::from_utf8_lossy(&typo)
                    );
                    tried += 1;
                }
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
        assert!(
            missed
                .iter()
                .all(|&p| p == (b'0', b'Z') || p == (b'Z', b'0'))
        );
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
        assert!(
            f64::from(caught) / f64::from(swaps) >= 0.99,
            "{caught} of {swaps}"
        );
    }

    #[test]
    fn exactly_nine_valid_numbers_lie_one_substitution_away() {
        let mut typo = code_of(b"7K3M9X2Q");
        typo[3] = b'N'; // was M
        assert!(!is_valid(&typo));
        let mut neighbours = 0;
        for pos in 0..CODE_LEN {
            for &other in ALPHABET.iter().filter(|&&c| c != typo[pos]) {
                let mut candidate = typo;
                candidate[pos] = other;
                neighbours += usize::from(is_valid(&candidate));
            }
        }
        assert_eq!(neighbours, CODE_LEN);
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
        let asked = Cell::new(0);
        let seen = RefCell::new(Vec::new());
        let n = generate(PREFIX, |candidate| {
            asked.set(asked.get() + 1);
            seen.borrow_mut().push(candidate.to_owned());
            asked.get() <= 3
        })
        .unwrap();
        assert_eq!(asked.get(), 4);
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
    fn read_accepts_the_canonical_form() {
        let n = number("7K3M9X2Q");
        assert_eq!(n, "PSCE-7K3M-9X2Q-H");
        assert_eq!(read(&n, PREFIX), Reading::Valid(n.clone()));
    }

    #[test]
    fn read_accepts_lower_case_spaces_and_missing_hyphens() {
        let n = number("7K3M9X2Q");
        for typed in [
            "psce 7k3m 9x2q h",
            "PSCE7K3M9X2QH",
            " psce-7k3m-9x2q-h ",
            "\tPsCe - 7K3M -9x2Q- h\n",
            "PSCE–7K3M–9X2Q–H", // en dashes from a word processor
        ] {
            assert_eq!(read(typed, PREFIX), Reading::Valid(n.clone()), "{typed:?}");
        }
    }

    #[test]
    fn read_maps_o_to_zero_and_i_l_to_one() {
        let n = number("00111000");
        let check = n.chars().last().unwrap();
        for typed in [
            format!("psce-oOlI-i0o0-{check}"),
            format!("PSCE OOLI IOO0 {check}"),
        ] {
            assert_eq!(read(&typed, PREFIX), Reading::Valid(n.clone()), "{typed}");
        }
    }

    #[test]
    fn read_keeps_o_i_l_in_the_prefix() {
        let code = code_of(b"7K3M9X2Q");
        let n = format_number("OIL1", &code);
        assert_eq!(read(&n.to_lowercase(), "OIL1"), Reading::Valid(n.clone()));
        // The prefix is compared as it is, not Crockford-mapped.
        assert!(matches!(
            read(&n.replace("OIL1", "0111"), "OIL1"),
            Reading::Malformed(_)
        ));
    }

    #[test]
    fn read_reports_a_typo_as_mistyped_in_canonical_form() {
        // M and N confused in the payload.
        assert_eq!(
            read("psce 7k3n 9x2q h", PREFIX),
            Reading::Mistyped {
                canonical: "PSCE-7K3N-9X2Q-H".to_owned()
            }
        );
    }

    #[test]
    fn read_rejects_a_wrong_prefix() {
        let why = malformed_reason(read("ABCD-7K3M-9X2Q-H", PREFIX));
        assert!(why.contains("does not start with PSCE"), "{why}");
        let why = malformed_reason(read("7K3M-9X2Q-H", PREFIX));
        assert!(why.contains("does not start with PSCE"), "{why}");
    }

    #[test]
    fn read_rejects_u_and_other_strangers() {
        let why = malformed_reason(read("psce-7k3u-9x2q-h", PREFIX));
        assert!(why.contains("'U'"), "{why}");
        let why = malformed_reason(read("PSCE-7K3M-9X2Q-H.", PREFIX));
        assert!(why.contains("'.'"), "{why}");
    }

    #[test]
    fn read_rejects_wrong_lengths() {
        let why = malformed_reason(read("PSCE-7K3M-9X2Q", PREFIX));
        assert!(why.contains("too short") && why.contains('8'), "{why}");
        let why = malformed_reason(read("PSCE-7K3M-9X2Q-HH", PREFIX));
        assert!(why.contains("too long") && why.contains("10"), "{why}");
        let why = malformed_reason(read("  - ", PREFIX));
        assert!(why.contains("nothing"), "{why}");
    }

    #[test]
    fn read_rejects_a_bad_prefix_argument() {
        let why = malformed_reason(read("psce-7k3m-9x2q-h", "psce"));
        assert!(why.contains("prefix"), "{why}");
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
        let typed = "PSCE-7K3N-9X2Q-H";
        let found = near_misses(typed, registered.iter().map(String::as_str));
        assert_eq!(found, vec![meant.clone(), number("7K3N9X2Q")]);
        // A transposition is not one substitution away.
        assert!(
            near_misses("PSCE-K73M-9X2Q-H", registered.iter().map(String::as_str))
                .iter()
                .all(|n| *n != meant)
        );
        // Nothing is its own near miss, and non-canonical input finds nothing.
        assert!(near_misses(&meant, [meant.as_str()]).is_empty());
        assert!(near_misses("psce-7k3n-9x2q-h", registered.iter().map(String::as_str)).is_empty());
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
}
