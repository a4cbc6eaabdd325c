//! A social worker's rights over their own sign-up (PIPL Art. 15, 19, 44–47): the rules the
//! edge applies when the person (with their management link) or staff (on the person's
//! request) correct a sign-up, and how long records are kept.
//!
//! - Correction: the sign-up form's own rules ([`signup::validate`]), applied to the corrected
//!   fields with the consents as they were given — corrections never add consent to the notice
//!   or to a partner, and only the person can add the health consent, with the health interest.
//! - Retention: "while the plan runs and for one year after" is [`kept_until`] of the plan's
//!   end date, a KV expiration every sign-up and application key is written with.

use chrono::NaiveDate;

use crate::consent::{self, SignupConsents};
use crate::signup::{self, SignupForm, ValidSignup};
use crate::validate::FieldError;
use crate::wire::{ConsentRecord, PersonalData, Reason};
use crate::{Association, QualificationLevel, ServiceArea};

/// How long audit events are kept: three years (the Cybersecurity Law asks at least six months
/// for logs; three covers an association's audit cycle). They hold no personal data.
pub const AUDIT_RETENTION_SECONDS: u64 = 3 * 365 * 24 * 3600;

/// The worker's page a management link opens; the secret follows in the fragment.
pub const MANAGEMENT_PAGE: &str = "/me";

/// The management link for `secret` on the edge at `base` (`https://EDGE/me#<secret>`). The
/// secret is in the fragment, which browsers never send to a server.
pub fn management_link(base: &str, secret: &str) -> String {
    format!("{}{MANAGEMENT_PAGE}#{secret}", base.trim_end_matches('/'))
}

/// The sign-up form as a stored sign-up fills it: what a correction starts from, for the
/// person and for staff alike. Consents other than health are the record's, not the form's.
pub fn stored_form(
    personal: &PersonalData,
    association: Option<Association>,
    region: &str,
    level: Option<QualificationLevel>,
) -> SignupForm {
    SignupForm {
        name: personal.name.clone(),
        mobile: personal.mobile.clone(),
        association,
        region: region.to_string(),
        employer: personal.employer.clone(),
        level,
        certificate_number: personal.certificate_number.clone(),
        interests: personal.interests.clone(),
        contact_time: Some(personal.contact_time),
        consents: SignupConsents {
            health: personal.health_consent,
            ..SignupConsents::default()
        },
    }
}

/// Longest reason staff give for a correction, a deletion or a new link, in characters.
pub const REASON_MAX_CHARS: usize = 300;

/// The last day a record is kept, for a plan that ends on `plan_ends`: the same day a year
/// later (28 February for a plan ending on 29 February).
pub fn kept_until(plan_ends: NaiveDate) -> NaiveDate {
    plan_ends
        .checked_add_months(chrono::Months::new(12))
        .unwrap_or(plan_ends)
}

/// The moment KV deletes records of a plan ending on `plan_ends` (seconds since the Unix
/// epoch): the end of [`kept_until`] in Beijing.
pub fn expiration_seconds(plan_ends: NaiveDate) -> u64 {
    let next_day = kept_until(plan_ends) + chrono::Days::new(1);
    let midnight = next_day
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        .timestamp()
        - i64::from(crate::time::shanghai().local_minus_utc());
    u64::try_from(midnight).unwrap_or_default()
}

/// Who corrects a sign-up, which decides what may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corrector {
    /// The person, with their management link: everything but the association.
    Person,
    /// Association staff, on the person's request: the association too.
    Staff,
}

