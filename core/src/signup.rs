//! A social worker's sign-up to the care plan: the form, and the rules that check it in the
//! browser (as the person types) and again on the server.

use serde::{Deserialize, Serialize};

use crate::codes::{Association, QualificationLevel, ServiceArea};
use crate::consent::{self, SignupConsents};
use crate::mobile;
use crate::model::Text;
use crate::regions::{self, RegionLevel};
use crate::validate::FieldError;

/// When the person prefers to be contacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactTime {
    Any,
    Morning,
    Afternoon,
    Evening,
    Weekend,
}

every_variant!(ContactTime: Any, Morning, Afternoon, Evening, Weekend);

impl ContactTime {
    pub const fn code(self) -> &'static str {
        match self {
            ContactTime::Any => "any",
            ContactTime::Morning => "morning",
            ContactTime::Afternoon => "afternoon",
            ContactTime::Evening => "evening",
            ContactTime::Weekend => "weekend",
        }
    }

    pub fn label(self) -> Text {
        let (zh, en) = match self {
            ContactTime::Any => ("任何时间", "Any time"),
            ContactTime::Morning => ("工作日上午", "Weekday mornings"),
            ContactTime::Afternoon => ("工作日下午", "Weekday afternoons"),
            ContactTime::Evening => ("工作日晚上", "Weekday evenings"),
            ContactTime::Weekend => ("周末", "Weekends"),
        };
        Text::new(zh, en)
    }
}

/// The sign-up form as typed. Everything is optional or free text here so that a half-filled
/// form (a draft) is representable; [`validate`] decides what is acceptable.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    pub name: String,
    pub mobile: String,
    pub association: Option<Association>,
    /// GB/T 2260 code of the district (Beijing, Tianjin) or city (Hebei).
    pub region: String,
    pub employer: String,
    pub level: Option<QualificationLevel>,
    pub certificate_number: String,
    pub interests: Vec<ServiceArea>,
    pub contact_time: Option<ContactTime>,
    pub consents: SignupConsents,
}

/// A sign-up that passed every rule, normalised (trimmed, mobile as 11 digits).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidSignup {
    pub name: String,
    pub mobile: String,
    pub association: Association,
    pub region: String,
    pub employer: String,
    pub level: QualificationLevel,
    /// Upper-case, or empty when not given.
    pub certificate_number: String,
    pub interests: Vec<ServiceArea>,
    pub contact_time: ContactTime,
    pub consents: SignupConsents,
}

/// The field names [`validate`] reports, in form order: focus goes to the first one in error.
pub const FIELDS: &[&str] = &[
    "name",
    "mobile",
    "association",
    "region",
    "employer",
    "level",
    "certificate_number",
    "interests",
    "contact_time",
    "consents.privacy",
    "consents.cross_border",
    "consents.health",
    "consents.partners",
];

