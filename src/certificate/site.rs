//! The static verification site of `cohort publish`.
//!
//! Each certificate gets one file, `c/<id>.js`, where `id` comes from a
//! slow salted hash of the canonical number: `k = PBKDF2-HMAC-SHA256(number,
//! salt, ITERATIONS, 32 bytes)`, `id = hex(SHA-256(k ‖ "id"))[..32]`. What
//! the file says (name, level, date, status) is sealed with AES-256-GCM
//! under `SHA-256(k ‖ "key")`, so that a copy of the whole site (a public
//! repository, a host that lists folders) still shows no name: only someone
//! who holds a number can find and open its entry. The page computes the
//! same with the browser's WebCrypto.
//!
//! An entry is a `.js` file that calls `cohortEntry(id, nonce, sealed)`
//! rather than a `.json` file because a page opened from disk (`file://`)
//! may load scripts from its folder but may not `fetch` files.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// OWASP's Password Storage Cheat Sheet figure for PBKDF2-HMAC-SHA256
/// (also the pbkdf2 crate's recommended count).
pub const ITERATIONS: u32 = 600_000;
const _: () = assert!(ITERATIONS == pbkdf2::Params::RECOMMENDED_ROUNDS);

/// The iteration count `publish` uses: [`ITERATIONS`]. Debug builds only
/// (the tests' binary) read `COHORT_TEST_PBKDF2_ITERATIONS`, so that tests
/// that publish again and again need not pay 600,000 rounds each time; the
/// Chromium test runs at the shipped count. A release build ignores it.
pub fn iterations() -> u32 {
    if cfg!(debug_assertions)
        && let Some(n) = std::env::var("COHORT_TEST_PBKDF2_ITERATIONS")
            .ok()
            .and_then(|v| v.parse().ok())
    {
        return n;
    }
    ITERATIONS
}

/// Entries are padded to this many bytes before sealing so that their size
/// does not tell the length of the name.
const PADDED: usize = 480;

/// What the page shows for a number that is in the register.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub level: String,
    pub credential: String,
    pub program: String,
    pub date: String,
    /// "valid" or "revoked".
    pub status: String,
    /// The date of the revocation, for a revoked one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_on: Option<String>,
}

/// The file id and the sealing key of `number` (canonical form).
pub fn derive(number: &str, salt: &[u8], iterations: u32) -> (String, [u8; 32]) {
    let mut k = [0u8; 32];
    if iterations == pbkdf2::Params::RECOMMENDED_ROUNDS {
        // The same function, instantiated inside the pbkdf2 crate: debug
        // builds (the tests) optimise it (see Cargo.toml), so that they can
        // run at the shipped count.
        pbkdf2::pbkdf2_hmac_with_params(
            number.as_bytes(),
            salt,
            pbkdf2::Algorithm::Pbkdf2Sha256,
            pbkdf2::Params::RECOMMENDED,
            &mut k,
        );
    } else {
        pbkdf2::pbkdf2_hmac::<Sha256>(number.as_bytes(), salt, iterations, &mut k);
    }
    let part = |label: &[u8]| -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(k);
        h.update(label);
        h.finalize().into()
    };
    let id: String = part(b"id")[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    (id, part(b"key"))
}

/// The text of `c/<id>.js` for `entry`, sealed under `key`.
pub fn entry_file(id: &str, key: &[u8; 32], entry: &Entry) -> anyhow::Result<String> {
    let mut plain = serde_json::to_vec(entry)?;
    if plain.len() < PADDED {
        plain.resize(PADDED, b' ');
    }
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|e| anyhow::anyhow!("no secure random numbers: {e}"))?;
    let cipher = Aes256Gcm::new_from_slice(key).expect("a 32-byte key");
    let sealed = cipher
        .encrypt(&Nonce::from(nonce), plain.as_slice())
        .map_err(|_| anyhow::anyhow!("sealing an entry failed"))?;
    let b64 = base64::engine::general_purpose::STANDARD;
    Ok(format!(
        "cohortEntry(\"{id}\",\"{}\",\"{}\");\n",
        b64.encode(nonce),
        b64.encode(sealed)
    ))
}

