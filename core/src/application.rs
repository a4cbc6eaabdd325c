//! A company's answer to the plan's open call for partners (战略合作伙伴招募).

use serde::{Deserialize, Serialize};

use crate::codes::ServiceArea;
use crate::consent::{self, ApplicationConsents};
use crate::model::{Benefit, DraftBenefit, DraftPartner, Partner, PartnerKind, Text};
use crate::signup::{has_control, mobile_error, person_name};
use crate::validate::FieldError;
use crate::{credit_code, mobile, regions};

/// A benefit the company proposes to offer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferedBenefit {
    pub area: Option<ServiceArea>,
    pub description: String,
    /// GB/T 2260 codes; empty means the whole Jing-Jin-Ji region.
    pub regions: Vec<String>,
}

/// The application as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PartnerApplication {
    pub company: String,
    /// Unified social credit code (统一社会信用代码).
    pub credit_code: String,
    pub contact_person: String,
    pub mobile: String,
    pub email: String,
    pub offers: Vec<OfferedBenefit>,
    pub message: String,
    pub consents: ApplicationConsents,
}

/// What accepting an application creates: a draft partner and one draft benefit per offer,
/// all *archived*. Their texts are the company's own words in one language, so nothing
/// reaches the public catalogue until a person has completed the drafts (both languages,
/// locations, how to redeem) and un-archived them.
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptedDrafts {
    pub partner: DraftPartner,
    pub benefits: Vec<DraftBenefit>,
}

impl AcceptedDrafts {
    /// The drafts for application `reference` from `company` offering `offers`, made by staff
    /// member `by` at `at_ms`. The partner's id is `pa-<reference>`, its benefits'
    /// `pa-<reference>-<n>`: accepting the same application twice writes the same drafts.
    pub fn new(
        reference: &str,
        company: &str,
        offers: &[OfferedBenefit],
        by: &str,
        at_ms: u64,
    ) -> AcceptedDrafts {
        let partner_id = format!("pa-{}", reference.to_ascii_lowercase());
        let draft = |text: &str| Text::new(text, text);
        let benefits = offers
            .iter()
            .enumerate()
            .map(|(i, offer)| {
                let title: String = offer.description.chars().take(30).collect();
                DraftBenefit {
                    benefit: Benefit {
                        id: format!("{partner_id}-{}", i + 1),
                        partner: partner_id.clone(),
                        area: offer.area.unwrap_or(ServiceArea::Life),
                        title: draft(&title),
                        description: draft(&offer.description),
                        regions: offer.regions.clone(),
                        eligible_levels: Vec::new(),
                        valid_from: None,
                        valid_until: None,
                        how_to_redeem: Text::new("请联系合作单位。", "Contact the partner."),
                    },
                    archived: true,
                    updated_by: by.to_string(),
                    updated_at_ms: at_ms,
                }
            })
            .collect();
        let partner = DraftPartner {
            partner: Partner {
                id: partner_id,
                name: draft(company),
                kind: PartnerKind::Other,
                locations: Vec::new(),
                contact: Default::default(),
                awards: Vec::new(),
            },
            association: None,
            archived: true,
            updated_by: by.to_string(),
            updated_at_ms: at_ms,
        };
        AcceptedDrafts { partner, benefits }
    }
}

/// How many benefits one application may propose.
pub const MAX_OFFERS: usize = 10;

