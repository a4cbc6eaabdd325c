//! A social worker's own data end to end (PIPL Art. 15, 44–47): sign up on an example page, open
//! the management link, see the association's decision, correct, withdraw, download, delete —
//! and afterwards nothing of the sign-up is left in local KV and the number signs up afresh.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]
// One person's journey, read as one story; the 150-line rule is for the shipped crates.
#![allow(clippy::too_many_lines)]

use std::collections::BTreeSet;

use guanai_core::consent::NOTICE_VERSION;
use guanai_core::i18n::{OwnUi, fill};
use guanai_core::{Catalogue, Lang};
use guanai_e2e::admin::{api_sign_in, call, json_of, plan_admin};
use guanai_e2e::widget::{choose, click, open_signup_form, press, type_into};
use guanai_e2e::{
    assert_accessible, base, browser, dev_secret, http, kv_get, kv_keys, shadow, submit_form,
    visit, wait_until,
};
use guanai_edge::secrets::MOBILE_HASH_KEY;
use serde_json::{Value, json};

const ZH: Lang = Lang::ZhCn;

/// Everything a sign-up may have written, by key.
fn sign_up_keys() -> BTreeSet<String> {
    ["signup", "idempotency:signups:"]
        .into_iter()
        .flat_map(kv_keys)
        .collect()
}

/// `GET /v1/me` with `secret`, as the person's browser sends it.
fn own_data(secret: &str) -> (u16, String) {
    let mut response = http()
        .get(format!("{}/v1/me", base()))
        .header("authorization", format!("Bearer {secret}"))
        .header("cf-connecting-ip", "198.51.100.140")
        .call()
        .expect("the worker answers");
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_string().unwrap())
}

/// Waits until the page's `<guanai-my-signup>` has the stored sign-up on screen with `status`.
async fn shown_with_status(client: &fantoccini::Client, status: &str) {
    wait_until(
        client,
        &format!(
            "return {}?.querySelector('.own-status')?.dataset.status === {status:?};",
            shadow("me")
        ),
    )
    .await;
}

