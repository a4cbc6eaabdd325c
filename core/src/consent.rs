//! The privacy notice shown before a sign-up or partner application, and the consents the
//! Personal Information Protection Law (PIPL) asks for.
//!
//! - Art. 14/17: informed consent on a notice given beforehand → [`NOTICE`], [`NOTICE_VERSION`].
//! - Art. 28/29: separate consent for sensitive personal information; interest in the physical
//!   & mental health area reveals health information → `health` consent.
//! - Art. 23: separate consent before data goes to another handler → one consent per partner.
//! - Art. 39: separate consent for storage outside the mainland → `cross_border` consent.
//!
//! The server stores each consent with the notice version and the time it was given. Changing
//! the notice text means a new version, so every stored consent names the exact text agreed to.

use serde::{Deserialize, Serialize};

use crate::model::Text;
use crate::validate::FieldError;

/// Version of [`NOTICE`]; bump it with every change of the text.
pub const NOTICE_VERSION: &str = "2026-12-03";

/// The day the plan ends, as the notice states it (ISO date). The worker's `PLAN_ENDS`
/// (wrangler.toml `[vars]`) must say the same — a test holds them together — so that what KV
/// deletes when is what the person was told. Extending the plan means a new notice version.
pub const PLAN_ENDS: &str = "2027-12-31";

/// The last day records are kept, as the notice states it: a year after [`PLAN_ENDS`].
pub const KEPT_UNTIL: &str = "2028-12-31";

/// The privacy notice, paragraph by paragraph.
pub const NOTICE: &[(&str, &str)] = &[
    (
        "京津冀社会工作者关爱计划（以下简称“关爱计划”）由北京社会工作者协会、天津市社会工作协会、河北省社会工作促进会共同运营。您选择的协会是您个人信息的处理者。",
        "The Jing-Jin-Ji Social Worker Care Plan (the “plan”) is run by the Beijing Social Workers Association, the Tianjin Social Work Association and the Hebei Social Work Promotion Association. The association you choose handles your personal information.",
    ),
    (
        "我们收集您的姓名、手机号码、所在地区、工作单位、资格等级及证书编号、关注的服务领域和方便联系的时间，仅用于登记关爱计划、核实资格、联系您并提供福利。",
        "We collect your name, mobile number, district, employer, qualification level and certificate number, the service areas you are interested in and when to contact you, only to register you for the plan, verify your qualification, contact you and provide benefits.",
    ),
    (
        "您关注“身心健康”领域会透露与健康相关的信息，属于敏感个人信息，我们只在您单独同意后处理。",
        "Interest in the “physical & mental health” area reveals health-related information, which is sensitive personal information; we process it only with your separate consent.",
    ),
    (
        "未经您针对某一合作单位单独同意，我们不会向该合作单位提供您的任何个人信息。",
        "We share nothing about you with a partner unless you separately consent for that partner.",
    ),
    (
        "本服务运行在Cloudflare的全球基础设施上，您的信息可能存储或处理于中国境外。信息在存储前加密，手机号仅以密钥散列形式用于查重。",
        "This service runs on Cloudflare's global infrastructure: your information may be stored or processed outside mainland China. It is encrypted before storage; your mobile number is only used in keyed-hash form to detect duplicates.",
    ),
    (
        "我们在关爱计划期间及结束后一年内保存您的信息：关爱计划于2027年12月31日结束，您的信息最迟于2028年12月31日删除。",
        "We keep your information while the plan runs and for one year after: the plan ends on 31 December 2027, and your information is deleted by 31 December 2028 at the latest.",
    ),
    (
        "登记后您会得到一个个人管理链接（请妥善保存，不要转发）：凭它可以随时查看登记状态和我们保存的全部信息、下载副本、更正信息、撤回健康信息或合作单位的同意，或删除全部信息。链接遗失时，可联系所属协会核实身份后补发；也可以直接请协会代为查阅、更正或删除。撤回同意不影响此前处理的效力。",
        "After registering you get a private management link (keep it safe, do not forward it): with it you can at any time see your status and everything we store, download a copy, correct your details, withdraw your health or partner consents, or delete everything. If you lose it, your association can issue a new one after checking who you are; you can also ask your association to access, correct or delete your information for you. Withdrawal does not affect processing before it.",
    ),
];

/// The notice as bilingual paragraphs.
pub fn notice() -> Vec<Text> {
    NOTICE.iter().map(|(zh, en)| Text::new(*zh, *en)).collect()
}

/// What a social worker agreed to when signing up.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SignupConsents {
    /// The [`NOTICE_VERSION`] the person saw.
    pub notice_version: String,
    /// Consent to the notice (required).
    pub privacy: bool,
    /// Separate consent to storage outside the mainland (required: the service runs there).
    pub cross_border: bool,
    /// Separate consent to process health information (required when `health` is an interest).
    pub health: bool,
    /// Partners (ids) the person separately agreed to share their details with; none by default.
    #[serde(default)]
    pub partners: Vec<String>,
}

/// What a company agreed to when applying to become a partner.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationConsents {
    /// The [`NOTICE_VERSION`] the contact person saw.
    pub notice_version: String,
    /// Consent to the notice for the contact person's details (required).
    pub privacy: bool,
    /// Separate consent to storage outside the mainland (required).
    pub cross_border: bool,
}

/// The consents every form needs: agreement to the current notice, and the separate consent to
/// storage outside the mainland. Appends their field errors to `errors`.
pub fn check_required(
    notice_version: &str,
    privacy: bool,
    cross_border: bool,
    errors: &mut Vec<FieldError>,
) {
    if notice_version != NOTICE_VERSION {
        errors.push(FieldError::new(
            "consents.privacy",
            "notice_outdated",
            "隐私告知已更新，请阅读后重新勾选同意。",
            "The privacy notice has changed; please read it and agree again.",
        ));
    } else if !privacy {
        errors.push(FieldError::new(
            "consents.privacy",
            "consent_required",
            "请阅读并同意隐私告知。",
            "Please read and agree to the privacy notice.",
        ));
    }
    if !cross_border {
        errors.push(FieldError::new(
            "consents.cross_border",
            "consent_required",
            "本服务的数据可能存储在境外，需要您单独同意。",
            "Your data may be stored outside mainland China; we need your separate consent.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_exists_in_both_languages_and_covers_what_pipl_asks() {
        let notice = notice();
        assert!(notice.iter().all(|p| !p.zh.is_empty() && !p.en.is_empty()));
        let english: String = notice.iter().map(|p| p.en.as_str()).collect();
        for topic in [
            "sensitive",
            "partner",
            "outside mainland China",
            "withdraw",
            "delete",
        ] {
            assert!(
                english.contains(topic),
                "the notice does not mention {topic}"
            );
        }
    }
}
