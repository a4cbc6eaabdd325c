//! `cargo xtask admin create`: the first plan admin (and password resets), written straight to
//! KV — local for `cargo xtask dev`, or the deployed namespace with `--remote`. There is no
//! default account and no default password: someone with access to the Cloudflare account runs
//! this once, then creates everyone else in the admin view.

use std::io::{BufRead, IsTerminal, Write};
use std::process::{Command, Stdio};

use guanai_core::Association;
use guanai_core::staff::{Role, Staff};
use guanai_edge::admin::staff::{key, metadata, new_record};

use crate::serve::{DEV_STATE, quiet_wrangler, random_bytes};
use crate::tools::ensure_build_tools;
use crate::{Result, root};

pub const USAGE: &str = "usage: cargo xtask admin create --username NAME [--role plan_admin|association_admin|viewer]
                               [--association beijing|tianjin|hebei] [--remote [--env ENV]] [--replace]

  The password is read from GUANAI_ADMIN_PASSWORD if set, otherwise asked for (not echoed).
  Without --remote it writes to the local KV of `cargo xtask dev`.";

/// `cargo xtask admin …`.
pub fn command(args: &[String]) -> Result {
    match args.first().map(String::as_str) {
        Some("create") => create(&args[1..]),
        _ => Err(USAGE.into()),
    }
}

fn create(args: &[String]) -> Result {
    let mut username = None;
    let mut role = Role::PlanAdmin;
    let mut association = None;
    let mut remote = false;
    let mut env = None;
    let mut replace = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || {
            rest.next()
                .cloned()
                .ok_or(format!("{arg} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--username" => username = Some(value()?),
            "--role" => {
                role = serde_json::from_value(serde_json::Value::String(value()?))
                    .map_err(|_| format!("unknown role\n{USAGE}"))?
            }
            "--association" => {
                association = Some(
                    value()?
                        .parse::<Association>()
                        .map_err(|_| format!("unknown association\n{USAGE}"))?,
                )
            }
            "--remote" => remote = true,
            "--env" => env = Some(value()?),
            "--replace" => replace = true,
            other => return Err(format!("unknown option {other}\n{USAGE}")),
        }
    }
    let username = username.ok_or(format!("--username is required\n{USAGE}"))?;
    let staff = Staff {
        username: username.trim().to_lowercase(),
        role,
        association,
    };
    let password = read_password()?;
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default();
    let started = std::time::Instant::now();
    let record =
        new_record(staff, &password, random_bytes()?, now_ms, "bootstrap").map_err(|errors| {
            errors
                .iter()
                .map(|e| format!("{}: {} / {}", e.field, e.message.zh, e.message.en))
                .collect::<Vec<_>>()
                .join("\n")
        })?;
    eprintln!(
        "password stretched with Argon2id (19 MiB, 2 passes) in {:.0?}",
        started.elapsed()
    );

    let tools = ensure_build_tools()?;
    let target = |command: &mut Command| {
        command.args(["--binding", "GUANAI_KV"]);
        if remote {
            command.arg("--remote");
            if let Some(env) = &env {
                command.args(["--env", env]);
            }
        } else {
            command
                .arg("--local")
                .arg("--persist-to")
                .arg(root().join(DEV_STATE));
        }
        quiet_wrangler(command);
        command.current_dir(root());
    };
    let kv_key = key(&record.staff.username);
    if !replace {
        let mut get = Command::new(&tools.wrangler);
        get.args(["kv", "key", "get", &kv_key]);
        target(&mut get);
        let found = get
            .stderr(Stdio::null())
            .output()
            .map_err(|error| format!("wrangler: {error}"))?;
        let text = String::from_utf8_lossy(&found.stdout);
        if found.status.success() && text.contains("argon2id") {
            return Err(format!(
                "{} already exists; add --replace to set a new password",
                record.staff.username
            ));
        }
    }
    // Through a file, not the command line: process lists and wrangler's echo of the value
    // would show the hash.
    let value = serde_json::to_string(&record).map_err(|error| error.to_string())?;
    let file = root()
        .join("target")
        .join(format!("staff-{}.json", std::process::id()));
    std::fs::create_dir_all(root().join("target")).map_err(|error| error.to_string())?;
    std::fs::write(&file, value).map_err(|error| format!("{}: {error}", file.display()))?;
    let mut put = Command::new(&tools.wrangler);
    put.args(["kv", "key", "put", &kv_key, "--path"])
        .arg(&file)
        .args(["--metadata", &metadata(&record.staff).to_string()]);
    target(&mut put);
    let written = crate::process::run(&mut put);
    let _ = std::fs::remove_file(&file);
    written?;
    println!(
        "created {} ({}{}) in {} KV; sign in at {}/admin",
        record.staff.username,
        metadata(&record.staff)["role"].as_str().unwrap_or_default(),
        record
            .staff
            .association
            .map(|a| format!(", {}", a.code()))
            .unwrap_or_default(),
        if remote { "the deployed" } else { "the local" },
        if remote {
            "https://YOUR-WORKER"
        } else {
            "http://127.0.0.1:8787"
        },
    );
    Ok(())
}

/// The password from `GUANAI_ADMIN_PASSWORD`, or typed at a prompt without echo.
fn read_password() -> Result<String> {
    if let Ok(password) = std::env::var("GUANAI_ADMIN_PASSWORD") {
        return Ok(password);
    }
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    if interactive {
        eprint!("Password (12–128 characters, not shown): ");
        let _ = std::io::stderr().flush();
        let _ = Command::new("stty")
            .arg("-echo")
            .stdin(Stdio::inherit())
            .status();
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if interactive {
        let _ = Command::new("stty")
            .arg("echo")
            .stdin(Stdio::inherit())
            .status();
        eprintln!();
    }
    read.map_err(|error| format!("could not read the password: {error}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
