//! The example pages as a social worker's phone loads them, for `cargo xtask bench`.
//!
//! Each page is opened by Lighthouse (npm `lighthouse@12.2.3`, Debian's Chromium) in its mobile
//! emulation — a mid-range phone on slow 4G with a 4× slower CPU — against the real worker under
//! `wrangler dev` with the demo programme. Lighthouse runs [`RUNS`] times per page and the run
//! with the median performance score is reported: performance, accessibility, cumulative layout
//! shift, largest contentful paint and time to interactive.
//!
//! The same run's network log says which files of our bundle the page fetched (the loader and
//! the files of `guanai-<hash>/`). Their size is counted brotli-compressed at quality 11, as
//! Cloudflare serves them to browsers that ask for it (`wrangler dev` sends them uncompressed or
//! gzipped), and the catalogue's JSON is reported on its own.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::build::{bundle_files, sizes};
use crate::process::free_port;
use crate::tools::Tools;
use crate::{Result, root, serve};

/// Lighthouse runs per page.
const RUNS: usize = 3;

/// Every example page and the plain catalogue pages (by path on the worker), with the brotli
/// budget of the bundle code each fetches (issue 12): a page with one element ≤ 100 KB, the map
/// with its finder ≤ 150 KB. The worker's asset server answers `x.html` with a redirect to `x`:
/// the pages are measured, not the redirect.
const PAGES: &[(&str, Option<f64>)] = &[
    ("/examples/", None),
    ("/examples/partner-site", Some(100.0)),
    ("/examples/association-site", Some(100.0)),
    ("/examples/signup", Some(100.0)),
    ("/examples/partner-apply", Some(100.0)),
    ("/examples/my-signup", Some(100.0)),
    ("/me", Some(100.0)),
    ("/examples/map", Some(150.0)),
    ("/catalog", Some(0.0)),
    ("/catalog/weier-dental-checkup?lang=en", Some(0.0)),
];

/// What one page measured.
pub struct PageFigures {
    pub page: &'static str,
    pub budget_kb: Option<f64>,
    /// Brotli bytes of the bundle files the page fetched, and their names.
    pub code_brotli: usize,
    pub files: Vec<String>,
    pub performance: f64,
    pub accessibility: f64,
    pub cls: f64,
    pub lcp_ms: f64,
    pub tti_ms: f64,
}

/// The bundle as a whole: every file of every element, and the catalogue's JSON.
pub struct BundleFigures {
    pub all_elements_brotli: usize,
    pub catalogue_brotli: usize,
    pub catalogue_raw: usize,
}

/// Runs Lighthouse over every example page against a worker of its own with the demo
/// programme; the build is already done.
pub fn measure(tools: &Tools) -> Result<(Vec<PageFigures>, BundleFigures)> {
    serve::ensure_dev_secrets()?;
    let state = root().join("target/bench-pages/state");
    let _ = std::fs::remove_dir_all(&state);
    serve::seed_demo(tools, &state)?;
    let port = free_port()?;
    let _worker = serve::start_worker(tools, &state, port)?;
    let base = format!("http://127.0.0.1:{port}");
    let lighthouse = root().join("node_modules/.bin/lighthouse");
    let mut pages = Vec::new();
    for (page, budget_kb) in PAGES {
        let url = format!("{base}{page}");
        let mut runs: Vec<Value> = (0..RUNS)
            .map(|_| run_lighthouse(&lighthouse, &url))
            .collect::<Result<_>>()?;
        runs.sort_by(|a, b| score(a, "performance").total_cmp(&score(b, "performance")));
        let report = &runs[runs.len() / 2];
        let files = bundle_urls(report, &base);
        let code_brotli = files
            .iter()
            .map(|file| sizes(&root().join("pkg").join(file)).2)
            .sum();
        pages.push(PageFigures {
            page,
            budget_kb: *budget_kb,
            code_brotli,
            files,
            performance: score(report, "performance") * 100.0,
            accessibility: score(report, "accessibility") * 100.0,
            cls: numeric(report, "cumulative-layout-shift"),
            lcp_ms: numeric(report, "largest-contentful-paint"),
            tti_ms: numeric(report, "interactive"),
        });
    }
    let all_elements_brotli = bundle_files(&root().join("pkg"))
        .iter()
        .map(|path| sizes(path).2)
        .sum();
    // What the worker serves at /v1/catalog: the demo programme as publishing serialises it.
    let catalogue = crate::serve::demo_snapshot()?;
    let scratch = root().join("target/bench-pages/catalog.json");
    std::fs::write(&scratch, &catalogue).map_err(|error| error.to_string())?;
    let (catalogue_raw, _, catalogue_brotli) = sizes(&scratch);
    Ok((
        pages,
        BundleFigures {
            all_elements_brotli,
            catalogue_brotli,
            catalogue_raw,
        },
    ))
}

fn run_lighthouse(lighthouse: &Path, url: &str) -> Result<Value> {
    let output = Command::new(lighthouse)
        .arg(url)
        .args([
            "--output=json",
            "--output-path=stdout",
            "--quiet",
            "--only-categories=performance,accessibility",
            "--chrome-path=/usr/bin/chromium",
            // As root, sandboxless; no background traffic (this machine's network is closed).
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu --no-first-run \
             --disable-background-networking --disable-component-update --disable-sync",
        ])
        .current_dir(root())
        .output()
        .map_err(|error| format!("lighthouse: {error} (cargo xtask installs it with npm ci)"))?;
    let report: Value = serde_json::from_slice(&output.stdout).map_err(|error| {
        format!(
            "lighthouse on {url} printed no report ({error}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    if let Some(problem) = report
        .pointer("/runtimeError/message")
        .and_then(Value::as_str)
    {
        return Err(format!("lighthouse on {url}: {problem}"));
    }
    Ok(report)
}

fn score(report: &Value, category: &str) -> f64 {
    report
        .pointer(&format!("/categories/{category}/score"))
        .and_then(Value::as_f64)
        .unwrap_or(f64::NAN)
}

fn numeric(report: &Value, audit: &str) -> f64 {
    report
        .pointer(&format!("/audits/{audit}/numericValue"))
        .and_then(Value::as_f64)
        .unwrap_or(f64::NAN)
}

/// The bundle files a page fetched, as paths under `pkg/`: the loader and the files of the
/// content-hashed directory, from the worker at `base`.
fn bundle_urls(report: &Value, base: &str) -> Vec<String> {
    let mut files: Vec<String> = report
        .pointer("/audits/network-requests/details/items")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| item["url"].as_str())
        .filter_map(|url| url.strip_prefix(base))
        .map(|path| path.trim_start_matches('/').to_string())
        .filter(|path| path == "guanai.js" || path.starts_with("guanai-"))
        .collect();
    files.sort();
    files.dedup();
    files
}
