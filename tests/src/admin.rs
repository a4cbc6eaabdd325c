//! Helpers for driving the admin view and API: staff accounts in local KV, label-based form
//! filling the way a person finds fields, and signed-in calls over HTTP.

use fantoccini::{Client, Locator};
use guanai_core::staff::{Role, Staff};
use serde_json::{Value, json};

use crate::{base, http, kv_put, wait_until};

/// The password of every account made by [`plan_admin`].
pub const PASSWORD: &str = "admin view e2e password";

/// A plan admin in local KV, as `cargo xtask admin create` would write it.
pub fn plan_admin(username: &str) {
    let (key, value, metadata) = plan_admin_entry(username);
    kv_put(&key, &value, &metadata);
}

/// The key, value and metadata of a plan admin made as [`plan_admin`] makes one.
pub fn plan_admin_entry(username: &str) -> (String, String, Value) {
    let staff = Staff {
        username: username.into(),
        role: Role::PlanAdmin,
        association: None,
    };
    let record = guanai_edge::admin::records::new_staff_record(
        staff.clone(),
        PASSWORD,
        [9; 16],
        0,
        "bootstrap",
    )
    .expect("a staff record");
    (
        format!("staff:{username}"),
        serde_json::to_string(&record).expect("JSON"),
        guanai_edge::admin::records::staff_metadata(&staff),
    )
}

/// The id of the field labelled `label` (exact label text, required marker aside), once shown.
async fn labelled(client: &Client, label: &str) -> String {
    let id = wait_until(
        client,
        &format!(
            "const l = [...document.querySelectorAll('main label')].find(l => l.textContent.replace(' *', '').trim() === {label:?}); return l && l.htmlFor;"
        ),
    )
    .await;
    id.as_str().expect("a label's for").to_string()
}

/// Types into the field labelled `label`.
pub async fn type_into(client: &Client, label: &str, text: &str) {
    let field = client
        .find(Locator::Id(&labelled(client, label).await))
        .await
        .expect("the field");
    field.clear().await.expect("cleared");
    field.send_keys(text).await.expect("typed");
}

/// Chooses `value` in the select labelled `label`, once it offers that option (a select's
/// options may arrive with a later fetch than the select itself).
pub async fn choose(client: &Client, label: &str, value: &str) {
    let id = labelled(client, label).await;
    wait_until(
        client,
        &format!(
            "const s = document.getElementById({id:?}); return s && [...s.options].some(o => o.value === {value:?});"
        ),
    )
    .await;
    client
        .find(Locator::Id(&id))
        .await
        .expect("the select")
        .select_by_value(value)
        .await
        .expect("chosen");
}

/// Clicks the enabled button whose text contains `text`, once there is one.
pub async fn press(client: &Client, text: &str) {
    wait_until(
        client,
        &format!(
            "const b = [...document.querySelectorAll('button')].find(b => b.textContent.includes({text:?}) && !b.disabled); if (b) {{ b.click(); return true; }}"
        ),
    )
    .await;
}

/// Signs in on the admin view's sign-in form (the page must show it) and waits for the shell.
pub async fn sign_in(client: &Client, username_label: &str, password_label: &str, username: &str) {
    type_into(client, username_label, username).await;
    type_into(client, password_label, PASSWORD).await;
    client
        .find(Locator::Css("form button[type=submit]"))
        .await
        .expect("the sign-in button")
        .click()
        .await
        .expect("clicked");
    wait_until(
        client,
        &format!("return document.querySelector('.who')?.textContent.includes({username:?})"),
    )
    .await;
}

/// A staff member's browser, as the admin API sees it: the session cookie and CSRF token.
pub struct StaffSession {
    pub cookie: String,
    pub csrf: String,
}

/// Asks the shared test worker; see [`call_at`].
pub fn call(
    method: &str,
    path: &str,
    who: Option<&StaffSession>,
    body: Option<Value>,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    call_at(&base(), method, path, who, body)
}

/// Sends `method path` to the worker at `base`, signed in as `who`, with a JSON `body`; returns
/// status, headers and body.
pub fn call_at(
    base: &str,
    method: &str,
    path: &str,
    who: Option<&StaffSession>,
    body: Option<Value>,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let url = format!("{base}{path}");
    let agent = http();
    let mut headers: Vec<(&str, String)> = vec![("cf-connecting-ip", "192.0.2.50".into())];
    if let Some(who) = who {
        headers.push(("cookie", who.cookie.clone()));
        headers.push(("x-csrf-token", who.csrf.clone()));
    }
    let mut response = match (method, body) {
        ("GET", _) => {
            let mut request = agent.get(&url);
            for (name, value) in &headers {
                request = request.header(*name, value);
            }
            request.call()
        }
        (_, body) => {
            let mut request = match method {
                "PUT" => agent.put(&url),
                "DELETE" => agent.delete(&url).force_send_body(),
                _ => agent.post(&url),
            };
            for (name, value) in &headers {
                request = request.header(*name, value);
            }
            request
                .header("content-type", "application/json")
                .send(body.map(|b| b.to_string()).unwrap_or_default())
        }
    }
    .expect("the worker answers");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let bytes = response.body_mut().read_to_vec().expect("a body");
    (status, headers, bytes)
}

/// [`call_at`] that expects `status` and a JSON answer, and returns the answer.
pub fn expect_at(
    base: &str,
    (method, path): (&str, &str),
    who: Option<&StaffSession>,
    body: Option<Value>,
    status: u16,
) -> Value {
    let (answered, _, bytes) = call_at(base, method, path, who, body);
    assert_eq!(
        answered,
        status,
        "{method} {path}: {}",
        String::from_utf8_lossy(&bytes)
    );
    json_of(&bytes)
}

pub fn json_of(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("JSON")
}

/// Signs `username` (made by [`plan_admin`]) in through the API.
pub fn api_sign_in(username: &str) -> StaffSession {
    api_sign_in_at(&base(), username)
}

/// Signs `username` in through the API of the worker at `base`.
pub fn api_sign_in_at(base: &str, username: &str) -> StaffSession {
    let (status, headers, body) = call_at(
        base,
        "POST",
        "/v1/admin/login",
        None,
        Some(json!({"username": username, "password": PASSWORD})),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let cookie = headers
        .iter()
        .find(|(name, _)| name == "set-cookie")
        .and_then(|(_, value)| value.split(';').next())
        .expect("a session cookie")
        .to_string();
    let csrf = json_of(&body)["csrf_token"]
        .as_str()
        .expect("a CSRF token")
        .to_string();
    StaffSession { cookie, csrf }
}
