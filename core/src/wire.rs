//! The wire contract: the JSON bodies the public forms, the admin view and the edge exchange,
//! and the metadata the edge keeps beside each record in KV. Each is defined once, here, and
//! used by every side — a field renamed here is renamed everywhere, and the compiler finds
//! every reader. (The catalogue's own types are in [`crate::model`]; error bodies in
//! [`crate::i18n::ErrorBody`].)

use serde::{Deserialize, Serialize};

use crate::signup::{ContactTime, SignupForm};
use crate::staff::Role;
use crate::{Association, Benefit, Partner, QualificationLevel, ServiceArea, Text};

/// The envelope both public forms are posted in (`POST /v1/signups`,
/// `POST /v1/partner-applications`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission<T> {
    pub form: T,
    pub challenge: Solution,
    /// Honeypot: a field hidden from people; anything typed here was typed by a bot.
    #[serde(default)]
    pub website: String,
    /// Milliseconds between the form appearing and the submit press.
    #[serde(default)]
    pub elapsed_ms: u64,
}

/// A solved proof-of-work challenge: the token as issued and the nonce that solves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solution {
    pub token: String,
    pub nonce: u64,
}

/// `GET /v1/challenge`: a signed token to solve before submitting a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeIssued {
    pub token: String,
    /// Leading zero bits the solution's hash needs.
    pub difficulty: u32,
    /// Seconds until the token expires.
    pub expires_in: u64,
}

/// The 201 answer to a form: the reference to quote, and the record's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acknowledgement {
    pub reference: String,
    pub status: Status,
    /// A sign-up's management secret, shown to the person once as their private link
    /// (`/me#<secret>`). The server keeps only a keyed hash of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

/// What a sign-up seals: everything that identifies the person, and everything that reveals
/// health information — the interests, and the health consent itself (it exists only with
/// that interest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalData {
    pub name: String,
    pub mobile: String,
    pub employer: String,
    pub certificate_number: String,
    pub interests: Vec<ServiceArea>,
    pub contact_time: ContactTime,
    /// Separate consent to processing health information (PIPL Art. 29), given at
    /// [`ConsentRecord::given_at_ms`] to [`ConsentRecord::notice_version`].
    pub health_consent: bool,
}

/// A sign-up's consents as recorded in clear (auditable without decrypting): to which notice
/// version, what was agreed, and when. The health consent is sealed in [`PersonalData`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    pub notice_version: String,
    pub privacy: bool,
    pub cross_border: bool,
    /// Partners the person agreed to share their details with (PIPL Art. 23).
    pub partners: Vec<String>,
    /// Milliseconds since the Unix epoch, when the server received the consent.
    pub given_at_ms: u64,
}

/// `GET /v1/me`: everything stored about the holder of a management link, decrypted for this
/// answer only (PIPL Art. 44–45). The same body is what the person downloads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnSignup {
    pub reference: String,
    pub association: Association,
    pub region: String,
    pub level: QualificationLevel,
    pub status: Status,
    pub created_at_ms: u64,
    pub consent: ConsentRecord,
    pub personal: PersonalData,
    /// The staff's decision and the note for the person, once made (not who made it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<OwnDecision>,
    /// The day by which the record is deleted at the latest (ISO date, Beijing): one year after
    /// the plan ends.
    pub kept_until: String,
}

/// The part of a staff decision the person sees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnDecision {
    pub status: Status,
    pub note: String,
    pub at_ms: u64,
}

/// `POST /v1/me/withdraw`: one consent withdrawn, one tap each (PIPL Art. 15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "consent", rename_all = "snake_case")]
pub enum Withdrawal {
    /// The health consent, and with it the health interest.
    Health,
    /// The consent to share with one partner.
    Partner { partner: String },
}

/// `PUT /v1/admin/signups/<association>/<reference>`: staff correct a sign-up on the person's
/// request (the association may change: moving is a staff action).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffCorrection {
    pub form: SignupForm,
    #[serde(default)]
    pub reason: String,
}

/// Why staff delete a sign-up or replace its management link (kept in the audit log, so it
/// names the request, never the person's data).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    #[serde(default)]
    pub reason: String,
}

/// `POST /v1/admin/signups/<association>/<reference>/link`: the new management secret, shown
/// to staff once to pass on; the old link no longer works.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkIssued {
    pub reference: String,
    pub secret: String,
}

pub use crate::codes::Status;

