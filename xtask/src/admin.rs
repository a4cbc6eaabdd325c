//! `cargo xtask admin create`: the first plan admin (and password resets), written straight to
//! KV — local for `cargo xtask dev`, or the deployed namespace with `--remote`. There is no
//! default account and no default password: someone with access to the Cloudflare account runs
//! this once, then creates everyone else in the admin view.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use guanai_core::Association;
use guanai_core::staff::{Role, Staff};
use guanai_edge::admin::records::{
    StaffRecord, new_staff_record as new_record, staff_key as key, staff_metadata as metadata,
};

use crate::serve::{DEV_STATE, quiet_wrangler, random_bytes};
use crate::tools::{Tools, ensure_build_tools};
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
    let place = if remote {
        KvPlace::Remote { env }
    } else {
        KvPlace::Local(root().join(DEV_STATE))
    };
    if !replace && exists(&tools, &place, &key(&record.staff.username))? {
        return Err(format!(
            "{} already exists; add --replace to set a new password",
            record.staff.username
        ));
    }
    put_staff(&tools, &place, &record)?;
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

/// Which KV namespace to write to.
pub enum KvPlace {
    /// `wrangler dev`'s local KV in this directory.
    Local(PathBuf),
    /// The deployed namespace (of `--env`, if given).
    Remote { env: Option<String> },
}

fn wrangler_kv(tools: &Tools, place: &KvPlace, args: &[&str]) -> Command {
    let mut command = Command::new(&tools.wrangler);
    command
        .arg("kv")
        .args(args)
        .args(["--binding", "GUANAI_KV"]);
    match place {
        KvPlace::Local(state) => {
            command.arg("--local").arg("--persist-to").arg(state);
        }
        KvPlace::Remote { env } => {
            command.arg("--remote");
            if let Some(env) = env {
                command.args(["--env", env]);
            }
        }
    }
    quiet_wrangler(&mut command);
    command.current_dir(root());
    command
}

fn exists(tools: &Tools, place: &KvPlace, kv_key: &str) -> Result<bool> {
    let found = wrangler_kv(tools, place, &["key", "get", kv_key])
        .stderr(Stdio::null())
        .output()
        .map_err(|error| format!("wrangler: {error}"))?;
    Ok(found.status.success() && String::from_utf8_lossy(&found.stdout).contains("argon2id"))
}

/// Writes a staff account. Through a file, not the command line: process lists and wrangler's
/// echo of the value would show the hash.
pub fn put_staff(tools: &Tools, place: &KvPlace, record: &StaffRecord) -> Result {
    let value = serde_json::to_string(record).map_err(|error| error.to_string())?;
    let directory = root().join("target");
    std::fs::create_dir_all(&directory).map_err(|error| error.to_string())?;
    let file = directory.join(format!("staff-{}.json", std::process::id()));
    std::fs::write(&file, value).map_err(|error| format!("{}: {error}", file.display()))?;
    let kv_key = key(&record.staff.username);
    let meta = metadata(&record.staff).to_string();
    let mut put = wrangler_kv(tools, place, &["key", "put", &kv_key, "--metadata", &meta]);
    put.arg("--path").arg(&file);
    let written = crate::process::run(&mut put);
    let _ = std::fs::remove_file(&file);
    written
}

/// `cargo xtask bench`: what a login costs — Argon2id natively, and whole login requests on
/// workerd (`wrangler dev`, local KV) next to a request that does no work (`/v1/health`), so
/// the difference is the KDF plus two KV operations.
/// Prints what a staff login costs and returns the figures (milliseconds).
pub fn bench_login(tools: &Tools) -> Result<serde_json::Value> {
    use std::time::{Duration, Instant};
    let password = "bench password, not a secret";
    let staff = Staff {
        username: "bench.admin".into(),
        role: Role::PlanAdmin,
        association: None,
    };
    let record = new_record(staff, password, random_bytes()?, 0, "bench")
        .map_err(|_| "the bench account is invalid".to_string())?;
    let median = |mut samples: Vec<Duration>| {
        samples.sort();
        samples[samples.len() / 2]
    };
    let native = median(
        (0..7)
            .map(|i| {
                let started = Instant::now();
                let _ = guanai_core::staff::hash_password(password, [i; 16]);
                started.elapsed()
            })
            .collect(),
    );

    let state = root().join("target").join("bench").join("state");
    let _ = std::fs::remove_dir_all(&state);
    put_staff(tools, &KvPlace::Local(state.clone()), &record)?;
    crate::serve::ensure_dev_secrets()?;
    let port = crate::process::free_port()?;
    let _worker = crate::serve::start_worker(tools, &state, port)?;
    let request = |raw: String| -> Result<Duration> {
        let started = Instant::now();
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))
            .map_err(|error| format!("worker: {error}"))?;
        stream
            .write_all(raw.as_bytes())
            .map_err(|error| error.to_string())?;
        // Read the head, then exactly Content-Length bytes: the dev proxy keeps connections
        // open for seconds after the answer, so "read until closed" would time the proxy.
        let mut reader = std::io::BufReader::new(stream);
        let mut status = String::new();
        reader.read_line(&mut status).map_err(|e| e.to_string())?;
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).map_err(|e| e.to_string())?;
            if line.trim().is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; length];
        std::io::Read::read_exact(&mut reader, &mut body).map_err(|e| e.to_string())?;
        let elapsed = started.elapsed();
        if !status.starts_with("HTTP/1.1 200") {
            return Err(format!("unexpected answer: {}", status.trim()));
        }
        Ok(elapsed)
    };
    let health = || {
        request("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".into())
    };
    let body = format!(r#"{{"username":"bench.admin","password":"{password}"}}"#);
    // Each login from its own address: the per-network limit is not what is measured. The
    // per-account limit (10 a minute) bounds the samples.
    let login = |i: usize| {
        request(format!(
            "POST /v1/admin/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
             Content-Type: application/json\r\nCF-Connecting-IP: 198.51.100.{i}\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        ))
    };
    health()?;
    login(0)?;
    let health_ms = median((0..9).map(|_| health()).collect::<Result<Vec<_>>>()?);
    let login_ms = median((1..10).map(login).collect::<Result<Vec<_>>>()?);
    println!("\nstaff login (Argon2id, 19 MiB, 2 passes):");
    println!("  KDF natively (this machine, optimised)     {native:>10.2?}");
    println!("  POST /v1/admin/login on workerd (median)   {login_ms:>10.2?}");
    println!("  GET /v1/health on workerd (median)         {health_ms:>10.2?}");
    println!(
        "  → a login costs about {:.0?} more than an empty request (KDF in wasm + 2 KV operations)",
        login_ms.saturating_sub(health_ms)
    );
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    Ok(serde_json::json!({
        "kdf_native_ms": ms(native),
        "login_ms": ms(login_ms),
        "health_ms": ms(health_ms),
    }))
}
