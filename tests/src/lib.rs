//! Helpers for the end-to-end tests. `cargo xtask test` starts the real worker under
//! `wrangler dev` with freshly seeded local KV, and ChromeDriver, then runs these tests with:
//!
//! - `GUANAI_BASE`: the worker, e.g. `http://127.0.0.1:41234`
//! - `GUANAI_WEBDRIVER`: ChromeDriver, e.g. `http://127.0.0.1:41235`
//! - `GUANAI_EXAMPLES`: the `examples/` directory, served from a second origin by [`HostSite`]

pub mod admin;
pub mod programme;
pub mod widget;
pub mod worker;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

/// A required environment variable, with a clear message when the tests are run by hand.
pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the end-to-end tests with `cargo xtask test`")
    })
}

/// The worker's base URL.
pub fn base() -> String {
    env("GUANAI_BASE")
}

/// An HTTP client that returns error statuses as responses rather than errors.
pub fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// How long one navigation may take. Every page here loads in well under a second; a stalled
/// renderer should fail (or be retried, see [`visit`]) in a minute, not in WebDriver's default
/// five.
const PAGE_LOAD: Duration = Duration::from_secs(60);

/// A fresh headless Chromium session with the same Chromium and flags as the wasm-bindgen tests
/// (`widgets/webdriver.json`: as root, sandboxless, no background traffic, no throttling or
/// back/forward cache), plus a phone-sized window in Chinese.
pub async fn browser() -> Client {
    let mut capabilities: serde_json::Map<String, Value> =
        serde_json::from_str(include_str!("../../widgets/webdriver.json"))
            .expect("widgets/webdriver.json is a JSON object");
    capabilities["goog:chromeOptions"]["args"]
        .as_array_mut()
        .expect("webdriver.json lists Chromium's args")
        .extend([json!("--window-size=390,900"), json!("--lang=zh-CN")]);
    capabilities.insert(
        "timeouts".into(),
        json!({ "pageLoad": PAGE_LOAD.as_millis() as u64 }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&env("GUANAI_WEBDRIVER"))
        .await
        .expect("ChromeDriver accepts a session")
}

/// Opens `url` in the session, as a person typing it into the address bar.
///
/// Headless Chromium very rarely stops answering for good during a navigation ("Timed out
/// receiving message from renderer"; once in CI, on a page that loads in 50 ms everywhere else),
/// and then every later command of that session times out too. So when a navigation times out,
/// the page gets exactly one more chance in a fresh session that carries over the cookies (the
/// staff session) and local storage (the chosen language) of the origin the old page was on. A
/// page that really never loads (say, a loop in our code) times out in the new session as well,
/// and the test fails.
pub async fn visit(client: &mut Client, url: &str) {
    // Taken before every navigation, not after a stall: a stalled session answers nothing.
    let carried = carried_state(client).await;
    let error = match client.goto(url).await {
        Ok(()) => return,
        Err(error) if error.is_timeout() => error,
        Err(error) => panic!("{url} does not load: {error}"),
    };
    eprintln!("{url}: the browser stopped answering ({error}); once more in a fresh session");
    let stalled = std::mem::replace(client, browser().await);
    // Ending the stalled session stops its browser (a looping renderer would hold a core).
    let ended = tokio::time::timeout(Duration::from_secs(20), stalled.close()).await;
    if !matches!(ended, Ok(Ok(()))) {
        eprintln!("the stalled session did not end: {ended:?}");
    }
    if let Some((origin, cookies, storage)) = carried {
        client
            .goto(&format!("{origin}/v1/openapi.json"))
            .await
            .expect("the fresh session opens the origin");
        for cookie in cookies {
            client
                .add_cookie(cookie)
                .await
                .expect("the cookie carries over");
        }
        client
            .execute(
                "for (const [k, v] of arguments[0]) localStorage.setItem(k, v);",
                vec![storage],
            )
            .await
            .expect("local storage carries over");
    }
    client
        .goto(url)
        .await
        .unwrap_or_else(|error| panic!("{url} does not load, twice: {error}"));
}

/// The current page's origin, cookies and local storage, when it is an http(s) page.
async fn carried_state(
    client: &Client,
) -> Option<(String, Vec<fantoccini::cookies::Cookie<'static>>, Value)> {
    let current = client.current_url().await.ok()?;
    if !current.scheme().starts_with("http") {
        return None;
    }
    let cookies = client.get_all_cookies().await.ok()?;
    let storage = client
        .execute("return Object.entries(localStorage);", vec![])
        .await
        .ok()?;
    Some((current.origin().ascii_serialization(), cookies, storage))
}

/// Waits, inside the page, until the JavaScript function body `condition` returns a truthy value,
/// and returns that value. Checks after each animation-free tick; fails after 20 s with the last
/// value seen, so a failing test says what the page showed instead.
pub async fn wait_until(client: &Client, condition: &str) -> Value {
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
        const check = () => {{ {condition} }};
        const deadline = Date.now() + 20000;
        const poll = () => {{
            let value;
            try {{ value = check(); }} catch (error) {{ value = "error: " + error; }}
            if (value && !(typeof value === "string" && value.startsWith("error: "))) return done({{ ok: true, value }});
            if (Date.now() > deadline) return done({{ ok: false, value: value === undefined ? null : value }});
            setTimeout(poll, 25);
        }};
        poll();"#
    );
    let outcome = client
        .execute_async(&script, vec![])
        .await
        .expect("the wait script runs");
    if outcome["ok"] != json!(true) {
        let seen = client
            .execute("return window.lastStatus ?? null", vec![])
            .await
            .unwrap_or_default();
        eprintln!("page state while waiting: {seen}");
    }
    assert_eq!(
        outcome["ok"],
        json!(true),
        "condition never held: {condition}\nlast value: {}",
        outcome["value"]
    );
    outcome["value"].clone()
}

