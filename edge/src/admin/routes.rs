//! The admin API's one route table. Dispatch, the `Allow` header of a 405, and the list the
//! auth-matrix and OpenAPI tests walk all come from [`TABLE`], as `worker::Router` and axum
//! derive 405 from their one table: a route added here is dispatched, allowed and tested, and
//! nowhere else needs to know.

use guanai_core::Association;

/// What an admin request asks for, once its method and path are known to be a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Login,
    Logout,
    Session,
    StaffList,
    StaffCreate,
    Audit,
    AuditCsv,
    Insight,
    Signups,
    SignupsCsv,
    SignupDetail,
    SignupReview,
    SignupCorrect,
    SignupDelete,
    SignupLink,
    Applications,
    ApplicationDetail,
    ApplicationDecision,
    Catalog,
    CatalogVersions,
    CatalogHsds,
    Publish,
    Rollback,
    Import,
    PartnerChoices,
    DraftsFromPublished,
    SavePartner,
    SaveBenefit,
    Origins,
    OriginCheck,
    PartnerOrigins,
    AssociationOrigins,
}

/// Every admin route: method, path pattern, endpoint. A `{name}` segment is a placeholder
/// checked by [`Params::capture`]; a path whose placeholder does not check is no route (404).
pub const TABLE: &[(&str, &str, Endpoint)] = &[
    ("POST", "/v1/admin/login", Endpoint::Login),
    ("POST", "/v1/admin/logout", Endpoint::Logout),
    ("GET", "/v1/admin/session", Endpoint::Session),
    ("GET", "/v1/admin/staff", Endpoint::StaffList),
    ("POST", "/v1/admin/staff", Endpoint::StaffCreate),
    ("GET", "/v1/admin/audit", Endpoint::Audit),
    ("GET", "/v1/admin/audit.csv", Endpoint::AuditCsv),
    ("GET", "/v1/admin/insight", Endpoint::Insight),
    ("GET", "/v1/admin/signups", Endpoint::Signups),
    ("GET", "/v1/admin/signups.csv", Endpoint::SignupsCsv),
    (
        "GET",
        "/v1/admin/signups/{association}/{reference}",
        Endpoint::SignupDetail,
    ),
    (
        "POST",
        "/v1/admin/signups/{association}/{reference}/review",
        Endpoint::SignupReview,
    ),
    (
        "PUT",
        "/v1/admin/signups/{association}/{reference}",
        Endpoint::SignupCorrect,
    ),
    (
        "DELETE",
        "/v1/admin/signups/{association}/{reference}",
        Endpoint::SignupDelete,
    ),
    (
        "POST",
        "/v1/admin/signups/{association}/{reference}/link",
        Endpoint::SignupLink,
    ),
    ("GET", "/v1/admin/applications", Endpoint::Applications),
    (
        "GET",
        "/v1/admin/applications/{reference}",
        Endpoint::ApplicationDetail,
    ),
    (
        "POST",
        "/v1/admin/applications/{reference}/decision",
        Endpoint::ApplicationDecision,
    ),
    ("GET", "/v1/admin/catalog", Endpoint::Catalog),
    (
        "GET",
        "/v1/admin/catalog/versions",
        Endpoint::CatalogVersions,
    ),
    ("GET", "/v1/admin/catalog/hsds.json", Endpoint::CatalogHsds),
    ("POST", "/v1/admin/catalog/publish", Endpoint::Publish),
    ("POST", "/v1/admin/catalog/rollback", Endpoint::Rollback),
    ("POST", "/v1/admin/catalog/import", Endpoint::Import),
    (
        "GET",
        "/v1/admin/catalog/partner-choices",
        Endpoint::PartnerChoices,
    ),
    (
        "POST",
        "/v1/admin/catalog/drafts-from-published",
        Endpoint::DraftsFromPublished,
    ),
    ("PUT", "/v1/admin/partners/{id}", Endpoint::SavePartner),
    ("PUT", "/v1/admin/benefits/{id}", Endpoint::SaveBenefit),
    ("GET", "/v1/admin/origins", Endpoint::Origins),
    ("GET", "/v1/admin/origins/check", Endpoint::OriginCheck),
    (
        "PUT",
        "/v1/admin/origins/partner/{id}",
        Endpoint::PartnerOrigins,
    ),
    (
        "PUT",
        "/v1/admin/origins/association/{association}",
        Endpoint::AssociationOrigins,
    ),
];

impl Endpoint {
    /// Whether the route works without a session (only signing in does).
    pub fn is_public(self) -> bool {
        self == Endpoint::Login
    }
}

