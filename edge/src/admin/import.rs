//! CSV import of partners and benefits, in pages.
//!
//! Every row of the file is checked first (cells, domain rules, the partner of each benefit,
//! the right to edit it): one problem and nothing is stored. A valid file of more rows than
//! one request may write (Workers KV has no bulk write and allows 1,000 operations a request)
//! is kept for an hour under `import-file:<token>` and stored [`WRITES_PER_PAGE`] rows at a
//! time: each answer carries the cursor of the next page, which the admin view sends back
//! with a progress bar, and a page that failed is sent again. Each page checks the file again
//! against the drafts as they are then, so nothing unchecked is ever written.

use std::collections::HashSet;

use guanai_core::staff::Action;
use guanai_core::validate::{self, FieldError};
use guanai_core::wire::{Imported, WRITES_PER_PAGE};
use guanai_core::{Benefit, Partner};
use serde::{Deserialize, Serialize};

use super::catalog::{DraftBenefit, DraftPartner, alone, benefit_key, owner_of, partner_key};
use super::guard::{Session, current};
use super::records::audit;
use crate::context::Context;
use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse};
use crate::kv_json::{read_json, read_many, write_json};
use crate::limits::RateLimiter;
use crate::store::{Kv, PutOptions};

/// How long a file being imported in pages is kept: long enough to finish or retry.
const STAGED_SECONDS: u64 = 3600;

/// A file being imported in pages.
#[derive(Debug, Serialize, Deserialize)]
struct Staged {
    kind: Kind,
    body: String,
    /// Only the staff member who started an import goes on with it.
    by: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Partners,
    Benefits,
}

fn staged_key(token: &str) -> String {
    format!("import-file:{token}")
}

/// The drafts a checked file becomes, in file order, with their keys.
type Writes = Vec<(String, String)>;

/// `POST /v1/admin/catalog/import?kind=partners|benefits` with a CSV body, or
/// `POST /v1/admin/catalog/import?cursor=<from the last answer>` without one for the next page.
pub async fn import(
    request: &ApiRequest,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
) -> Result<ApiResponse, ApiError> {
    let session = current(request, ctx).await?;
    // Accounts that may not edit anything are refused outright; row-by-row rights follow.
    session.allow(Action::Edit, session.staff.association)?;
    let (token, from, staged) = match request.query("cursor") {
        Some(cursor) => resumed(ctx, &session, &cursor).await?,
        None => {
            let kind = match request.query("kind").as_deref() {
                Some("partners") => Kind::Partners,
                Some("benefits") => Kind::Benefits,
                _ => {
                    return Err(ApiError::Validation(vec![FieldError::new(
                        "kind",
                        "invalid_value",
                        "请指明导入合作单位（partners）还是福利（benefits）",
                        "Say whether the file holds partners or benefits",
                    )]));
                }
            };
            let token = guanai_core::challenge::hex(&ctx.entropy[..16]);
            let staged = Staged {
                kind,
                body: request.body.clone(),
                by: session.username().to_string(),
            };
            (token, 0, staged)
        }
    };
    let writes = match staged.kind {
        Kind::Partners => partner_writes(&staged.body, ctx, &session).await?,
        Kind::Benefits => benefit_writes(&staged.body, ctx, &session).await?,
    };
    let total = writes.len();
    let until = (from + WRITES_PER_PAGE).min(total);
    if from == 0 && until < total {
        let options = PutOptions::expiring(STAGED_SECONDS);
        write_json(ctx.kv, &staged_key(&token), &staged, options).await?;
    }
    let kind = match staged.kind {
        Kind::Partners => "partners",
        Kind::Benefits => "benefits",
    };
    let count = format!("{kind} {}-{until} of {total}", from + 1);
    audit(
        request,
        ctx,
        session.username(),
        &format!("{kind}_imported"),
        &count,
    )
    .await?;
    for (key, draft) in &writes[from.min(until)..until] {
        ctx.kv.put(key, draft, PutOptions::default()).await?;
    }
    if until == total && from > 0 {
        ctx.kv.delete(&staged_key(&token)).await?;
    }
    let answer = Imported {
        partners: if staged.kind == Kind::Partners {
            total
        } else {
            0
        },
        benefits: if staged.kind == Kind::Benefits {
            total
        } else {
            0
        },
        written: until,
        total,
        cursor: (until < total).then(|| format!("{token}:{until}")),
    };
    Ok(ApiResponse::json(200, serde_json::to_string(&answer)?))
}