/// JavaScript that evaluates to the shadow root of the element with id `id`.
pub fn shadow(id: &str) -> String {
    format!("document.getElementById({id:?}).shadowRoot")
}

/// The example pages served from a second origin, as a partner's own web server would: the
/// script tag is rewritten to load `guanai.js` from the worker, proving cross-origin embedding.
pub struct HostSite {
    pub origin: String,
}

impl HostSite {
    pub fn start() -> HostSite {
        let directory = PathBuf::from(env("GUANAI_EXAMPLES"));
        let worker = base();
        let origin = serve_files(directory, move |path, bytes| {
            let kind = if path.ends_with(".css") {
                "text/css"
            } else {
                "text/html; charset=utf-8"
            };
            // The script and the plain catalogue pages come from the worker.
            let text = String::from_utf8_lossy(&bytes)
                .replace("src=\"/guanai.js\"", &format!("src=\"{worker}/guanai.js\""))
                .replace("href=\"/catalog", &format!("href=\"{worker}/catalog"));
            (kind, text.into_bytes())
        });
        HostSite { origin }
    }
}

/// Serves the files below `directory` on a port of its own, in a thread, and returns the origin
/// (`http://127.0.0.1:<port>`). `answer(path, bytes)` gives a found file's content type and the
/// body to send; anything else is a 404.
fn serve_files(
    directory: PathBuf,
    answer: impl Fn(&str, Vec<u8>) -> (&'static str, Vec<u8>) + Send + 'static,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let origin = format!(
        "http://127.0.0.1:{}",
        listener.local_addr().expect("bound").port()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            // Drain the headers.
            let mut line = String::new();
            while reader.read_line(&mut line).map(|n| n > 2).unwrap_or(false) {
                line.clear();
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("/")
                .split('?')
                .next()
                .unwrap_or_default()
                .trim_start_matches('/')
                .to_string();
            let file = directory.join(&path);
            let found = (!path.contains("..") && file.is_file())
                .then(|| std::fs::read(&file).ok())
                .flatten();
            let mut stream = &stream;
            let _ = match found {
                Some(bytes) => {
                    let (kind, body) = answer(&path, bytes);
                    write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .and_then(|()| stream.write_all(&body))
                }
                None => write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                ),
            };
        }
    });
    origin
}

/// Runs `source` in every document this session opens from now on, before the page's own
/// scripts (Chrome DevTools' `Page.addScriptToEvaluateOnNewDocument`, through ChromeDriver):
/// how a test takes WebAssembly or `adoptedStyleSheets` away, as an older engine would lack them.
pub async fn before_every_page(client: &Client, source: &str) {
    devtools(
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": source }),
    )
    .await;
}

/// Runs the Chrome DevTools command `method` with `params` in this session, through
/// ChromeDriver (`goog/cdp/execute`): blocking URLs, disabling the cache, injecting scripts.
pub async fn devtools(client: &Client, method: &str, params: Value) {
    #[derive(Debug)]
    struct Cdp(String);
    impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
        fn endpoint(
            &self,
            base: &url::Url,
            session: Option<&str>,
        ) -> Result<url::Url, url::ParseError> {
            base.join(&format!(
                "session/{}/goog/cdp/execute",
                session.unwrap_or_default()
            ))
        }

        fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
            (http::Method::POST, Some(self.0.clone()))
        }
    }
    let command = json!({ "cmd": method, "params": params });
    client
        .issue_cmd(Cdp(command.to_string()))
        .await
        .expect("ChromeDriver runs a DevTools command");
}

/// Serves the files of `directory` from an origin of its own (`http://127.0.0.1:<port>`), with
/// the content types a browser needs for modules, wasm and stylesheets: a partner's own static
/// server, or a CDN in mainland China.
pub struct StaticSite {
    pub origin: String,
}

