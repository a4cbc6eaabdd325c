//! Sign-ups and partner applications end to end: the example pages in headless Chromium, the
//! real worker, and what lands in local KV.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use guanai_core::consent::NOTICE_VERSION;
use guanai_core::wire::PersonalData;
use guanai_e2e::widget::{choose, click, open_signup_form, type_into};
use guanai_e2e::{
    base, browser, dev_secret, http, kv_get, kv_keys, shadow, submit_form, visit, wait_until,
};
use guanai_edge::signups::SignupRecord;
use serde_json::{Value, json};

#[tokio::test]
async fn a_social_worker_signs_up_and_the_stored_record_decrypts_to_what_was_typed() {
    let mut client = browser().await;
    open_signup_form(&mut client).await;

    // Submitting empty shows field messages first.
    click(&client, "signup", "button[type=submit]").await;
    let summary = wait_until(
        &client,
        &format!(
            "return {}.querySelector('.error-summary')?.textContent",
            shadow("signup")
        ),
    )
    .await;
    assert!(
        summary.as_str().unwrap_or_default().contains("需要修改"),
        "{summary}"
    );
    let name_error = wait_until(
        &client,
        &format!(
            "return {}.querySelector('#signup-name-error')?.textContent",
            shadow("signup")
        ),
    )
    .await;
    assert_eq!(name_error, "请填写姓名。");

    type_into(&client, "signup", "#signup-name", "刘思远").await;
    type_into(&client, "signup", "#signup-mobile", "+86 136-0022-3344").await;
    // association="tianjin" on the page preselects the association.
    choose(&client, "signup", "#signup-region", "120104").await;
    type_into(
        &client,
        "signup",
        "#signup-employer",
        "南开区社会工作服务站",
    )
    .await;
    choose(&client, "signup", "#signup-level", "assistant").await;
    click(&client, "signup", "input[name=interests][value=health]").await;
    click(&client, "signup", "input[name=interests][value=family]").await;
    click(&client, "signup", "#signup-consents-privacy").await;
    click(&client, "signup", "#signup-consents-cross_border").await;
    click(&client, "signup", "#signup-consents-health").await;
    click(
        &client,
        "signup",
        "input[name=partners][value=yikang-tianjin]",
    )
    .await;
    client
        .execute(
            "document.addEventListener('guanai:signup', e => { window.signedUp = e.detail; });",
            vec![],
        )
        .await
        .expect("script runs");
    click(&client, "signup", "button[type=submit]").await;

    let reference = wait_until(
        &client,
        &format!(
            "const root = {}; return root.querySelector('.success .reference')?.textContent \
             || (window.lastStatus = [root.querySelector('.status')?.textContent, root.querySelector('.error-summary')?.textContent, [...root.querySelectorAll('.field-error')].map(e => e.id + ':' + e.textContent).filter(t => !t.endsWith(':')).join(';')].join(' | '), false);",
            shadow("signup")
        ),
    )
    .await;
    let reference = reference.as_str().unwrap().to_string();
    assert!(reference.starts_with("GA-"), "{reference}");
    let event = wait_until(&client, "return window.signedUp").await;
    assert_eq!(
        event,
        json!({"reference": reference}),
        "the event carries the reference and nothing personal"
    );

    let key = format!("signup:tianjin:{reference}");
    assert!(kv_keys("signup:tianjin:").contains(&key));
    let stored = kv_get(&key);
    assert!(
        !stored.contains("刘思远") && !stored.contains("13600223344"),
        "personal data is sealed"
    );
    let record: SignupRecord = serde_json::from_str(&stored).unwrap();
    assert_eq!(
        (
            record.region.as_str(),
            record.consent.notice_version.as_str()
        ),
        ("120104", NOTICE_VERSION)
    );
    assert_eq!(record.consent.partners, ["yikang-tianjin"]);
    let opened =
        guanai_edge::crypto::open(&dev_secret("PERSONAL_DATA_KEY"), &key, &record.personal)
            .unwrap();
    let personal: PersonalData = serde_json::from_slice(&opened).unwrap();
    assert_eq!(personal.name, "刘思远");
    assert_eq!(personal.mobile, "13600223344");
    assert_eq!(personal.employer, "南开区社会工作服务站");
    assert!(personal.health_consent);
    let draft = client
        .execute("return localStorage.getItem('guanai:signup-draft')", vec![])
        .await
        .unwrap();
    assert_eq!(draft, Value::Null, "the acknowledged draft is gone");
    client.close().await.expect("closed");
}

