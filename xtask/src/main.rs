//! `cargo xtask <command>` — the project's automation, in Rust so that a fresh machine needs
//! nothing but cargo and Node.js to start.
//!
//! - `dev`   install what is missing, build, seed local KV with the demo programme, serve
//!   everything from `wrangler dev` on http://127.0.0.1:8787.
//! - `test`  install what is missing and run every test tier (native, wasm in headless
//!   Chromium, end-to-end against `wrangler dev`).
//! - `build` build the widget bundle and the worker; print the size of every shipped artefact.
//! - `bench` print performance figures (search over a 10,000-benefit catalogue, sizes).
//! - `admin create` bootstrap the first plan admin (or reset a password) in local or deployed KV.
//! - `fuzz`  run the property suites optimised with many cases (`--cases N`, default 20,000).

mod admin;
mod bench;
mod build;
mod fuzz;
mod pages;
mod process;
mod serve;
mod shrink;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Every failure ends the command with this message.
pub type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <dev | test | build | bench | admin | fuzz>

  dev     build everything, seed local KV with the demo programme, serve on http://127.0.0.1:8787
  test    run every test tier: native, wasm-bindgen-test in headless Chromium, end-to-end
          (`test e2e`, `test lint native`: only those tiers, of lint, native, wasm, e2e)
  build   build the widget bundle (pkg/) and the worker; print artefact sizes
  bench   print performance figures (`bench login`: only what a staff login costs;
          `bench pages`: only sizes and the example pages in Lighthouse;
          `bench scale`: only the programme at full size, time and KV operations;
          `bench workers`: only paint, catalogue throughput and sign-ups on wrangler dev;
          `bench search`: only native search and what pinyin readings cost;
          `bench browser`: only the headless-Chromium benches)
  admin   create a staff account in local or deployed KV (`cargo xtask admin create --help`)
  fuzz    run the property suites optimised, PROPTEST_CASES=20000 (`--cases N` to change)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => serve::dev(),
        Some("test") => test::all(&args[1..]),
        Some("build") => build::command(),
        Some("bench") => bench::command(args.get(1).map(String::as_str)),
        Some("admin") => admin::command(&args[1..]),
        Some("fuzz") => fuzz::command(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}
