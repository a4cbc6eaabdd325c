//! Installs what is missing, skips what is there. Versions are those ARCHITECTURE § Toolchain
//! lists: the ones known to work together on these machines.

use std::path::PathBuf;
use std::process::Command;

use crate::process::{run, stdout_of};
use crate::{Result, root};

/// worker-build's version; it must match the `worker` crate (0.8.7).
const WORKER_BUILD_VERSION: &str = "0.8.7";

/// Paths of the tools the build drives.
#[derive(Debug, Clone)]
pub struct Tools {
    pub wasm_bindgen: PathBuf,
    pub worker_build: PathBuf,
    /// npm binaryen 132. Never Debian's wasm-opt 108, which silently breaks the wasm.
    pub wasm_opt: PathBuf,
    /// binaryen's dead-export remover, from the same package as wasm-opt.
    pub wasm_metadce: PathBuf,
    /// wrangler's own esbuild, for worker-build.
    pub esbuild: PathBuf,
    pub wrangler: PathBuf,
}

/// Everything `build` and `dev` need.
pub fn ensure_build_tools() -> Result<Tools> {
    ensure_wasm_target()?;
    ensure_rust_src()?;
    let wasm_bindgen = ensure_wasm_bindgen()?;
    let worker_build = ensure_cargo_tool("worker-build", WORKER_BUILD_VERSION)?;
    ensure_node_modules()?;
    let bin = root().join("node_modules/.bin");
    Ok(Tools {
        wasm_bindgen,
        worker_build,
        wasm_opt: bin.join("wasm-opt"),
        wasm_metadce: bin.join("wasm-metadce"),
        esbuild: bin.join("esbuild"),
        wrangler: bin.join("wrangler"),
    })
}

/// Headless Chromium and its WebDriver, for the browser tiers.
pub fn ensure_chromium() -> Result {
    let present = |path: &str| std::path::Path::new(path).exists();
    if present("/usr/bin/chromium") && present("/usr/bin/chromedriver") {
        return Ok(());
    }
    eprintln!("installing Debian's chromium and chromium-driver (one time)…");
    let apt = |args: &[&str]| {
        let mut command = if is_root() {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut command)
    };
    apt(&["update", "-q"])?;
    apt(&["install", "-y", "-q", "chromium", "chromium-driver"])
}

fn is_root() -> bool {
    stdout_of(Command::new("id").arg("-u")).is_some_and(|uid| uid == "0")
}

fn ensure_wasm_target() -> Result {
    ensure_rustup("target", "wasm32-unknown-unknown")
}

/// The standard library's source, which the shipped wasm is built with (`-Zbuild-std`).
fn ensure_rust_src() -> Result {
    ensure_rustup("component", "rust-src")
}

/// `rustup <kind> add <name>` unless `rustup <kind> list --installed` already names it.
fn ensure_rustup(kind: &str, name: &str) -> Result {
    let installed =
        stdout_of(Command::new("rustup").args([kind, "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == name) {
        return Ok(());
    }
    run(Command::new("rustup").args([kind, "add", name]))
}

/// wasm-bindgen's CLI must be exactly the version of the `wasm-bindgen` crate in Cargo.lock.
fn ensure_wasm_bindgen() -> Result<PathBuf> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|error| format!("Cargo.lock: {error}"))?;
    let version = lock
        .split("[[package]]")
        .find(|package| package.contains("name = \"wasm-bindgen\"\n"))
        .and_then(|package| {
            package
                .lines()
                .find_map(|line| line.strip_prefix("version = \""))
        })
        .and_then(|rest| rest.strip_suffix('"'))
        .ok_or("wasm-bindgen is not in Cargo.lock")?
        .to_string();
    ensure_cargo_tool_as("wasm-bindgen", "wasm-bindgen-cli", &version)
}

fn ensure_cargo_tool(binary: &str, version: &str) -> Result<PathBuf> {
    ensure_cargo_tool_as(binary, binary, version)
}

/// Installs crate `package` at exactly `version` unless `binary --version` already reports it.
/// Without `--locked`: wasm-bindgen-cli's lockfile names a crate version the registry here lacks.
fn ensure_cargo_tool_as(binary: &str, package: &str, version: &str) -> Result<PathBuf> {
    let path = cargo_bin().join(binary);
    let reported = stdout_of(Command::new(&path).arg("--version")).unwrap_or_default();
    if reported.split_whitespace().any(|word| word == version) {
        return Ok(path);
    }
    eprintln!("installing {package} {version} (one time, several minutes)…");
    run(Command::new("cargo").args(["install", package, "--version", &format!("={version}")]))?;
    Ok(path)
}

fn cargo_bin() -> PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    cargo_home.join("bin")
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
fn ensure_node_modules() -> Result {
    let root = root();
    let installed = root.join("node_modules/.package-lock.json");
    let lock = root.join("package-lock.json");
    let modified = |path: &std::path::Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    let current = matches!((modified(&installed), modified(&lock)), (Some(installed), Some(lock)) if installed >= lock);
    if current
        && root.join("node_modules/.bin/wrangler").exists()
        && root.join("node_modules/.bin/wasm-opt").exists()
    {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(&root))
}
