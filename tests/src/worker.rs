//! A worker of the test's own under `wrangler dev`, for the tests that must kill and restart
//! it (the shared one that `cargo xtask test` starts has to stay up for the other tests).

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::{env, root};

/// `wrangler dev` (and the workerd it starts) on `port`, with local KV in `state`.
pub struct OwnWorker {
    child: Child,
    pub port: u16,
    pub state: PathBuf,
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

impl OwnWorker {
    /// Starts the worker and returns once wrangler says it is ready.
    pub fn start(state: &Path, port: u16) -> OwnWorker {
        OwnWorker::start_config(&root().join("wrangler.toml"), state, port)
    }

    /// Starts the worker described by the wrangler configuration `config`.
    pub fn start_config(config: &Path, state: &Path, port: u16) -> OwnWorker {
        OwnWorker::start_with(config, state, port, &[])
    }

    /// As [`OwnWorker::start_config`], with more `wrangler dev` arguments (`--var NAME:value`,
    /// `--test-scheduled`).
    pub fn start_with(config: &Path, state: &Path, port: u16, extra: &[&str]) -> OwnWorker {
        let mut child = Command::new(env("GUANAI_WRANGLER"))
            .args(["dev", "--ip", "127.0.0.1", "--port", &port.to_string()])
            .args(extra)
            .arg("--config")
            .arg(config)
            .args(["--inspector-port", &free_port().to_string()])
            .arg("--persist-to")
            .arg(state)
            .arg("--show-interactive-dev-session=false")
            .current_dir(root())
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            // Its own process group, so that killing it takes workerd down too.
            .process_group(0)
            .spawn()
            .expect("wrangler starts");
        let stdout = child.stdout.take().expect("piped");
        let (ready, announced) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Ready on") {
                    let _ = ready.send(());
                }
            }
        });
        announced
            .recv_timeout(Duration::from_secs(120))
            .expect("wrangler dev announces it is ready");
        OwnWorker {
            child,
            port,
            state: state.to_path_buf(),
        }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Kills wrangler and workerd at once (SIGKILL: no graceful shutdown, like a crash).
    pub fn kill(&mut self) {
        if self.child.try_wait().ok().flatten().is_some() {
            return;
        }
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

impl Drop for OwnWorker {
    fn drop(&mut self) {
        self.kill();
    }
}