impl StaticSite {
    pub fn start(directory: PathBuf) -> StaticSite {
        let origin = serve_files(directory, |path, bytes| {
            let kind = match path.rsplit('.').next().unwrap_or_default() {
                "js" => "text/javascript",
                "wasm" => "application/wasm",
                "css" => "text/css",
                "html" => "text/html; charset=utf-8",
                _ => "application/octet-stream",
            };
            (kind, bytes)
        });
        StaticSite { origin }
    }
}

/// A page of a test's own on an origin of its own: a fresh temporary directory
/// `guanai-<name>-<pid>` holding `index.html` with `head` and `body`, served by a [`StaticSite`].
/// Files copied into the directory later are served too.
pub fn blank_page(name: &str, head: &str, body: &str) -> (PathBuf, StaticSite) {
    let directory = std::env::temp_dir().join(format!("guanai-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory).expect("a temporary directory");
    std::fs::write(
        directory.join("index.html"),
        format!(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{name}</title>{head}</head>\
             <body>{body}</body></html>"
        ),
    )
    .expect("the page is written");
    let site = StaticSite::start(directory.clone());
    (directory, site)
}

/// The project root (the examples directory's parent).
pub fn root() -> PathBuf {
    PathBuf::from(env("GUANAI_EXAMPLES"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Runs `wrangler kv …` against the test worker's local KV.
fn wrangler_kv(args: &[&str]) -> String {
    wrangler_kv_in(&env("GUANAI_KV_STATE"), args)
}

/// Runs `wrangler kv …` against the local KV persisted in `state`.
///
/// The command starts a local KV of its own over the same files the running worker writes, and
/// very rarely answers "KV GET failed: 500" while the worker is busy (seen once in a loaded
/// run); it is run once more before that counts as a failure.
pub fn wrangler_kv_in(state: &str, args: &[&str]) -> String {
    let run = || {
        std::process::Command::new(env("GUANAI_WRANGLER"))
            .arg("kv")
            .args(args)
            .args(["--binding", "GUANAI_KV", "--local", "--persist-to", state])
            .current_dir(root())
            .env("WRANGLER_SEND_METRICS", "false")
            .output()
            .expect("wrangler runs")
    };
    let mut output = run();
    if !output.status.success() && String::from_utf8_lossy(&output.stderr).contains("500") {
        output = run();
    }
    assert!(
        output.status.success(),
        "wrangler kv {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Keys in local KV starting with `prefix` (what the admin would page through).
pub fn kv_keys(prefix: &str) -> Vec<String> {
    kv_keys_in(&env("GUANAI_KV_STATE"), prefix)
}

/// Keys starting with `prefix` in the local KV persisted in `state`.
pub fn kv_keys_in(state: &str, prefix: &str) -> Vec<String> {
    let listing: Value =
        serde_json::from_str(&wrangler_kv_in(state, &["key", "list", "--prefix", prefix]))
            .expect("a JSON key list");
    listing
        .as_array()
        .map(|keys| {
            keys.iter()
                .filter_map(|k| k["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Stores `value` (with `metadata`) under `key` in local KV, through a file as
/// `cargo xtask admin create` does.
pub fn kv_put(key: &str, value: &str, metadata: &Value) {
    let file = std::env::temp_dir().join(format!("guanai-e2e-{}.json", std::process::id()));
    std::fs::write(&file, value).expect("a temporary file");
    let metadata = metadata.to_string();
    let path = file.to_string_lossy().into_owned();
    wrangler_kv(&["key", "put", key, "--metadata", &metadata, "--path", &path]);
    let _ = std::fs::remove_file(&file);
}

/// The value stored under `key` in local KV.
pub fn kv_get(key: &str) -> String {
    wrangler_kv(&["key", "get", key, "--text"])
}

/// The value of `name` in `.dev.vars`, the secrets the local worker reads.
pub fn dev_var(name: &str) -> Option<String> {
    let vars = std::fs::read_to_string(root().join(".dev.vars"))
        .expect(".dev.vars exists (cargo xtask test writes it)");
    vars.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}=")))
        .map(|value| value.trim().to_string())
}

/// A 32-byte key from `.dev.vars`, as the local worker reads it.
pub fn dev_secret(name: &str) -> [u8; 32] {
    let hex = dev_var(name).expect("the secret is set");
    let bytes = guanai_core::challenge::unhex(&hex).expect("hex");
    bytes.try_into().expect("32 bytes")
}

/// A solved challenge from the worker, as `{token, nonce}`.
pub fn solved_challenge() -> Value {
    solved_challenge_from(&base()).expect("the worker answers")
}

/// [`solved_challenge`] from the worker at `base`.
pub fn solved_challenge_from(base: &str) -> Result<Value, ureq::Error> {
    let mut response = http().get(format!("{base}/v1/challenge")).call()?;
    let issued: Value = serde_json::from_str(&response.body_mut().read_to_string()?).expect("JSON");
    let token = issued["token"].as_str().expect("a token").to_string();
    let nonce = guanai_core::challenge::solve(&token, 0, u64::MAX).expect("solvable");
    Ok(json!({"token": token, "nonce": nonce}))
}

/// Posts `form` to the public form route `path` (`/v1/signups`, `/v1/partner-applications`)
/// with a solved challenge, as a browser on `client_ip` would; returns status and body.
pub fn submit_form(
    path: &str,
    idempotency_key: &str,
    client_ip: &str,
    form: &Value,
) -> (u16, String) {
    submit_form_to(&base(), path, idempotency_key, client_ip, form).expect("the worker answers")
}

/// [`submit_form`] to the worker at `base`; `Err` when the worker cannot be reached or the
/// connection breaks (it may be down).
pub fn submit_form_to(
    base: &str,
    path: &str,
    idempotency_key: &str,
    client_ip: &str,
    form: &Value,
) -> Result<(u16, String), ureq::Error> {
    let challenge = solved_challenge_from(base)?;
    let body = json!({"form": form, "challenge": challenge, "elapsed_ms": 20_000});
    let mut response = http()
        .post(format!("{base}{path}"))
        .header("Idempotency-Key", idempotency_key)
        .header("CF-Connecting-IP", client_ip)
        .header("Content-Type", "application/json")
        .send(body.to_string())?;
    let status = response.status().as_u16();
    Ok((status, response.body_mut().read_to_string()?))
}

/// Runs axe-core (the npm package, injected into the page) over `context` — `document`, or a
/// JavaScript array of selectors such as `['guanai-benefit-finder']` — open shadow roots
/// included, and fails with every serious or critical violation, naming the rule and the
/// elements, under the heading `what`.
pub async fn assert_accessible(client: &Client, context: &str, what: &str) {
    static AXE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let source = AXE.get_or_init(|| {
        let path = root().join("node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!(
                "{}: {error} (cargo xtask test installs it with npm ci)",
                path.display()
            )
        })
    });
    let loaded = client
        .execute("return typeof window.axe === 'object'", vec![])
        .await
        .expect("script runs");
    if loaded != json!(true) {
        client
            .execute(source, vec![])
            .await
            .expect("axe-core loads into the page");
    }
    let script = format!(
        r#"const done = arguments[arguments.length - 1];
        const context = {context};
        axe.run(Array.isArray(context) ? {{ include: context.map(s => [s]) }} : context, {{ resultTypes: ['violations'] }})
            .then(result => done(result.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${{v.impact}} ${{v.id}}: ${{v.help}}\n` + v.nodes.slice(0, 5)
                    .map(n => `    ${{JSON.stringify(n.target)}} ${{n.failureSummary.replace(/\n/g, ' ')}}`).join('\n'))))
            .catch(error => done([`axe failed: ${{error}}`]));"#
    );
    let violations = client
        .execute_async(&script, vec![])
        .await
        .expect("axe-core runs");
    let violations: Vec<String> = serde_json::from_value(violations).expect("a list");
    assert!(
        violations.is_empty(),
        "{what}: {} serious or critical accessibility violations\n{}",
        violations.len(),
        violations.join("\n")
    );
}

/// Sends one key press (down and up) to whatever has focus, as a keyboard would.
pub async fn press_key(client: &Client, key: char) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let actions = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    client.perform_actions(actions).await.expect("key pressed");
}

/// Types `text` into whatever has focus, one key press per character, as a keyboard would.
pub async fn type_keys(client: &Client, text: &str) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    let mut actions = KeyActions::new("keyboard".into());
    for key in text.chars() {
        actions = actions
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    client.perform_actions(actions).await.expect("keys typed");
}

/// JavaScript that evaluates to the focused element, following focus into open shadow roots.
pub const DEEP_FOCUS: &str = "(() => { let a = document.activeElement; while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement; return a; })()";

/// Presses Tab until the focused element (inside shadow roots too) matches `css`; fails if
/// `limit` presses never get there, i.e. it cannot be reached by keyboard.
pub async fn tab_to(client: &Client, css: &str, limit: usize) {
    let check = format!("return {DEEP_FOCUS}?.matches({css:?}) === true");
    for _ in 0..limit {
        if client.execute(&check, vec![]).await.expect("script runs") == json!(true) {
            return;
        }
        press_key(client, fantoccini::key::Key::Tab.into()).await;
    }
    let focused = client
        .execute(
            &format!("return {DEEP_FOCUS}?.outerHTML?.slice(0, 200) ?? null"),
            vec![],
        )
        .await
        .unwrap_or_default();
    panic!("{limit} presses of Tab never reached {css}; focus is on {focused}");
}