fn signup_form(mobile: &str, association: &str, region: &str) -> Value {
    json!({
        "name": "测试用户", "mobile": mobile, "association": association, "region": region,
        "employer": "测试社工站", "level": "senior", "interests": ["career"],
        "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true}
    })
}

fn post_signup(key: &str, client_ip: &str, form: &Value) -> (u16, String) {
    submit_form("/v1/signups", key, client_ip, form)
}

#[test]
fn a_replay_with_the_same_key_returns_the_same_reference() {
    let body = signup_form("13511112222", "beijing", "110108");
    let first = post_signup("e2e-replay-0001", "198.51.100.20", &body);
    assert_eq!(first.0, 201, "{}", first.1);
    let again = post_signup("e2e-replay-0001", "198.51.100.20", &body);
    assert_eq!(again, first);
    let duplicate = post_signup(
        "e2e-replay-0002",
        "198.51.100.20",
        &signup_form("135 1111 2222", "beijing", "110108"),
    );
    assert_eq!(duplicate.0, 409);
    let acknowledged: Value = serde_json::from_str(&first.1).unwrap();
    let refused: Value = serde_json::from_str(&duplicate.1).unwrap();
    assert_eq!(refused["error"]["code"], "already_registered");
    let reference = acknowledged["reference"].as_str().unwrap();
    assert!(
        !duplicate.1.contains(reference),
        "a duplicate learns nothing about the first sign-up: {}",
        duplicate.1
    );
}

/// 300 sign-ups from 10 concurrent clients, every fifth one retried with the same key: exactly
/// 300 records, every acknowledged reference stored once, every replay answered identically.
#[test]
fn load_check_every_acknowledged_sign_up_is_stored_exactly_once() {
    const CLIENTS: usize = 10;
    const PER_CLIENT: usize = 30;
    let workers: Vec<_> = (0..CLIENTS)
        .map(|client| {
            std::thread::spawn(move || {
                let mut references = Vec::new();
                for i in 0..PER_CLIENT {
                    // Hebei's 11 cities; each simulated person on an address of their own.
                    let region = format!("13{:02}00", 1 + (client + i) % 11);
                    let mobile = format!("1580{client:02}{i:05}");
                    let key = format!("e2e-load-{client}-{i}");
                    let ip = format!("198.18.{client}.{i}");
                    let body = signup_form(&mobile, "hebei", &region);
                    let (status, text) = post_signup(&key, &ip, &body);
                    assert_eq!(status, 201, "{text}");
                    if i % 5 == 0 {
                        assert_eq!(
                            post_signup(&key, &ip, &body),
                            (status, text.clone()),
                            "a replay changed its answer"
                        );
                    }
                    let answer: Value = serde_json::from_str(&text).unwrap();
                    references.push(answer["reference"].as_str().unwrap().to_string());
                }
                references
            })
        })
        .collect();
    let mut references: Vec<String> = workers
        .into_iter()
        .flat_map(|worker| worker.join().expect("client thread"))
        .collect();
    references.sort();
    references.dedup();
    assert_eq!(references.len(), CLIENTS * PER_CLIENT);
    let mut stored: Vec<String> = kv_keys("signup:hebei:")
        .into_iter()
        .map(|key| key.trim_start_matches("signup:hebei:").to_string())
        .collect();
    stored.sort();
    assert_eq!(
        stored, references,
        "KV holds exactly the acknowledged sign-ups"
    );
}

