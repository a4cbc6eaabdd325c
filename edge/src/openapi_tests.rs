//! The OpenAPI document (`edge/openapi.json`, served at `GET /v1/openapi.json`) against the
//! router: every route is documented and nothing else is, and every documented answer — each
//! (path, method, status) — is produced by a real request through the router, with a body that
//! matches the documented schema and media type and the documented headers. A documented status
//! without a case here fails the test, so the document cannot drift from the code.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU8, Ordering};

use guanai_core::import::PARTNER_COLUMNS;
use serde_json::{Value, json};

use crate::admin::guard::COOKIE;
use crate::admin::routes::samples;
use crate::catalog::PUBLISHED_KEY;
use crate::form_tests::{application_form, envelope, post, signup_form, solved_challenge};
use crate::http::{ApiRequest, ApiResponse};
use crate::limits::CountingLimiter;
use crate::routes::Outcome;
use crate::secrets::Secrets;
use crate::store::{Kv, MemoryKv};
use crate::testing::{
    NOW_MS, PASSWORD, Signed, as_signed, login, outcome_keyed, published, respond, secrets, staffed,
};

const DOCUMENT: &str = include_str!("../openapi.json");

/// The public routes with their methods (the admin routes are `admin::routes::samples`).
pub(crate) const PUBLIC: &[(&str, &str)] = &[
    ("GET", "/v1/health"),
    ("HEAD", "/v1/health"),
    ("GET", "/v1/catalog"),
    ("HEAD", "/v1/catalog"),
    ("GET", "/v1/challenge"),
    ("HEAD", "/v1/challenge"),
    ("POST", "/v1/signups"),
    ("POST", "/v1/partner-applications"),
    ("GET", "/v1/me"),
    ("PUT", "/v1/me"),
    ("DELETE", "/v1/me"),
    ("POST", "/v1/me/withdraw"),
    ("GET", "/v1/openapi.json"),
    ("HEAD", "/v1/openapi.json"),
];

/// The methods a path item may hold, as the router spells them.
const METHODS: [&str; 7] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// When every case runs: after the challenges (issued at [`NOW_MS`]) and logins.
const LATER: u64 = NOW_MS + 20_000;

fn document() -> Value {
    serde_json::from_str(DOCUMENT).expect("openapi.json is JSON")
}

/// Every (path template, METHOD) the document describes, in document order.
fn operations(doc: &Value) -> Vec<(String, String)> {
    let paths = doc["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("a path item")
                .keys()
                .filter(|key| METHODS.contains(&key.to_uppercase().as_str()))
                .map(|method| (path.clone(), method.to_uppercase()))
        })
        .collect()
}

/// The methods documented for `template`.
fn methods_of(doc: &Value, template: &str) -> BTreeSet<String> {
    operations(doc)
        .into_iter()
        .filter(|(path, _)| path == template)
        .map(|(_, method)| method)
        .collect()
}

/// Whether `path` is an instance of `template` (`{name}` stands for one segment).
fn instance_of(template: &str, path: &str) -> bool {
    let (template, path): (Vec<&str>, Vec<&str>) =
        (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

/// The one documented template `path` is an instance of.
fn template_of(doc: &Value, path: &str) -> String {
    let found: Vec<&String> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .filter(|template| instance_of(template, path))
        .collect();
    assert_eq!(found.len(), 1, "{path} matches {found:?} in the document");
    found[0].clone()
}

/// A path of the router's for `template`: the template itself, or the sample of the admin route table.
fn sample_of(template: &str) -> String {
    if !template.contains('{') {
        return template.to_string();
    }
    samples()
        .into_iter()
        .find(|(_, path, _)| instance_of(template, path))
        .map(|(_, path, _)| path)
        .unwrap_or_else(|| panic!("no route of the router is an instance of {template}"))
}

/// Follows a local `$ref` (`#/components/…`) to what it names.
fn resolve<'d>(doc: &'d Value, value: &'d Value) -> &'d Value {
    match value["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("a local $ref");
            resolve(
                doc,
                doc.pointer(pointer)
                    .unwrap_or_else(|| panic!("{reference}")),
            )
        }
        None => value,
    }
}

/// Checks `instance` against `schema`, a schema of the document whose `$ref`s point into its
/// `components` (draft 2020-12, formats checked).
fn check_schema(doc: &Value, schema: &Value, instance: &Value, what: &str) {
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"],
        "allOf": [schema],
    });
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|error| panic!("{what}: the documented schema does not compile: {error}"));
    let problems: Vec<String> = validator
        .iter_errors(instance)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        problems.is_empty(),
        "{what} does not match its documented schema:\n{}\n{instance}",
        problems.join("\n")
    );
}

