//! Sealing personal data before it reaches KV, and keyed hashes for look-ups.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use guanai_core::challenge::{hex, sign, unhex};
use serde::{Deserialize, Serialize};

/// AES-256-GCM ciphertext as stored: `v` names the scheme so keys can be rotated later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub v: u8,
    /// 12-byte nonce, hex. Random per record: never reused under one key.
    pub nonce: String,
    /// Ciphertext and tag, hex.
    pub data: String,
}

/// Encrypts `plaintext` under `key` with a fresh `nonce`. `context` (e.g. the record key) is
/// bound as associated data, so a sealed value cannot be moved to another record unnoticed.
pub fn seal(
    key: &[u8; 32],
    nonce: [u8; 12],
    context: &str,
    plaintext: &[u8],
) -> Result<Sealed, String> {
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| "bad key length".to_string())?;
    let nonce_value = Nonce::from(nonce);
    let data = cipher
        .encrypt(
            &nonce_value,
            aes_gcm::aead::Payload {
                msg: plaintext,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| "encryption failed".to_string())?;
    Ok(Sealed {
        v: 1,
        nonce: hex(&nonce),
        data: hex(&data),
    })
}

/// Seals `value` as JSON, with a nonce drawn from the request's fresh random bytes for
/// `context`: two values sealed in one request under different contexts never share a nonce
/// (AES-GCM must never reuse one under a key).
pub fn seal_json(
    key: &[u8; 32],
    entropy: &[u8; 32],
    context: &str,
    value: &impl Serialize,
) -> Result<Sealed, String> {
    let plaintext = serde_json::to_vec(value).map_err(|error| error.to_string())?;
    seal_fresh(key, entropy, context, &plaintext)
}

/// [`seal`] with a nonce drawn for `context` from the request's random bytes.
pub fn seal_fresh(
    key: &[u8; 32],
    entropy: &[u8; 32],
    context: &str,
    plaintext: &[u8],
) -> Result<Sealed, String> {
    let mut nonce = [0; 12];
    nonce.copy_from_slice(&draw(key, entropy, &format!("nonce:{context}"))[..12]);
    seal(key, nonce, context, plaintext)
}

/// 32 bytes for `purpose`, from the request's random bytes under `key`: independent for each
/// purpose, so one request's entropy yields several unrelated values (a nonce that is stored in
/// clear reveals nothing of a secret drawn beside it).
pub fn draw(key: &[u8; 32], entropy: &[u8; 32], purpose: &str) -> [u8; 32] {
    sign(key, &format!("draw:{purpose}:{}", hex(entropy)))
}

/// A fresh management secret: 128 random bits as 32 hex digits, for the private link
/// (`/me#<secret>`). Only [`secret_hash`] of it is stored.
pub fn management_secret(key: &[u8; 32], entropy: &[u8; 32]) -> String {
    hex(&draw(key, entropy, "management-secret")[..16])
}

/// Keyed hash of a management secret: how KV finds the sign-up it opens, without holding it.
pub fn secret_hash(key: &[u8; 32], secret: &str) -> String {
    hex(&sign(key, &format!("management:{secret}")))
}

