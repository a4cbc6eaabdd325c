//! Mainland China mobile numbers, as people type them.

/// Normalises a mainland mobile number: accepts `+86` / `0086` / `86` prefixes, spaces, dashes,
/// dots and parentheses, full-width digits (Chinese IMEs), and returns the 11 digits when they
/// form a mainland mobile number (`^1[3-9]\d{9}$`).
pub fn normalize(input: &str) -> Option<String> {
    let mut digits = String::with_capacity(16);
    for c in input.trim().chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32)?,
            '＋' => '+',
            _ => c,
        };
        match c {
            '0'..='9' => digits.push(c),
            '+' if digits.is_empty() => {}
            ' ' | '-' | '.' | '(' | ')' | '\u{3000}' | '（' | '）' | '－' => {}
            _ => return None,
        }
    }
    let national = digits
        .strip_prefix("0086")
        .or_else(|| digits.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(&digits);
    let bytes = national.as_bytes();
    let valid = bytes.len() == 11 && bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]);
    valid.then(|| national.to_string())
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn accepts_the_ways_people_write_their_number() {
        for written in [
            "13812345678",
            "+86 138 1234 5678",
            "+86-138-1234-5678",
            "0086 13812345678",
            "8613812345678",
            "138-1234-5678",
            "(+86) 138.1234.5678",
            "１３８１２３４５６７８",
            "＋86 13812345678",
            " 138 1234 5678 ",
        ] {
            assert_eq!(
                normalize(written).as_deref(),
                Some("13812345678"),
                "{written}"
            );
        }
    }

    #[test]
    fn rejects_what_is_not_a_mainland_mobile() {
        for written in [
            "",
            "1381234567",     // 10 digits
            "138123456789",   // 12 digits
            "12812345678",    // second digit 2
            "23812345678",    // does not start with 1
            "010-12345678",   // landline
            "+852 9123 4567", // Hong Kong
            "138 1234 567a",
            "13812345678 ext 1",
            "86 1381234567", // 86 + 10 digits
            "1+3812345678",
        ] {
            assert_eq!(normalize(written), None, "{written}");
        }
    }
}