#[test]
fn the_document_names_every_route_of_the_router_and_nothing_else() {
    let doc = document();
    let version = doc["openapi"].as_str().expect("openapi");
    assert!(version.starts_with("3."), "{version}");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));

    let mut known: BTreeSet<(String, String)> = PUBLIC
        .iter()
        .map(|(method, path)| (path.to_string(), method.to_string()))
        .collect();
    for (method, path, public) in samples() {
        let template = template_of(&doc, &path);
        let operation = &doc["paths"][&template][method.to_lowercase()];
        assert!(
            operation.is_object(),
            "{method} {path} is not documented (as {template})"
        );
        let secured = operation["security"]
            .as_array()
            .is_some_and(|s| !s.is_empty());
        assert_eq!(secured, !public, "{method} {template}: security");
        known.insert((template, method.to_string()));
    }
    let documented: BTreeSet<(String, String)> = operations(&doc).into_iter().collect();
    assert_eq!(
        documented.difference(&known).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "documented but unknown to the router"
    );
    assert_eq!(
        known.difference(&documented).collect::<Vec<_>>(),
        Vec::<&(String, String)>::new(),
        "routes missing from the document"
    );

    // The router agrees, method by method: what is documented is routed (whatever it then
    // answers without credentials or a body), everything else is 405.
    let kv = published();
    for template in doc["paths"].as_object().expect("paths").keys() {
        let path = sample_of(template);
        let methods = methods_of(&doc, template);
        for method in METHODS {
            let response = respond(ApiRequest::new(method, &path), &kv);
            if methods.contains(method) {
                assert!(
                    ![404, 405].contains(&response.status),
                    "{method} {path}: {}",
                    response.status
                );
            } else {
                assert_eq!(response.status, 405, "{method} {path}");
            }
        }
    }
}

#[test]
fn the_router_serves_the_document() {
    let kv = MemoryKv::new();
    let response = respond(ApiRequest::new("GET", "/v1/openapi.json"), &kv);
    assert_eq!(response.status, 200);
    assert_eq!(response.body, DOCUMENT);
    assert_eq!(
        response.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert_eq!(
        response.header("cache-control"),
        Some("public, max-age=300")
    );
    let head = respond(ApiRequest::new("HEAD", "/v1/openapi.json"), &kv);
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    assert_eq!(kv.reads(), 0, "the document is compiled in");
}

/// The document's code lists are the domain's.
#[test]
fn the_documented_codes_are_the_domains() {
    use guanai_core::i18n::ErrorCode;
    use guanai_core::model::PartnerKind;
    use guanai_core::signup::ContactTime;
    use guanai_core::{Association, QualificationLevel, ServiceArea};
    fn codes<T: serde::Serialize>(values: &[T]) -> Value {
        serde_json::to_value(values).expect("codes")
    }
    let doc = document();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["ServiceArea"]["enum"], codes(ServiceArea::ALL));
    assert_eq!(schemas["Association"]["enum"], codes(Association::ALL));
    assert_eq!(
        schemas["QualificationLevel"]["enum"],
        codes(QualificationLevel::ALL)
    );
    for kind in schemas["PartnerKind"]["enum"].as_array().expect("kinds") {
        let parsed: PartnerKind = serde_json::from_value(kind.clone()).expect("a kind");
        assert_eq!(&serde_json::to_value(parsed).expect("a kind"), kind);
    }
    assert_eq!(schemas["ContactTime"]["enum"], codes(ContactTime::ALL));
    let errors: Vec<&str> = ErrorCode::ALL.iter().map(|code| code.code()).collect();
    assert_eq!(
        schemas["Error"]["properties"]["error"]["properties"]["code"]["enum"],
        json!(errors)
    );
}

/// A request and the router's answer to it.
struct Probe {
    request: ApiRequest,
    response: ApiResponse,
}

/// What the cases start from: the published demo programme, three staff members signed in,
/// a Beijing sign-up and a partner application.
struct World {
    base: MemoryKv,
    plan: Signed,
    beijing: Signed,
    viewer: Signed,
    signup: String,
    /// The management secret of [`World::signup`].
    secret: String,
    application: String,
}

