//! Helpers for driving a widget the way a person does: the fields inside its open shadow root,
//! found by CSS selector from the custom element's id, and the buttons by their text.

use fantoccini::{Client, Locator};

use crate::{base, shadow, visit, wait_until};

/// The element `css` in the shadow root of the element with id `host`.
pub async fn field(client: &Client, host: &str, css: &str) -> fantoccini::elements::Element {
    let host = client.find(Locator::Id(host)).await.expect("the element");
    let root = host.shadow_root().await.expect("an open shadow root");
    root.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("no {css}"))
}

/// Types `text` into `css` of `host`.
pub async fn type_into(client: &Client, host: &str, css: &str, text: &str) {
    field(client, host, css)
        .await
        .send_keys(text)
        .await
        .expect("typed");
}

/// Clicks `css` of `host`.
pub async fn click(client: &Client, host: &str, css: &str) {
    field(client, host, css)
        .await
        .click()
        .await
        .expect("clicked");
}

/// Chooses `value` in the select `css` of `host`.
pub async fn choose(client: &Client, host: &str, css: &str, value: &str) {
    field(client, host, css)
        .await
        .select_by_value(value)
        .await
        .expect("chosen");
}

/// Clicks the enabled button of `host` whose text contains `text`, once there is one.
pub async fn press(client: &Client, host: &str, text: &str) {
    wait_until(
        client,
        &format!(
            "const b = [...({}?.querySelectorAll('button') ?? [])].find(b => b.textContent.includes({text:?}) && b.getAttribute('aria-disabled') !== 'true'); if (b) {{ b.click(); return true; }}",
            shadow(host)
        ),
    )
    .await;
}

/// Opens the sign-up example page and waits until its form lists the partners (they come from
/// the catalogue).
pub async fn open_signup_form(client: &mut Client) {
    visit(client, &format!("{}/examples/signup.html", base())).await;
    wait_until(
        client,
        &format!(
            "return {}?.querySelectorAll('input[name=partners]').length > 0",
            shadow("signup")
        ),
    )
    .await;
}