#[tokio::test]
async fn a_company_applies_and_a_rate_limited_one_gets_a_friendly_message() {
    let mut client = browser().await;
    visit(
        &mut client,
        &format!("{}/examples/partner-apply.html", base()),
    )
    .await;
    wait_until(
        &client,
        &format!(
            "return ({}?.querySelector('#apply-company') ?? null) !== null",
            shadow("apply")
        ),
    )
    .await;
    type_into(
        &client,
        "apply",
        "#apply-company",
        "天津示例康养科技有限公司",
    )
    .await;
    type_into(&client, "apply", "#apply-credit_code", "91110000802100433B").await;
    type_into(&client, "apply", "#apply-contact_person", "赵敏").await;
    type_into(&client, "apply", "#apply-email", "zhaomin@example.com").await;
    choose(&client, "apply", "#apply-offers-0--area", "leisure").await;
    type_into(
        &client,
        "apply",
        "#apply-offers-0--description",
        "社工凭证件入住康养基地享七折，含两餐。",
    )
    .await;
    click(&client, "apply", "#apply-consents-privacy").await;
    click(&client, "apply", "#apply-consents-cross_border").await;
    click(&client, "apply", "button[type=submit]").await;
    let reference = wait_until(
        &client,
        &format!(
            "const root = {}; return root.querySelector('.success .reference')?.textContent \
             || (window.lastStatus = [root.querySelector('.status')?.textContent, root.querySelector('.error-summary')?.textContent, [...root.querySelectorAll('.field-error')].map(e => e.id + ':' + e.textContent).filter(t => !t.endsWith(':')).join(';')].join(' | '), false);",
            shadow("apply")
        ),
    )
    .await;
    let reference = reference.as_str().unwrap().to_string();
    assert!(kv_keys("application:").contains(&format!("application:{reference}")));

    // A second application from the same network, sent after this network has used up its
    // allowance for applications (10 a minute).
    visit(
        &mut client,
        &format!("{}/examples/partner-apply.html", base()),
    )
    .await;
    wait_until(
        &client,
        &format!(
            "return ({}?.querySelector('#apply-company') ?? null) !== null",
            shadow("apply")
        ),
    )
    .await;
    type_into(&client, "apply", "#apply-company", "北京另一家示例公司").await;
    type_into(&client, "apply", "#apply-credit_code", "91350100M000100Y43").await;
    type_into(&client, "apply", "#apply-contact_person", "钱伟").await;
    type_into(&client, "apply", "#apply-mobile", "13800138000").await;
    choose(&client, "apply", "#apply-offers-0--area", "career").await;
    type_into(
        &client,
        "apply",
        "#apply-offers-0--description",
        "为社工提供免费的职业规划咨询服务。",
    )
    .await;
    click(&client, "apply", "#apply-consents-privacy").await;
    click(&client, "apply", "#apply-consents-cross_border").await;
    // Use up the allowance just before sending: the limiter counts in fixed one-minute windows
    // (by the Unix clock), and a window that ends between the flood and the click would forgive
    // the flood — so not in a window's last five seconds.
    let into_window = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis()
        % 60_000;
    if into_window >= 55_000 {
        // The next window is the condition: it starts at a known instant.
        tokio::time::sleep(std::time::Duration::from_millis(
            (60_000 - into_window) as u64,
        ))
        .await;
    }
    for i in 0..12 {
        let _ = http()
            .post(format!("{}/v1/partner-applications", base()))
            .header("Idempotency-Key", &format!("e2e-flood-{i:04}"))
            .header("Content-Type", "application/json")
            .send("{}");
    }
    click(&client, "apply", "button[type=submit]").await;
    let status = wait_until(&client, &format!("const t = {}.querySelector('.status')?.textContent; return t && t.includes('提交过于频繁') && t;", shadow("apply"))).await;
    assert!(
        status.as_str().unwrap_or_default().contains("一分钟后再试"),
        "{status}"
    );
    client.close().await.expect("closed");
}