/// Checks `form`, a correction of a sign-up stored under `association` with `consent`, by the
/// sign-up form's rules. The notice and cross-border consents and the partner consents stay as
/// recorded (the person withdraws those separately, and a correction never adds one);
/// the health consent is the form's own, so adding the health interest needs it.
pub fn correct(
    form: &SignupForm,
    association: Association,
    consent: &ConsentRecord,
    by: Corrector,
) -> Result<ValidSignup, Vec<FieldError>> {
    let moved = form.association.is_some_and(|other| other != association);
    let mut checked = form.clone();
    if checked.association.is_none() || (moved && by == Corrector::Person) {
        checked.association = Some(association);
    }
    checked.consents = SignupConsents {
        // The recorded consent was valid for the notice it was given to; the rules check it
        // against the current one.
        notice_version: consent::NOTICE_VERSION.to_string(),
        privacy: consent.privacy,
        cross_border: consent.cross_border,
        health: form.consents.health,
        partners: consent.partners.clone(),
    };
    let result = signup::validate(&checked, |id| consent.partners.iter().any(|p| p == id));
    let mut errors = result.as_ref().err().cloned().unwrap_or_default();
    if moved && by == Corrector::Person {
        errors.insert(
            0,
            FieldError::new(
                "association",
                "association_fixed",
                "更换所属协会需由协会工作人员办理，请联系您的协会。",
                "Moving to another association is done by association staff: please contact your association.",
            ),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut valid = result?;
    valid.consents.notice_version = consent.notice_version.clone();
    Ok(valid)
}

/// The interests and health consent after withdrawing the health consent: the health
/// interest goes with it (it is health information).
pub fn without_health(interests: &[ServiceArea]) -> Vec<ServiceArea> {
    interests
        .iter()
        .copied()
        .filter(|area| *area != ServiceArea::Health)
        .collect()
}

impl Reason {
    /// The trimmed reason, or the field error: one is required, of at most
    /// [`REASON_MAX_CHARS`] characters.
    pub fn check(&self) -> Result<String, Vec<FieldError>> {
        check_reason(&self.reason)
    }
}

/// See [`Reason::check`].
pub fn check_reason(reason: &str) -> Result<String, Vec<FieldError>> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(vec![FieldError::new(
            "reason",
            "required",
            "请写明依据（例如本人何时以何种方式提出的请求）。",
            "Give the reason (e.g. when and how the person asked).",
        )]);
    }
    if reason.chars().count() > REASON_MAX_CHARS {
        return Err(vec![FieldError::new(
            "reason",
            "too_long",
            "依据最多 300 字。",
            "A reason is at most 300 characters.",
        )]);
    }
    Ok(reason.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::QualificationLevel;

    fn stored_consent(partners: &[&str]) -> ConsentRecord {
        ConsentRecord {
            notice_version: "2026-11-30".into(),
            privacy: true,
            cross_border: true,
            partners: partners.iter().map(|p| p.to_string()).collect(),
            given_at_ms: 1,
        }
    }

    fn corrected() -> SignupForm {
        SignupForm {
            name: "张晓明".into(),
            mobile: "13812345678".into(),
            association: None,
            region: "120101".into(),
            employer: "和平区社工站".into(),
            level: Some(QualificationLevel::Intermediate),
            interests: vec![ServiceArea::Career],
            ..SignupForm::default()
        }
    }

    #[test]
    fn a_correction_keeps_the_recorded_consents_and_the_association() {
        let consent = stored_consent(&["weier-dental"]);
        let mut form = corrected();
        // What the form says of consents is ignored, except the health consent.
        form.consents.partners = vec!["someone-else".into()];
        form.consents.privacy = false;
        let valid = correct(&form, Association::Tianjin, &consent, Corrector::Person).unwrap();
        assert_eq!(valid.association, Association::Tianjin);
        assert_eq!(valid.consents.partners, ["weier-dental"]);
        assert_eq!(valid.consents.notice_version, "2026-11-30");
        assert!(valid.consents.privacy && valid.consents.cross_border);
    }

    #[test]
    fn only_staff_move_a_sign_up_and_the_health_interest_needs_its_consent() {
        let consent = stored_consent(&[]);
        let mut form = corrected();
        form.association = Some(Association::Beijing);
        form.region = "110105".into();
        let refused = correct(&form, Association::Tianjin, &consent, Corrector::Person);
        assert_eq!(refused.unwrap_err()[0].code, "association_fixed");
        let moved = correct(&form, Association::Tianjin, &consent, Corrector::Staff).unwrap();
        assert_eq!(moved.association, Association::Beijing);

        let mut health = corrected();
        health.interests.push(ServiceArea::Health);
        let errors = correct(&health, Association::Tianjin, &consent, Corrector::Person);
        assert_eq!(errors.unwrap_err()[0].field, "consents.health");
        health.consents.health = true;
        assert!(
            correct(&health, Association::Tianjin, &consent, Corrector::Person)
                .unwrap()
                .consents
                .health
        );
    }

    #[test]
    fn a_correction_applies_the_sign_up_rules() {
        let mut form = corrected();
        form.mobile = "12345".into();
        form.region = "110105".into(); // Beijing, for a Tianjin sign-up
        let errors = correct(
            &form,
            Association::Tianjin,
            &stored_consent(&[]),
            Corrector::Staff,
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["mobile", "region"]);
    }

    #[test]
    fn records_are_kept_one_year_after_the_plan_ends_until_beijing_midnight() {
        let ends = NaiveDate::from_ymd_opt(2027, 12, 31).unwrap();
        assert_eq!(
            kept_until(ends),
            NaiveDate::from_ymd_opt(2028, 12, 31).unwrap()
        );
        // 2029-01-01T00:00+08:00 is 2028-12-31T16:00Z.
        let at = chrono::DateTime::from_timestamp(expiration_seconds(ends) as i64, 0).unwrap();
        assert_eq!(crate::time::rfc3339(at), "2028-12-31T16:00:00Z");
        let leap = NaiveDate::from_ymd_opt(2028, 2, 29).unwrap();
        assert_eq!(
            kept_until(leap),
            NaiveDate::from_ymd_opt(2029, 2, 28).unwrap()
        );
    }

    #[test]
    fn the_notice_states_the_dates_the_rules_apply() {
        let ends = crate::time::parse_iso_date(consent::PLAN_ENDS).unwrap();
        assert_eq!(crate::time::iso_date(kept_until(ends)), consent::KEPT_UNTIL);
        let notice: String = consent::NOTICE
            .iter()
            .map(|(zh, en)| format!("{zh}{en}"))
            .collect();
        assert!(notice.contains("2027年12月31日") && notice.contains("2028年12月31日"));
        assert!(notice.contains("31 December 2027") && notice.contains("31 December 2028"));
    }

    #[test]
    fn reasons_are_required_and_bounded() {
        assert_eq!(check_reason("  本人电话申请  ").unwrap(), "本人电话申请");
        assert_eq!(check_reason(" ").unwrap_err()[0].code, "required");
        assert_eq!(
            check_reason(&"长".repeat(301)).unwrap_err()[0].code,
            "too_long"
        );
    }
}
