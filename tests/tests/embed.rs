//! Embedding as association staff and partners do it: a site recorded in the admin view can
//! load the finder without a deploy, and the embed builder's snippet works pasted into a blank
//! page.

// A failed unwrap is a failed test, with the location; that is what tests want.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use guanai_e2e::admin::{choose, plan_admin, press, sign_in, type_into};
use guanai_e2e::programme::{now_ms, seed};
use guanai_e2e::worker::{OwnWorker, free_port};
use guanai_e2e::{base, blank_page, browser, root, shadow, visit, wait_until};
use guanai_edge::scale::Scale;

/// `loaded` once the finder on the page shows results, `refused` once its script was refused.
const OUTCOME: &str = "const root = document.getElementById('finder')?.shadowRoot; \
    if ((root?.querySelectorAll('.card').length ?? 0) > 0) return 'loaded'; \
    if (window.scriptFailed) return 'refused';";

#[tokio::test]
async fn a_site_staff_record_in_the_admin_view_loads_the_finder_without_a_deploy() {
    const ADMIN: &str = "sites.admin";
    let state = root().join("target/e2e/sites-state");
    let _ = std::fs::remove_dir_all(&state);
    let scale = Scale {
        signups: 0,
        benefits: 20,
        partners: 4,
        audit_events: 0,
    };
    seed(&state, &scale, now_ms(), ADMIN);
    // This worker admits no loopback origin of its own accord (`ALLOW_LOCALHOST` is off).
    let worker = OwnWorker::start_with(
        &root().join("wrangler.toml"),
        &state,
        free_port(),
        &["--var", "ALLOW_LOCALHOST:false"],
    );
    let edge = worker.base();
    let (directory, site) = blank_page(
        "partner-site",
        "",
        &format!(
            "<script type=\"module\" src=\"{edge}/guanai.js\" onerror=\"window.scriptFailed = true\"></script>\
             <guanai-benefit-finder id=\"finder\"><a href=\"{edge}/catalog\">福利目录</a></guanai-benefit-finder>"
        ),
    );
    let page = format!("{}/index.html", site.origin);
    let mut client = browser().await;
    visit(&mut client, &page).await;
    assert_eq!(
        wait_until(&client, OUTCOME).await,
        "refused",
        "not recorded yet: the bundle is not served to this origin"
    );

    visit(&mut client, &format!("{edge}/admin/#/embed")).await;
    sign_in(&client, "用户名", "密码", ADMIN).await;
    choose(&client, "网站属于", "partner:partner-1").await;
    type_into(
        &client,
        "网站地址（每行一个）",
        &format!("{}/", site.origin),
    )
    .await;
    press(&client, "保存网站地址").await;
    wait_until(
        &client,
        &format!(
            "return document.querySelector('tr[data-owner=\"partner:partner-1\"]')?.textContent.includes({:?})",
            site.origin
        ),
    )
    .await;

    // Within 60 s (at once here: the isolate that saved it keeps the new list).
    let started = Instant::now();
    loop {
        visit(&mut client, &page).await;
        let outcome = wait_until(&client, OUTCOME).await;
        if outcome == "loaded" {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the recorded site still cannot load the finder after 60 s"
        );
    }
    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&directory);
}

#[tokio::test]
async fn the_embed_builders_snippet_works_pasted_into_a_blank_page() {
    let username = "embed.admin";
    plan_admin(username);
    let mut client = browser().await;
    visit(&mut client, &format!("{}/admin/#/embed", base())).await;
    sign_in(&client, "用户名", "密码", username).await;

    choose(&client, "组件", "guanai-benefit-finder").await;
    choose(&client, "语言", "en").await;
    // The live preview is the real widget.
    wait_until(
        &client,
        &format!(
            "return ({}?.querySelectorAll('.card').length ?? 0) > 0",
            shadow("embed-preview-widget")
        ),
    )
    .await;

    // A site that is not allowed yet is named as such.
    type_into(&client, "将嵌入的网站地址", "https://not-yet.example").await;
    client
        .execute(
            "document.querySelector('.site-check input').dispatchEvent(new Event('change'))",
            vec![],
        )
        .await
        .unwrap();
    wait_until(
        &client,
        "return document.querySelector('.site-not-allowed')?.textContent.includes('https://not-yet.example')",
    )
    .await;

    let snippet = wait_until(
        &client,
        "const area = [...document.querySelectorAll('.snippet textarea')][0]; \
         return area?.value.includes('guanai-benefit-finder') && area.value",
    )
    .await;
    let snippet = snippet.as_str().unwrap().to_string();
    assert!(
        snippet.contains(&format!("src=\"{}/guanai.js\"", base())),
        "{snippet}"
    );
    assert!(snippet.contains("lang=\"en\""), "{snippet}");
    press(&client, "复制").await;
    wait_until(
        &client,
        "return [...document.querySelectorAll('.copy [role=status]')].some(s => s.textContent.trim())",
    )
    .await;
    let pinned = wait_until(
        &client,
        "const area = [...document.querySelectorAll('.snippet textarea')][2]; \
         return area?.value.includes('integrity=\"sha384-') && area.value",
    )
    .await;
    assert!(
        pinned
            .as_str()
            .unwrap()
            .contains(&format!("api=\"{}\"", base())),
        "a self-hosted copy names the edge: {pinned}"
    );

    // Pasted into a blank page on another origin, as a partner would.
    let (directory, site) = blank_page(
        "pasted",
        "",
        &snippet.replace(
            "<guanai-benefit-finder",
            "<guanai-benefit-finder id=\"finder\"",
        ),
    );
    visit(&mut client, &format!("{}/index.html", site.origin)).await;
    wait_until(
        &client,
        &format!(
            "return ({}?.querySelectorAll('.card').length ?? 0) > 0",
            shadow("finder")
        ),
    )
    .await;
    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&directory);
}