impl World {
    fn new() -> World {
        let base = staffed();
        // The demo as publishing writes it now, pinyin readings and all.
        let mut demo = guanai_core::demo::programme();
        guanai_core::pinyin::generate::table().annotate(&mut demo);
        crate::testing::published_with(&base, &demo);
        let signup = submit(&base, "/v1/signups", "openapi-signup", signup_form());
        let application = submit(
            &base,
            "/v1/partner-applications",
            "openapi-apply",
            application_form(),
        );
        let field = |probe: &Probe, name: &str| -> String {
            assert_eq!(probe.response.status, 201, "{}", probe.response.body);
            let body: Value = serde_json::from_str(&probe.response.body).expect("JSON");
            body[name].as_str().expect(name).to_string()
        };
        World {
            plan: login(&base, "plan.admin", 1),
            beijing: login(&base, "bj.admin", 2),
            viewer: login(&base, "tj.viewer", 3),
            signup: field(&signup, "reference"),
            secret: field(&signup, "secret"),
            application: field(&application, "reference"),
            base,
        }
    }

    /// A copy of the starting store, so that no case depends on another.
    fn kv(&self) -> MemoryKv {
        self.copy(|_| true)
    }

    /// A copy without the published catalogue.
    fn unpublished(&self) -> MemoryKv {
        self.copy(|key| key != PUBLISHED_KEY)
    }

    fn copy(&self, keep: impl Fn(&str) -> bool) -> MemoryKv {
        let kv = MemoryKv::new();
        for key in self.base.keys("").into_iter().filter(|key| keep(key)) {
            let stored = self.base.value(&key).expect("listed");
            kv.insert(&key, &stored.value, stored.metadata);
        }
        kv
    }
}

/// Sends `request` at [`LATER`] with `limiter` and the worker's keys as given.
fn answer(
    kv: &impl Kv,
    request: ApiRequest,
    limiter: &CountingLimiter,
    keys: Result<Secrets, String>,
) -> Probe {
    match outcome_keyed(&request, kv, limiter, LATER, [9; 32], keys) {
        Outcome::Respond { response, .. } => Probe { request, response },
        Outcome::Asset { .. } => panic!("{} went to the assets", request.path),
    }
}

/// Sends `request` as the worker would, with room under the rate limits.
fn ask(kv: &impl Kv, request: ApiRequest) -> Probe {
    answer(kv, request, &CountingLimiter::new(1_000), Ok(secrets()))
}

/// `request` with `body`, as `who` sends it.
fn by(who: &Signed, method: &str, path: &str, body: &str) -> ApiRequest {
    as_signed(ApiRequest::new(method, path), who).with_body(body.to_string())
}

/// A challenge solved for this submission alone (its id comes from the request's entropy).
fn challenge(kv: &MemoryKv) -> Value {
    static NEXT: AtomicU8 = AtomicU8::new(50);
    solved_challenge(kv, NEXT.fetch_add(1, Ordering::Relaxed))
}

/// A public form (`form`) submitted under `key` with a freshly solved challenge.
fn submit(kv: &MemoryKv, path: &str, key: &str, form: Value) -> Probe {
    ask(kv, post(path, key, envelope(form, challenge(kv))))
}

/// One row of a partners file (columns as [`PARTNER_COLUMNS`]): a Tianjin partner.
const IMPORTED_PARTNER: &str = concat!(
    "api-import,导入测试,Import test,other,,,,,api-import-1,,,",
    "天津市和平区测试路2号,2 Test Road,120101,39.12,117.20"
);

/// A partner draft the plan admin may save.
fn partner(id: &str) -> String {
    json!({"partner": {
        "id": id,
        "name": {"zh": "接口测试单位", "en": "API test partner"},
        "kind": "other",
        "locations": [{
            "id": format!("{id}-1"),
            "address": {"zh": "北京市朝阳区测试路1号", "en": "1 Test Road, Chaoyang"},
            "region": "110105", "lat": 39.92, "lon": 116.45
        }]
    }})
    .to_string()
}

/// A benefit draft of `partner`.
fn benefit(id: &str, partner: &str) -> String {
    json!({"benefit": {
        "id": id, "partner": partner, "area": "health",
        "title": {"zh": "免费体检", "en": "Free check-up"},
        "description": {"zh": "每年一次", "en": "Once a year"},
        "how_to_redeem": {"zh": "出示社工证", "en": "Show your certificate"}
    }})
    .to_string()
}

/// One documented answer to find a case for: (`path`, `method`) answering `status`, as
/// `operation` documents it.
#[derive(Clone, Copy)]
struct Wanted<'a> {
    w: &'a World,
    path: &'a str,
    method: &'a str,
    status: u16,
    operation: &'a Value,
}

