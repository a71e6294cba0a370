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

/// The nine code characters for a payload, check character appended.
fn code_of(payload: &[u8; PAYLOAD_LEN]) -> [u8; CODE_LEN] {
    let mut code = [0; CODE_LEN];
    code[..PAYLOAD_LEN].copy_from_slice(payload);
    code[PAYLOAD_LEN] = check_char(payload);
    code
}

/// Whether the check character of `code` fits its payload.
fn is_valid(code: &[u8; CODE_LEN]) -> bool {
    check_char(&code[..PAYLOAD_LEN]) == code[PAYLOAD_LEN]
}

/// A fresh canonical number `PREFIX-XXXX-XXXX-C` whose text `taken` says is not taken yet (retry otherwise).
///
/// Fails with `InvalidInput` for a prefix that is not uppercase letters and digits, with
/// the operating system's error if its random source fails, and with an error (instead
/// of looping forever) if `taken` keeps saying yes.
pub fn generate(prefix: &str, taken: impl Fn(&str) -> bool) -> io::Result<String> {
    check_prefix(prefix).map_err(|why| io::Error::new(io::ErrorKind::InvalidInput, why))?;
    for _ in 0..MAX_DRAWS {
        let number = format_number(prefix, &code_of(&random_payload()?));
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
    // A number already in canonical form (every row of the register) is
    // read as it stands: what the general reading below would make of it.
    if let Some((p, code)) = split_canonical(input)
        && p == prefix
    {
        return checked(input.to_owned(), &code);
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
    let code: Vec<u8> = match rest.chars().map(|c| canonical_char(c).ok_or(c)).collect() {
        Ok(code) => code,
        Err(c) => {
            return Reading::Malformed(format!("{c:?} does not occur in certificate numbers"));
        }
    };
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
    checked(format_number(prefix, &code), &code)
}

/// `number` (canonical, of the characters `code`) valid or mistyped, as
/// its check character fits or not.
fn checked(number: String, code: &[u8; CODE_LEN]) -> Reading {
    if is_valid(code) {
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
    if parts.next().is_some() || first.len() != 4 || second.len() != 4 || check.len() != 1 {
        return None;
    }
    let mut code = [0; CODE_LEN];
    code[..4].copy_from_slice(first.as_bytes());
    code[4..8].copy_from_slice(second.as_bytes());
    code[8] = check.as_bytes()[0];
    code.iter()
        .all(|&c| value(c).is_some())
        .then_some((prefix, code))
}

#[cfg(test)]
pub(crate) mod tests;
