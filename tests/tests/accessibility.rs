//! Accessibility as people meet it: axe-core over every widget on every example page and over
//! every page of the admin view, in Chinese and in English (no serious or critical violation);
//! a sign-up and a map → partner card done with the keyboard alone.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use fantoccini::Client;
use fantoccini::key::Key;
use guanai_core::consent::NOTICE_VERSION;
use guanai_e2e::admin::{plan_admin, sign_in};
use guanai_e2e::{
    DEEP_FOCUS, assert_accessible, base, browser, kv_get, press_key, shadow, submit_form, tab_to,
    type_keys, visit, wait_until,
};
use serde_json::{Value, json};

/// The example pages and the ids of the widgets on each.
const EXAMPLES: [(&str, &[&str]); 5] = [
    ("association-site.html", &["finder", "sidebar-finder"]),
    ("map.html", &["map", "finder"]),
    ("partner-apply.html", &["apply"]),
    ("partner-site.html", &["finder"]),
    ("signup.html", &["signup"]),
];

/// JavaScript: the widgets `ids` as an array of elements.
fn hosts(ids: &[&str]) -> String {
    format!("{ids:?}.map(id => document.getElementById(id))")
}

/// Waits until every widget in `ids` has drawn its content (not the loading state).
async fn widgets_ready(client: &Client, ids: &[&str]) {
    wait_until(
        client,
        &format!(
            "return {}.every(h => h?.shadowRoot && !h.shadowRoot.querySelector('.state[role=status]') \
                 && h.shadowRoot.textContent.trim().length > 20)",
            hosts(ids)
        ),
    )
    .await;
}

/// Switches every widget in `ids` to `lang` and waits until each one that changed language
/// has redrawn its words.
async fn switch_widgets(client: &Client, ids: &[&str], lang: &str) {
    client
        .execute(
            &format!(
                "const hosts = {}; window.beforeSwitch = hosts.map(h => h.shadowRoot.querySelector('section.guanai[lang]')?.lang === {lang:?} ? null : h.shadowRoot.textContent); \
                 hosts.forEach(h => h.setAttribute('lang', {lang:?}));",
                hosts(ids)
            ),
            vec![],
        )
        .await
        .unwrap();
    wait_until(
        client,
        &format!(
            "return {}.every((h, i) => window.beforeSwitch[i] === null || h.shadowRoot.textContent !== window.beforeSwitch[i])",
            hosts(ids)
        ),
    )
    .await;
    widgets_ready(client, ids).await;
}

#[tokio::test]
async fn every_widget_on_every_example_page_in_chinese_and_english() {
    let mut client = browser().await;
    for (page, ids) in EXAMPLES {
        visit(&mut client, &format!("{}/examples/{page}", base())).await;
        widgets_ready(&client, ids).await;
        let selectors: Vec<String> = ids.iter().map(|id| format!("#{id}")).collect();
        let context = serde_json::to_string(&selectors).unwrap();
        for lang in ["zh-CN", "en"] {
            switch_widgets(&client, ids, lang).await;
            assert_accessible(&client, &context, &format!("{page} ({lang})")).await;
        }
    }
    client.close().await.unwrap();
}

/// A sign-up and a partner application in local KV, so the admin lists and details have rows.
fn something_to_review() {
    let signup = json!({
        "name": "无障碍测试", "mobile": "13744556677", "association": "beijing", "region": "110105",
        "employer": "朝阳区社工站", "level": "senior", "interests": ["career"],
        "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true}
    });
    let (status, body) = submit_form("/v1/signups", "a11y-signup-1", "198.51.100.91", &signup);
    assert!(status == 201 || status == 409, "{status} {body}");
    let application = json!({
        "company": "北京无障碍测试有限公司", "credit_code": "91110000802100433B",
        "contact_person": "王芳", "mobile": "139 0000 2222", "email": "wangfang@example.com",
        "offers": [{"area": "career", "description": "持证社工参加本公司培训课程享八折优惠。", "regions": []}],
        "message": "", "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true}
    });
    let (status, body) = submit_form(
        "/v1/partner-applications",
        "a11y-application-1",
        "198.51.100.92",
        &application,
    );
    assert!(status == 201, "{status} {body}");
}

/// Opens `#/page` of the admin view and waits until its content (not a loading state) is there.
async fn open_admin_page(client: &mut Client, page: &str, ready: &str) {
    visit(client, &format!("{}/admin/#/{page}", base())).await;
    wait_until(
        client,
        &format!(
            "return !document.querySelector('main .loading') && document.querySelector({ready:?})"
        ),
    )
    .await;
}

/// Clicks the first element matching `css`, once there is one.
async fn click(client: &Client, css: &str) {
    wait_until(
        client,
        &format!("const e = document.querySelector({css:?}); if (e) {{ e.click(); return true; }}"),
    )
    .await;
}

