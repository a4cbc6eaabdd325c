//! Proof-of-work challenges for the public forms: a bot must spend CPU per submission, a person
//! waits a fraction of a second. Works in mainland China, where reCAPTCHA and Turnstile do not.
//!
//! The edge issues a signed, expiring token (`GET /v1/challenge`); the widget finds a `nonce`
//! such that SHA-256(`token:nonce`) starts with `difficulty` zero bits; the edge verifies the
//! signature, the age and the work, and marks the token's id as used (single use).
//!
//! Token: `v1.<id>.<issued_at>.<difficulty>.<signature>` — id 32 hex digits (random), issued_at
//! Unix seconds, signature HMAC-SHA256 over everything before it, in hex.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// Leading zero bits asked for: 2^16 ≈ 65,000 hashes on average, well under a second in wasm on
/// a phone, and a real cost for anyone sending thousands.
pub const DIFFICULTY: u32 = 16;
/// A person needs at least this long (milliseconds from the form appearing to submitting); bots
/// post at once. The widgets hold a quick submission back until then, so people never meet it.
pub const MIN_FILL_MS: u64 = 3_000;
/// How long a token stays valid, in seconds.
pub const MAX_AGE_SECONDS: u64 = 15 * 60;

type HmacSha256 = Hmac<Sha256>;

/// Why a solution was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChallengeError {
    /// Not a token of ours at all.
    Malformed,
    /// The signature does not match: made up or altered.
    Forged,
    /// Too old (or from the future).
    Expired,
    /// The nonce does not do the work.
    Unsolved,
}

impl ChallengeError {
    /// The error code in API responses.
    pub const fn code(self) -> &'static str {
        match self {
            ChallengeError::Malformed | ChallengeError::Forged => "challenge_invalid",
            ChallengeError::Expired => "challenge_expired",
            ChallengeError::Unsolved => "challenge_unsolved",
        }
    }
}

/// A new token for `id` (16 random bytes from the caller), signed with `key`.
pub fn issue(key: &[u8], id: [u8; 16], issued_at: u64, difficulty: u32) -> String {
    let body = format!("v1.{}.{issued_at}.{difficulty}", hex(&id));
    format!("{body}.{}", hex(&sign(key, &body)))
}

/// Checks a solved token at time `now`; returns the token's id (for the single-use record).
pub fn verify(key: &[u8], token: &str, nonce: u64, now: u64) -> Result<String, ChallengeError> {
    let (body, signature) = token.rsplit_once('.').ok_or(ChallengeError::Malformed)?;
    let parts: Vec<&str> = body.split('.').collect();
    let [version, id, issued_at, difficulty] = parts[..] else {
        return Err(ChallengeError::Malformed);
    };
    let issued_at: u64 = issued_at.parse().map_err(|_| ChallengeError::Malformed)?;
    let difficulty: u32 = difficulty.parse().map_err(|_| ChallengeError::Malformed)?;
    // The signature exactly as issued (lower-case hex): one token has one spelling.
    let signature = unhex(signature)
        .filter(|bytes| hex(bytes) == signature)
        .ok_or(ChallengeError::Malformed)?;
    if version != "v1" || id.len() != 32 || unhex(id).is_none() || difficulty > 64 {
        return Err(ChallengeError::Malformed);
    }
    let mut mac = HmacSha256::new_from_slice(key).map_err(|_| ChallengeError::Forged)?;
    mac.update(body.as_bytes());
    // Constant-time comparison, so the signature cannot be guessed byte by byte.
    mac.verify_slice(&signature)
        .map_err(|_| ChallengeError::Forged)?;
    if difficulty < DIFFICULTY {
        return Err(ChallengeError::Forged);
    }
    if issued_at > now + 60 || now.saturating_sub(issued_at) > MAX_AGE_SECONDS {
        return Err(ChallengeError::Expired);
    }
    if leading_zero_bits(&work_hash(token, nonce)) < difficulty {
        return Err(ChallengeError::Unsolved);
    }
    Ok(id.to_string())
}

/// Finds a nonce for `token`, trying `count` nonces from `start`. The widget calls this in
/// slices so the page stays responsive; `None` means "continue from `start + count`".
pub fn solve(token: &str, start: u64, count: u64) -> Option<u64> {
    let difficulty = token
        .rsplit_once('.')?
        .0
        .rsplit('.')
        .next()?
        .parse::<u32>()
        .ok()?;
    (start..start.saturating_add(count))
        .find(|nonce| leading_zero_bits(&work_hash(token, *nonce)) >= difficulty)
}