/// Checks a sign-up. `is_partner` says whether a partner id exists in the published catalogue
/// (consents may only name real partners). Errors come in [`FIELDS`] order.
pub fn validate(
    form: &SignupForm,
    is_partner: impl Fn(&str) -> bool,
) -> Result<ValidSignup, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = form.name.trim();
    if let Some(error) = person_name("name", name) {
        errors.push(error);
    }
    let mobile = mobile::normalize(&form.mobile);
    if let Some(error) = mobile_error("mobile", &form.mobile, mobile.is_some()) {
        errors.push(error);
    }
    if form.association.is_none() {
        errors.push(FieldError::new(
            "association",
            "required",
            "请选择所属协会。",
            "Choose your association.",
        ));
    }
    let region = form.region.trim();
    match (regions::find(region), form.association) {
        (None, _) if region.is_empty() => errors.push(FieldError::new(
            "region",
            "required",
            "请选择所在区（市）。",
            "Choose your district (or city).",
        )),
        (Some(found), Some(association))
            if found.level != RegionLevel::Province
                && found.province() == association.province_code() => {}
        (Some(found), None) if found.level != RegionLevel::Province => {}
        _ => errors.push(FieldError::new(
            "region",
            "invalid_region",
            "请选择所属协会所在省市下的区（市）。",
            "Choose a district (or city) in your association's province or municipality.",
        )),
    }
    let employer = form.employer.trim();
    if employer.chars().count() < 2 {
        errors.push(FieldError::new(
            "employer",
            "required",
            "请填写工作单位。",
            "Enter your employer.",
        ));
    } else if employer.chars().count() > 100 || has_control(employer) {
        errors.push(FieldError::new(
            "employer",
            "invalid_text",
            "工作单位名称过长或含有无效字符（最多100字）。",
            "The employer's name is too long or has invalid characters (100 at most).",
        ));
    }
    if form.level.is_none() {
        errors.push(FieldError::new(
            "level",
            "required",
            "请选择资格等级（尚未取得可选“暂无”）。",
            "Choose your qualification level (“None yet” if you have none).",
        ));
    }
    let certificate = form.certificate_number.trim().to_ascii_uppercase();
    let certificate_ok = certificate.is_empty()
        || ((4..=30).contains(&certificate.len())
            && certificate
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !certificate_ok {
        errors.push(FieldError::new(
            "certificate_number",
            "invalid_certificate",
            "证书编号应为4至30位字母或数字。",
            "A certificate number has 4 to 30 letters or digits.",
        ));
    } else if !certificate.is_empty() && form.level == Some(QualificationLevel::None) {
        errors.push(FieldError::new(
            "certificate_number",
            "certificate_without_level",
            "选择“暂无”资格时无需填写证书编号。",
            "Leave the certificate number empty when you have no qualification yet.",
        ));
    }
    let mut interests = form.interests.clone();
    interests.sort();
    interests.dedup();
    let consents = &form.consents;
    consent::check_required(
        &consents.notice_version,
        consents.privacy,
        consents.cross_border,
        &mut errors,
    );
    if interests.contains(&ServiceArea::Health) && !form.consents.health {
        errors.push(FieldError::new(
            "consents.health",
            "consent_required",
            "关注“身心健康”需单独同意处理健康信息；也可以取消该领域。",
            "Interest in “physical & mental health” needs your separate consent to health information; or untick that area.",
        ));
    }
    if form.consents.partners.iter().any(|id| !is_partner(id)) {
        errors.push(FieldError::new(
            "consents.partners",
            "unknown_partner",
            "所选合作单位不存在，请刷新页面后重试。",
            "A chosen partner does not exist; reload the page and try again.",
        ));
    }
    errors.sort_by_key(|error| {
        FIELDS
            .iter()
            .position(|field| *field == error.field)
            .unwrap_or(FIELDS.len())
    });

    match (errors.is_empty(), mobile, form.association, form.level) {
        (true, Some(mobile), Some(association), Some(level)) => {
            let mut partners = form.consents.partners.clone();
            partners.sort();
            partners.dedup();
            Ok(ValidSignup {
                name: name.to_string(),
                mobile,
                association,
                region: region.to_string(),
                employer: employer.to_string(),
                level,
                certificate_number: certificate,
                interests: interests.clone(),
                contact_time: form.contact_time.unwrap_or(ContactTime::Any),
                consents: SignupConsents {
                    health: form.consents.health && interests.contains(&ServiceArea::Health),
                    partners,
                    ..form.consents.clone()
                },
            })
        }
        _ => Err(errors),
    }
}

/// What may appear in a name besides letters: the spaces, dots, hyphens and apostrophes that
/// phones and input methods really type — a Chinese IME's full-width space, the iPhone's curly
/// apostrophe, the interpuncts of transcribed names (`·`, `・`, `‧`) — combining accents (a
/// decomposed `é`) and the zero-width non-joiner of Persian names.
fn name_punctuation(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}'
            | '\u{a0}'
            | '·'
            | '•'
            | '・'
            | '‧'
            | '-'
            | '‐'
            | '.'
            | '．'
            | '\''
            | '’'
            | '\u{200c}'
    ) || matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}' | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}')
}

/// A person's name: 1 to 40 characters, letters of any script, and [`name_punctuation`].
pub(crate) fn person_name(field: &str, name: &str) -> Option<FieldError> {
    if name.is_empty() {
        return Some(FieldError::new(
            field,
            "required",
            "请填写姓名。",
            "Enter your name.",
        ));
    }
    let plausible = name.chars().count() <= 40
        && name
            .chars()
            .all(|c| c.is_alphabetic() || name_punctuation(c));
    (!plausible).then(|| {
        FieldError::new(
            field,
            "invalid_name",
            "姓名只能包含文字、空格和“·”（最多40字）。",
            "A name may contain letters, spaces and “·” (40 at most).",
        )
    })
}

/// The error for a mobile number field, if any.
pub(crate) fn mobile_error(field: &str, typed: &str, valid: bool) -> Option<FieldError> {
    if typed.trim().is_empty() {
        Some(FieldError::new(
            field,
            "required",
            "请填写手机号码。",
            "Enter your mobile number.",
        ))
    } else if !valid {
        Some(FieldError::new(
            field,
            "invalid_mobile",
            "请输入11位中国大陆手机号码，如 138 1234 5678。",
            "Enter an 11-digit mainland China mobile number, e.g. 138 1234 5678.",
        ))
    } else {
        None
    }
}

