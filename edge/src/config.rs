//! Deployment settings, read from the worker's `[vars]` (see wrangler.toml).

/// What an environment allows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Origins (scheme://host[:port]) whose pages may call the API and load the bundle.
    pub allowed_origins: Vec<String>,
    /// Local development: also admit any `http://localhost:*` and `http://127.0.0.1:*` origin.
    pub allow_localhost: bool,
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
        Config {
            allowed_origins,
            allow_localhost,
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
}
