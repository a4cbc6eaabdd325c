//! `cargo xtask fuzz [--cases N]`: the property suites, long — the domain's
//! (`core/tests/properties.rs`: JSON, the rules, mobiles and credit codes, CSV import, the
//! challenge) and the edge's (`edge/src/property_tests.rs`: the form routes through the router).
//!
//! The same tests run bounded in `cargo test`; here `PROPTEST_CASES` asks for `N` cases of each
//! property (the proof-of-work one, two solves per case, runs the same share of `N` as it runs
//! of 256 by default), built with the `native` profile: release optimisation without the shipped
//! wasm's size tuning, with overflow checks and debug assertions on.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::process::run;
use crate::{Result, root};

/// Cases per property when `--cases` is not given.
pub const DEFAULT_CASES: u64 = 20_000;

const USAGE: &str = "usage: cargo xtask fuzz [--cases N]

  Runs the property suites (guanai-core's tests/properties.rs, guanai-edge's property_tests)
  optimised, with PROPTEST_CASES=N (default 20000).";

/// The suites: a name and the `cargo test` arguments that select it.
const SUITES: &[(&str, &[&str])] = &[
    ("domain", &["-p", "guanai-core", "--test", "properties"]),
    ("edge", &["-p", "guanai-edge", "--lib"]),
];

pub fn command(args: &[String]) -> Result {
    let Some(cases) = cases(args)? else {
        eprintln!("{USAGE}");
        return Ok(());
    };
    let root = root();
    let cargo = |extra: &[&str]| {
        let mut command = Command::new("cargo");
        command
            .current_dir(&root)
            .args(["test", "--profile", "native"])
            .args(extra);
        command
    };

    let started = Instant::now();
    for (_, selection) in SUITES {
        run(cargo(selection).arg("--no-run"))?;
    }
    let built = started.elapsed();

    let mut timings = Vec::new();
    for (name, selection) in SUITES {
        eprintln!("\n== {name} properties, PROPTEST_CASES={cases}");
        let suite_started = Instant::now();
        let mut command = cargo(selection);
        if *name == "edge" {
            command.args(["--", "property_tests::"]);
        }
        // The generators of valid input filter (about ten rejects per accepted case at most):
        // proptest's default of 65,536 local rejects per test is too few for long runs.
        run(command
            .env("PROPTEST_CASES", cases.to_string())
            .env(
                "PROPTEST_MAX_LOCAL_REJECTS",
                (cases * 50).max(65_536).to_string(),
            )
            .env(
                "PROPTEST_MAX_GLOBAL_REJECTS",
                (cases * 50).max(1_024).to_string(),
            ))?;
        timings.push((*name, suite_started.elapsed()));
    }

    eprintln!("\nfuzz: PROPTEST_CASES={cases}");
    eprintln!("  {:<8} {}", "build", seconds(built));
    for (name, took) in &timings {
        eprintln!("  {name:<8} {}", seconds(*took));
    }
    eprintln!("  {:<8} {}", "total", seconds(started.elapsed()));
    Ok(())
}

/// The number of cases asked for; `None` for `--help`.
fn cases(args: &[String]) -> Result<Option<u64>> {
    let mut cases = DEFAULT_CASES;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--help" | "-h" => return Ok(None),
            "--cases" => args.next().map(String::as_str),
            other => match other.strip_prefix("--cases=") {
                Some(value) => Some(value),
                None => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
            },
        };
        cases = value
            .and_then(|value| value.parse().ok())
            .filter(|cases| *cases > 0)
            .ok_or_else(|| format!("--cases takes a positive number\n\n{USAGE}"))?;
    }
    Ok(Some(cases))
}

fn seconds(took: Duration) -> String {
    format!("{:.1} s", took.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<u64>> {
        cases(&args.iter().map(|a| a.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn cases_default_and_can_be_set() {
        assert_eq!(parse(&[]), Ok(Some(DEFAULT_CASES)));
        assert_eq!(parse(&["--cases", "2000"]), Ok(Some(2000)));
        assert_eq!(parse(&["--cases=50"]), Ok(Some(50)));
        assert_eq!(parse(&["--help"]), Ok(None));
        assert!(parse(&["--cases"]).is_err());
        assert!(parse(&["--cases", "0"]).is_err());
        assert!(parse(&["--cases", "many"]).is_err());
        assert!(parse(&["--fast"]).is_err());
    }
}