#[tokio::test]
async fn every_admin_page_in_chinese_and_english() {
    let username = "a11y.admin";
    plan_admin(username);
    something_to_review();
    let mut client = browser().await;
    for (lang, user_label, password_label) in
        [("zh-CN", "用户名", "密码"), ("en", "Username", "Password")]
    {
        visit(&mut client, &format!("{}/admin/", base())).await;
        client
            .execute(
                &format!("localStorage.setItem('guanai-admin-lang', {lang:?})"),
                vec![],
            )
            .await
            .unwrap();
        client.refresh().await.unwrap();
        let signed_in = wait_until(
            &client,
            "return document.querySelector('.who') ? 'in' : document.querySelector('form input[type=password]') ? 'out' : false",
        )
        .await;
        if signed_in == json!("out") {
            assert_accessible(&client, "document", &format!("admin sign-in ({lang})")).await;
            sign_in(&client, user_label, password_label, username).await;
        }
        let html_lang = client
            .execute("return document.documentElement.lang", vec![])
            .await
            .unwrap();
        assert_eq!(
            html_lang,
            json!(lang),
            "the page says which language it is in"
        );

        let pages = [
            ("", "figure.chart"),
            ("signups", "table.list tbody tr"),
            ("catalogue", "table.partners, section.publishing"),
            ("applications", "table.list tbody tr"),
            ("embed", ".builder .snippet textarea"),
            ("staff", "table tbody tr"),
            ("audit", "table tbody tr"),
        ];
        for (page, ready) in pages {
            open_admin_page(&mut client, page, ready).await;
            assert_accessible(&client, "document", &format!("admin #/{page} ({lang})")).await;
        }
        // The detail views and the forms.
        for (page, shown, what) in [
            ("signups", ".detail dl.facts", "sign-up detail"),
            ("applications", ".detail", "application detail"),
        ] {
            open_admin_page(&mut client, page, "table.list tbody tr button").await;
            click(&client, "table.list tbody tr button").await;
            wait_until(
                &client,
                &format!("return document.querySelector({shown:?})"),
            )
            .await;
            assert_accessible(&client, "document", &format!("admin {what} ({lang})")).await;
        }
        for form in ["new-partner", "new-benefit"] {
            // From another page, so the catalogue page opens afresh without the last form.
            open_admin_page(&mut client, "staff", "table tbody tr").await;
            open_admin_page(&mut client, "catalogue", &format!("button.{form}")).await;
            click(&client, &format!("button.{form}")).await;
            wait_until(&client, "return document.querySelector('main form .field')").await;
            assert_accessible(&client, "document", &format!("admin {form} form ({lang})")).await;
        }
    }
    client.close().await.unwrap();
}

/// The reference shown after a successful sign-up, or `false` (with what the form says).
const SIGNUP_OUTCOME: &str = "const root = document.getElementById('signup').shadowRoot; \
     return root.querySelector('.success .reference')?.textContent \
     || (window.lastStatus = [root.querySelector('.status')?.textContent, root.querySelector('.error-summary')?.textContent].join(' | '), false);";

#[tokio::test]
async fn a_sign_up_with_the_keyboard_alone() {
    let mut client = browser().await;
    visit(&mut client, &format!("{}/examples/signup.html", base())).await;
    widgets_ready(&client, &["signup"]).await;
    let arrow_down: char = Key::Down.into();
    let space = ' ';
    tab_to(&client, "#signup-name", 40).await;
    type_keys(&client, "刘思远").await;
    tab_to(&client, "#signup-mobile", 10).await;
    type_keys(&client, "136 5500 1122").await;
    // The page preselects Tianjin; the district is chosen with the arrow keys.
    tab_to(&client, "#signup-region", 10).await;
    press_key(&client, arrow_down).await;
    tab_to(&client, "#signup-employer", 10).await;
    type_keys(&client, "和平区社会工作服务中心").await;
    tab_to(&client, "#signup-level", 10).await;
    press_key(&client, arrow_down).await;
    tab_to(&client, "input[name=interests][value=career]", 20).await;
    press_key(&client, space).await;
    tab_to(&client, "#signup-consents-privacy", 40).await;
    press_key(&client, space).await;
    tab_to(&client, "#signup-consents-cross_border", 10).await;
    press_key(&client, space).await;
    tab_to(&client, "button[type=submit]", 60).await;
    press_key(&client, Key::Enter.into()).await;
    let reference = wait_until(&client, SIGNUP_OUTCOME).await;
    let reference = reference.as_str().unwrap();
    let record: Value =
        serde_json::from_str(&kv_get(&format!("signup:tianjin:{reference}"))).unwrap();
    assert_eq!(record["region"], json!("120101"), "the first district");
    assert_eq!(record["status"], json!("received"));
    // Focus went to the confirmation, so a screen reader announces it.
    let focused = client
        .execute(
            &format!("return ({DEEP_FOCUS}?.closest('.success') ?? null) !== null"),
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(focused, json!(true), "focus moves to the confirmation");
    client.close().await.unwrap();
}

#[tokio::test]
async fn from_the_map_to_a_partner_card_with_the_keyboard_alone() {
    let mut client = browser().await;
    visit(&mut client, &format!("{}/examples/map.html", base())).await;
    wait_until(
        &client,
        &format!("return {}?.querySelector('.pins .pin')", shadow("map")),
    )
    .await;
    // Tab from the top of the page to the first pin on the map, and open it with Enter.
    tab_to(&client, ".pins .pin", 80).await;
    let location = client
        .execute(&format!("return {DEEP_FOCUS}.dataset.location"), vec![])
        .await
        .unwrap();
    let location = location.as_str().unwrap().to_string();
    press_key(&client, Key::Enter.into()).await;
    let heading = wait_until(
        &client,
        &format!(
            "return {}.getElementById('card-' + {location:?})?.textContent",
            shadow("map")
        ),
    )
    .await;
    assert!(!heading.as_str().unwrap().is_empty());
    // The card is reachable next: Tab moves into it.
    tab_to(&client, ".card button, .card a", 40).await;
}

/// The check above can fail: a nameless button inside a widget's shadow root is reported.
#[tokio::test]
#[should_panic(expected = "button-name")]
async fn the_check_sees_inside_shadow_roots() {
    let mut client = browser().await;
    visit(&mut client, &format!("{}/examples/signup.html", base())).await;
    widgets_ready(&client, &["signup"]).await;
    client
        .execute(
            &format!(
                "{}.querySelector('form').append(document.createElement('button'))",
                shadow("signup")
            ),
            vec![],
        )
        .await
        .unwrap();
    assert_accessible(&client, "[\"#signup\"]", "signup with a nameless button").await;
}
