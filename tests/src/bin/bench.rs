//! The end-to-end figures of `cargo xtask bench`, printed as one JSON object on stdout:
//!
//! - finder time to paint with 1,000 benefits, and a plain static HTML list of the same 1,000
//!   items, in the same headless Chromium, alternating — medians and their ratio;
//! - `GET /v1/catalog` throughput and latency of the Rust worker and of a minimal JavaScript
//!   worker serving the same KV value, both under `wrangler dev`, alternating — and the ratio,
//!   twice: both keeping the snapshot in isolate memory for 15 s, and both reading KV on every
//!   request (comparing the Rust worker's cache with the JavaScript one's store said nothing);
//! - sign-up requests per second on the Rust worker.
//!
//! With the argument `scale`, instead: the programme at full size (`guanai_edge::scale::
//! PROGRAMME`, ≈ 260,000 keys) in a local KV of its own, and the time of the four requests that
//! grow with it — publishing 10,000 benefits, exporting 50,000 sign-ups, the dashboard (before
//! and after the scheduled rollup) and the first page of a rare status.
//!
//! xtask has built the worker and the bundle and started ChromeDriver; this program seeds its
//! own local KV and starts its own workers. Environment as for the end-to-end tests:
//! `GUANAI_WRANGLER`, `GUANAI_EXAMPLES`, `GUANAI_WEBDRIVER`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use guanai_core::consent::NOTICE_VERSION;
use guanai_e2e::admin::{api_sign_in_at, call_at, expect_at};
use guanai_e2e::programme::{now_ms, seed};
use guanai_e2e::worker::{OwnWorker, free_port};
use guanai_e2e::{browser, http, root, solved_challenge_from, wrangler_kv_in};
use guanai_edge::scale::PROGRAMME;
use serde_json::{Value, json};

/// Benefits in the catalogue the paint and throughput figures use.
const BENEFITS: usize = 1_000;
/// Page loads per page for the paint figure (after one warm-up each).
const PAINT_RUNS: usize = 7;
/// Rounds per worker for the throughput figure, alternating, and each round's length.
const ROUNDS: usize = 3;
const ROUND: Duration = Duration::from_secs(4);
/// Concurrent HTTP clients.
const CLIENTS: usize = 8;
/// Sign-ups sent for the sign-up figure.
const SIGNUPS: usize = 240;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

fn percentile(sorted: &[f64], fraction: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted.get(index).copied().unwrap_or(f64::NAN)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Marks, from the page's own clock, the first animation frame in which `ready` holds: that
/// frame is the one that paints the content.
fn paint_probe(ready: &str) -> String {
    format!(
        "<script>(function check() {{ if ({ready}) {{ window.paintedAt = performance.now(); }} else {{ requestAnimationFrame(check); }} }})();</script>"
    )
}

/// The two pages of the paint figure, written into the assets the worker serves.
fn write_pages(catalogue: &guanai_core::Catalogue) {
    let directory = root().join("target/assets/bench");
    std::fs::create_dir_all(&directory).expect("the bench page directory");
    let head = "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
    let items: String = catalogue
        .benefits
        .iter()
        .map(|benefit| {
            let partner = catalogue
                .partners
                .iter()
                .find(|p| p.id == benefit.partner)
                .map(|p| p.name.zh.as_str())
                .unwrap_or_default();
            format!(
                "<li><h3>{}</h3><p>{}</p><p>{}</p></li>",
                escape(&benefit.title.zh),
                escape(partner),
                escape(&benefit.description.zh)
            )
        })
        .collect();
    let count = catalogue.benefits.len();
    let static_page = format!(
        "{head}<title>static list</title>{}</head><body><h1>福利</h1><ul>{items}</ul></body></html>",
        paint_probe(&format!(
            "document.querySelectorAll('li').length === {count}"
        ))
    );
    let finder_page = format!(
        "{head}<title>finder</title>{}<script type=\"module\" src=\"/guanai.js\"></script></head><body><h1>福利</h1><guanai-benefit-finder lang=\"zh-CN\"></guanai-benefit-finder></body></html>",
        paint_probe(
            "document.querySelector('guanai-benefit-finder')?.shadowRoot?.querySelector('li.card')"
        )
    );
    std::fs::write(directory.join("static.html"), static_page).expect("static page");
    std::fs::write(directory.join("finder.html"), finder_page).expect("finder page");
}

/// Publishes `catalogue` into the local KV at `state`, as `cargo xtask dev` seeds it.
fn publish(state: &str, catalogue: &guanai_core::Catalogue) {
    let entries = guanai_edge::catalog::publish_entries(catalogue).expect("a valid catalogue");
    std::fs::create_dir_all(state).expect("state directory");
    let file = format!("{state}/bench-seed.json");
    std::fs::write(&file, serde_json::to_string(&entries).expect("JSON")).expect("seed file");
    wrangler_kv_in(state, &["bulk", "put", &file]);
}

async fn paint_figures(base: &str) -> Value {
    let client = browser().await;
    let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for run in 0..=PAINT_RUNS {
        for (which, page) in ["static", "finder"].into_iter().enumerate() {
            client
                .goto(&format!("{base}/bench/{page}.html"))
                .await
                .expect("the page loads");
            let painted = guanai_e2e::wait_until(&client, "return window.paintedAt").await;
            // The first load of each page warms the HTTP cache and the wasm compile cache, as a
            // returning visitor's browser would be.
            if run > 0 {
                times[which].push(painted.as_f64().expect("a time"));
            }
        }
    }
    let _ = client.close().await;
    let [static_list, finder] = times.map(median);
    json!({
        "static_list_paint_ms": static_list,
        "finder_paint_ms": finder,
        "finder_paint_ratio": finder / static_list,
        "runs": PAINT_RUNS,
    })
}

/// `CLIENTS` threads GET `url` for `ROUND`; returns requests per second and latencies (ms).
fn hammer(url: &str) -> (f64, Vec<f64>) {
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (url, stop) = (url.to_string(), stop.clone());
            std::thread::spawn(move || {
                let agent = http();
                let mut latencies = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    let mut response = agent.get(&url).call().expect("the worker answers");
                    let body = response.body_mut().read_to_string().expect("a body");
                    assert!(
                        response.status() == 200 && body.len() > 1000,
                        "{url}: {}",
                        response.status()
                    );
                    latencies.push(started.elapsed().as_secs_f64() * 1000.0);
                }
                latencies
            })
        })
        .collect();
    std::thread::sleep(ROUND);
    stop.store(true, Ordering::Relaxed);
    let mut latencies: Vec<f64> = threads
        .into_iter()
        .flat_map(|thread| thread.join().expect("client thread"))
        .collect();
    latencies.sort_by(f64::total_cmp);
    (latencies.len() as f64 / ROUND.as_secs_f64(), latencies)
}

