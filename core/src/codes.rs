//! The code lists of the public contract (README, **Codes** under the HTTP API).
//!
//! Each code serialises as the exact lowercase string the contract names, and each has a zh-CN and
//! an English label. Codes are parsed from attributes and query strings with [`FromStr`], which
//! never panics: unknown input is simply `Err(())`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::model::Text;

/// Implements `code()`, `ALL`, `Display` and `FromStr` for a fieldless enum whose variants map
/// one-to-one onto contract codes. Kept as a macro so the code string is written exactly once.
macro_rules! code_enum {
    ($ty:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the contract's order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The contract code, e.g. `"career"`.
            pub const fn code(self) -> &'static str {
                match self { $($ty::$variant => $code),+ }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }

        impl FromStr for $ty {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> {
                match s.trim() { $($code => Ok($ty::$variant),)+ _ => Err(()) }
            }
        }
    };
}

/// The "6+1" service areas of the care plan: six areas of care plus civic life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceArea {
    Career,
    Health,
    Rights,
    Life,
    Leisure,
    Family,
    Civic,
}

code_enum!(ServiceArea {
    Career => "career",
    Health => "health",
    Rights => "rights",
    Life => "life",
    Leisure => "leisure",
    Family => "family",
    Civic => "civic",
});

impl ServiceArea {
    /// The area's name as the programme uses it.
    pub fn label(self) -> Text {
        let (zh, en) = match self {
            ServiceArea::Career => ("职业生涯", "Career"),
            ServiceArea::Health => ("身心健康", "Physical & mental health"),
            ServiceArea::Rights => ("权益保护", "Rights protection"),
            ServiceArea::Life => ("品质生活", "Quality of life"),
            ServiceArea::Leisure => ("休闲度假", "Leisure & holidays"),
            ServiceArea::Family => ("家庭服务", "Family services"),
            ServiceArea::Civic => ("政治生活", "Civic life"),
        };
        Text::new(zh, en)
    }
}

/// The three associations that run the Jing-Jin-Ji Social Worker Care Plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Association {
    Beijing,
    Tianjin,
    Hebei,
}

code_enum!(Association {
    Beijing => "beijing",
    Tianjin => "tianjin",
    Hebei => "hebei",
});

impl Association {
    /// The association's full name.
    pub fn name(self) -> Text {
        let (zh, en) = match self {
            Association::Beijing => ("北京社会工作者协会", "Beijing Social Workers Association"),
            Association::Tianjin => ("天津市社会工作协会", "Tianjin Social Work Association"),
            Association::Hebei => (
                "河北省社会工作促进会",
                "Hebei Social Work Promotion Association",
            ),
        };
        Text::new(zh, en)
    }

    /// The GB/T 2260 code of the province-level region the association serves.
    pub const fn province_code(self) -> &'static str {
        match self {
            Association::Beijing => "110000",
            Association::Tianjin => "120000",
            Association::Hebei => "130000",
        }
    }
}

/// National social work qualification levels, plus "none yet" for students and newcomers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QualificationLevel {
    Assistant,
    Intermediate,
    Senior,
    None,
}

code_enum!(QualificationLevel {
    Assistant => "assistant",
    Intermediate => "intermediate",
    Senior => "senior",
    None => "none",
});

/// Where a sign-up or an application stands. Both start as `received`; staff decide a sign-up
/// as `verified` or `rejected`, an application as `accepted` or `declined`
/// (`wire::RecordKind::decisions`; labels in `wire`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Received,
    Verified,
    Rejected,
    Accepted,
    Declined,
}

code_enum!(Status {
    Received => "received",
    Verified => "verified",
    Rejected => "rejected",
    Accepted => "accepted",
    Declined => "declined",
});

impl QualificationLevel {
    /// The title as written on the certificate.
    pub fn label(self) -> Text {
        let (zh, en) = match self {
            QualificationLevel::Assistant => ("助理社会工作师", "Assistant social worker"),
            QualificationLevel::Intermediate => ("社会工作师", "Social worker"),
            QualificationLevel::Senior => ("高级社会工作师", "Senior social worker"),
            QualificationLevel::None => ("暂无 / 在读学生", "None yet / student"),
        };
        Text::new(zh, en)
    }
}

/// The two languages of every user-facing string. zh-CN is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// The BCP 47 tag used in `lang` attributes.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Reads a `lang` attribute leniently: any English tag (`en`, `en-GB`) is English, anything
    /// else — including a missing or unknown value — falls back to the default, zh-CN.
    pub fn from_attribute(value: Option<&str>) -> Lang {
        match value.map(str::trim) {
            Some(tag)
                if tag.eq_ignore_ascii_case("en")
                    || tag.to_ascii_lowercase().starts_with("en-") =>
            {
                Lang::En
            }
            _ => Lang::ZhCn,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_through_serde_and_from_str() {
        for area in ServiceArea::ALL {
            let json = serde_json::to_string(area).unwrap();
            assert_eq!(json, format!("\"{}\"", area.code()));
            assert_eq!(area.code().parse::<ServiceArea>(), Ok(*area));
        }
        for association in Association::ALL {
            assert_eq!(
                serde_json::to_string(association).unwrap(),
                format!("\"{association}\"")
            );
            assert_eq!(association.code().parse(), Ok(*association));
        }
        for level in QualificationLevel::ALL {
            assert_eq!(
                serde_json::to_string(level).unwrap(),
                format!("\"{level}\"")
            );
            assert_eq!(level.code().parse(), Ok(*level));
        }
    }

    #[test]
    fn the_contract_lists_exactly_these_codes() {
        let areas: Vec<_> = ServiceArea::ALL.iter().map(|a| a.code()).collect();
        assert_eq!(
            areas,
            [
                "career", "health", "rights", "life", "leisure", "family", "civic"
            ]
        );
        let levels: Vec<_> = QualificationLevel::ALL.iter().map(|l| l.code()).collect();
        assert_eq!(levels, ["assistant", "intermediate", "senior", "none"]);
        assert_eq!(serde_json::to_string(&Lang::ZhCn).unwrap(), "\"zh-CN\"");
    }

    #[test]
    fn unknown_codes_are_rejected_not_guessed() {
        assert!("Career".parse::<ServiceArea>().is_err());
        assert!("".parse::<Association>().is_err());
        assert!("<script>".parse::<QualificationLevel>().is_err());
    }

    #[test]
    fn lang_attribute_defaults_to_chinese() {
        assert_eq!(Lang::from_attribute(None), Lang::ZhCn);
        assert_eq!(Lang::from_attribute(Some("fr")), Lang::ZhCn);
        assert_eq!(Lang::from_attribute(Some("EN")), Lang::En);
        assert_eq!(Lang::from_attribute(Some("en-GB")), Lang::En);
        assert_eq!(Lang::from_attribute(Some("zh-CN")), Lang::ZhCn);
    }

    #[test]
    fn every_label_exists_in_both_languages() {
        let labels = ServiceArea::ALL
            .iter()
            .map(|a| a.label())
            .chain(Association::ALL.iter().map(|a| a.name()))
            .chain(QualificationLevel::ALL.iter().map(|l| l.label()));
        for label in labels {
            assert!(!label.zh.is_empty() && !label.en.is_empty(), "{label:?}");
        }
    }
}
