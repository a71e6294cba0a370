//! Comparing the names and e-mails of a report with a cohort's.
//!
//! A name's key is its Unicode NFC form (so `He\u{301}le\u{300}ne`, as some
//! systems send it, is `Hélène`), case folded (Unicode lower case), with
//! white space of any kind collapsed to one space, and trailing parenthesised
//! groups dropped as long as a name is left before them (Zoom's
//! `Shown (Original)`, a device `(iPhone)`, pronouns `(they/them)`). Names
//! and aliases go through the same function, so an alias matches with or
//! without such a suffix. Two participants whose keys meet make the key
//! ambiguous: it matches neither.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::model::Cohort;

/// Key for matching a report name or an alias to a participant.
pub fn name_key(name: &str) -> String {
    let nfc: String = name.nfc().collect();
    let collapsed = nfc.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut key = collapsed.as_str();
    while let Some(open) = trailing_group_start(key) {
        let before = key[..open].trim_end();
        if before.is_empty() {
            break;
        }
        key = before;
    }
    key.to_lowercase().nfc().collect()
}

/// Key for an e-mail: NFC, trimmed, lower case.
pub fn email_key(email: &str) -> String {
    email.trim().nfc().collect::<String>().to_lowercase()
}

/// Byte index of the `(` that opens the parenthesised group ending `s`, if
/// `s` ends with `)` and its parentheses balance.
pub fn trailing_group_start(s: &str) -> Option<usize> {
    if !s.ends_with(')') {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in s.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether an alias is an e-mail rather than a name.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    s.contains('@') && !s.contains(' ')
}

/// Every participant's keys: their e-mail and e-mail aliases, their name and
/// name aliases. A key may point at several participants (ambiguous).
#[derive(Debug, Default, Clone)]
pub struct Keys {
    pub by_email: HashMap<String, Vec<usize>>,
    pub by_name: HashMap<String, Vec<usize>>,
    /// Name keys of the cohort's trainers.
    pub trainers: Vec<String>,
}

impl Keys {
    pub fn of(cohort: &Cohort) -> Keys {
        let mut keys = Keys::default();
        for (p, participant) in cohort.participants.iter().enumerate() {
            if let Some(e) = &participant.email {
                keys.add_email(p, e);
            }
            keys.add_name(p, &participant.name);
            for alias in &participant.aliases {
                keys.add_alias(p, alias);
            }
        }
        keys.trainers = cohort.trainers.iter().map(|t| name_key(t)).collect();
        keys
    }

    fn add(map: &mut HashMap<String, Vec<usize>>, key: String, p: usize) {
        if key.is_empty() {
            return;
        }
        let list = map.entry(key).or_default();
        if !list.contains(&p) {
            list.push(p);
        }
    }

    pub fn add_email(&mut self, p: usize, email: &str) {
        Keys::add(&mut self.by_email, email_key(email), p);
    }

    pub fn add_name(&mut self, p: usize, name: &str) {
        Keys::add(&mut self.by_name, name_key(name), p);
    }

    /// An alias is an e-mail or a name; an e-mail alias also matches a name
    /// cell (some reports show the e-mail there).
    pub fn add_alias(&mut self, p: usize, alias: &str) {
        if is_email(alias) {
            self.add_email(p, alias);
        }
        self.add_name(p, alias);
    }

    pub fn email(&self, email: &str) -> &[usize] {
        self.by_email
            .get(&email_key(email))
            .map_or(&[], Vec::as_slice)
    }

    pub fn name(&self, name: &str) -> &[usize] {
        self.by_name.get(&name_key(name)).map_or(&[], Vec::as_slice)
    }

    pub fn is_trainer(&self, name: &str) -> bool {
        let key = name_key(name);
        !key.is_empty() && self.trainers.contains(&key)
    }
}

/// Why `alias` cannot be added to participant `p`, if it cannot: it is
/// already theirs, or it would match someone else too (which would make both
/// unmatched), or it is a trainer's name.
pub fn alias_refusal(cohort: &Cohort, keys: &Keys, p: usize, alias: &str) -> Option<String> {
    let alias = alias.trim();
    if alias.is_empty() {
        return Some("an alias cannot be empty".to_string());
    }
    let id = &cohort.participants[p].id;
    let (list, what) = if is_email(alias) {
        (keys.email(alias), "e-mail")
    } else {
        (keys.name(alias), "name")
    };
    let taken: Vec<String> = list
        .iter()
        .filter(|&&q| q != p)
        .map(|&q| {
            let o = &cohort.participants[q];
            format!("{} ({})", o.id, o.name)
        })
        .collect();
    if !taken.is_empty() {
        return Some(format!(
            "\"{alias}\" is already the {what} or an alias of {}; as an alias of {id} too it would match neither",
            taken.join(" and ")
        ));
    }
    if list.contains(&p) {
        return Some(format!(
            "\"{alias}\" already matches {id} (its name, e-mail or an alias)"
        ));
    }
    if !is_email(alias) && keys.is_trainer(alias) {
        return Some(format!(
            "\"{alias}\" is a trainer of cohort {}; trainers are left out of reports",
            cohort.id
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_normalise_case_space_and_unicode() {
        assert_eq!(name_key("  Jordan   LEE "), "jordan lee");
        assert_eq!(name_key("Jordan\u{a0}Lee\t"), "jordan lee");
        assert_eq!(name_key("Jordan Lee (iPhone)"), "jordan lee");
        assert_eq!(name_key("Sam Roe (they/them) (Samuel Roe)"), "sam roe");
        assert_eq!(name_key("Maria (Mary) Lopez"), "maria (mary) lopez");
        assert_eq!(name_key("(iPad)"), "(ipad)");
        assert_eq!(name_key("Broken paren)"), "broken paren)");
        assert_eq!(name_key("He\u{301}le\u{300}ne"), name_key("Hélène"));
        assert_eq!(name_key("ÉLODIE"), "élodie");
        assert_eq!(email_key(" Jordan@Example.ORG "), "jordan@example.org");
    }
}
