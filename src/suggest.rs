//! Suggestions worked out from the data, for messages: the next free
//! participant id of a cohort, and the valid id a mistyped one was meant
//! to be. Nothing here decides anything; it only words the remedy.

use crate::load::is_participant_id;

/// The id after the highest one of the most used pattern (`p18` → `p19`,
/// `w-007` → `w-008`), keeping the width of its digits; `p01` in a cohort
/// with nobody yet. Never one of `taken`.
pub fn next_id<'a>(taken: impl IntoIterator<Item = &'a str>) -> String {
    let taken: Vec<&str> = taken.into_iter().collect();
    // (prefix, width) → highest number, and how many ids use it.
    let mut patterns: Vec<(String, usize, u64, usize)> = Vec::new();
    for id in &taken {
        let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 || digits > 9 {
            continue;
        }
        let (prefix, number) = id.split_at(id.len() - digits);
        let Ok(n) = number.parse::<u64>() else {
            continue;
        };
        match patterns
            .iter_mut()
            .find(|(p, w, _, _)| p == prefix && *w == digits)
        {
            Some(found) => {
                found.2 = found.2.max(n);
                found.3 += 1;
            }
            None => patterns.push((prefix.to_string(), digits, n, 1)),
        }
    }
    let (prefix, width, n) = patterns
        .into_iter()
        .max_by_key(|(_, _, high, count)| (*count, *high))
        .map_or(("p".to_string(), 2, 0), |(p, w, high, _)| (p, w, high));
    (n + 1..)
        .map(|n| format!("{prefix}{n:0width$}"))
        .find(|id| !taken.contains(&id.as_str()))
        .expect("only so many ids are taken")
}

/// The valid id that `typed` was probably meant to be: lower case, a space
/// before a number dropped and other spaces as dashes (`P13` → `p13`,
/// `P 18` → `p18`, `Jo Lee` → `jo-lee`), if that is valid.
pub fn cleaned_id(typed: &str) -> Option<String> {
    let words: Vec<String> = typed.split_whitespace().map(str::to_lowercase).collect();
    let mut id = String::new();
    for (i, w) in words.iter().enumerate() {
        let before_number = w.starts_with(|c: char| c.is_ascii_digit());
        if i > 0 && !before_number {
            id.push('-');
        }
        id.push_str(w);
    }
    (id != typed && is_participant_id(&id)).then_some(id)
}

/// What to write instead of an invalid or empty `typed` id, given the ids
/// `taken` and who holds them: `did you mean "p13"?`, or, when that one is
/// taken, the next free id.
pub fn id_remedy<'a>(typed: &str, taken: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let taken: Vec<(&str, &str)> = taken.into_iter().collect();
    let next = next_id(taken.iter().map(|(id, _)| *id));
    match cleaned_id(typed) {
        Some(id) => match taken.iter().find(|(t, _)| *t == id) {
            Some((_, who)) => format!("\"{id}\" is taken ({who}); the next free id is {next}"),
            None => format!("did you mean \"{id}\"?"),
        },
        None => format!("the next free id is {next}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_id_follows_the_cohort_s_own_pattern() {
        let example: Vec<String> = (1..=18).map(|n| format!("p{n:02}")).collect();
        assert_eq!(next_id(example.iter().map(String::as_str)), "p19");
        assert_eq!(next_id([]), "p01");
        assert_eq!(next_id(["w-007", "w-003", "x"]), "w-008");
        assert_eq!(next_id(["p9"]), "p10");
        // The most used pattern wins over a stray one with a higher number.
        assert_eq!(next_id(["p01", "p02", "p03", "guest100"]), "p04");
        // A gap is not filled: ids are not reused after an unenrolment.
        assert_eq!(next_id(["p01", "p05"]), "p06");
        assert_eq!(next_id(["p99"]), "p100");
    }

    #[test]
    fn a_mistyped_id_is_cleaned_or_the_next_free_one_offered() {
        let taken = [("p13", "Kwame Mensah"), ("p18", "Hannah Goldberg")];
        assert_eq!(
            id_remedy("P13", taken),
            "\"p13\" is taken (Kwame Mensah); the next free id is p19"
        );
        assert_eq!(id_remedy("P20", taken), "did you mean \"p20\"?");
        assert_eq!(id_remedy("Jo Lee", taken), "did you mean \"jo-lee\"?");
        assert_eq!(id_remedy("P 20", taken), "did you mean \"p20\"?");
        assert_eq!(cleaned_id(" p20 "), Some("p20".to_string()));
        assert_eq!(cleaned_id("p20"), None);
        assert_eq!(id_remedy("", taken), "the next free id is p19");
        assert_eq!(id_remedy("#1", taken), "the next free id is p19");
    }
}
