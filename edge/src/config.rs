//! Deployment settings, read from the worker's `[vars]` (see wrangler.toml).

use chrono::NaiveDate;
use guanai_core::{consent, own_data};

/// What an environment allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Origins (scheme://host[:port]) whose pages may call the API and load the bundle.
    pub allowed_origins: Vec<String>,
    /// Local development: also admit any `http://localhost:*` and `http://127.0.0.1:*` origin.
    pub allow_localhost: bool,
    /// The day the plan ends (`PLAN_ENDS`): personal data is kept one year after it. Defaults
    /// to the date the privacy notice states, [`consent::PLAN_ENDS`].
    pub plan_ends: NaiveDate,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            allowed_origins: Vec::new(),
            allow_localhost: false,
            plan_ends: notice_plan_ends(),
        }
    }
}

fn notice_plan_ends() -> NaiveDate {
    guanai_core::time::parse_iso_date(consent::PLAN_ENDS).unwrap_or_default()
}

impl Config {
    /// When KV deletes a sign-up or application written at `now_ms`: the end of the retention
    /// period, or a minute from now if that has passed (KV's shortest expiry).
    pub fn retention_expiration(&self, now_ms: u64) -> u64 {
        own_data::expiration_seconds(self.plan_ends).max(now_ms / 1000 + 60)
    }
}

impl Config {
    /// Reads `ALLOWED_ORIGINS` (comma- or space-separated) and `ALLOW_LOCALHOST` (`"true"`)
    /// through `var`, which returns a variable's value if it is set.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Config {
        let allowed_origins = var("ALLOWED_ORIGINS")
            .unwrap_or_default()
            .split([',', ' ', '\n'])
            .map(|origin| origin.trim().trim_end_matches('/').to_string())
            .filter(|origin| !origin.is_empty())
            .collect();
        let allow_localhost = var("ALLOW_LOCALHOST").is_some_and(|value| value.trim() == "true");
        let plan_ends = var("PLAN_ENDS")
            .and_then(|value| guanai_core::time::parse_iso_date(value.trim()))
            .unwrap_or_else(notice_plan_ends);
        Config {
            allowed_origins,
            allow_localhost,
            plan_ends,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lists_leniently_and_localhost_only_when_explicit() {
        let config = Config::from_vars(|name| match name {
            "ALLOWED_ORIGINS" => Some("https://a.example, https://b.example/ ".into()),
            "ALLOW_LOCALHOST" => Some("false".into()),
            _ => None,
        });
        assert_eq!(
            config.allowed_origins,
            ["https://a.example", "https://b.example"]
        );
        assert!(!config.allow_localhost);
        assert_eq!(Config::from_vars(|_| None), Config::default());
    }

    /// The notice tells people when their data is deleted; the worker deletes it when
    /// `PLAN_ENDS` says. They must agree in every environment.
    #[test]
    fn every_environment_ends_the_plan_when_the_notice_says() {
        let toml = include_str!("../../wrangler.toml");
        let ends: Vec<&str> = toml
            .lines()
            .filter_map(|line| line.split_once("PLAN_ENDS = \"").map(|(_, rest)| rest))
            .map(|rest| rest.split('"').next().unwrap_or_default())
            .collect();
        assert_eq!(ends.len(), 3, "PLAN_ENDS in [vars], staging and production");
        assert!(
            ends.iter().all(|end| *end == consent::PLAN_ENDS),
            "{ends:?}"
        );
        let config = Config::from_vars(|name| (name == "PLAN_ENDS").then(|| "2030-06-30".into()));
        assert_eq!(
            config.plan_ends,
            NaiveDate::from_ymd_opt(2030, 6, 30).unwrap()
        );
        // Long after the retention date, records still get KV's shortest expiry, not a past one.
        let late_ms = 4_000_000_000_000;
        assert_eq!(
            Config::default().retention_expiration(late_ms),
            late_ms / 1000 + 60
        );
    }
}
