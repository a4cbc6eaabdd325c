//! `cargo xtask test`: every tier, in order of speed, stopping at the first failure.
//!
//! 0. formatting and clippy (`-D warnings`), native and wasm32;
//! 1. native `cargo test`: domain and edge request handling;
//! 2. `wasm-bindgen-test` in headless Chromium: the widget and admin view components;
//! 3. end-to-end: the real worker under `wrangler dev` with freshly seeded local KV, the example
//!    pages in headless Chromium over WebDriver, and HTTP checks of the API.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::process::{Service, free_port, run};
use crate::tools::{ensure_build_tools, ensure_chromium};
use crate::{Result, build, root, serve};

/// Debian's ChromeDriver (package chromium-driver), matching Debian's Chromium.
pub const CHROMIUM_DRIVER: &str = "/usr/bin/chromedriver";

/// The tiers `cargo xtask test` runs when not told which.
pub const TIERS: &[&str] = &["lint", "native", "wasm", "e2e"];

/// Runs `only` of [`TIERS`] (all of them when empty), in that order.
pub fn all(only: &[String]) -> Result {
    if let Some(unknown) = only.iter().find(|tier| !TIERS.contains(&tier.as_str())) {
        return Err(format!(
            "no tier {unknown:?}; the tiers are {}",
            TIERS.join(", ")
        ));
    }
    let wanted = |tier: &str| only.is_empty() || only.iter().any(|name| name == tier);
    let started = Instant::now();
    let tools = ensure_build_tools()?;
    ensure_chromium()?;
    let root = root();
    let cargo = || {
        let mut command = Command::new("cargo");
        command.current_dir(&root);
        command
    };
    let mut timings = Vec::new();
    let mut tier = |name: &str, body: &mut dyn FnMut() -> Result| -> Result {
        let short = name.split(':').next().unwrap_or_default();
        let short = match short {
            "tier 1" => "native",
            "tier 2" => "wasm",
            "tier 3" => "e2e",
            other => other,
        };
        if !wanted(short) {
            return Ok(());
        }
        eprintln!("\n== {name}");
        let tier_started = Instant::now();
        body()?;
        timings.push((name.to_string(), tier_started.elapsed()));
        Ok(())
    };

    tier("lint: rustfmt and clippy", &mut || {
        run(cargo().args(["fmt", "--all", "--", "--check"]))?;
        run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
        run(cargo().args([
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--package",
            "guanai-widgets",
            "--package",
            "guanai-admin",
            "--package",
            "guanai-edge",
            "--",
            "-D",
            "warnings",
        ]))
    })?;

    tier(
        "tier 1: native tests (domain, edge request handling)",
        &mut || {
            run(cargo().args([
                "test",
                "--workspace",
                "--exclude",
                "guanai-e2e",
                "--exclude",
                "guanai-widgets",
                "--exclude",
                "guanai-admin",
            ]))
        },
    )?;

    tier(
        "tier 2: wasm-bindgen-test in headless Chromium (widgets, admin view)",
        &mut || {
            run(cargo()
                .args([
                    "test",
                    "--package",
                    "guanai-widgets",
                    "--package",
                    "guanai-admin",
                    "--target",
                    "wasm32-unknown-unknown",
                ])
                .env(
                    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                    tools
                        .wasm_bindgen
                        .with_file_name("wasm-bindgen-test-runner"),
                )
                .env("CHROMEDRIVER", CHROMIUM_DRIVER)
                .env("WASM_BINDGEN_TEST_TIMEOUT", "180"))
        },
    )?;

    tier(
        "tier 3: end-to-end (wrangler dev + local KV + headless Chromium)",
        &mut || {
            build::all(&tools)?;
            build::check_package()?;
            serve::ensure_dev_secrets()?;
            let state = root.join("target/e2e/state");
            let _ = std::fs::remove_dir_all(&state);
            serve::seed_demo(&tools, &state)?;
            let worker_port = free_port()?;
            let _worker = serve::start_worker(&tools, &state, worker_port)?;
            let driver_port = free_port()?;
            let _driver = Service::start(
                "chromedriver",
                Command::new(CHROMIUM_DRIVER).arg(format!("--port={driver_port}")),
                "started successfully",
                Duration::from_secs(60),
            )?;
            run(cargo()
                .args([
                    "test",
                    "--package",
                    "guanai-e2e",
                    "--",
                    "--test-threads",
                    "2",
                ])
                // While working on one test: GUANAI_E2E_FILTER=name runs only the matching ones.
                .args(std::env::var("GUANAI_E2E_FILTER").ok())
                .env("GUANAI_BASE", format!("http://127.0.0.1:{worker_port}"))
                .env(
                    "GUANAI_WEBDRIVER",
                    format!("http://127.0.0.1:{driver_port}"),
                )
                .env("GUANAI_EXAMPLES", root.join("examples"))
                .env("GUANAI_KV_STATE", &state)
                .env("GUANAI_WRANGLER", &tools.wrangler))
        },
    )?;

    eprintln!("\nall tiers passed in {:.0?}", started.elapsed());
    for (name, took) in timings {
        eprintln!("  {took:>8.1?}  {name}");
    }
    Ok(())
}
