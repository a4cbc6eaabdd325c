//! The programme's calendar: offers are valid on dates as people in Beijing, Tianjin and Hebei
//! read them, i.e. in Asia/Shanghai.
//!
//! Asia/Shanghai has been UTC+8 without daylight saving since 1991, so a fixed offset gives the
//! same answers as the full tz database for every date this programme can meet — without
//! shipping the tz database to phones.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Timelike, Utc};

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

/// `2026-11-30 16:05`: the instant `at_ms` (ms since the Unix epoch) as a date and time of day in
/// Asia/Shanghai, for "last changed" and "saved at" lines (formatted by hand like [`iso_date`]).
pub fn shanghai_minute(at_ms: u64) -> String {
    let at = DateTime::from_timestamp_millis(at_ms as i64).unwrap_or_default();
    let local = at.with_timezone(&shanghai());
    format!(
        "{} {:02}:{:02}",
        iso_date(local.date_naive()),
        local.hour(),
        local.minute()
    )
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

/// `2026-11-30T04:00:00Z` (UTC, fractional seconds only when there are any), as chrono's own
/// serde writes it. By hand, with [`parse_rfc3339`], for the reason given at [`iso_date`].
pub fn rfc3339(at: DateTime<Utc>) -> String {
    let nanos = at.timestamp_subsec_nanos();
    let fraction = if nanos == 0 {
        String::new()
    } else if nanos.is_multiple_of(1_000_000) {
        format!(".{:03}", nanos / 1_000_000)
    } else if nanos.is_multiple_of(1_000) {
        format!(".{:06}", nanos / 1_000)
    } else {
        format!(".{nanos:09}")
    };
    let time = at.time();
    format!(
        "{}T{:02}:{:02}:{:02}{fraction}Z",
        iso_date(at.date_naive()),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// An RFC 3339 instant (`2026-11-30T12:00:00Z`, `…T20:00:00.5+08:00`) in UTC; `None` for
/// anything else.
pub fn parse_rfc3339(text: &str) -> Option<DateTime<Utc>> {
    let (date, rest) = text.trim().split_once(['T', 't'])?;
    let day = parse_iso_date(date)?;
    let (clock, offset_seconds) = match rest.strip_suffix(['Z', 'z']) {
        Some(clock) => (clock, 0),
        None => {
            let at = rest.rfind(['+', '-'])?;
            let (clock, offset) = rest.split_at(at);
            let (hours, minutes) = offset.get(1..)?.split_once(':')?;
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            (
                clock,
                sign * (two_digits(hours)? as i64 * 3600 + two_digits(minutes)? as i64 * 60),
            )
        }
    };
    let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = hms.split(':');
    let (hour, minute, second) = (
        two_digits(parts.next()?)?,
        two_digits(parts.next()?)?,
        two_digits(parts.next()?)?,
    );
    if parts.next().is_some()
        || fraction.len() > 9
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || (clock.contains('.') && fraction.is_empty())
    {
        return None;
    }
    let nanos = format!("{fraction:0<9}").parse::<u32>().ok()?;
    let local = day.and_hms_nano_opt(hour, minute, second, nanos)?;
    let utc = local.checked_sub_signed(chrono::TimeDelta::try_seconds(offset_seconds)?)?;
    Some(Utc.from_utc_datetime(&utc))
}

fn two_digits(text: &str) -> Option<u32> {
    (text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// Serde for `Option<NaiveDate>` as `YYYY-MM-DD` through [`iso_date`] and [`parse_iso_date`]:
/// chrono's own serde brings its whole parser (RFC 2822 included) into every bundle that reads
/// a catalogue.
pub mod optional_iso_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(
        day: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match day {
            Some(day) => serializer.serialize_str(&super::iso_date(*day)),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) => super::parse_iso_date(&text)
                .map(Some)
                .ok_or_else(|| D::Error::custom("expected a date as YYYY-MM-DD")),
        }
    }
}

/// Serde for `DateTime<Utc>` as RFC 3339 through [`rfc3339`] and [`parse_rfc3339`] (see
/// [`optional_iso_date`] for why).
pub mod rfc3339_instant {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::rfc3339(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse_rfc3339(&text).ok_or_else(|| D::Error::custom("expected an RFC 3339 instant"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minute_reads_in_beijing_time() {
        // 2026-11-30 12:00 UTC is 20:00 in Beijing; 23:30 UTC is already the next day there.
        assert_eq!(shanghai_minute(1_796_040_000_000), "2026-11-30 20:00");
        assert_eq!(shanghai_minute(1_796_081_400_000), "2026-12-01 07:30");
    }

    #[test]
    fn instants_read_and_write_as_chrono_does() {
        for text in [
            "2026-11-30T12:00:00Z",
            "2026-11-30T12:00:00.250Z",
            "2026-11-30T12:00:00.000250Z",
            "2026-11-30T12:00:00.000000250Z",
            "1999-01-01T00:00:00Z",
        ] {
            let ours = parse_rfc3339(text).unwrap();
            let chrono: DateTime<Utc> = text.parse().unwrap();
            assert_eq!(ours, chrono, "{text}");
            assert_eq!(
                rfc3339(ours),
                serde_json::to_value(chrono).unwrap().as_str().unwrap()
            );
        }
        assert_eq!(
            parse_rfc3339("2026-11-30T20:00:00+08:00"),
            parse_rfc3339("2026-11-30T12:00:00Z")
        );
        assert_eq!(
            parse_rfc3339("2026-11-30T06:30:00-05:30"),
            parse_rfc3339("2026-11-30T12:00:00Z")
        );
        for wrong in [
            "",
            "2026-11-30",
            "2026-11-30T12:00Z",
            "2026-11-30T12:00:00",
            "2026-11-30T25:00:00Z",
            "2026-11-30T12:00:00.Z",
            "2026-11-30T12:00:00.1234567890Z",
            "2026-11-30T12:00:00+0800",
            "2026-02-30T12:00:00Z",
            "2026-11-30T12:00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(wrong), None, "{wrong}");
        }
    }

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
