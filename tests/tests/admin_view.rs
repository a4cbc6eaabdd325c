//! The admin view as association staff use it: the Leptos app at `/admin` in headless Chromium
//! against the real worker and local KV — sign in, add a benefit, publish, find it in the
//! finder on an example page; verify a sign-up; download the spreadsheet and check its bytes;
//! place a partner's location on the map by keyboard.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]
// One staff journey, read as one story from sign-in to the map; the 150-line rule is for the
// shipped crates (ARCHITECTURE § Invariants), not for end-to-end scripts.
#![allow(clippy::too_many_lines)]

use fantoccini::Locator;
use guanai_core::consent::NOTICE_VERSION;
use guanai_e2e::admin::{choose, plan_admin, press, sign_in, type_into};
use guanai_e2e::{base, browser, http, kv_get, shadow, submit_form, visit, wait_until};
use serde_json::{Value, json};

/// A sign-up through the public API, with an employer cell that would be a formula in Excel.
/// (Tianjin: the load check in `signup.rs` owns every Hebei sign-up.)
fn sign_up(mobile: &str) -> String {
    let form = json!({
        "name": "管理端测试", "mobile": mobile, "association": "tianjin", "region": "120101",
        "employer": "=1+2 和平区社工站", "level": "assistant", "interests": ["health"],
        "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true,
                     "health": true}
    });
    let key = format!("admin-view-{mobile}");
    let (status, text) = submit_form("/v1/signups", &key, "198.51.100.77", &form);
    assert_eq!(status, 201, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    answer["reference"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn staff_publish_a_benefit_verify_a_sign_up_export_it_and_place_a_location() {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let username = "view.admin";
    plan_admin(username);
    let mobile = format!("139{:08}", stamp % 100_000_000);
    let reference = sign_up(&mobile);

    let mut client = browser().await;
    visit(&mut client, &format!("{}/admin", base())).await;

    // Signing in; the page then says who is signed in.
    sign_in(&client, "用户名", "密码", username).await;
    // The dashboard draws its charts as SVG with accessible names.
    wait_until(
        &client,
        "return document.querySelectorAll('figure.chart').length === 4",
    )
    .await;

    // Catalogue: start from the published programme, add a benefit, publish.
    visit(&mut client, &format!("{}/admin/#/catalogue", base())).await;
    press(&client, "从发布版本开始编辑").await;
    wait_until(
        &client,
        "return document.querySelector('table.partners tr[data-partner=\"weier-dental\"]')",
    )
    .await;
    press(&client, "新建福利").await;
    let id = format!("e2e-benefit-{stamp}");
    let title = format!("管理端新增福利{stamp}");
    type_into(&client, "编号（小写字母、数字和连字符）", &id).await;
    choose(&client, "合作单位", "weier-dental").await;
    choose(&client, "服务领域", "health").await;
    type_into(&client, "标题（中文）", &title).await;
    type_into(&client, "标题（英文）", "Free check-up added by staff").await;
    type_into(&client, "说明（中文）", "每年一次免费口腔检查。").await;
    type_into(&client, "说明（英文）", "One free dental check-up a year.").await;
    type_into(&client, "如何使用（中文）", "到店出示社工证。").await;
    // The English redemption text is left empty first: the server's field error shows at the
    // field, which gets focus.
    press(&client, "保存草稿").await;
    let focused = wait_until(
        &client,
        "const a = document.activeElement; return a && a.getAttribute('aria-invalid') === 'true' && a.closest('.field')?.dataset.path",
    )
    .await;
    assert_eq!(focused, json!("how_to_redeem.en"));
    let message = wait_until(
        &client,
        "return document.querySelector('[data-path=\"how_to_redeem.en\"] .field-error')?.textContent",
    )
    .await;
    assert!(!message.as_str().unwrap().is_empty());
    type_into(&client, "如何使用（英文）", "Show your social worker card.").await;
    press(&client, "保存草稿").await;
    wait_until(
        &client,
        &format!("return document.querySelector('table.benefits tr[data-benefit={id:?}]')"),
    )
    .await;
    let stored: Value = serde_json::from_str(&kv_get(&format!("draft-benefit:{id}"))).unwrap();
    assert_eq!(stored["benefit"]["title"]["zh"], json!(title));
    assert_eq!(stored["updated_by"], json!(username));

    let before = wait_until(
        &client,
        "return document.querySelector('section.publishing p code')?.textContent",
    )
    .await;
    let before = before.as_str().unwrap().to_string();
    press(&client, "发布草稿为新版本").await;
    let published = wait_until(
        &client,
        "return document.querySelector('.done')?.textContent.includes('已发布版本') && document.querySelector('.done').textContent",
    )
    .await;
    assert!(
        published.as_str().unwrap().contains("项福利"),
        "{published}"
    );

    // The public finder on an association's example page shows the new offer.
    visit(
        &mut client,
        &format!("{}/examples/association-site.html", base()),
    )
    .await;
    wait_until(
        &client,
        &format!(
            "return {}?.querySelector('input[type=search]')",
            shadow("finder")
        ),
    )
    .await;
    let host = client.find(Locator::Id("finder")).await.unwrap();
    let root = host.shadow_root().await.unwrap();
    let search = root.find(Locator::Css("input[type=search]")).await.unwrap();
    search.send_keys(&title).await.unwrap();
    let shown = wait_until(
        &client,
        &format!(
            "const card = {}?.querySelector('.card[data-benefit={id:?}]'); return card && card.textContent",
            shadow("finder")
        ),
    )
    .await;
    assert!(shown.as_str().unwrap().contains(&title), "{shown}");

    // Rolling back from the view puts the earlier catalogue back (the other end-to-end tests
    // expect the demo programme).
    visit(&mut client, &format!("{}/admin/#/catalogue", base())).await;
    wait_until(
        &client,
        &format!(
            "const item = [...document.querySelectorAll('ul.versions li')].find(li => li.querySelector('code')?.textContent === {before:?}); \
             const button = item?.querySelector('button'); if (button) {{ document.querySelector('section.publishing details').open = true; button.click(); return true; }}"
        ),
    )
    .await;
    wait_until(
        &client,
        &format!(
            "return document.querySelector('section.publishing p code')?.textContent === {before:?}"
        ),
    )
    .await;
    let mut response = http().get(format!("{}/v1/catalog", base())).call().unwrap();
    let catalogue: Value =
        serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(catalogue["version"], json!(before));

    // Sign-ups: find the new one by reference, open it, verify it.
    visit(&mut client, &format!("{}/admin/#/signups", base())).await;
    choose(&client, "协会", "tianjin").await;
    type_into(&client, "报名编号", &reference).await;
    press(&client, "筛选").await;
    wait_until(
        &client,
        &format!(
            "const rows = [...document.querySelectorAll('table.list tbody tr')]; return rows.length === 1 && rows[0].textContent.includes({reference:?})"
        ),
    )
    .await;
    press(&client, "查看").await;
    let detail = wait_until(
        &client,
        "return document.querySelector('.detail dl.facts')?.textContent",
    )
    .await;
    assert!(
        detail.as_str().unwrap().contains("管理端测试")
            && detail.as_str().unwrap().contains(&mobile),
        "the decrypted personal data is shown: {detail}"
    );
    press(&client, "保存核验结果").await;
    wait_until(
        &client,
        "return document.querySelector('table.list td.status.verified')",
    )
    .await;
    let record: Value =
        serde_json::from_str(&kv_get(&format!("signup:tianjin:{reference}"))).unwrap();
    assert_eq!(record["status"], json!("verified"));

    // The export link downloads the filtered list: UTF-8 BOM, and the formula neutralised.
    let bytes = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const link = [...document.querySelectorAll('a[download]')].find(a => a.href.includes('signups.csv'));
             fetch(link.href).then(r => r.arrayBuffer()).then(b => done([...new Uint8Array(b)]));",
            vec![],
        )
        .await
        .unwrap();
    let bytes: Vec<u8> = serde_json::from_value(bytes).unwrap();
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.contains(&reference), "{text}");
    assert!(text.contains("'=1+2 和平区社工站"), "{text}");
    assert!(!text.contains(",=1+2"), "{text}");
    assert_eq!(
        text.lines().count(),
        2,
        "the header and the one filtered row: {text}"
    );

    // A partner's location placed on the map by keyboard: Enter on the map puts it at the
    // centre, and the form's latitude and longitude follow (WGS-84, inside the region).
    visit(&mut client, &format!("{}/admin/#/catalogue", base())).await;
    wait_until(
        &client,
        "const b = document.querySelector('table.partners tr[data-partner=\"weier-dental\"] button'); if (b) { b.click(); return true; }",
    )
    .await;
    let typed = wait_until(
        &client,
        "return document.querySelector('[data-path=\"locations[0].lat\"] input')?.value",
    )
    .await;
    wait_until(
        &client,
        "return document.querySelector('guanai-partner-map')?.shadowRoot?.querySelector('svg.map .picked')",
    )
    .await;
    let map = client
        .find(Locator::Css("guanai-partner-map"))
        .await
        .unwrap()
        .shadow_root()
        .await
        .unwrap()
        .find(Locator::Css("svg.map"))
        .await
        .unwrap();
    map.send_keys(&fantoccini::key::Key::Enter.to_string())
        .await
        .unwrap();
    let placed = wait_until(
        &client,
        &format!(
            "const v = document.querySelector('[data-path=\"locations[0].lat\"] input')?.value; return v !== {typed} && v"
        ),
    )
    .await;
    let latitude: f64 = placed.as_str().unwrap().parse().unwrap();
    assert!((36.0..43.0).contains(&latitude), "{latitude}");
    press(&client, "取消").await;

    // Signing out ends the session on the server too.
    press(&client, "退出登录").await;
    wait_until(
        &client,
        "return document.querySelector('form input[type=password]')",
    )
    .await;
    let status = client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/v1/admin/session').then(r => done(r.status));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(status, json!(401));
    client.close().await.unwrap();
}