/// What a path's placeholders held, each already checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pub association: Option<Association>,
    /// A record reference (`GA-…`, `PA-…`): ASCII letters, digits and `-`, at most 64.
    pub reference: String,
    /// A catalogue id: lower-case ASCII letters, digits and `-`, at most 64 (as
    /// `guanai_core::validate` requires of partner and benefit ids).
    pub id: String,
}

impl Params {
    /// Takes `segment` for placeholder `name`; `false` when it is not a valid value for it.
    fn capture(&mut self, name: &str, segment: &str) -> bool {
        let short = !segment.is_empty() && segment.len() <= 64;
        match name {
            "association" => {
                self.association = segment.parse().ok();
                self.association.is_some()
            }
            "reference" => {
                self.reference = segment.to_string();
                short
                    && segment
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            }
            "id" => {
                self.id = segment.to_string();
                short
                    && segment
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            }
            _ => false,
        }
    }

    /// The placeholders of `pattern` as `path` fills them, when it matches.
    fn matching(pattern: &str, path: &str) -> Option<Params> {
        let mut params = Params::default();
        let (mut wanted, mut given) = (pattern.split('/'), path.split('/'));
        loop {
            match (wanted.next(), given.next()) {
                (None, None) => return Some(params),
                (Some(w), Some(g)) => {
                    let fits = match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                        Some(name) => params.capture(name, g),
                        None => w == g,
                    };
                    if !fits {
                        return None;
                    }
                }
                _ => return None,
            }
        }
    }
}

/// Where a request lands in the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Route(Endpoint, Params),
    /// The path is a route, but not for this method: these are the methods it takes.
    WrongMethod(String),
    /// Not an admin route.
    Unknown,
}

/// Looks `method` and `path` up in [`TABLE`].
pub fn resolve(method: &str, path: &str) -> Resolved {
    let mut allowed: Vec<&str> = Vec::new();
    for (wanted, pattern, endpoint) in TABLE {
        if let Some(params) = Params::matching(pattern, path) {
            if *wanted == method {
                return Resolved::Route(*endpoint, params);
            }
            allowed.push(wanted);
        }
    }
    if allowed.is_empty() {
        Resolved::Unknown
    } else {
        Resolved::WrongMethod(allowed.join(", "))
    }
}

/// Every route with a concrete path (placeholders filled with sample values) and whether it is
/// public: what the auth-matrix and OpenAPI tests walk.
pub fn samples() -> Vec<(&'static str, String, bool)> {
    TABLE
        .iter()
        .map(|(method, pattern, endpoint)| {
            let path = pattern
                .replace("{association}", "beijing")
                .replace("{reference}", "GA-SAMPLE")
                .replace("{id}", "sample-id");
            (*method, path, endpoint.is_public())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_resolves_to_its_own_row() {
        for ((method, path, _), (_, _, endpoint)) in samples().iter().zip(TABLE) {
            match resolve(method, path) {
                Resolved::Route(found, _) => assert_eq!(found, *endpoint, "{method} {path}"),
                other => panic!("{method} {path}: {other:?}"),
            }
        }
    }

    #[test]
    fn allow_lists_every_method_of_the_path_and_placeholders_are_checked() {
        assert_eq!(
            resolve("DELETE", "/v1/admin/staff"),
            Resolved::WrongMethod("GET, POST".into())
        );
        assert_eq!(
            resolve("GET", "/v1/admin/partners/ok-id"),
            Resolved::WrongMethod("PUT".into())
        );
        let Resolved::Route(Endpoint::SignupReview, params) =
            resolve("POST", "/v1/admin/signups/tianjin/GA-7K2/review")
        else {
            panic!("not the review route")
        };
        assert_eq!(params.association, Some(Association::Tianjin));
        assert_eq!(params.reference, "GA-7K2");
        for unknown in [
            "/v1/admin/partners/Upper_Case",
            "/v1/admin/partners/",
            "/v1/admin/signups/shanghai/GA-1",
            "/v1/admin/signups/beijing/GA-1/other",
            "/v1/admin/applications/PA 1",
            "/v1/admin/nothing",
        ] {
            assert_eq!(resolve("PUT", unknown), Resolved::Unknown, "{unknown}");
            assert_eq!(resolve("GET", unknown), Resolved::Unknown, "{unknown}");
        }
        let long = format!("/v1/admin/benefits/{}", "a".repeat(65));
        assert_eq!(resolve("PUT", &long), Resolved::Unknown);
    }
}
