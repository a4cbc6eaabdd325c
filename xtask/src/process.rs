//! Running commands and background services.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::Result;

/// Runs `command` to completion, echoing it first; fails unless it exits 0.
pub fn run(command: &mut Command) -> Result {
    eprintln!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|error| format!("could not start {}: {error}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(command)))
    }
}

/// Runs `command` to completion, echoing it first, and returns its standard output; fails,
/// with its standard error, unless it exits 0.
pub fn output_of(command: &mut Command) -> Result<Vec<u8>> {
    eprintln!("$ {}", describe(command));
    let output = command
        .output()
        .map_err(|error| format!("could not start {}: {error}", describe(command)))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(format!(
            "{} failed ({}): {}",
            describe(command),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ))
    }
}

/// The trimmed standard output of `command` if it runs and exits 0.
pub fn stdout_of(command: &mut Command) -> Option<String> {
    let output = command.stderr(Stdio::null()).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

fn describe(command: &Command) -> String {
    let args: Vec<String> = command
        .get_args()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    format!(
        "{} {}",
        command.get_program().to_string_lossy(),
        args.join(" ")
    )
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> Result<u16> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|error| format!("no free port: {error}"))?;
    listener
        .local_addr()
        .map(|address| address.port())
        .map_err(|error| error.to_string())
}

/// A background process (and everything it started), stopped when dropped.
pub struct Service {
    child: Child,
}

impl Service {
    /// Starts `command` in its own process group and waits until a line of its output contains
    /// `ready_marker` — the service's own announcement that it is listening, so there is no
    /// guessing with delays. Fails if it exits or stays silent for `timeout`.
    pub fn start(
        name: &str,
        command: &mut Command,
        ready_marker: &str,
        timeout: Duration,
    ) -> Result<Service> {
        eprintln!("$ {} &", describe(command));
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|error| format!("could not start {name}: {error}"))?;
        let (lines, incoming) = mpsc::channel::<String>();
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let lines = lines.clone();
            let prefix = name.to_string();
            std::thread::spawn(move || {
                for line in BufReader::new(stream)
                    .lines()
                    .map_while(std::io::Result::ok)
                {
                    eprintln!("[{prefix}] {line}");
                    let _ = lines.send(line);
                }
            });
        }
        drop(lines);
        let mut service = Service { child };
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match incoming.recv_timeout(left) {
                Ok(line) if line.contains(ready_marker) => break,
                Ok(_) => continue,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(format!("{name} did not become ready within {timeout:?}"));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = service
                        .child
                        .wait()
                        .map(|s| s.to_string())
                        .unwrap_or_default();
                    return Err(format!("{name} exited before it was ready ({status})"));
                }
            }
        }
        // Keep draining output so the service never blocks on a full pipe.
        std::thread::spawn(move || for _ in incoming {});
        Ok(service)
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        // The whole group: wrangler starts workerd as a child of its own. Test services hold no
        // state worth a graceful shutdown (their KV lives in a scratch directory).
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}
