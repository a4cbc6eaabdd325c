//! Keys for personal data, set with `wrangler secret put` (deployed) or `.dev.vars` (local; made
//! by `cargo xtask dev`/`test` when missing). Each is 32 random bytes written as 64 hex digits.
//! Separate keys, so that leaking one (say the challenge key) exposes nothing else.

/// Secret names, as given to `wrangler secret put`.
pub const PERSONAL_DATA_KEY: &str = "PERSONAL_DATA_KEY";
pub const MOBILE_HASH_KEY: &str = "MOBILE_HASH_KEY";
pub const CHALLENGE_KEY: &str = "CHALLENGE_KEY";

/// The worker's keys.
#[derive(Clone)]
pub struct Secrets {
    /// AES-256-GCM key sealing personal fields before they reach KV.
    pub personal_data: [u8; 32],
    /// HMAC key for look-ups by mobile number (never stored in plain text).
    pub mobile_hash: [u8; 32],
    /// HMAC key signing proof-of-work challenges.
    pub challenge: [u8; 32],
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secrets(…)")
    }
}

impl Secrets {
    /// Reads the three keys through `lookup`; `Err` names the missing or malformed ones (names
    /// only, never values).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Secrets, String> {
        let read = |name: &str| {
            lookup(name)
                .as_deref()
                .and_then(parse_key)
                .ok_or_else(|| name.to_string())
        };
        match (
            read(PERSONAL_DATA_KEY),
            read(MOBILE_HASH_KEY),
            read(CHALLENGE_KEY),
        ) {
            (Ok(personal_data), Ok(mobile_hash), Ok(challenge)) => Ok(Secrets {
                personal_data,
                mobile_hash,
                challenge,
            }),
            (a, b, c) => {
                let missing: Vec<String> =
                    [a.err(), b.err(), c.err()].into_iter().flatten().collect();
                Err(format!(
                    "secrets missing or not 64 hex digits: {}",
                    missing.join(", ")
                ))
            }
        }
    }
}

fn parse_key(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut key = [0; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_64_hex_digits_and_missing_ones_are_named_not_shown() {
        let good = "ab".repeat(32);
        let secrets = Secrets::from_lookup(|_| Some(good.clone())).unwrap();
        assert_eq!(secrets.challenge, [0xab; 32]);
        let error = Secrets::from_lookup(|name| (name != MOBILE_HASH_KEY).then(|| good.clone()))
            .unwrap_err();
        assert!(error.contains(MOBILE_HASH_KEY) && !error.contains(&good));
        assert!(Secrets::from_lookup(|_| Some("short".into())).is_err());
        assert_eq!(format!("{secrets:?}"), "Secrets(…)");
    }
}
