//! Decimal numbers for display and SVG: `fixed(39.91234, 2)` is `"39.91"`, as
//! `format!("{:.2}")` writes it, but through integer formatting only. Rust's float formatting
//! (exact Grisu/Dragon digit generation and their tables) would otherwise be one of the larger
//! pieces of the map's wasm, for numbers that need no more than rounding to a few places.

/// `value` rounded to `decimals` places (at most 9), e.g. `"-0.50"`. Rounding is half away from
/// zero on `value × 10^decimals`, so a value a hair from a tie may round the other way than
/// `format!` would; it is never more than one unit of the last place away from it. A negative
/// value that rounds to zero has no minus sign. Not a number prints as `NaN`, and infinities
/// as `inf` / `-inf`, like `format!`.
pub fn fixed(value: f64, decimals: usize) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let decimals = decimals.min(9);
    let scale = 10_u64.pow(decimals as u32);
    let scaled = (value.abs() * scale as f64).round();
    // Beyond u64 the value has no fractional digits left to show anyway.
    let scaled = if scaled < u64::MAX as f64 {
        scaled as u64
    } else {
        u64::MAX
    };
    let (whole, fraction) = (scaled / scale, scaled % scale);
    let sign = if value < 0.0 && scaled != 0 { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction:0decimals$}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_format_away_from_ties() {
        let mut state = 0x1234_5678_9abc_def0_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..20_000 {
            let magnitude = [1.0, 100.0, 1e4, 1e7][(next() % 4) as usize];
            let value = (next() as f64 / u64::MAX as f64 - 0.5) * 2.0 * magnitude;
            for decimals in [0, 1, 2, 5, 6] {
                let scaled = value.abs() * 10_f64.powi(decimals as i32);
                if (scaled.fract() - 0.5).abs() < 1e-6 {
                    continue;
                }
                let expected = format!("{value:.decimals$}");
                // `format!` writes a negative value that rounds to zero as `-0.00`.
                let expected = match expected.strip_prefix('-') {
                    Some(unsigned) if unsigned.bytes().all(|b| b == b'0' || b == b'.') => {
                        unsigned.to_string()
                    }
                    _ => expected,
                };
                assert_eq!(fixed(value, decimals), expected, "{value} to {decimals}");
            }
        }
    }

    #[test]
    fn edges_read_as_people_expect() {
        assert_eq!(fixed(0.0, 2), "0.00");
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-0.5, 1), "-0.5");
        assert_eq!(fixed(39.999_999_9, 6), "40.000000");
        assert_eq!(fixed(116.397_128, 6), "116.397128");
        assert_eq!(fixed(12.5, 0), "13");
        assert_eq!(fixed(f64::NAN, 2), "NaN");
        assert_eq!(fixed(f64::NEG_INFINITY, 2), "-inf");
    }
}
