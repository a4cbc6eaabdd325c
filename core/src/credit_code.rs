//! Unified social credit codes (统一社会信用代码, GB 32100-2015) of companies and organisations.

/// The 31 characters a code may use: digits and upper-case letters without I, O, S, V, Z.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of the first 17 positions: 3^i mod 31.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Normalises (trim, upper-case, full-width to half-width) and checks an 18-character code,
/// including its check character; returns the normalised code when valid.
pub fn normalize(input: &str) -> Option<String> {
    let code: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let values: Vec<u32> = code
        .bytes()
        .map(|b| ALPHABET.iter().position(|a| *a == b).map(|p| p as u32))
        .collect::<Option<_>>()?;
    if values.len() != 18 {
        return None;
    }
    (check_value(&values[..17]) == values[17]).then_some(code)
}

/// The value of the check character for the first 17 values.
fn check_value(values: &[u32]) -> u32 {
    let sum: u32 = values
        .iter()
        .zip(WEIGHTS)
        .map(|(value, weight)| value * weight)
        .sum();
    (31 - sum % 31) % 31
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends the right check character to 17 characters.
    fn with_check(first17: &str) -> String {
        let values: Vec<u32> = first17
            .bytes()
            .map(|b| ALPHABET.iter().position(|a| *a == b).unwrap() as u32)
            .collect();
        format!(
            "{first17}{}",
            ALPHABET[check_value(&values) as usize] as char
        )
    }

    #[test]
    fn accepts_published_codes() {
        // Published codes of well-known organisations.
        for code in [
            "91350100M000100Y43",
            "91110000802100433B",
            "91440300708461136T",
        ] {
            assert_eq!(normalize(code).as_deref(), Some(code), "{code}");
        }
    }

    #[test]
    fn normalises_case_width_and_spaces() {
        assert_eq!(
            normalize(" 91350100m000100y43 ").as_deref(),
            Some("91350100M000100Y43")
        );
        assert_eq!(
            normalize("９１３５０１００Ｍ０００１００Ｙ４３").as_deref(),
            Some("91350100M000100Y43")
        );
    }

    #[test]
    fn rejects_wrong_check_characters_lengths_and_letters() {
        assert_eq!(
            normalize("91350100M000100Y44"),
            None,
            "wrong check character"
        );
        assert_eq!(normalize("91350100M000100Y4"), None, "17 characters");
        assert_eq!(normalize("91350100M000100Y433"), None, "19 characters");
        assert_eq!(
            normalize("91350100I000100Y43"),
            None,
            "I is not in the alphabet"
        );
        assert_eq!(normalize(""), None);
    }

    #[test]
    fn the_check_character_covers_every_position() {
        let valid = with_check("91110108MA01ABCD2");
        assert!(normalize(&valid).is_some(), "{valid}");
        for position in 0..17 {
            let mut changed = valid.clone().into_bytes();
            changed[position] = if changed[position] == b'1' {
                b'2'
            } else {
                b'1'
            };
            assert_eq!(
                normalize(std::str::from_utf8(&changed).unwrap()),
                None,
                "position {position}"
            );
        }
    }
}
