//! The programme's calendar: offers are valid on dates as people in Beijing, Tianjin and Hebei
//! read them, i.e. in Asia/Shanghai.
//!
//! Asia/Shanghai has been UTC+8 without daylight saving since 1991, so a fixed offset gives the
//! same answers as the full tz database for every date this programme can meet — without
//! shipping the tz database to phones.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

/// Asia/Shanghai's offset from UTC.
pub fn shanghai() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is within FixedOffset's ±24 h range")
}

/// The calendar date in Asia/Shanghai at the instant `now`.
pub fn shanghai_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&shanghai()).date_naive()
}

/// `2026-01-31`: how dates are shown in both languages (unambiguous, and without pulling
/// chrono's formatting machinery into the widgets' wasm).
pub fn iso_date(day: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

/// `2026-01-31` (what date inputs give) as a date; `None` for anything else. Hand-written for
/// the same reason as [`iso_date`].
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().splitn(3, '-');
    let mut number = |digits: usize| {
        parts
            .next()
            .filter(|p| p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|p| p.parse::<u32>().ok())
    };
    let (year, month, day) = (number(4)?, number(2)?, number(2)?);
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse_back_and_nothing_else_does() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert_eq!(parse_iso_date(&iso_date(day)), Some(day));
        assert_eq!(parse_iso_date(" 2026-02-28 "), Some(day));
        for bad in [
            "",
            "2026-02-30",
            "2026-2-28",
            "28/02/2026",
            "2026-02-28x",
            "+2026-02-28",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }
    use chrono::TimeZone;

    #[test]
    fn the_day_changes_at_midnight_in_beijing_not_in_greenwich() {
        // 15:59 UTC on 31 Dec is 23:59 in Beijing: still the 31st.
        let before = Utc.with_ymd_and_hms(2026, 12, 31, 15, 59, 0).unwrap();
        assert_eq!(
            shanghai_date(before),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
        // 16:00 UTC is midnight in Beijing: already New Year's Day there.
        let after = Utc.with_ymd_and_hms(2026, 12, 31, 16, 0, 0).unwrap();
        assert_eq!(
            shanghai_date(after),
            NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
        );
    }

    #[test]
    fn dates_show_as_iso_with_leading_zeros() {
        assert_eq!(
            iso_date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
            "2026-01-05"
        );
        assert_eq!(
            iso_date(NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()),
            "2026-12-31"
        );
    }
}
