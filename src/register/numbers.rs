//! Certificate numbers as small keys, for the register's index: the prefix
//! as a number given in the order first seen, the nine characters after it
//! as seven bits each. A register of 100,000 certificates keys them in a
//! few megabytes, with no text copied and no allocation per number.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// A number's prefix (its id) and its nine code characters.
type Key = (u32, u64);

/// A map from canonical numbers (`PREFIX-XXXX-XXXX-C`) to `V`.
#[derive(Debug, Clone, Default)]
pub struct Numbers<V> {
    slots: HashMap<Key, V>,
    ids: HashMap<String, u32>,
    /// The prefix of each id; the newest is tried first (most registers
    /// have one prefix).
    prefixes: Vec<String>,
}

/// The prefix and the code of a number in canonical form.
fn split(number: &str) -> Option<(&str, u64)> {
    let dash = memchr::memchr(b'-', number.as_bytes())?;
    let (prefix, rest) = (&number[..dash], &number.as_bytes()[dash + 1..]);
    if rest.len() != 11 || rest[4] != b'-' || rest[9] != b'-' {
        return None;
    }
    let mut code = 0u64;
    for &b in rest.iter().filter(|&&b| b != b'-') {
        if !b.is_ascii() {
            return None;
        }
        code = (code << 7) | u64::from(b);
    }
    Some((prefix, code))
}

impl<V> Numbers<V> {
    /// Room for `n` numbers.
    pub fn reserve(&mut self, n: usize) {
        self.slots.reserve(n);
    }

    fn id(&self, prefix: &str) -> Option<u32> {
        match self.prefixes.last() {
            Some(last) if last == prefix => Some(self.prefixes.len() as u32 - 1),
            _ => self.ids.get(prefix).copied(),
        }
    }

    fn key(&self, number: &str) -> Option<Key> {
        let (prefix, code) = split(number)?;
        Some((self.id(prefix)?, code))
    }

    pub fn get(&self, number: &str) -> Option<&V> {
        self.slots.get(&self.key(number)?)
    }

    /// Keeps `value` for `number` unless it has one: then that one, left as
    /// it is. `number` must be in canonical form.
    pub fn insert_new(&mut self, number: &str, value: V) -> Option<&mut V> {
        let Some((prefix, code)) = split(number) else {
            debug_assert!(false, "{number} is not in canonical form");
            return None;
        };
        let id = self.id(prefix).unwrap_or_else(|| {
            let id = self.prefixes.len() as u32;
            self.ids.insert(prefix.to_string(), id);
            self.prefixes.push(prefix.to_string());
            id
        });
        match self.slots.entry((id, code)) {
            Entry::Occupied(kept) => Some(kept.into_mut()),
            Entry::Vacant(slot) => {
                slot.insert(value);
                None
            }
        }
    }

    /// The prefixes that begin the numbers, sorted.
    pub fn prefixes(&self) -> Vec<&str> {
        sorted(&self.prefixes)
    }

    /// The same map, frozen: sorted by key, looked up by binary search,
    /// and kept or read back as plain numbers ([`super::cache`]).
    pub fn into_sorted(self) -> Sorted<V> {
        let mut entries: Vec<(Key, V)> = self.slots.into_iter().collect();
        entries.sort_unstable_by_key(|&(key, _)| key);
        Sorted {
            entries,
            prefixes: self.prefixes,
        }
    }
}

/// `prefixes`, sorted.
fn sorted(prefixes: &[String]) -> Vec<&str> {
    let mut all: Vec<&str> = prefixes.iter().map(String::as_str).collect();
    all.sort_unstable();
    all
}

/// The canonical text of the number `key`.
fn text(prefixes: &[String], (id, code): Key) -> String {
    let mut number = prefixes[id as usize].clone();
    for i in 0..9 {
        if i % 4 == 0 {
            number.push('-');
        }
        number.push(char::from(((code >> (7 * (8 - i))) & 0x7F) as u8));
    }
    number
}

/// A [`Numbers`] that no longer changes: its keys sorted.
#[derive(Debug, Clone, Default)]
pub struct Sorted<V> {
    pub(super) entries: Vec<(Key, V)>,
    /// The prefix of each id, in the order first seen.
    pub(super) prefixes: Vec<String>,
}

