//! Every user-facing string of the widgets and the API, in zh-CN and en.
//!
//! Strings are looked up by key ([`Ui`], [`ErrorCode`]) rather than written inline so that a
//! missing translation is a compile error (each key's `match` arm must give both) and a test can
//! check that none is empty. Templates use `{n}`-style placeholders filled by [`fill`].

use serde::{Deserialize, Serialize};

use crate::codes::Lang;

/// Defines a key enum whose every variant has a zh-CN and an English string.
macro_rules! strings {
    ($(#[$meta:meta])* $ty:ident { $($variant:ident => ($zh:literal, $en:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $ty { $($variant),+ }

        impl $ty {
            /// Every key, for completeness tests.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The string in `lang`.
            pub const fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $(($ty::$variant, Lang::ZhCn) => $zh, ($ty::$variant, Lang::En) => $en,)+
                }
            }
        }
    };
}

strings!(
    /// Labels and messages of the widgets.
    Ui {
        FinderName => ("社工关爱福利查询", "Social worker benefit finder"),
        SampleData => ("示例数据：以下合作单位与福利仅供演示。", "Sample data: these partners and offers are for demonstration only."),
        SearchLabel => ("搜索福利", "Search benefits"),
        SearchPlaceholder => ("输入关键词，如：口腔、酒店、法律", "Keywords, e.g. dental, hotel, legal"),
        AreasLabel => ("服务领域", "Service areas"),
        AllAreas => ("全部领域", "All areas"),
        RegionLabel => ("地区", "Region"),
        AllRegions => ("京津冀全部地区", "All of Jing-Jin-Ji"),
        WholeProvince => ("{name}（全部）", "{name} (all)"),
        LevelLabel => ("资格等级", "Qualification"),
        AnyLevel => ("不限", "Any"),
        ValidNow => ("只看当前有效", "Valid now only"),
        ClearFilters => ("清除筛选", "Clear filters"),
        ResultCount => ("共 {n} 项福利", "{n} benefits"),
        ResultCountOne => ("共 1 项福利", "1 benefit"),
        Loading => ("正在加载福利目录…", "Loading the benefit catalogue…"),
        Empty => ("没有符合条件的福利。试试更换关键词或减少筛选条件。", "No benefits match. Try other keywords or fewer filters."),
        LoadError => ("福利目录暂时无法加载，请检查网络后重试。", "The benefit catalogue could not be loaded. Check your connection and try again."),
        Retry => ("重试", "Try again"),
        ShowMore => ("显示更多（还有 {n} 项）", "Show more ({n} more)"),
        ShowDetails => ("查看详情", "Details"),
        HideDetails => ("收起详情", "Hide details"),
        Partner => ("合作单位", "Partner"),
        HowToRedeem => ("如何使用", "How to redeem"),
        Validity => ("有效期", "Valid"),
        ValidRange => ("{from} 至 {until}", "{from} to {until}"),
        ValidFrom => ("{from} 起", "from {from}"),
        ValidUntil => ("至 {until}", "until {until}"),
        NoEndDate => ("长期有效", "No end date"),
        Expired => ("已结束", "Ended"),
        NotYetStarted => ("尚未开始", "Not started yet"),
        Eligible => ("适用对象", "Who can use it"),
        EligibleEveryone => ("所有社工及在读学生", "All social workers and students"),
        Regions => ("适用地区", "Where"),
        Locations => ("服务地点", "Locations"),
        Contact => ("联系方式", "Contact"),
        Awards => ("荣誉", "Honours"),
    }
);

strings!(
    /// The `code` of an API error body, with its message.
    ErrorCode {
        NotFound => ("找不到该地址。", "Not found."),
        MethodNotAllowed => ("该地址不支持此请求方法。", "This method is not allowed here."),
        BadRequest => ("请求格式有误。", "The request is malformed."),
        Validation => ("部分内容填写有误，请按提示修改。", "Some fields need correcting; see the messages beside them."),
        CatalogUnavailable => ("福利目录尚未发布，请稍后再试。", "The benefit catalogue has not been published yet. Please try again later."),
        PayloadTooLarge => ("提交的内容过大。", "The submission is too large."),
        IdempotencyKeyRequired => ("请求缺少 Idempotency-Key 标头（8至128位字母、数字、- 或 _）。", "The request needs an Idempotency-Key header (8 to 128 letters, digits, - or _)."),
        RateLimited => ("提交过于频繁，请一分钟后再试。", "Too many submissions from your network. Please try again in a minute."),
        SpamSuspected => ("提交被识别为自动程序，未被受理。如您是真人，请刷新页面后重新填写。", "This submission looked automated and was not accepted. If you are a person, reload the page and fill in the form again."),
        TooFast => ("提交速度过快，请核对填写内容后再提交。", "That was very fast. Please check your entries and submit again."),
        ChallengeInvalid => ("安全校验无效，请刷新页面后重试。", "The security check is invalid. Reload the page and try again."),
        ChallengeExpired => ("安全校验已过期，请重新提交。", "The security check has expired. Please submit again."),
        ChallengeUnsolved => ("安全校验未完成，请重新提交。", "The security check was not completed. Please submit again."),
        ChallengeUsed => ("该安全校验已被使用，请重新提交。", "This security check was already used. Please submit again."),
        AlreadyRegistered => ("该手机号已经登记过关爱计划，无需重复登记。", "This mobile number is already registered for the care plan; there is no need to sign up again."),
        Internal => ("服务暂时出现问题，请稍后再试。", "Something went wrong on our side. Please try again later."),
    }
);