impl Wanted<'_> {
    /// A fresh store, the router's path for `path`, and a bare request to it.
    fn start(&self) -> (MemoryKv, String, ApiRequest) {
        let at = sample_of(self.path);
        let plain = ApiRequest::new(self.method, &at);
        (self.w.kv(), at, plain)
    }

    /// Whether the operation needs a session, and a CSRF token.
    fn security(&self) -> (bool, bool) {
        let security = self.operation["security"].to_string();
        (security.contains("session"), security.contains("csrf"))
    }

    /// The cases every route of a kind shares.
    fn generic(&self) -> Option<Probe> {
        let (signed_in, csrf) = self.security();
        generic(self.w, self.path, self.method, self.status, signed_in, csrf)
    }
}

/// The request that drives (`path`, `method`) to `status`, run against its own store; `None`
/// when there is no case for it. `operation` is the documented operation. Public routes here,
/// then [`admin_case`], [`catalogue_case`] and the [`generic`] cases.
fn case(wanted: Wanted) -> Option<Probe> {
    let Wanted {
        path,
        method,
        status,
        ..
    } = wanted;
    let (kv, at, plain) = wanted.start();
    Some(match (path, method, status) {
        // Public routes.
        ("/v1/health" | "/v1/catalog" | "/v1/challenge" | "/v1/openapi.json", _, 200) => {
            ask(&kv, plain)
        }
        ("/v1/catalog", _, 304) => {
            let first = ask(&kv, ApiRequest::new("GET", &at)).response;
            let etag = first.header("etag").expect("an ETag");
            ask(&kv, plain.with_header("If-None-Match", etag))
        }
        ("/v1/catalog", _, 503) => ask(&MemoryKv::new(), plain),
        ("/v1/challenge", _, 500) => answer(
            &kv,
            plain,
            &CountingLimiter::new(1),
            Err("CHALLENGE_KEY".into()),
        ),
        ("/v1/signups", "POST", 201) => {
            let mut form = signup_form();
            form["mobile"] = "13900002222".into();
            submit(&kv, path, "openapi-0201", form)
        }
        ("/v1/signups", "POST", 409) => submit(&kv, path, "openapi-0409", signup_form()),
        ("/v1/signups", "POST", 422) => {
            let mut form = signup_form();
            form["mobile"] = "12345".into();
            submit(&kv, path, "openapi-0422", form)
        }
        ("/v1/partner-applications", "POST", 201) => {
            submit(&kv, path, "openapi-0201", application_form())
        }
        ("/v1/partner-applications", "POST", 409) => {
            let spent = challenge(&kv);
            let first = post(
                path,
                "openapi-first",
                envelope(application_form(), spent.clone()),
            );
            assert_eq!(ask(&kv, first).response.status, 201);
            ask(
                &kv,
                post(path, "openapi-again", envelope(application_form(), spent)),
            )
        }
        ("/v1/partner-applications", "POST", 422) => {
            let mut form = application_form();
            form["credit_code"] = "91110000802100433C".into();
            submit(&kv, path, "openapi-0422", form)
        }
        ("/v1/signups" | "/v1/partner-applications", "POST", 400) => {
            ask(&kv, plain.with_body("{}"))
        }
        ("/v1/signups" | "/v1/partner-applications", "POST", 429) => answer(
            &kv,
            post(path, "openapi-0429", "{}".into()),
            &CountingLimiter::new(0),
            Ok(secrets()),
        ),

        _ => return own_data_case(wanted),
    })
}

/// `request` with the management secret `secret`.
fn holding(request: ApiRequest, secret: &str) -> ApiRequest {
    request.with_header("authorization", &format!("Bearer {secret}"))
}