fn catalogue_figures(rust: &str, javascript: &str) -> Value {
    let mut rounds: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut latencies: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    // Warm both isolates first.
    for base in [rust, javascript] {
        http()
            .get(format!("{base}/v1/catalog"))
            .call()
            .expect("warm-up");
    }
    for _ in 0..ROUNDS {
        for (which, base) in [rust, javascript].into_iter().enumerate() {
            let (rate, mut seen) = hammer(&format!("{base}/v1/catalog"));
            rounds[which].push(rate);
            latencies[which].append(&mut seen);
        }
    }
    for seen in &mut latencies {
        seen.sort_by(f64::total_cmp);
    }
    let [rust_rps, js_rps] = rounds.map(median);
    json!({
        "rust_rps": rust_rps,
        "js_rps": js_rps,
        "rust_to_js_throughput": rust_rps / js_rps,
        "rust_p50_ms": percentile(&latencies[0], 0.5),
        "rust_p99_ms": percentile(&latencies[0], 0.99),
        "js_p50_ms": percentile(&latencies[1], 0.5),
        "js_p99_ms": percentile(&latencies[1], 0.99),
        "clients": CLIENTS,
        "rounds": ROUNDS,
        "round_s": ROUND.as_secs_f64(),
    })
}

/// Sign-ups per second: challenges fetched and solved first (a browser's work, not the
/// server's), then `SIGNUPS` submissions from `CLIENTS` threads, each a different person on a
/// different address.
fn signup_figures(base: &str) -> Value {
    let bodies: Vec<String> = (0..SIGNUPS)
        .map(|i| {
            let challenge = solved_challenge_from(base).expect("a challenge");
            json!({
                "form": {
                    "name": "压力测试", "mobile": format!("1890{i:07}"), "association": "beijing",
                    "region": "110105", "employer": "测试社工站", "level": "senior", "interests": ["career"],
                    "consents": {"notice_version": NOTICE_VERSION, "privacy": true, "cross_border": true}
                },
                "challenge": challenge,
                "elapsed_ms": 20_000
            })
            .to_string()
        })
        .collect();
    let bodies = Arc::new(bodies);
    let started = Instant::now();
    let threads: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let (bodies, base) = (bodies.clone(), base.to_string());
            std::thread::spawn(move || {
                let agent = http();
                for i in (client..SIGNUPS).step_by(CLIENTS) {
                    let mut response = agent
                        .post(format!("{base}/v1/signups"))
                        .header("Idempotency-Key", format!("bench-signup-{i}"))
                        .header(
                            "CF-Connecting-IP",
                            format!("198.20.{}.{}", i / 250, i % 250),
                        )
                        .header("Content-Type", "application/json")
                        .send(bodies[i].as_str())
                        .expect("the worker answers");
                    let body = response.body_mut().read_to_string().unwrap_or_default();
                    assert_eq!(response.status(), 201, "{body}");
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("client thread");
    }
    let elapsed = started.elapsed().as_secs_f64();
    json!({ "signups_per_s": SIGNUPS as f64 / elapsed, "signups": SIGNUPS, "clients": CLIENTS })
}

/// Both workers serving `/v1/catalog` from the local KV in `state`, alternating: the Rust worker
/// started with `rust_args`, the JavaScript one with `js_args`.
fn catalogue_pair(state: &std::path::Path, rust_args: &[&str], js_args: &[&str]) -> Value {
    let rust = OwnWorker::start_with(&root().join("wrangler.toml"), state, free_port(), rust_args);
    let javascript = OwnWorker::start_with(
        &root().join("tests/bench-js-worker/wrangler.toml"),
        state,
        free_port(),
        js_args,
    );
    catalogue_figures(&rust.base(), &javascript.base())
}

/// The median of `runs` timings of `request` (milliseconds), after one untimed warm-up run.
fn timed(runs: usize, mut request: impl FnMut()) -> f64 {
    request();
    median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                request();
                started.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

fn scale_figures() -> Value {
    const ADMIN: &str = "bench.admin";
    let state = root().join("target/bench/scale-state");
    let _ = std::fs::remove_dir_all(&state);
    let started = Instant::now();
    let keys = seed(&state, &PROGRAMME, now_ms(), ADMIN);
    let seed_s = started.elapsed().as_secs_f64();
    eprintln!("bench: {keys} keys in local KV in {seed_s:.0} s");
    let worker = OwnWorker::start_with(
        &root().join("wrangler.toml"),
        &state,
        free_port(),
        &["--test-scheduled"],
    );
    let base = worker.base();
    let staff = api_sign_in_at(&base, ADMIN);

    let ask = |(method, path): (&str, &str), status: u16| {
        let body = (method == "POST").then(|| json!({}));
        expect_at(&base, (method, path), Some(&staff), body, status)
    };
    let publish_ms = timed(2, || {
        let answer = ask(("POST", "/v1/admin/catalog/publish"), 201);
        assert_eq!(answer["benefits"], PROGRAMME.benefits, "{answer}");
    });
    let export_ms = timed(2, || {
        let (status, headers, csv) =
            call_at(&base, "GET", "/v1/admin/signups.csv", Some(&staff), None);
        assert_eq!(status, 200);
        assert!(headers.iter().all(|(name, _)| name != "x-next-cursor"));
        let rows = csv.iter().filter(|byte| **byte == b'\n').count();
        assert_eq!(rows, 1 + PROGRAMME.signups, "every sign-up in one file");
    });
    let dashboard = || {
        ask(("GET", "/v1/admin/insight"), 200);
    };
    let dashboard_counting_ms = timed(3, dashboard);
    let rollup_ms = timed(1, || {
        let mut response = http()
            .get(format!("{base}/__scheduled?cron=*/10+*+*+*+*"))
            .call()
            .expect("the scheduled event runs");
        assert_eq!(
            response.status(),
            200,
            "{:?}",
            response.body_mut().read_to_string()
        );
    });
    let dashboard_rolled_up_ms = timed(3, dashboard);
    let rare_page_ms = timed(5, || {
        let page = ask(("GET", "/v1/admin/signups?status=rejected"), 200);
        assert_eq!(
            page["signups"].as_array().map(Vec::len),
            Some(50),
            "a full page"
        );
    });
    eprintln!(
        "bench: publish {publish_ms:.0} ms, export {export_ms:.0} ms, dashboard {dashboard_counting_ms:.0} / {dashboard_rolled_up_ms:.0} ms, rollup {rollup_ms:.0} ms, rare page {rare_page_ms:.0} ms"
    );
    json!({
        "keys": keys,
        "seed_s": seed_s,
        "publish_10000_ms": publish_ms,
        "export_50000_ms": export_ms,
        "dashboard_counting_ms": dashboard_counting_ms,
        "rollup_ms": rollup_ms,
        "dashboard_rolled_up_ms": dashboard_rolled_up_ms,
        "rare_status_first_page_ms": rare_page_ms,
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    if std::env::args().nth(1).as_deref() == Some("scale") {
        println!("{}", json!({ "scale": scale_figures() }));
        return;
    }
    let state = root().join("target/bench/catalog-state");
    let _ = std::fs::remove_dir_all(&state);
    let state_text = state.to_string_lossy().into_owned();
    let catalogue = guanai_core::synthetic::catalogue(BENEFITS);
    publish(&state_text, &catalogue);
    write_pages(&catalogue);

    let rust = OwnWorker::start(&state, free_port());
    let paint = paint_figures(&rust.base()).await;
    let signups = signup_figures(&rust.base());
    drop(rust);
    // Like with like: the snapshot kept 15 s in both isolates, then read from KV by both.
    let cached = catalogue_pair(&state, &[], &["--var", "CACHE_MS:15000"]);
    let uncached = catalogue_pair(&state, &["--var", "SNAPSHOT_TTL_MS:0"], &[]);
    println!(
        "{}",
        json!({
            "paint": paint,
            "catalogue": {"cached": cached, "uncached": uncached},
            "signups": signups,
            "benefits": BENEFITS,
        })
    );
}