/// Checks an application and returns it normalised (trimmed, credit code upper-case, mobile as
/// 11 digits, email lower-case).
pub fn validate(application: &PartnerApplication) -> Result<PartnerApplication, Vec<FieldError>> {
    let mut errors = Vec::new();
    let company = application.company.trim();
    if company.chars().count() < 2 {
        errors.push(FieldError::new(
            "company",
            "required",
            "请填写单位名称。",
            "Enter the company's name.",
        ));
    } else if company.chars().count() > 100 || has_control(company) {
        errors.push(FieldError::new(
            "company",
            "invalid_text",
            "单位名称过长或含有无效字符（最多100字）。",
            "The company's name is too long or has invalid characters (100 at most).",
        ));
    }
    let credit_code = credit_code::normalize(&application.credit_code);
    if application.credit_code.trim().is_empty() {
        errors.push(FieldError::new(
            "credit_code",
            "required",
            "请填写统一社会信用代码。",
            "Enter the unified social credit code.",
        ));
    } else if credit_code.is_none() {
        errors.push(FieldError::new(
            "credit_code",
            "invalid_credit_code",
            "统一社会信用代码应为18位，且校验位正确，请核对营业执照。",
            "A unified social credit code has 18 characters with a valid check character; please check the business licence.",
        ));
    }
    if let Some(error) = person_name("contact_person", application.contact_person.trim()) {
        errors.push(error);
    }
    let mobile = mobile::normalize(&application.mobile);
    let email = application.email.trim().to_lowercase();
    let has_mobile = !application.mobile.trim().is_empty();
    if !has_mobile && email.is_empty() {
        errors.push(FieldError::new(
            "mobile",
            "contact_required",
            "请至少填写手机号码或电子邮箱之一。",
            "Enter a mobile number or an email address (or both).",
        ));
    }
    if has_mobile && let Some(error) = mobile_error("mobile", &application.mobile, mobile.is_some())
    {
        errors.push(error);
    }
    if !email.is_empty() && !plausible_email(&email) {
        errors.push(FieldError::new(
            "email",
            "invalid_email",
            "电子邮箱格式不正确。",
            "That does not look like an email address.",
        ));
    }
    if application.offers.is_empty() {
        errors.push(FieldError::new(
            "offers",
            "required",
            "请至少填写一项拟提供的福利。",
            "Describe at least one benefit you would offer.",
        ));
    } else if application.offers.len() > MAX_OFFERS {
        errors.push(FieldError::new(
            "offers",
            "too_many",
            "每次最多提交10项福利。",
            "At most 10 benefits per application.",
        ));
    }
    for (i, offer) in application.offers.iter().enumerate().take(MAX_OFFERS) {
        if offer.area.is_none() {
            errors.push(FieldError::new(
                format!("offers[{i}].area"),
                "required",
                "请选择服务领域。",
                "Choose a service area.",
            ));
        }
        let length = offer.description.trim().chars().count();
        if !(10..=1000).contains(&length) || has_control(&offer.description) {
            errors.push(FieldError::new(
                format!("offers[{i}].description"),
                "invalid_description",
                "请用10至1000字说明福利内容、对象和使用方式。",
                "Describe the benefit, who it is for and how to use it in 10 to 1000 characters.",
            ));
        }
        if offer
            .regions
            .iter()
            .any(|code| regions::find(code).is_none())
        {
            errors.push(FieldError::new(
                format!("offers[{i}].regions"),
                "unknown_region",
                "地区不在京津冀范围内。",
                "A region is not in Jing-Jin-Ji.",
            ));
        }
    }
    if application.message.chars().count() > 2000 || has_control(&application.message) {
        errors.push(FieldError::new(
            "message",
            "invalid_text",
            "留言过长或含有无效字符（最多2000字）。",
            "The message is too long or has invalid characters (2000 at most).",
        ));
    }
    let consents = &application.consents;
    consent::check_required(
        &consents.notice_version,
        consents.privacy,
        consents.cross_border,
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PartnerApplication {
        company: company.to_string(),
        credit_code: credit_code.unwrap_or_default(),
        contact_person: application.contact_person.trim().to_string(),
        mobile: mobile.unwrap_or_default(),
        email,
        offers: application
            .offers
            .iter()
            .map(|offer| OfferedBenefit {
                description: offer.description.trim().to_string(),
                ..offer.clone()
            })
            .collect(),
        message: application.message.trim().to_string(),
        consents: application.consents.clone(),
    })
}