/// Opens an entry file with `key` (what the page does; for tests).
pub fn open_entry(text: &str, key: &[u8; 32]) -> Option<Entry> {
    let parts: Vec<&str> = text.split('"').collect();
    let b64 = base64::engine::general_purpose::STANDARD;
    let nonce: [u8; 12] = b64.decode(parts.get(3)?).ok()?.try_into().ok()?;
    let sealed = b64.decode(parts.get(5)?).ok()?;
    let cipher = Aes256Gcm::new_from_slice(key).ok()?;
    let plain = cipher
        .decrypt(&Nonce::from(nonce), sealed.as_slice())
        .ok()?;
    serde_json::from_slice(&plain).ok()
}

/// The page, with the site's salt, iteration count and number prefixes.
pub fn index_html(program: &str, salt_hex: &str, iterations: u32, prefixes: &[String]) -> String {
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let prefixes = serde_json::to_string(prefixes).expect("strings");
    include_str!("../../assets/site/index.html")
        .replace("__PROGRAM__", &escape(program))
        .replace("__SALT__", salt_hex)
        .replace("__ITERATIONS__", &iterations.to_string())
        .replace("__PREFIXES__", &prefixes)
}

/// The salt written in a page made by [`index_html`].
pub fn salt_of(index_html: &str) -> Option<String> {
    let start = index_html.find("<meta name=\"cohort-site\" content=\"")? + 34;
    let len = index_html[start..].find('"')?;
    let salt = &index_html[start..start + len];
    (salt.len() == 32 && salt.bytes().all(|b| b.is_ascii_hexdigit())).then(|| salt.to_string())
}

/// A fresh salt of 16 random bytes, in hex.
pub fn new_salt() -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no secure random numbers: {e}"))?;
    Ok(salt.iter().map(|b| format!("{b:02x}")).collect())
}

/// The bytes of a hex salt.
pub fn salt_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            name: "Zoë Martin-Leclerc".into(),
            level: "Certified".into(),
            credential: "Certified Peer Supporter".into(),
            program: "Peer Support Core Essentials".into(),
            date: "2025-02-14".into(),
            status: "valid".into(),
            revoked_on: None,
        }
    }

    #[test]
    fn pbkdf2_is_the_standard_one() {
        // RFC 7914 section 11's PBKDF2-HMAC-SHA256 vector ("passwd", "salt", c = 1).
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out);
        assert_eq!(
            out.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    #[test]
    fn the_shipped_count_and_the_generic_function_agree() {
        let salt = b"0123456789abcdef";
        let mut generic = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"PSCE-7K3M-9X2Q-H", salt, ITERATIONS, &mut generic);
        let mut k = [0u8; 32];
        pbkdf2::pbkdf2_hmac_with_params(
            b"PSCE-7K3M-9X2Q-H",
            salt,
            pbkdf2::Algorithm::Pbkdf2Sha256,
            pbkdf2::Params::RECOMMENDED,
            &mut k,
        );
        assert_eq!(k, generic);
        assert_eq!(derive("PSCE-7K3M-9X2Q-H", salt, ITERATIONS).1.len(), 32);
    }

    #[test]
    fn an_entry_opens_with_its_key_only_and_hides_the_name() {
        let (id, key) = derive("PSCE-7K3M-9X2Q-H", b"0123456789abcdef", 1000);
        let (other_id, other_key) = derive("PSCE-7K3M-9X2Q-J", b"0123456789abcdef", 1000);
        assert_ne!(id, other_id);
        assert_eq!(id.len(), 32);
        let text = entry_file(&id, &key, &entry()).unwrap();
        // Words of six letters or more: a random ciphertext in base64 holds
        // a given two-letter run (such as "Zo") by chance about once in ten.
        for word in [
            "Martin",
            "Leclerc",
            "Certified",
            "Support",
            "Essentials",
            "7K3M9X2Q",
        ] {
            assert!(!text.contains(word), "the entry holds {word:?}");
        }
        assert_eq!(open_entry(&text, &key), Some(entry()));
        assert_eq!(open_entry(&text, &other_key), None);
        let long = Entry {
            name: "A much, much longer name than the first one".into(),
            ..entry()
        };
        assert_eq!(
            text.len(),
            entry_file(&id, &key, &long).unwrap().len(),
            "the size does not tell the name's length"
        );
    }

    #[test]
    fn the_salt_reads_back_from_the_page() {
        let salt = new_salt().unwrap();
        let page = index_html("P <&>", &salt, ITERATIONS, &["PSCE".into()]);
        assert_eq!(salt_of(&page).as_deref(), Some(salt.as_str()));
        assert!(page.contains("P &lt;&amp;&gt;"));
        assert!(page.contains("600000"));
        assert_eq!(salt_bytes("00ff10"), vec![0, 255, 16]);
    }
}
