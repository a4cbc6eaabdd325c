//! Content fingerprints: FNV-1a, shared by the edge (ETags) and the build (file names, stamps),
//! and the Subresource Integrity hashes the build puts into the loader and the tests check.

/// 64-bit FNV-1a. Fast and stable across platforms; it detects changed content, it does not
/// resist an attacker, and nothing here needs it to.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `sha384-<base64>`: what `integrity` attributes and `fetch(url, {integrity})` take (W3C SRI).
/// Unlike [`fnv1a64`] it resists tampering, which is its purpose.
pub fn subresource_integrity(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha384::digest(bytes);
    format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// `sha256-<base64>`, the shortest SRI hash: what the loader carries for each file it loads
/// (fifteen of them; 20 characters less each, ≈ 0.2 KB brotli of every page). SHA-256 resists
/// tampering as SHA-384 does; the longer one stays where a host pins a file itself.
pub fn subresource_integrity_sha256(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    format!(
        "sha256-{}",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_short_integrity_is_sri_sha256() {
        // The SHA-256 of "abc" (FIPS 180-2), in base64.
        assert_eq!(
            super::subresource_integrity_sha256(b"abc"),
            "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
    }

    #[test]
    fn integrity_is_sri_sha384() {
        // The SHA-384 of "abc" (FIPS 180-2), in base64.
        assert_eq!(
            super::subresource_integrity(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }

    #[test]
    fn matches_the_published_test_vectors() {
        assert_eq!(super::fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(super::fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(super::fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }
}