/// The staged file a cursor names, and where to go on in it. Someone else's import, or one
/// that expired, is not found.
async fn resumed(
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    session: &Session,
    cursor: &str,
) -> Result<(String, usize, Staged), ApiError> {
    let (token, from) = cursor.split_once(':').ok_or(ApiError::NotFound)?;
    let from: usize = from.parse().map_err(|_| ApiError::NotFound)?;
    let valid = !token.is_empty() && token.bytes().all(|b| b.is_ascii_hexdigit());
    if !valid {
        return Err(ApiError::NotFound);
    }
    let staged: Staged = read_json(ctx.kv, &staged_key(token))
        .await?
        .filter(|s: &Staged| s.by == session.username())
        .ok_or(ApiError::NotFound)?;
    Ok((token.to_string(), from, staged))
}

/// An error unless `errors` is empty.
fn checked(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// The partner rows of `body`, checked, as drafts to write.
async fn partner_writes(
    body: &str,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    session: &Session,
) -> Result<Writes, ApiError> {
    let (partners, lines) = guanai_core::import::partners_with_lines(body)?;
    let mut errors: Vec<FieldError> =
        validate::catalogue(&alone(partners.clone(), vec![], ctx.now_ms))
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|error| lines.as_row(error))
            .collect();
    let keys: Vec<String> = partners.iter().map(|p| partner_key(&p.id)).collect();
    let existing = read_many::<DraftPartner>(ctx.kv, &keys).await?;
    let mut writes = Vec::with_capacity(partners.len());
    for (i, (partner, existing)) in partners.into_iter().zip(existing).enumerate() {
        let association = existing
            .as_ref()
            .and_then(|d| d.association)
            .or_else(|| owner_of(&partner));
        let allowed = existing
            .as_ref()
            .is_none_or(|d| session.allow(Action::Edit, d.association).is_ok())
            && session.allow(Action::Edit, association).is_ok();
        if !allowed {
            errors.push(FieldError::new(
                format!("rows[{}].id", lines.line(i).unwrap_or(i + 2)),
                "forbidden",
                "无权修改此合作单位",
                "You may not edit this partner",
            ));
        }
        let draft = DraftPartner {
            partner,
            association,
            archived: false,
            updated_by: session.username().to_string(),
            updated_at_ms: ctx.now_ms,
        };
        writes.push((
            partner_key(&draft.partner.id),
            serde_json::to_string(&draft)?,
        ));
    }
    checked(errors)?;
    Ok(writes)
}

/// The draft partners `benefits` belong to (read in bulk, each once), and an error for each
/// row whose partner is unknown or not the staff member's to edit.
async fn partners_of(
    kv: &impl Kv,
    session: &Session,
    benefits: &[Benefit],
) -> Result<(Vec<Partner>, Vec<FieldError>), ApiError> {
    let mut ids: Vec<&str> = benefits.iter().map(|b| b.partner.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let keys: Vec<String> = ids.iter().map(|id| partner_key(id)).collect();
    let found: Vec<DraftPartner> = read_many(kv, &keys).await?.into_iter().flatten().collect();
    let editable: HashSet<&str> = found
        .iter()
        .filter(|p| session.allow(Action::Edit, p.association).is_ok())
        .map(|p| p.partner.id.as_str())
        .collect();
    let known: HashSet<&str> = found.iter().map(|p| p.partner.id.as_str()).collect();
    let mut errors = Vec::new();
    for (i, benefit) in benefits.iter().enumerate() {
        let row = format!("rows[{}].partner", i + 2);
        if !known.contains(benefit.partner.as_str()) {
            errors.push(FieldError::new(
                row,
                "unknown_partner",
                "请先添加该合作单位",
                "Add the partner first",
            ));
        } else if !editable.contains(benefit.partner.as_str()) {
            errors.push(FieldError::new(
                row,
                "forbidden",
                "无权修改此合作单位的福利",
                "You may not edit this partner's benefits",
            ));
        }
    }
    Ok((found.into_iter().map(|p| p.partner).collect(), errors))
}

/// The benefit rows of `body`, checked, as drafts to write.
async fn benefit_writes(
    body: &str,
    ctx: &Context<'_, impl Kv, impl RateLimiter>,
    session: &Session,
) -> Result<Writes, ApiError> {
    let benefits = guanai_core::import::benefits(body)?;
    let (known, mut errors) = partners_of(ctx.kv, session, &benefits).await?;
    if errors.is_empty() {
        errors.extend(
            validate::catalogue(&alone(known, benefits.clone(), ctx.now_ms))
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(guanai_core::import::benefit_as_row),
        );
    }
    checked(errors)?;
    benefits
        .into_iter()
        .map(|benefit| {
            let draft = DraftBenefit {
                benefit,
                archived: false,
                updated_by: session.username().to_string(),
                updated_at_ms: ctx.now_ms,
            };
            Ok((
                benefit_key(&draft.benefit.id),
                serde_json::to_string(&draft)?,
            ))
        })
        .collect()
}