/// `local@domain.tld`, 254 characters at most, no spaces: enough to catch typos without
/// rejecting real addresses.
fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && !email.chars().any(char::is_whitespace)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepting_makes_archived_drafts_that_publish_nothing_until_completed() {
        let offers = [
            OfferedBenefit {
                area: None,
                description: "一".repeat(40),
                regions: vec!["120000".into()],
            },
            OfferedBenefit {
                area: Some(ServiceArea::Health),
                description: "体检八折".into(),
                regions: Vec::new(),
            },
        ];
        let drafts = AcceptedDrafts::new("PA-7K2", "示例公司", &offers, "plan.admin", 9);
        assert_eq!(drafts.partner.partner.id, "pa-pa-7k2");
        assert_eq!(
            drafts.partner.partner.name,
            Text::new("示例公司", "示例公司")
        );
        assert!(drafts.partner.archived && drafts.benefits.iter().all(|b| b.archived));
        let ids: Vec<&str> = drafts
            .benefits
            .iter()
            .map(|b| b.benefit.id.as_str())
            .collect();
        assert_eq!(ids, ["pa-pa-7k2-1", "pa-pa-7k2-2"]);
        let first = &drafts.benefits[0].benefit;
        assert_eq!(first.area, ServiceArea::Life, "an offer without an area");
        assert_eq!(first.title.zh.chars().count(), 30);
        assert_eq!(first.regions, ["120000"]);
        assert_eq!(drafts.benefits[1].updated_by, "plan.admin");
    }

    fn filled() -> PartnerApplication {
        PartnerApplication {
            company: " 北京示例健康科技有限公司 ".into(),
            credit_code: "91110000802100433b".into(),
            contact_person: "李娜".into(),
            mobile: "139 0000 1111".into(),
            email: "".into(),
            offers: vec![OfferedBenefit {
                area: Some(ServiceArea::Health),
                description: "社工凭证书享受年度体检八折优惠。".into(),
                regions: vec!["110000".into()],
            }],
            message: "".into(),
            consents: ApplicationConsents {
                notice_version: consent::NOTICE_VERSION.into(),
                privacy: true,
                cross_border: true,
            },
        }
    }

    fn codes(application: &PartnerApplication) -> Vec<(String, String)> {
        validate(application)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_complete_application_is_normalised() {
        let valid = validate(&filled()).unwrap();
        assert_eq!(valid.company, "北京示例健康科技有限公司");
        assert_eq!(valid.credit_code, "91110000802100433B");
        assert_eq!(valid.mobile, "13900001111");
    }

    #[test]
    fn the_credit_code_check_character_is_verified() {
        let wrong = PartnerApplication {
            credit_code: "91110000802100433C".into(),
            ..filled()
        };
        assert_eq!(
            codes(&wrong),
            [("credit_code".to_string(), "invalid_credit_code".to_string())]
        );
    }

    #[test]
    fn mobile_or_email_is_enough_and_each_is_checked() {
        let email_only = PartnerApplication {
            mobile: "".into(),
            email: "Contact@Example.COM".into(),
            ..filled()
        };
        assert_eq!(validate(&email_only).unwrap().email, "contact@example.com");
        let neither = PartnerApplication {
            mobile: "".into(),
            ..filled()
        };
        assert_eq!(
            codes(&neither),
            [("mobile".to_string(), "contact_required".to_string())]
        );
        let bad = PartnerApplication {
            mobile: "123".into(),
            email: "a@b".into(),
            ..filled()
        };
        assert_eq!(
            codes(&bad),
            [
                ("mobile".to_string(), "invalid_mobile".to_string()),
                ("email".to_string(), "invalid_email".to_string())
            ]
        );
    }

    #[test]
    fn offers_are_required_and_each_is_checked() {
        assert_eq!(
            codes(&PartnerApplication {
                offers: vec![],
                ..filled()
            }),
            [("offers".to_string(), "required".to_string())]
        );
        let vague = PartnerApplication {
            offers: vec![OfferedBenefit {
                area: None,
                description: "好".into(),
                regions: vec!["999999".into()],
            }],
            ..filled()
        };
        assert_eq!(
            codes(&vague),
            [
                ("offers[0].area".to_string(), "required".to_string()),
                (
                    "offers[0].description".to_string(),
                    "invalid_description".to_string()
                ),
                (
                    "offers[0].regions".to_string(),
                    "unknown_region".to_string()
                )
            ]
        );
        let many = PartnerApplication {
            offers: vec![filled().offers[0].clone(); 11],
            ..filled()
        };
        assert_eq!(
            codes(&many),
            [("offers".to_string(), "too_many".to_string())]
        );
    }

    #[test]
    fn consents_are_required() {
        let mut application = filled();
        application.consents.privacy = false;
        application.consents.cross_border = false;
        assert_eq!(
            codes(&application),
            [
                (
                    "consents.privacy".to_string(),
                    "consent_required".to_string()
                ),
                (
                    "consents.cross_border".to_string(),
                    "consent_required".to_string()
                )
            ]
        );
    }
}
