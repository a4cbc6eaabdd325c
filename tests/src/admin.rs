//! Helpers for driving the admin view: staff accounts in local KV and label-based form filling,
//! the way a person finds fields.

use fantoccini::{Client, Locator};
use guanai_core::staff::{Role, Staff};

use crate::{kv_put, wait_until};

/// The password of every account made by [`plan_admin`].
pub const PASSWORD: &str = "admin view e2e password";

/// A plan admin in local KV, as `cargo xtask admin create` would write it.
pub fn plan_admin(username: &str) {
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
    kv_put(
        &format!("staff:{username}"),
        &serde_json::to_string(&record).expect("JSON"),
        &guanai_edge::admin::records::staff_metadata(&staff),
    );
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

/// Chooses `value` in the select labelled `label`.
pub async fn choose(client: &Client, label: &str, value: &str) {
    client
        .find(Locator::Id(&labelled(client, label).await))
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