/// Whether `text` has the form of a [`management_secret`] (checked before any KV read).
pub fn is_secret(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Decrypts what [`seal`] produced for the same `context`.
pub fn open(key: &[u8; 32], context: &str, sealed: &Sealed) -> Result<Vec<u8>, String> {
    let nonce: [u8; 12] = unhex(&sealed.nonce)
        .and_then(|n| n.try_into().ok())
        .ok_or("bad nonce")?;
    let data = unhex(&sealed.data).ok_or("bad ciphertext")?;
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| "bad key length".to_string())?;
    cipher
        .decrypt(
            &Nonce::from(nonce),
            aes_gcm::aead::Payload {
                msg: &data,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| "decryption failed: wrong key, wrong record or altered data".to_string())
}

/// Decrypts and parses what [`seal_json`] produced for the same `context`.
pub fn open_json<T: serde::de::DeserializeOwned>(
    key: &[u8; 32],
    context: &str,
    sealed: &Sealed,
) -> Result<T, String> {
    let plain = open(key, context, sealed)?;
    serde_json::from_slice(&plain).map_err(|_| "sealed data is not the expected JSON".to_string())
}

/// Keyed hash of a normalised mobile number: the only form in which a number is used as a key.
pub fn mobile_hash(key: &[u8; 32], normalized_mobile: &str) -> String {
    hex(&sign(key, &format!("mobile:{normalized_mobile}")))
}

/// A short, human-friendly reference (`GA-7K3M-9QX2`) derived from `seed` under `key`:
/// Crockford base32 without I, L, O, U, so it reads well over the phone.
pub fn reference(prefix: &str, key: &[u8; 32], seed: &str) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let digest = sign(key, &format!("reference:{seed}"));
    let bits = digest[..5]
        .iter()
        .fold(0u64, |acc, byte| (acc << 8) | u64::from(*byte));
    let chars: String = (0..8)
        .rev()
        .map(|i| ALPHABET[((bits >> (5 * i)) & 31) as usize] as char)
        .collect();
    format!("{prefix}-{}-{}", &chars[..4], &chars[4..])
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [9; 32];

    #[test]
    fn sealing_round_trips_and_hides_the_plaintext() {
        let sealed = seal(
            &KEY,
            [1; 12],
            "signup:beijing:GA-1",
            "张晓明 13812345678".as_bytes(),
        )
        .unwrap();
        assert!(!sealed.data.contains("13812345678"));
        let opened = open(&KEY, "signup:beijing:GA-1", &sealed).unwrap();
        assert_eq!(String::from_utf8(opened).unwrap(), "张晓明 13812345678");
    }

    #[test]
    fn wrong_key_other_record_or_tampering_fail_to_open() {
        let sealed = seal(&KEY, [2; 12], "signup:beijing:GA-1", b"secret").unwrap();
        assert!(open(&[8; 32], "signup:beijing:GA-1", &sealed).is_err());
        assert!(open(&KEY, "signup:tianjin:GA-1", &sealed).is_err());
        let mut tampered = sealed.clone();
        tampered.data.replace_range(
            0..2,
            if &sealed.data[0..2] == "00" {
                "01"
            } else {
                "00"
            },
        );
        assert!(open(&KEY, "signup:beijing:GA-1", &tampered).is_err());
    }

    #[test]
    fn secrets_are_fresh_per_request_and_stored_only_as_keyed_hashes() {
        let one = management_secret(&KEY, &[1; 32]);
        assert!(is_secret(&one));
        assert_ne!(one, management_secret(&KEY, &[2; 32]));
        // The nonce of a value sealed in the same request tells nothing of the secret.
        let sealed = seal_json(&KEY, &[1; 32], "signup:tianjin:GA-1", &"x").unwrap();
        assert!(!one.contains(&sealed.nonce) && !sealed.nonce.contains(&one[..24]));
        let other = seal_json(&KEY, &[1; 32], "idempotency:signups:k", &"x").unwrap();
        assert_ne!(sealed.nonce, other.nonce);
        let hash = secret_hash(&KEY, &one);
        assert_eq!(hash, secret_hash(&KEY, &one));
        assert_ne!(hash, secret_hash(&[1; 32], &one));
        assert!(!hash.contains(&one));
        assert!(!is_secret("GA-7K3M-9QX2") && !is_secret(&one.to_uppercase()));
    }

    #[test]
    fn mobile_hashes_are_keyed_and_references_are_stable_and_readable() {
        assert_eq!(
            mobile_hash(&KEY, "13812345678"),
            mobile_hash(&KEY, "13812345678")
        );
        assert_ne!(
            mobile_hash(&KEY, "13812345678"),
            mobile_hash(&[1; 32], "13812345678")
        );
        assert!(!mobile_hash(&KEY, "13812345678").contains("1381234"));
        let reference = reference("GA", &KEY, "seed");
        assert_eq!(reference, super::reference("GA", &KEY, "seed"));
        assert_eq!(reference.len(), 12);
        assert!(reference.starts_with("GA-"));
        assert!(!reference[3..].contains(['I', 'L', 'O', 'U']));
    }
}