/// Whether text holds control characters (other than ordinary whitespace).
pub(crate) fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_phones_and_input_methods_type_them_are_accepted() {
        for name in [
            "O’Neil",
            "张\u{3000}晓明",
            "Jose\u{301}",
            "Nguyê\u{303}n",
            "玛丽・居里",
            "玛丽‧居里",
            "Anne\u{a0}Marie",
            "Jean‐Paul",
            "J．Smith",
            "می\u{200c}خواهم",
        ] {
            assert_eq!(person_name("name", name), None, "{name}");
        }
        for name in ["<script>", "李😀", "a\u{202e}b"] {
            assert!(person_name("name", name).is_some(), "{name}");
        }
    }

    fn filled() -> SignupForm {
        SignupForm {
            name: "张 晓明".into(),
            mobile: "+86 138-1234-5678".into(),
            association: Some(Association::Beijing),
            region: "110105".into(),
            employer: "朝阳区社会工作服务中心".into(),
            level: Some(QualificationLevel::Intermediate),
            certificate_number: "zs2023-0001".into(),
            interests: vec![
                ServiceArea::Health,
                ServiceArea::Career,
                ServiceArea::Health,
            ],
            contact_time: Some(ContactTime::Evening),
            consents: SignupConsents {
                notice_version: consent::NOTICE_VERSION.into(),
                privacy: true,
                cross_border: true,
                health: true,
                partners: vec!["weier-dental".into()],
            },
        }
    }

    fn known(id: &str) -> bool {
        id == "weier-dental"
    }

    fn codes(form: &SignupForm) -> Vec<(String, String)> {
        validate(form, known)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    fn pair(field: &str, code: &str) -> (String, String) {
        (field.to_string(), code.to_string())
    }

    #[test]
    fn a_complete_form_is_normalised() {
        let valid = validate(&filled(), known).unwrap();
        assert_eq!(valid.mobile, "13812345678");
        assert_eq!(valid.certificate_number, "ZS2023-0001");
        assert_eq!(
            valid.interests,
            vec![ServiceArea::Career, ServiceArea::Health]
        );
        assert!(valid.consents.health);
    }

    #[test]
    fn an_empty_form_lists_every_required_field_in_form_order() {
        let found = codes(&SignupForm::default());
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "mobile",
                "association",
                "region",
                "employer",
                "level",
                "consents.privacy",
                "consents.cross_border"
            ]
        );
    }

    #[test]
    fn mobile_and_region_rules() {
        let bad_mobile = SignupForm {
            mobile: "12812345678".into(),
            ..filled()
        };
        assert_eq!(codes(&bad_mobile), [pair("mobile", "invalid_mobile")]);
        let other_province = SignupForm {
            region: "120101".into(),
            ..filled()
        };
        assert_eq!(codes(&other_province), [pair("region", "invalid_region")]);
        let province_only = SignupForm {
            region: "110000".into(),
            ..filled()
        };
        assert_eq!(codes(&province_only), [pair("region", "invalid_region")]);
        let hebei_city = SignupForm {
            association: Some(Association::Hebei),
            region: "130600".into(),
            ..filled()
        };
        assert!(validate(&hebei_city, known).is_ok());
    }

    #[test]
    fn health_interest_needs_its_own_consent() {
        let mut form = filled();
        form.consents.health = false;
        assert_eq!(codes(&form), [pair("consents.health", "consent_required")]);
        form.interests = vec![ServiceArea::Career];
        let valid = validate(&form, known).unwrap();
        assert!(!valid.consents.health);
    }

    #[test]
    fn consents_are_explicit_current_and_name_real_partners() {
        let mut form = filled();
        form.consents.privacy = false;
        form.consents.cross_border = false;
        form.consents.partners.push("nobody".into());
        assert_eq!(
            codes(&form),
            [
                pair("consents.privacy", "consent_required"),
                pair("consents.cross_border", "consent_required"),
                pair("consents.partners", "unknown_partner")
            ]
        );
        let outdated = SignupForm {
            consents: SignupConsents {
                notice_version: "2020-01-01".into(),
                ..filled().consents
            },
            ..filled()
        };
        assert_eq!(
            codes(&outdated),
            [pair("consents.privacy", "notice_outdated")]
        );
    }

    #[test]
    fn names_certificates_and_employers_are_checked() {
        assert_eq!(
            codes(&SignupForm {
                name: "<script>".into(),
                ..filled()
            }),
            [pair("name", "invalid_name")]
        );
        assert!(
            validate(
                &SignupForm {
                    name: "阿依古丽·买买提".into(),
                    ..filled()
                },
                known
            )
            .is_ok()
        );
        assert!(
            validate(
                &SignupForm {
                    name: "Mary O'Neil".into(),
                    ..filled()
                },
                known
            )
            .is_ok()
        );
        assert_eq!(
            codes(&SignupForm {
                certificate_number: "12".into(),
                ..filled()
            }),
            [pair("certificate_number", "invalid_certificate")]
        );
        assert_eq!(
            codes(&SignupForm {
                level: Some(QualificationLevel::None),
                ..filled()
            }),
            [pair("certificate_number", "certificate_without_level")]
        );
        assert_eq!(
            codes(&SignupForm {
                employer: "x".repeat(101),
                ..filled()
            }),
            [pair("employer", "invalid_text")]
        );
    }

    #[test]
    fn every_message_is_bilingual() {
        for error in validate(&SignupForm::default(), known).unwrap_err() {
            assert!(!error.message.zh.is_empty() && !error.message.en.is_empty());
        }
    }
}