impl ErrorCode {
    /// The code as it appears in the JSON error body.
    pub const fn code(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::Validation => "validation",
            ErrorCode::CatalogUnavailable => "catalog_unavailable",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::IdempotencyKeyRequired => "idempotency_key_required",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::SpamSuspected => "spam_suspected",
            ErrorCode::TooFast => "too_fast",
            ErrorCode::ChallengeInvalid => "challenge_invalid",
            ErrorCode::ChallengeExpired => "challenge_expired",
            ErrorCode::ChallengeUnsolved => "challenge_unsolved",
            ErrorCode::ChallengeUsed => "challenge_used",
            ErrorCode::AlreadyRegistered => "already_registered",
            ErrorCode::Internal => "internal",
        }
    }

    /// Reads a code from an error body; unknown codes read as [`ErrorCode::Internal`] so a newer
    /// server never leaves an older widget without a message.
    pub fn from_code(code: &str) -> ErrorCode {
        ErrorCode::ALL
            .iter()
            .copied()
            .find(|e| e.code() == code)
            .unwrap_or(ErrorCode::Internal)
    }
}

/// The error body of every API failure: `{"error": {"code", "message": {zh, en}, "fields"?}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The inside of [`ErrorBody`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: crate::model::Text,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::validate::FieldError>,
    /// The existing record's reference, for `already_registered`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

impl ErrorBody {
    /// The body for `code`, with its bilingual message.
    pub fn new(code: ErrorCode, fields: Vec<crate::validate::FieldError>) -> ErrorBody {
        let message = crate::model::Text::new(code.get(Lang::ZhCn), code.get(Lang::En));
        ErrorBody {
            error: ErrorDetail {
                code: code.code().to_string(),
                message,
                fields,
                reference: None,
            },
        }
    }
}

/// Replaces each `{name}` in `template` with its value.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values
        .iter()
        .fold(template.to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_translation_is_missing() {
        for lang in [Lang::ZhCn, Lang::En] {
            for key in Ui::ALL {
                assert!(
                    !key.get(lang).trim().is_empty(),
                    "{key:?} is empty in {lang:?}"
                );
            }
            for key in ErrorCode::ALL {
                assert!(
                    !key.get(lang).trim().is_empty(),
                    "{key:?} is empty in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn placeholders_agree_between_languages() {
        let placeholders = |s: &str| {
            let mut names: Vec<String> = s
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}'))
                .map(|(name, _)| name.to_string())
                .collect();
            names.sort();
            names
        };
        for key in Ui::ALL {
            assert_eq!(
                placeholders(key.get(Lang::ZhCn)),
                placeholders(key.get(Lang::En)),
                "{key:?}"
            );
        }
    }

    #[test]
    fn fill_replaces_every_placeholder() {
        assert_eq!(
            fill(Ui::ResultCount.get(Lang::ZhCn), &[("n", "12")]),
            "共 12 项福利"
        );
        assert_eq!(
            fill(
                Ui::ValidRange.get(Lang::En),
                &[("from", "a"), ("until", "b")]
            ),
            "a to b"
        );
    }

    #[test]
    fn error_codes_round_trip_and_unknown_codes_still_have_a_message() {
        for code in ErrorCode::ALL {
            assert_eq!(ErrorCode::from_code(code.code()), *code);
        }
        assert_eq!(ErrorCode::from_code("from_the_future"), ErrorCode::Internal);
        let body = serde_json::to_value(ErrorBody::new(ErrorCode::NotFound, vec![])).unwrap();
        assert_eq!(body["error"]["code"], "not_found");
        assert!(body["error"].get("fields").is_none());
    }
}
