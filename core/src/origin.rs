//! Web origins partners embed the widgets on: what staff type, checked and written one way.
//!
//! A browser sends `Origin: scheme://host[:port]` in ASCII, lower case, without the default port.
//! The CORS allowlist compares strings exactly, so what staff record must be written the same
//! way, or a correct entry would never match: `https://例子.中国` becomes
//! `https://xn--fsqu00a.xn--fiqs8s`, `HTTPS://Partner.Example:443/` becomes
//! `https://partner.example`. Parsing is the `url` crate's (the WHATWG URL standard browsers
//! follow, IDNA included), so our reading of a host is the browser's.
//!
//! Deliberately absent: wildcards (`https://*.example`), paths, `null` and schemes other than
//! `http` and `https`. An entry admits exactly one site.

use crate::validate::FieldError;

/// Origins one owner (a partner or an association) may record.
pub const MAX_PER_OWNER: usize = 20;

/// `input` as the browser would send it in `Origin`, or why it is not one origin.
pub fn normalise(input: &str, field: &str) -> Result<String, FieldError> {
    let problem = |code: &str, zh: &str, en: &str| FieldError::new(field, code, zh, en);
    let typed = input.trim();
    if typed.is_empty() {
        return Err(problem(
            "required",
            "请填写网站地址。",
            "Enter the site's address.",
        ));
    }
    let Ok(url) = url::Url::parse(typed) else {
        return Err(problem(
            "invalid_origin",
            "不是有效的网站地址，应为 https://域名[:端口]。",
            "Not a valid site address; write it as https://host[:port].",
        ));
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(problem(
            "origin_scheme",
            "网站地址须以 https:// 或 http:// 开头。",
            "The address must start with https:// or http://.",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(problem(
            "origin_credentials",
            "网站地址不能包含用户名或密码。",
            "The address must not contain a user name or password.",
        ));
    }
    // `Url` always has a path ("/" at least); the query and fragment are absent or empty.
    let only_origin = url.path() == "/" && url.query().is_none() && url.fragment().is_none();
    if !only_origin || typed.ends_with('?') || typed.ends_with('#') {
        return Err(problem(
            "origin_path",
            "只填写网站的来源（协议、域名和端口），不要包含路径、问号或井号后的内容。",
            "Enter the origin only (scheme, host and port), without a path, query or fragment.",
        ));
    }
    let host = url.host_str().unwrap_or_default();
    let plain = |byte: u8| byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'-');
    // After IDNA a domain is ASCII letters, digits, dots and hyphens; anything else (`*`,
    // `_`) is no host a browser would send as an origin.
    let is_ip = matches!(
        url.host(),
        Some(url::Host::Ipv4(_)) | Some(url::Host::Ipv6(_))
    );
    if !is_ip && (!host.bytes().all(plain) || host.starts_with('.') || host.ends_with('.')) {
        return Err(problem(
            "origin_host",
            "域名无效（不能使用通配符 * 或下划线）。",
            "The host name is not valid (no * wildcards or underscores).",
        ));
    }
    Ok(url.origin().ascii_serialization())
}

/// Every entry of `inputs` normalised, duplicates dropped, in the order given; or every problem,
/// each at `field[index]`.
pub fn normalise_all(inputs: &[String], field: &str) -> Result<Vec<String>, Vec<FieldError>> {
    let mut origins: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        match normalise(input, &format!("{field}[{index}]")) {
            Ok(origin) if !origins.contains(&origin) => origins.push(origin),
            Ok(_) => {}
            Err(error) => errors.push(error),
        }
    }
    if origins.len() > MAX_PER_OWNER {
        errors.push(FieldError::new(
            field,
            "too_many_origins",
            &format!("最多 {MAX_PER_OWNER} 个网站地址。"),
            &format!("At most {MAX_PER_OWNER} site addresses."),
        ));
    }
    if errors.is_empty() {
        Ok(origins)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        normalise(input, "origin").unwrap_or_else(|error| panic!("{input}: {error:?}"))
    }

    fn code(input: &str) -> String {
        normalise(input, "origin").unwrap_err().code
    }

    #[test]
    fn writes_origins_as_browsers_send_them() {
        assert_eq!(ok("https://partner.example"), "https://partner.example");
        assert_eq!(
            ok(" HTTPS://Partner.Example:443/ "),
            "https://partner.example"
        );
        assert_eq!(ok("http://partner.example:80"), "http://partner.example");
        assert_eq!(
            ok("https://partner.example:8443"),
            "https://partner.example:8443"
        );
        assert_eq!(ok("http://127.0.0.1:5173"), "http://127.0.0.1:5173");
        assert_eq!(ok("https://[::1]:8443"), "https://[::1]:8443");
    }

    #[test]
    fn international_names_become_punycode() {
        assert_eq!(ok("https://例子.中国"), "https://xn--fsqu00a.xn--fiqs8s");
        // The ideographic full stop a Chinese IME types is a dot, as browsers read it.
        assert_eq!(ok("https://例子。中国"), "https://xn--fsqu00a.xn--fiqs8s");
        assert_eq!(
            ok("https://ＰＡＲＴＮＥＲ.example"),
            "https://partner.example"
        );
    }

    #[test]
    fn refuses_what_is_not_exactly_one_origin() {
        for (input, expected) in [
            ("", "required"),
            ("partner.example", "invalid_origin"),
            ("ftp://partner.example", "origin_scheme"),
            ("javascript:alert(1)", "origin_scheme"),
            ("null", "invalid_origin"),
            ("https://user:pw@partner.example", "origin_credentials"),
            ("https://partner.example/path", "origin_path"),
            ("https://partner.example/?q=1", "origin_path"),
            ("https://partner.example/#top", "origin_path"),
            ("https://partner.example?", "origin_path"),
            ("https://*.partner.example", "origin_host"),
            ("https://under_score.example", "origin_host"),
            ("https://partner.example:99999", "invalid_origin"),
        ] {
            assert_eq!(code(input), expected, "{input}");
        }
    }

    #[test]
    fn lists_are_deduplicated_after_normalising_and_report_each_entry() {
        let inputs = [
            "https://a.example".to_string(),
            "HTTPS://A.EXAMPLE:443".to_string(),
            "https://b.example".to_string(),
        ];
        assert_eq!(
            normalise_all(&inputs, "origins").unwrap(),
            ["https://a.example", "https://b.example"]
        );
        let bad = ["https://a.example".to_string(), "a.example/x".to_string()];
        let errors = normalise_all(&bad, "origins").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "origins[1]");
        assert!(!errors[0].message.zh.is_empty() && !errors[0].message.en.is_empty());
        let many: Vec<String> = (0..=MAX_PER_OWNER)
            .map(|i| format!("https://s{i}.example"))
            .collect();
        assert_eq!(
            normalise_all(&many, "origins").unwrap_err()[0].code,
            "too_many_origins"
        );
    }
}