#[tokio::test]
async fn a_social_worker_sees_corrects_withdraws_downloads_and_deletes_their_sign_up() {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let mobile = format!("137{:08}", stamp % 100_000_000);
    let before = sign_up_keys();
    let audit_before: BTreeSet<String> = kv_keys("audit:").into_iter().collect();

    // Sign up on the association's page, sharing with one partner.
    let mut client = browser().await;
    open_signup_form(&mut client).await;
    type_into(&client, "signup", "#signup-name", "赵敏").await;
    type_into(&client, "signup", "#signup-mobile", &mobile).await;
    choose(&client, "signup", "#signup-region", "120103").await;
    type_into(&client, "signup", "#signup-employer", "河西区社工站").await;
    choose(&client, "signup", "#signup-level", "assistant").await;
    click(&client, "signup", "#signup-consents-privacy").await;
    click(&client, "signup", "#signup-consents-cross_border").await;
    click(
        &client,
        "signup",
        "input[name=partners][value=yikang-tianjin]",
    )
    .await;
    click(&client, "signup", "button[type=submit]").await;
    let link = wait_until(
        &client,
        &format!(
            "return {}?.querySelector('#signup-management-link')?.value",
            shadow("signup")
        ),
    )
    .await;
    let link = link.as_str().unwrap().to_string();
    let reference = wait_until(
        &client,
        &format!(
            "return {}.querySelector('.success .reference')?.textContent",
            shadow("signup")
        ),
    )
    .await;
    let reference = reference.as_str().unwrap().to_string();
    let (page, secret) = link.split_once('#').unwrap();
    assert_eq!(
        page,
        format!("{}/me", base()),
        "the link opens the worker's page"
    );
    assert!(
        secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_hexdigit()),
        "128 random bits in the fragment, never in a query: {link}"
    );
    assert!(
        !sign_up_keys().iter().any(|key| key.contains(secret)),
        "the secret itself is stored nowhere"
    );
    let draft = client
        .execute("return localStorage.getItem('guanai:signup-draft')", vec![])
        .await
        .unwrap();
    assert_eq!(
        draft,
        Value::Null,
        "nothing is left in the host page's storage"
    );

    // The link shows the sign-up as received, in Chinese.
    visit(&mut client, &link).await;
    shown_with_status(&client, "received").await;
    let status = wait_until(
        &client,
        &format!(
            "return {}.querySelector('.own-status').textContent",
            shadow("me")
        ),
    )
    .await;
    assert_eq!(status, OwnUi::Received.get(ZH));
    assert_accessible(&client, r##"["#me"]"##, "/me (zh-CN)").await;
    client
        .execute(
            "document.getElementById('me').setAttribute('lang', 'en')",
            vec![],
        )
        .await
        .unwrap();
    wait_until(
        &client,
        &format!(
            "return {}.querySelector('.own-status').textContent === {:?}",
            shadow("me"),
            OwnUi::Received.get(Lang::En)
        ),
    )
    .await;
    assert_accessible(&client, r##"["#me"]"##, "/me (en)").await;

    // The association verifies it with a note; the person sees both.
    plan_admin("requests.admin");
    let staff = api_sign_in("requests.admin");
    let note = "资格核实无误，欢迎加入关爱计划。";
    let review = call(
        "POST",
        &format!("/v1/admin/signups/tianjin/{reference}/review"),
        Some(&staff),
        Some(json!({"decision": "verified", "note": note})),
    );
    assert_eq!(review.0, 200, "{}", String::from_utf8_lossy(&review.2));
    // The same URL again would only move to the fragment: reload, as the person would.
    client.refresh().await.unwrap();
    shown_with_status(&client, "verified").await;
    let shown_note = wait_until(
        &client,
        &format!(
            "return {}.querySelector('.own-note')?.textContent",
            shadow("me")
        ),
    )
    .await;
    assert!(shown_note.as_str().unwrap().contains(note), "{shown_note}");

    // Correct the employer with the sign-up form's fields.
    press(&client, "me", OwnUi::Correct.get(ZH)).await;
    let employer = guanai_e2e::widget::field(&client, "me", "#signup-employer").await;
    employer.clear().await.unwrap();
    employer.send_keys("西青区社会工作服务中心").await.unwrap();
    press(&client, "me", OwnUi::SaveCorrection.get(ZH)).await;
    wait_until(
        &client,
        &format!(
            "return [...{}.querySelectorAll('dl.stored dd')].some(d => d.textContent === '西青区社会工作服务中心')",
            shadow("me")
        ),
    )
    .await;
    let (_, stored) = own_data(secret);
    assert_eq!(
        json_of(stored.as_bytes())["personal"]["employer"],
        "西青区社会工作服务中心"
    );

    // Withdraw the partner consent: staff see it gone.
    let detail = |staff| {
        json_of(
            &call(
                "GET",
                &format!("/v1/admin/signups/tianjin/{reference}"),
                Some(staff),
                None,
            )
            .2,
        )
    };
    assert_eq!(
        detail(&staff)["consent"]["partners"],
        json!(["yikang-tianjin"])
    );
    let catalogue: Catalogue =
        serde_json::from_slice(&call("GET", "/v1/catalog", None, None).2).unwrap();
    let partner = catalogue
        .partners
        .iter()
        .find(|partner| partner.id == "yikang-tianjin")
        .unwrap();
    let withdraw = fill(
        OwnUi::WithdrawPartner.get(ZH),
        &[("partner", partner.name.get(ZH))],
    );
    press(&client, "me", &withdraw).await;
    wait_until(
        &client,
        &format!(
            "return {}.querySelector('.withdrawals') === null",
            shadow("me")
        ),
    )
    .await;
    assert_eq!(detail(&staff)["consent"]["partners"], json!([]));

    // Download: the file is exactly what the server has stored for this person.
    client
        .execute(
            "const create = URL.createObjectURL;
             URL.createObjectURL = blob => { blob.text().then(t => { window.downloaded = t; }); return create(blob); };
             const click = HTMLAnchorElement.prototype.click;
             HTMLAnchorElement.prototype.click = function () { window.downloadName = this.download; };",
            vec![],
        )
        .await
        .unwrap();
    press(&client, "me", OwnUi::Download.get(ZH)).await;
    let downloaded = wait_until(&client, "return window.downloaded").await;
    let name = wait_until(&client, "return window.downloadName").await;
    assert_eq!(name, format!("guanai-my-signup-{reference}.json"));
    let (_, stored) = own_data(secret);
    let downloaded: Value = serde_json::from_str(downloaded.as_str().unwrap()).unwrap();
    assert_eq!(downloaded, json_of(stored.as_bytes()));
    assert_eq!(downloaded["personal"]["name"], "赵敏");
    assert_eq!(downloaded["personal"]["mobile"], mobile);
    assert_eq!(downloaded["status"], "verified");

    // Delete everything after one confirmation.
    press(&client, "me", OwnUi::Delete.get(ZH)).await;
    press(&client, "me", OwnUi::ConfirmDelete.get(ZH)).await;
    wait_until(
        &client,
        &format!(
            "return {}.querySelector('.success')?.textContent.includes({:?})",
            shadow("me"),
            OwnUi::Deleted.get(ZH)
        ),
    )
    .await;
    let fragment = client
        .execute("return location.hash", vec![])
        .await
        .unwrap();
    assert_eq!(
        fragment, "",
        "the used-up link is cleared from the address bar"
    );
    client.close().await.unwrap();

    assert_eq!(
        sign_up_keys(),
        before,
        "record, mobile index, replay answer and link are all gone"
    );
    assert_eq!(own_data(secret).0, 401, "the link is used up");
    let mobile_hash = guanai_edge::crypto::mobile_hash(&dev_secret(MOBILE_HASH_KEY), &mobile);
    for key in kv_keys("audit:")
        .into_iter()
        .filter(|key| !audit_before.contains(key))
    {
        let event = kv_get(&key);
        for personal in [mobile.as_str(), mobile_hash.as_str(), "赵敏", "198.51.100"] {
            assert!(!event.contains(personal), "{key} keeps {personal}: {event}");
        }
    }

    // The same number signs up afresh.
    let form = json!({
        "name": "赵敏", "mobile": mobile, "association": "tianjin", "region": "120103",
        "employer": "河西区社工站", "level": "assistant", "interests": [],
        "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true}
    });
    let (status, text) = submit_form(
        "/v1/signups",
        &format!("me-again-{stamp}"),
        "198.51.100.141",
        &form,
    );
    assert_eq!(status, 201, "{text}");
}
