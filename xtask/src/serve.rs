//! Local KV seeding and `wrangler dev`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::build;
use crate::process::{Service, run};
use crate::tools::{Tools, ensure_build_tools};
use crate::{Result, root};

/// Where `cargo xtask dev` keeps local KV between runs.
pub const DEV_STATE: &str = ".wrangler/state";
/// The port `cargo xtask dev` serves on (README § The two commands).
pub const DEV_PORT: u16 = 8787;

/// `cargo xtask dev`.
pub fn dev() -> Result {
    let tools = ensure_build_tools()?;
    ensure_dev_secrets()?;
    let outputs = build::all(&tools)?;
    build::print_sizes(&outputs);
    let state = root().join(DEV_STATE);
    seed_demo(&tools, &state)?;
    let base = format!("http://127.0.0.1:{DEV_PORT}");
    println!("Guanai is starting on {base}");
    println!("  examples:   {base}/examples/");
    println!("  partner:    {base}/examples/partner-site.html");
    println!("  association:{base}/examples/association-site.html");
    println!("  sign-up:    {base}/examples/signup.html");
    println!("  my sign-up: {base}/me#<secret> (the link a sign-up shows)");
    println!("  partners:   {base}/examples/partner-apply.html");
    println!("  map:        {base}/examples/map.html");
    println!("  catalogue:  {base}/catalog   (plain HTML, no script; ?lang=en)");
    println!("  API:        {base}/v1/catalog   {base}/v1/health");
    println!("  bundle:     {base}/guanai.js");
    println!("  admin:      {base}/admin   (association staff: sign in with a local account)");
    println!(
        "              no account yet? in another terminal: cargo xtask admin create --username <you>"
    );
    println!(
        "              (asks for a password, at least 12 characters; creates a plan admin in this local KV)"
    );
    println!("Stop with Ctrl-C.\n");
    // A port found free can be taken (e.g. as an outgoing connection's source port) before
    // workerd binds it; then wrangler exits at once, and a fresh port is the whole fix.
    let mut attempt = 1;
    loop {
        let inspector = crate::process::free_port()?;
        let started = std::time::Instant::now();
        match run(&mut wrangler_dev(&tools, &state, DEV_PORT, inspector)) {
            Err(error) if attempt < 3 && started.elapsed() < Duration::from_secs(30) => {
                eprintln!("wrangler stopped while starting ({error}); trying again");
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}

/// The secrets `wrangler dev` reads from `.dev.vars`: written once with fresh random keys, kept
/// afterwards (changing them would make locally stored sign-ups unreadable). Never committed.
pub fn ensure_dev_secrets() -> Result {
    let path = root().join(".dev.vars");
    if path.exists() {
        return Ok(());
    }
    let random: [u8; 96] = random_bytes()?;
    let hex = guanai_core::challenge::hex;
    let text = format!(
        "# Local secrets for `wrangler dev`, made by `cargo xtask`. Not committed; deployed\n\
         # environments use `npx wrangler secret put NAME` instead.\n\
         PERSONAL_DATA_KEY={}\nMOBILE_HASH_KEY={}\nCHALLENGE_KEY={}\n",
        hex(&random[..32]),
        hex(&random[32..64]),
        hex(&random[64..])
    );
    std::fs::write(&path, text).map_err(|error| format!("{}: {error}", path.display()))?;
    eprintln!("wrote {} with fresh local keys", path.display());
    Ok(())
}

/// `N` bytes from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut random = [0u8; N];
    std::io::Read::read_exact(
        &mut std::fs::File::open("/dev/urandom")
            .map_err(|error| format!("/dev/urandom: {error}"))?,
        &mut random,
    )
    .map_err(|error| format!("/dev/urandom: {error}"))?;
    Ok(random)
}

/// The `wrangler dev` command for the real runtime (workerd) with local KV in `state`.
pub fn wrangler_dev(tools: &Tools, state: &Path, port: u16, inspector_port: u16) -> Command {
    let mut command = Command::new(&tools.wrangler);
    command
        .args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
        .args(["--inspector-port", &inspector_port.to_string()])
        .arg("--persist-to")
        .arg(state)
        .arg("--show-interactive-dev-session=false")
        .current_dir(root());
    quiet_wrangler(&mut command);
    command
}

/// Starts `wrangler dev` in the background and waits for its "Ready on" line.
/// Retries with fresh ports if it exits while starting (see `dev`).
pub fn start_worker(tools: &Tools, state: &Path, port: u16) -> Result<Service> {
    let mut attempt = 1;
    loop {
        let inspector = crate::process::free_port()?;
        match Service::start(
            "wrangler",
            &mut wrangler_dev(tools, state, port, inspector),
            "Ready on",
            Duration::from_secs(120),
        ) {
            Err(error) if attempt < 3 && error.contains("exited before it was ready") => {
                eprintln!("{error}; trying again");
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}

/// No telemetry and no calls to Cloudflare from a local run.
pub fn quiet_wrangler(command: &mut Command) {
    command
        .env("WRANGLER_SEND_METRICS", "false")
        .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
        .env("NO_UPDATE_NOTIFIER", "1");
}

/// Publishes the demo programme into local KV at `state`, unless that exact snapshot is
/// already there (a stamp beside the state records the ETag last seeded).
pub fn seed_demo(tools: &Tools, state: &Path) -> Result {
    let entries = demo_entries()?;
    let etag = entries
        .last()
        .map(|entry| entry.metadata.etag.clone())
        .unwrap_or_default();
    let stamp = state.join("guanai-demo-seeded");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(etag.as_str()) {
        eprintln!("local KV: demo programme already seeded");
        return Ok(());
    }
    put_entries(tools, state, &entries)?;
    std::fs::write(&stamp, etag).map_err(|error| format!("{}: {error}", stamp.display()))
}

/// The KV writes that publish the demo programme, with its pinyin as publishing adds it.
fn demo_entries() -> Result<Vec<guanai_edge::catalog::KvEntry>> {
    let mut programme = guanai_core::demo::programme();
    guanai_core::pinyin::generate::table().annotate(&mut programme);
    guanai_edge::catalog::publish_entries(&programme).map_err(|errors| {
        format!(
            "the demo programme does not validate: {}",
            serde_json::to_string(&errors).unwrap_or_default()
        )
    })
}

/// The demo programme's snapshot as the worker serves it at `/v1/catalog`.
pub fn demo_snapshot() -> Result<String> {
    demo_entries()?
        .pop()
        .map(|entry| entry.value)
        .ok_or_else(|| "publishing the demo wrote nothing".to_string())
}

/// Writes `entries` into local KV with one `wrangler kv bulk put`, in order.
pub fn put_entries(
    tools: &Tools,
    state: &Path,
    entries: &[guanai_edge::catalog::KvEntry],
) -> Result {
    std::fs::create_dir_all(state).map_err(|error| format!("{}: {error}", state.display()))?;
    let file: PathBuf = state.join("guanai-seed.json");
    let json = serde_json::to_string(entries).map_err(|error| error.to_string())?;
    std::fs::write(&file, json).map_err(|error| format!("{}: {error}", file.display()))?;
    let mut command = Command::new(&tools.wrangler);
    command
        .args(["kv", "bulk", "put"])
        .arg(&file)
        .args(["--binding", "GUANAI_KV", "--local", "--persist-to"])
        .arg(state)
        .current_dir(root());
    quiet_wrangler(&mut command);
    run(&mut command)
}