impl<V> Sorted<V> {
    /// `None` unless the keys are strictly increasing and every id has
    /// its prefix: what a binary search needs (a kept copy is checked).
    pub(super) fn new(entries: Vec<(Key, V)>, prefixes: Vec<String>) -> Option<Self> {
        let increasing = entries.windows(2).all(|w| w[0].0 < w[1].0);
        let known = entries
            .iter()
            .all(|((id, _), _)| (*id as usize) < prefixes.len());
        (increasing && known).then_some(Sorted { entries, prefixes })
    }

    pub fn get(&self, number: &str) -> Option<&V> {
        let (prefix, code) = split(number)?;
        let id = self.prefixes.iter().position(|p| p == prefix)? as u32;
        let i = self
            .entries
            .binary_search_by_key(&(id, code), |&(key, _)| key)
            .ok()?;
        Some(&self.entries[i].1)
    }

    /// The prefixes that begin the numbers, sorted.
    pub fn prefixes(&self) -> Vec<&str> {
        sorted(&self.prefixes)
    }

    /// Every number, with its value.
    pub fn iter(&self) -> impl Iterator<Item = (String, &V)> {
        self.entries
            .iter()
            .map(|(key, v)| (text(&self.prefixes, *key), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_found_by_their_text_and_given_back_whole() {
        let mut n = Numbers::default();
        assert_eq!(n.insert_new("PSCE-7K3M-9X2Q-H", 1), None);
        assert_eq!(n.insert_new("OLD-0000-0001-Z", 2), None);
        assert_eq!(n.insert_new("PSCE-0000-0000-0", 3), None);
        // A number kept already keeps its value.
        assert_eq!(n.insert_new("PSCE-7K3M-9X2Q-H", 4), Some(&mut 1));
        assert_eq!(n.get("PSCE-7K3M-9X2Q-H"), Some(&1));
        assert_eq!(n.get("OLD-0000-0001-Z"), Some(&2));
        assert_eq!(n.get("PSCE-0000-0001-Z"), None);
        assert_eq!(n.get("NEW-0000-0001-Z"), None);
        assert_eq!(n.get("PSCE-7K3M9X2Q-H"), None);
        assert_eq!(n.prefixes(), vec!["OLD", "PSCE"]);
        // Frozen, it finds the same numbers and no others.
        let sorted = n.into_sorted();
        assert_eq!(sorted.get("PSCE-7K3M-9X2Q-H"), Some(&1));
        assert_eq!(sorted.get("OLD-0000-0001-Z"), Some(&2));
        assert_eq!(sorted.get("PSCE-0000-0000-0"), Some(&3));
        assert_eq!(sorted.get("PSCE-0000-0001-Z"), None);
        assert_eq!(sorted.get("NEW-0000-0001-Z"), None);
        assert_eq!(sorted.prefixes(), vec!["OLD", "PSCE"]);
        let mut all: Vec<(String, i32)> = sorted.iter().map(|(s, v)| (s, *v)).collect();
        all.sort();
        assert_eq!(
            all,
            vec![
                ("OLD-0000-0001-Z".to_string(), 2),
                ("PSCE-0000-0000-0".to_string(), 3),
                ("PSCE-7K3M-9X2Q-H".to_string(), 1),
            ]
        );
    }

    #[test]
    fn a_kept_copy_out_of_order_is_refused() {
        let unsorted = vec![((0, 2), 'a'), ((0, 1), 'b')];
        assert!(Sorted::new(unsorted, vec!["PSCE".into()]).is_none());
        let unknown_prefix = vec![((1, 1), 'a')];
        assert!(Sorted::new(unknown_prefix, vec!["PSCE".into()]).is_none());
        let twice = vec![((0, 1), 'a'), ((0, 1), 'b')];
        assert!(Sorted::new(twice, vec!["PSCE".into()]).is_none());
        assert!(Sorted::new(vec![((0, 1), 'a'), ((0, 2), 'b')], vec!["PSCE".into()]).is_some());
    }
}