/// [`case`] for `/v1/me…`: the holder of [`World::signup`]'s link.
fn own_data_case(wanted: Wanted) -> Option<Probe> {
    let (w, path, method, status) = (wanted.w, wanted.path, wanted.method, wanted.status);
    let (kv, _, plain) = wanted.start();
    let held = holding(plain, &w.secret);
    let mut corrected = signup_form();
    corrected["employer"] = "朝阳区阳光社工事务所".into();
    Some(match (path, method, status) {
        ("/v1/me", "GET", 200) | ("/v1/me", "DELETE", 204) => ask(&kv, held),
        ("/v1/me", "PUT", 200) => ask(&kv, held.with_body(corrected.to_string())),
        ("/v1/me/withdraw", "POST", 200) => ask(&kv, held.with_body(r#"{"consent":"health"}"#)),
        ("/v1/me" | "/v1/me/withdraw", _, 400) => ask(&kv, held.with_body("{")),
        ("/v1/me", "PUT", 422) => {
            corrected["mobile"] = "12345".into();
            ask(&kv, held.with_body(corrected.to_string()))
        }
        ("/v1/me/withdraw", "POST", 422) => {
            let unknown = r#"{"consent":"partner","partner":"not-consented"}"#;
            ask(&kv, held.with_body(unknown))
        }
        ("/v1/me" | "/v1/me/withdraw", _, 401) => {
            let wrong = format!("{}0", &w.secret[..31]);
            ask(
                &kv,
                holding(ApiRequest::new(method, &sample_of(path)), &wrong).with_body("{}"),
            )
        }
        ("/v1/me" | "/v1/me/withdraw", _, 429) => {
            answer(&kv, held, &CountingLimiter::new(0), Ok(secrets()))
        }
        ("/v1/me" | "/v1/me/withdraw", _, 500) => {
            kv.go_down();
            ask(&kv, held.with_body(r#"{"consent":"health"}"#))
        }
        _ => return admin_case(wanted),
    })
}

/// [`case`] for signing in, staff, the audit log, sign-ups and applications.
fn admin_case(wanted: Wanted) -> Option<Probe> {
    let (w, path, method, status) = (wanted.w, wanted.path, wanted.method, wanted.status);
    let (kv, at, plain) = wanted.start();
    let (plan, beijing, viewer) = (&w.plan, &w.beijing, &w.viewer);
    let signup = format!("/v1/admin/signups/beijing/{}", w.signup);
    let application = format!("/v1/admin/applications/{}", w.application);
    Some(match (path, method, status) {
        // Signing in and out.
        ("/v1/admin/login", "POST", 200) => ask(
            &kv,
            plain.with_body(json!({"username": "plan.admin", "password": PASSWORD}).to_string()),
        ),
        ("/v1/admin/login", "POST", 400) => ask(&kv, plain.with_body("{")),
        ("/v1/admin/login", "POST", 401) => ask(
            &kv,
            plain.with_body(json!({"username": "plan.admin", "password": "a guess"}).to_string()),
        ),
        ("/v1/admin/login", "POST", 429) => answer(
            &kv,
            plain.with_body(json!({"username": "plan.admin", "password": PASSWORD}).to_string()),
            &CountingLimiter::new(0),
            Ok(secrets()),
        ),
        ("/v1/admin/logout", "POST", 204) => ask(&kv, by(plan, method, &at, "")),
        ("/v1/admin/session", "GET", 200) => ask(&kv, by(viewer, method, &at, "")),

        // Staff and the audit log.
        ("/v1/admin/staff", "GET", 200) => ask(&kv, by(plan, method, &at, "")),
        ("/v1/admin/staff", "GET", 403) => ask(&kv, by(viewer, method, &at, "")),
        ("/v1/admin/staff", "POST", 201 | 400 | 409 | 422) => {
            let account = |username: &str, password: &str| {
                json!({
                    "username": username, "role": "viewer", "association": "tianjin",
                    "password": password
                })
                .to_string()
            };
            let body = match status {
                201 => account("tj.second", PASSWORD),
                400 => "{".to_string(),
                409 => account("tj.viewer", PASSWORD),
                _ => account("tj.second", "short"),
            };
            ask(&kv, by(plan, method, &at, &body))
        }
        ("/v1/admin/audit" | "/v1/admin/audit.csv", "GET", 200) => {
            ask(&kv, by(plan, method, &at, ""))
        }
        ("/v1/admin/audit" | "/v1/admin/audit.csv", "GET", 403) => {
            ask(&kv, by(beijing, method, &at, ""))
        }
        ("/v1/admin/insight", "GET", 200) => ask(&kv, by(beijing, method, &at, "")),

        // Sign-ups.
        ("/v1/admin/signups" | "/v1/admin/signups.csv", "GET", 200) => {
            ask(&kv, by(beijing, method, &at, ""))
        }
        ("/v1/admin/signups", "GET", 403) => ask(
            &kv,
            by(beijing, method, &at, "").with_query("association=tianjin"),
        ),
        ("/v1/admin/signups.csv", "GET", 403) => ask(&kv, by(viewer, method, &at, "")),
        ("/v1/admin/signups" | "/v1/admin/signups.csv", "GET", 422) => {
            ask(&kv, by(plan, method, &at, "").with_query("level=guru"))
        }
        ("/v1/admin/signups/{association}/{reference}", "GET", 200) => {
            ask(&kv, by(beijing, method, &signup, ""))
        }
        ("/v1/admin/signups/{association}/{reference}", "GET", 403) => {
            ask(&kv, by(viewer, method, &signup, ""))
        }
        ("/v1/admin/signups/{association}/{reference}", "GET", 404) => {
            ask(&kv, by(beijing, method, &at, ""))
        }
        ("/v1/admin/signups/{association}/{reference}", "PUT" | "DELETE", _)
        | ("/v1/admin/signups/{association}/{reference}/link", "POST", _) => {
            let target = if path.ends_with("/link") {
                format!("{signup}/link")
            } else {
                signup.clone()
            };
            let reason = "本人来电申请";
            let good = if method == "PUT" {
                json!({"form": signup_form(), "reason": reason}).to_string()
            } else {
                json!({ "reason": reason }).to_string()
            };
            let (path, body) = match status {
                200 | 204 => (target, good),
                400 => (target, "{".to_string()),
                404 => (at.clone(), good),
                422 => (
                    target,
                    json!({"form": signup_form(), "reason": ""}).to_string(),
                ),
                _ => return wanted.generic(),
            };
            ask(&kv, by(beijing, method, &path, &body))
        }
        ("/v1/admin/signups/{association}/{reference}/review", "POST", _) => {
            let (path, body) = match status {
                200 => (format!("{signup}/review"), r#"{"decision":"verified"}"#),
                400 => (format!("{signup}/review"), "{"),
                404 => (at.clone(), r#"{"decision":"verified"}"#),
                422 => (format!("{signup}/review"), r#"{"decision":"rejected"}"#),
                _ => return wanted.generic(),
            };
            ask(&kv, by(beijing, method, &path, body))
        }

        // Partner applications.
        ("/v1/admin/applications", "GET", 200) => ask(&kv, by(viewer, method, &at, "")),
        ("/v1/admin/applications/{reference}", "GET", 200) => {
            ask(&kv, by(plan, method, &application, ""))
        }
        ("/v1/admin/applications/{reference}", "GET", 403) => {
            ask(&kv, by(beijing, method, &application, ""))
        }
        ("/v1/admin/applications/{reference}", "GET", 404) => ask(&kv, by(plan, method, &at, "")),
        ("/v1/admin/applications/{reference}/decision", "POST", _) => {
            let (path, body) = match status {
                200 => (
                    format!("{application}/decision"),
                    r#"{"decision":"accepted"}"#,
                ),
                400 => (format!("{application}/decision"), "{"),
                404 => (
                    at.clone(),
                    r#"{"decision":"declined","note":"No offers in our region yet."}"#,
                ),
                422 => (format!("{application}/decision"), r#"{"decision":"maybe"}"#),
                _ => return wanted.generic(),
            };
            ask(&kv, by(plan, method, &path, body))
        }

        _ => return catalogue_case(wanted),
    })
}

/// [`case`] for the catalogue: drafts, publishing, imports, exports.
fn catalogue_case(wanted: Wanted) -> Option<Probe> {
    let (w, path, method, status) = (wanted.w, wanted.path, wanted.method, wanted.status);
    let (kv, at, _) = wanted.start();
    let (plan, viewer) = (&w.plan, &w.viewer);
    Some(match (path, method, status) {
        // The catalogue.
        ("/v1/admin/catalog" | "/v1/admin/catalog/versions", "GET", 200) => {
            ask(&kv, by(viewer, method, &at, ""))
        }
        ("/v1/admin/catalog/hsds.json", "GET", 200) => ask(&kv, by(viewer, method, &at, "")),
        ("/v1/admin/catalog/hsds.json", "GET", 503) => {
            ask(&w.unpublished(), by(viewer, method, &at, ""))
        }
        ("/v1/admin/catalog/drafts-from-published", "POST", 200) => {
            ask(&kv, by(plan, method, &at, ""))
        }
        ("/v1/admin/catalog/drafts-from-published", "POST", 503) => {
            ask(&w.unpublished(), by(plan, method, &at, ""))
        }
        ("/v1/admin/catalog/publish", "POST", 201) => {
            let drafts = by(plan, method, "/v1/admin/catalog/drafts-from-published", "");
            assert_eq!(ask(&kv, drafts).response.status, 200);
            ask(&kv, by(plan, method, &at, r#"{"sample":true}"#))
        }
        ("/v1/admin/catalog/publish", "POST", 400) => ask(&kv, by(plan, method, &at, "{")),
        // No drafts yet: nothing to publish.
        ("/v1/admin/catalog/publish", "POST", 422) => ask(&kv, by(plan, method, &at, "")),
        ("/v1/admin/catalog/rollback", "POST", 200 | 400 | 404) => {
            let body = match status {
                200 => json!({"version": guanai_core::demo::programme().version}).to_string(),
                400 => "{".to_string(),
                _ => json!({"version": "never-published"}).to_string(),
            };
            ask(&kv, by(plan, method, &at, &body))
        }
        ("/v1/admin/catalog/import", "POST", 200 | 422) => {
            let kind = if status == 200 { "partners" } else { "recipes" };
            let csv = format!("{}\r\n{IMPORTED_PARTNER}\r\n", PARTNER_COLUMNS.join(","));
            let request = by(plan, method, &at, &csv)
                .with_query(&format!("kind={kind}"))
                .with_header("content-type", "text/csv");
            ask(&kv, request)
        }
        ("/v1/admin/catalog/import", "POST", 404) => ask(
            &kv,
            by(plan, method, &at, "").with_query("cursor=0123456789abcdef:900"),
        ),
        ("/v1/admin/catalog/partner-choices", "GET", 200) => ask(&kv, by(plan, method, &at, "")),
        // An id outside the id pattern names no route (the document says so).
        ("/v1/admin/partners/{id}" | "/v1/admin/benefits/{id}", "PUT", 404) => {
            let outside = at
                .rsplit_once('/')
                .map(|(base, _)| base)
                .unwrap_or_default();
            ask(&kv, by(plan, method, &format!("{outside}/Not_An_Id"), "{}"))
        }
        ("/v1/admin/partners/{id}", "PUT", 200 | 201 | 400 | 422) => {
            let body = match status {
                400 => "{".to_string(),
                422 => partner("another-id"),
                _ => partner("api-partner"),
            };
            if status == 200 {
                let first = by(plan, method, "/v1/admin/partners/api-partner", &body);
                assert_eq!(ask(&kv, first).response.status, 201);
            }
            ask(
                &kv,
                by(plan, method, "/v1/admin/partners/api-partner", &body),
            )
        }
        ("/v1/admin/benefits/{id}", "PUT", 200 | 201 | 400 | 422) => {
            // A benefit needs its partner's draft, except to show that it does (422).
            if status != 422 {
                api_partner(&kv, plan);
            }
            let body = match status {
                400 => "{".to_string(),
                _ => benefit("api-benefit", "api-partner"),
            };
            let path = "/v1/admin/benefits/api-benefit";
            if status == 200 {
                assert_eq!(ask(&kv, by(plan, method, path, &body)).response.status, 201);
            }
            ask(&kv, by(plan, method, path, &body))
        }
        _ => return sites_case(wanted),
    })
}

/// The draft `api-partner`, created by the plan admin, for the routes that need a partner.
fn api_partner(kv: &MemoryKv, plan: &Signed) {
    let owner = by(
        plan,
        "PUT",
        "/v1/admin/partners/api-partner",
        &partner("api-partner"),
    );
    assert_eq!(ask(kv, owner).response.status, 201);
}

/// [`case`] for the partner and association sites.
fn sites_case(wanted: Wanted) -> Option<Probe> {
    let (w, path, method, status) = (wanted.w, wanted.path, wanted.method, wanted.status);
    let (kv, at, _) = wanted.start();
    let (plan, beijing, viewer) = (&w.plan, &w.beijing, &w.viewer);
    let sites = |origins: &[&str]| json!({ "origins": origins }).to_string();
    Some(match (path, method, status) {
        ("/v1/admin/origins", "GET", 200) => ask(&kv, by(viewer, method, &at, "")),
        ("/v1/admin/origins/check", "GET", 200 | 422) => {
            let typed = if status == 200 {
                "https://Partner.Example:443"
            } else {
                "partner.example/path"
            };
            ask(
                &kv,
                by(viewer, method, &at, "").with_query(&format!("origin={typed}")),
            )
        }
        ("/v1/admin/origins/partner/{id}", "PUT", 404) => ask(
            &kv,
            by(plan, method, "/v1/admin/origins/partner/Not_An_Id", "{}"),
        ),
        ("/v1/admin/origins/partner/{id}", "PUT", 200 | 400 | 422) => {
            api_partner(&kv, plan);
            let body = match status {
                200 => sites(&["https://api-partner.example"]),
                400 => "{".to_string(),
                _ => sites(&["https://*.api-partner.example"]),
            };
            let path = "/v1/admin/origins/partner/api-partner";
            ask(&kv, by(plan, method, path, &body))
        }
        ("/v1/admin/origins/association/{association}", "PUT", 200 | 400 | 422) => {
            let body = match status {
                200 => sites(&["https://bj.example"]),
                400 => "{".to_string(),
                _ => sites(&["ftp://bj.example"]),
            };
            ask(&kv, by(beijing, method, &at, &body))
        }
        _ => return wanted.generic(),
    })
}

/// The cases every route of a kind shares: a method the path does not take, no session, no
/// CSRF token, a body over the limit, storage down.
fn generic(
    w: &World,
    path: &str,
    method: &str,
    status: u16,
    signed_in: bool,
    csrf: bool,
) -> Option<Probe> {
    let at = sample_of(path);
    let plain = ApiRequest::new(method, &at);
    Some(match status {
        405 => ask(&w.kv(), ApiRequest::new("PATCH", &at)),
        401 if signed_in => ask(&w.kv(), plain.with_body("{}")),
        403 if csrf => {
            let cookie_only = plain.with_header("cookie", &w.plan.cookie);
            ask(&w.kv(), cookie_only.with_body("{}"))
        }
        413 if matches!(method, "POST" | "PUT" | "DELETE") => {
            let oversized = plain
                .with_header("idempotency-key", "openapi-0413")
                .with_header(
                    "content-length",
                    &(crate::http::IMPORT_MAX_BYTES + 1).to_string(),
                );
            ask(&w.kv(), oversized)
        }
        500 => {
            let kv = w.kv();
            kv.go_down();
            // A well-formed (if unknown) session and key, so that storage is the first thing
            // that fails.
            let request = plain
                .with_header("cookie", &format!("{COOKIE}={}", "ab".repeat(32)))
                .with_header("x-csrf-token", "none")
                .with_header("idempotency-key", "openapi-0500")
                .with_body(json!({"username": "plan.admin", "password": PASSWORD}).to_string());
            ask(&kv, request)
        }
        _ => return None,
    })
}

/// Checks one probe against the documented `response` of `operation`.
fn check_probe(doc: &Value, triple: &str, operation: &Value, response: &Value, probe: &Probe) {
    let answer = &probe.response;
    let response = resolve(doc, response);
    match response["content"].as_object() {
        Some(content) => {
            assert_eq!(content.len(), 1, "{triple}: one media type");
            let (media, described) = content.iter().next().expect("one");
            let sent = answer.header("content-type").unwrap_or_default();
            let sent = sent.split(';').next().unwrap_or_default().trim();
            assert_eq!(sent, media, "{triple}: content type");
            let body = if media == "application/json" {
                serde_json::from_str(&answer.body)
                    .unwrap_or_else(|_| panic!("{triple}: not JSON: {}", answer.body))
            } else {
                Value::String(answer.body.clone())
            };
            check_schema(doc, &described["schema"], &body, triple);
        }
        None => assert_eq!(answer.body, "", "{triple}: documented without a body"),
    }
    for (name, header) in response["headers"].as_object().into_iter().flatten() {
        let header = resolve(doc, header);
        match answer.header(name) {
            Some(value) => check_schema(
                doc,
                &header["schema"],
                &json!(value),
                &format!("{triple}: header {name}"),
            ),
            None => assert!(
                header["required"] != true,
                "{triple}: header {name} is missing"
            ),
        }
    }
    // What the request sent, when it was accepted, is what the document asks for.
    let request_schema =
        &resolve(doc, &operation["requestBody"])["content"]["application/json"]["schema"];
    let accepted = (200..300).contains(&answer.status);
    if accepted && request_schema.is_object() && !probe.request.body.is_empty() {
        let sent: Value = serde_json::from_str(&probe.request.body).expect("a JSON request");
        check_schema(
            doc,
            request_schema,
            &sent,
            &format!("{triple}: request body"),
        );
    }
}

#[test]
fn every_documented_answer_is_the_routers() {
    let doc = document();
    let world = World::new();
    let mut missing = Vec::new();
    let mut checked = 0;
    for (path, method) in operations(&doc) {
        let operation = &doc["paths"][&path][method.to_lowercase()];
        for (status, response) in operation["responses"].as_object().expect("responses") {
            let triple = format!("{method} {path} {status}");
            let status: u16 = status.parse().expect("a numeric status");
            let wanted = Wanted {
                w: &world,
                path: &path,
                method: &method,
                status,
                operation,
            };
            let Some(probe) = case(wanted) else {
                missing.push(triple);
                continue;
            };
            assert_eq!(
                probe.response.status, status,
                "{triple}: the router answered {}",
                probe.response.body
            );
            if status == 405 {
                let allow: BTreeSet<String> = probe
                    .response
                    .header("allow")
                    .unwrap_or_default()
                    .split(", ")
                    .map(str::to_string)
                    .collect();
                assert_eq!(allow, methods_of(&doc, &path), "{triple}: Allow");
            }
            check_probe(&doc, &triple, operation, response, &probe);
            checked += 1;
        }
    }
    assert!(
        missing.is_empty(),
        "documented answers without a case in openapi_tests: {missing:#?}"
    );
    assert!(checked > 150, "{checked} answers checked");
}