fn work_hash(token: &str, nonce: u64) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(token.as_bytes());
    hasher.update(b":");
    hasher.update(nonce.to_string().as_bytes());
    hasher.finalize().into()
}

fn leading_zero_bits(hash: &[u8]) -> u32 {
    let mut bits = 0;
    for byte in hash {
        if *byte == 0 {
            bits += 8;
        } else {
            return bits + byte.leading_zeros();
        }
    }
    bits
}

/// HMAC-SHA256 of `message` under `key` (any key length works for HMAC).
pub fn sign(key: &[u8], message: &str) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().into()
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Bytes from hex; `None` unless every pair is valid hex.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    // `from_str_radix` alone would also take a sign: "+a" is not hex.
    if !text.len().is_multiple_of(2) || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"test challenge key, 32 bytes ok!";
    const NOW: u64 = 1_800_000_000;

    fn solved(difficulty: u32) -> (String, u64) {
        let token = issue(KEY, [7; 16], NOW, difficulty);
        let nonce = solve(&token, 0, u64::MAX).unwrap();
        (token, nonce)
    }

    #[test]
    fn a_solved_token_verifies_and_names_its_id() {
        let (token, nonce) = solved(DIFFICULTY);
        assert_eq!(verify(KEY, &token, nonce, NOW + 5), Ok("07".repeat(16)));
    }

    #[test]
    fn an_unsolved_token_is_refused() {
        let (token, nonce) = solved(DIFFICULTY);
        // Some nonce below the found one does not do the work (it was the first that did).
        let wrong = (0..nonce).next().unwrap_or(nonce + 1);
        assert_eq!(
            verify(KEY, &token, wrong, NOW),
            Err(ChallengeError::Unsolved)
        );
    }

    #[test]
    fn expired_and_future_tokens_are_refused() {
        let (token, nonce) = solved(DIFFICULTY);
        assert_eq!(
            verify(KEY, &token, nonce, NOW + MAX_AGE_SECONDS + 1),
            Err(ChallengeError::Expired)
        );
        assert_eq!(
            verify(KEY, &token, nonce, NOW - 3600),
            Err(ChallengeError::Expired)
        );
    }

    #[test]
    fn forged_or_altered_tokens_are_refused() {
        let (token, nonce) = solved(DIFFICULTY);
        assert_eq!(
            verify(b"another key", &token, nonce, NOW),
            Err(ChallengeError::Forged)
        );
        // Lowering the difficulty invalidates the signature.
        let easier = token.replacen(&format!(".{DIFFICULTY}."), ".1.", 1);
        assert_eq!(verify(KEY, &easier, 0, NOW), Err(ChallengeError::Forged));
        // A correctly signed but too easy token (a key leak of an old config) is refused too.
        let (easy, easy_nonce) = solved(4);
        assert_eq!(
            verify(KEY, &easy, easy_nonce, NOW),
            Err(ChallengeError::Forged)
        );
        for garbage in [
            "",
            "v1",
            "v1.x.y.z.w",
            "v2.00.1.16.00",
            &format!("{token}x"),
        ] {
            assert!(verify(KEY, garbage, nonce, NOW).is_err(), "{garbage}");
        }
    }

    #[test]
    fn a_signature_has_one_spelling() {
        let token = issue(KEY, [7; 16], NOW, DIFFICULTY);
        let (body, signature) = token.rsplit_once('.').unwrap();
        let at = signature.find(|c: char| c.is_ascii_lowercase()).unwrap();
        let upper = format!(
            "{body}.{}{}{}",
            &signature[..at],
            signature[at..=at].to_ascii_uppercase(),
            &signature[at + 1..]
        );
        let nonce = solve(&upper, 0, u64::MAX).unwrap();
        assert_eq!(
            verify(KEY, &upper, nonce, NOW),
            Err(ChallengeError::Malformed)
        );
        assert_eq!(unhex("+a"), None, "a sign is not hex");
        assert_eq!(unhex("0A"), Some(vec![10]));
    }

    #[test]
    fn solving_in_slices_finds_the_same_nonce() {
        let (token, nonce) = solved(DIFFICULTY);
        let mut start = 0;
        let found = loop {
            if let Some(found) = solve(&token, start, 1000) {
                break found;
            }
            start += 1000;
        };
        assert_eq!(found, nonce);
    }

    #[test]
    fn leading_zero_bits_counts_across_bytes() {
        assert_eq!(leading_zero_bits(&[0, 0, 0x10]), 19);
        assert_eq!(leading_zero_bits(&[0x80]), 0);
        assert_eq!(leading_zero_bits(&[0, 0]), 16);
    }
}