impl Status {
    /// What staff read for it, in a record of `kind`.
    pub fn label(self, kind: RecordKind) -> Text {
        match (self, kind) {
            (Status::Received, RecordKind::Signup) => Text::new("待核验", "To review"),
            (Status::Received, RecordKind::Application) => Text::new("待处理", "To review"),
            (Status::Verified, _) => Text::new("已核验", "Verified"),
            (Status::Rejected, _) => Text::new("未通过", "Rejected"),
            (Status::Accepted, _) => Text::new("已接受", "Accepted"),
            (Status::Declined, _) => Text::new("已婉拒", "Declined"),
        }
    }
}

/// The two kinds of record the public forms create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    Signup,
    Application,
}

impl RecordKind {
    /// What staff may decide about a record of this kind.
    pub fn decisions(self) -> &'static [Status] {
        match self {
            RecordKind::Signup => &[Status::Verified, Status::Rejected],
            RecordKind::Application => &[Status::Accepted, Status::Declined],
        }
    }

    /// Every status a record of this kind can have.
    pub fn statuses(self) -> &'static [Status] {
        match self {
            RecordKind::Signup => &[Status::Received, Status::Verified, Status::Rejected],
            RecordKind::Application => &[Status::Received, Status::Accepted, Status::Declined],
        }
    }
}

/// What KV keeps beside a sign-up (its listing metadata): the facets staff filter and count
/// by, none of them personal, so lists and the dashboard never decrypt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupMeta {
    pub region: String,
    pub level: QualificationLevel,
    pub status: Status,
    pub created_at_ms: u64,
}

/// One row of `GET /v1/admin/signups`: where the record is, and its [`SignupMeta`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignupRow {
    pub association: Association,
    pub reference: String,
    pub region: String,
    pub level: QualificationLevel,
    pub status: Status,
    pub created_at_ms: u64,
}

impl SignupRow {
    pub fn new(association: Association, reference: &str, meta: SignupMeta) -> SignupRow {
        SignupRow {
            association,
            reference: reference.to_string(),
            region: meta.region,
            level: meta.level,
            status: meta.status,
            created_at_ms: meta.created_at_ms,
        }
    }
}

/// What KV keeps beside an application, and (with its reference) one row of
/// `GET /v1/admin/applications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationMeta {
    pub status: Status,
    pub created_at_ms: u64,
    pub company: String,
}

/// One row of `GET /v1/admin/applications`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationRow {
    pub reference: String,
    pub status: Status,
    pub created_at_ms: u64,
    pub company: String,
}

/// `POST /v1/admin/signups/…/review` and `POST /v1/admin/applications/…/decision`. The
/// decision travels as its code so that an unknown one is a field error, not a bad request;
/// [`DecisionBody::check`] applies the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionBody {
    pub decision: String,
    #[serde(default)]
    pub note: String,
}

impl DecisionBody {
    pub fn new(decision: Status, note: &str) -> DecisionBody {
        DecisionBody {
            decision: decision.code().to_string(),
            note: note.to_string(),
        }
    }
}

/// The answer to a decision: the record's new status, and for an accepted application the id
/// of the draft partner it created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decided {
    pub reference: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft_partner: Option<String>,
}

/// `POST /v1/admin/login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Login {
    pub username: String,
    pub password: String,
}

/// `POST /v1/admin/staff`: a new account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaff {
    pub username: String,
    pub role: Role,
    #[serde(default)]
    pub association: Option<Association>,
    pub password: String,
}

/// `PUT /v1/admin/partners/<id>`: create or edit a draft partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerChange {
    pub partner: Partner,
    #[serde(default)]
    pub association: Option<Association>,
    #[serde(default)]
    pub archived: bool,
}

/// `PUT /v1/admin/benefits/<id>`: create or edit a draft benefit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenefitChange {
    pub benefit: Benefit,
    #[serde(default)]
    pub archived: bool,
}

/// `POST /v1/admin/catalog/publish` (the body may also be empty).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishOptions {
    /// Marks the snapshot as sample data (the widgets then say so on every screen).
    #[serde(default)]
    pub sample: bool,
}

/// `POST /v1/admin/catalog/rollback`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rollback {
    pub version: String,
}

/// The 201 answer to a publish: the new version and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    pub version: String,
    pub partners: usize,
    pub benefits: usize,
}

/// The answer to `POST /v1/admin/catalog/drafts-from-published`: how many drafts this page of
/// the work made, how far through the published items it is, and where to go on.
///
/// A request spends at most [`WRITES_PER_PAGE`] KV operations on its writes and bulk reads
/// (Workers KV has no bulk write and allows 1,000 operations a request); the admin view sends
/// `cursor` back until it is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftsCreated {
    pub created: usize,
    /// Published items looked at so far (drafts made or already there).
    #[serde(default)]
    pub done: usize,
    /// Published partners and benefits in all.
    #[serde(default)]
    pub total: usize,
    /// Send this back (`{"cursor": …}`) for the next page; `None` when finished.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// Most KV writes one page of a long admin job makes (drafts from the published catalogue, a
/// CSV import): Workers allow 1,000 KV operations a request and there is no bulk write.
pub const WRITES_PER_PAGE: usize = 900;

/// The body of `POST /v1/admin/catalog/drafts-from-published`: where to go on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resume {
    #[serde(default)]
    pub cursor: Option<String>,
}

/// The answer to `POST /v1/admin/catalog/import`: the rows of the file, how many are stored so
/// far, and the cursor of the next page of writes (`None` when all are stored). Every row was
/// checked before the first was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    pub partners: usize,
    pub benefits: usize,
    /// Rows stored so far.
    #[serde(default)]
    pub written: usize,
    /// Rows in the file.
    #[serde(default)]
    pub total: usize,
    /// `POST /v1/admin/catalog/import?cursor=…` (no body) stores the next page.
    #[serde(default)]
    pub cursor: Option<String>,
}

/// `GET /v1/admin/catalog?q=&kind=&partners_cursor=&benefits_cursor=`: one page of each kind of
/// draft (or of one `kind`), those matching `q` if it is given, and where each list goes on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DraftPage {
    pub published: Option<String>,
    pub partners: Vec<crate::model::DraftPartner>,
    #[serde(default)]
    pub partners_cursor: Option<String>,
    pub benefits: Vec<crate::model::DraftBenefit>,
    #[serde(default)]
    pub benefits_cursor: Option<String>,
}

/// A partner to choose for a benefit: `GET /v1/admin/catalog/partner-choices`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerChoice {
    pub id: String,
    pub name: crate::Text,
    pub association: Option<Association>,
    pub archived: bool,
}

/// A body that carries nothing (`POST /v1/admin/catalog/drafts-from-published`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_by_code_and_each_kind_decides_its_own() {
        for status in Status::ALL {
            assert_eq!(status.code().parse(), Ok(*status));
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.code()));
        }
        assert_eq!("maybe".parse::<Status>(), Err(()));
        for kind in [RecordKind::Signup, RecordKind::Application] {
            assert!(!kind.decisions().contains(&Status::Received));
            assert!(kind.decisions().iter().all(|d| kind.statuses().contains(d)));
        }
    }

    #[test]
    fn the_envelope_keeps_its_field_names() {
        let sent = Submission {
            form: 7,
            challenge: Solution {
                token: "t".into(),
                nonce: 9,
            },
            website: String::new(),
            elapsed_ms: 4_000,
        };
        let json: serde_json::Value = serde_json::to_value(&sent).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"form": 7, "challenge": {"token": "t", "nonce": 9}, "website": "", "elapsed_ms": 4000})
        );
        let read: Submission<i32> =
            serde_json::from_str(r#"{"form":7,"challenge":{"token":"t","nonce":9}}"#).unwrap();
        assert_eq!((read.website.as_str(), read.elapsed_ms), ("", 0));
    }
}

/// Whose sites an origin list is: a partner's, or an association's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SiteOwner {
    Partner { id: String },
    Association { association: Association },
}

impl SiteOwner {
    /// `partner:<id>` or `association:<code>`: the owner in KV keys and audit targets.
    pub fn key(&self) -> String {
        match self {
            SiteOwner::Partner { id } => format!("partner:{id}"),
            SiteOwner::Association { association } => format!("association:{}", association.code()),
        }
    }
}

/// The sites one owner embeds the widgets on, as staff recorded them (normalised origins):
/// `PUT /v1/admin/origins/…` answers it, `GET /v1/admin/origins` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteOrigins {
    pub owner: SiteOwner,
    /// The association whose staff manage the list: the partner's, or the association itself;
    /// `None` for a plan-wide partner (plan admins only).
    pub association: Option<Association>,
    pub origins: Vec<String>,
    pub updated_by: String,
    pub updated_at_ms: u64,
}

/// `PUT /v1/admin/origins/partner/<id>` and `…/association/<code>`: the whole list; an empty
/// list removes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginsChange {
    pub origins: Vec<String>,
}

/// `GET /v1/admin/origins`: the origins of the deployment's configuration (`ALLOWED_ORIGINS`,
/// changed only by a deploy) and the lists this staff member may see.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginList {
    pub configured: Vec<String>,
    pub sites: Vec<SiteOrigins>,
}

/// `GET /v1/admin/origins/check?origin=…`: the origin as the browser sends it, and whether the
/// worker admits it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OriginCheck {
    pub origin: String,
    pub allowed: bool,
}
