//! Building what ships: the widget bundle (`pkg/`), the worker (`edge/build/`) and the static
//! assets directory the worker serves (`target/assets/`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use guanai_core::digest::fnv1a64 as fnv;
use guanai_core::digest::subresource_integrity as integrity;
use guanai_core::digest::subresource_integrity_sha256 as short_integrity;

use crate::process::{output_of, run};
use crate::shrink;
use crate::tools::{Tools, ensure_build_tools};
use crate::{Result, root};

/// wasm-opt flags for the widgets: smallest output, and the features rustc's wasm32 target
/// emits (binaryen must be told, or it rejects or mangles them).
pub const WASM_OPT_ARGS: &[&str] = &[
    "-Oz",
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-mutable-globals",
    "--enable-multivalue",
];

/// What a build produced.
#[derive(Debug)]
pub struct Outputs {
    /// Files of the embeddable bundle, in `pkg/`.
    pub bundle: Vec<PathBuf>,
    /// The admin view: `index.html`, its script, wasm and stylesheet, in `target/admin/`.
    pub admin: Vec<PathBuf>,
    /// The worker's script and module, in `edge/build/`.
    pub worker: Vec<PathBuf>,
}

/// `cargo xtask build`.
pub fn command() -> Result {
    let outputs = all(&ensure_build_tools()?)?;
    print_sizes(&outputs);
    Ok(())
}

/// Builds widgets and worker (each skipped when its inputs have not changed) and assembles
/// the assets directory.
pub fn all(tools: &Tools) -> Result<Outputs> {
    let bundle = widgets(tools)?;
    let admin = admin(tools)?;
    let worker = worker(tools)?;
    assemble_assets(&bundle, &admin)?;
    Ok(Outputs {
        bundle,
        admin,
        worker,
    })
}

/// A per-page bundle: crate `guanai-bundle-<name>` in `widgets/bundles/<name>/`, the elements
/// it mounts, and the stylesheets under `widgets/src/` its elements use (each widget's rules are
/// scoped to its root class), which become `<name>.css`.
pub struct Bundle {
    pub name: &'static str,
    pub elements: &'static [&'static str],
    pub styles: &'static [&'static str],
}

/// A page downloads one bundle: the map's carries the finder as well, since the map page shows
/// both.
pub const BUNDLES: &[Bundle] = &[
    Bundle {
        name: "finder",
        elements: &["guanai-benefit-finder"],
        styles: &["base.css", "benefit_finder/finder.css"],
    },
    Bundle {
        name: "signup",
        elements: &["guanai-signup-form"],
        styles: &["base.css", "form.css"],
    },
    Bundle {
        name: "me",
        elements: &["guanai-my-signup"],
        styles: &["base.css", "form.css"],
    },
    Bundle {
        name: "apply",
        elements: &["guanai-partner-apply"],
        styles: &["base.css", "form.css"],
    },
    Bundle {
        name: "map",
        elements: &["guanai-partner-map", "guanai-benefit-finder"],
        styles: &[
            "base.css",
            "benefit_finder/finder.css",
            "partner_map/map.css",
        ],
    },
];

/// Release-builds the per-page bundles in one cargo run (the widgets crate is compiled once,
/// each bundle is its own LTO link, so it keeps only the code of its elements), binds and
/// optimises each, and writes them with their stylesheets into `pkg/guanai-<hash>/`, named by the
/// hash of its content so it can be cached forever. `pkg/guanai.js` (cached briefly) names that
/// directory and which bundle mounts which elements.
fn widgets(tools: &Tools) -> Result<Vec<PathBuf>> {
    let root = root();
    let mut cargo_args = Vec::new();
    for bundle in BUNDLES {
        cargo_args.extend([
            "--package".to_string(),
            format!("guanai-bundle-{}", bundle.name),
        ]);
    }
    let compiled = release_wasm_all(&cargo_args)?;
    let loader = root.join("widgets/loader/guanai.js");
    let styles = stylesheets()?;
    let src = root.join("widgets/src");
    if let Some(forgotten) = styles.iter().find(|path| {
        !BUNDLES
            .iter()
            .any(|bundle| bundle.styles.iter().any(|style| src.join(style) == **path))
    }) {
        return Err(format!(
            "{} is in no bundle's styles (xtask/src/build.rs BUNDLES)",
            forgotten.display()
        ));
    }
    let pkg = root.join("pkg");
    let stamp_path = root.join("target/widgets-build/inputs.stamp");
    let mut inputs = vec![read(&loader)?];
    for bundle in BUNDLES {
        inputs.push(read(
            &compiled.join(format!("guanai_bundle_{}.wasm", bundle.name)),
        )?);
    }
    for path in &styles {
        inputs.push(read(path)?);
    }
    inputs.push(tools.wasm_bindgen.to_string_lossy().as_bytes().to_vec());
    inputs.push(VERSION.as_bytes().to_vec());
    // How the bundles are made is an input too: a change here rebuilds them.
    inputs.push(include_str!("build.rs").as_bytes().to_vec());
    inputs.push(include_str!("shrink.rs").as_bytes().to_vec());
    inputs.push(read(&root.join("widgets/loader/package-readme.md"))?);
    inputs.push(read(&pkg.join("package.json"))?);
    let stamp = format!("{:016x}", fnv(&inputs.concat()));
    let existing = bundle_files(&pkg);
    if fs::read_to_string(&stamp_path).ok().as_deref() == Some(stamp.as_str())
        && !existing.is_empty()
    {
        eprintln!("widgets: bundles are up to date");
        return Ok(existing);
    }

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut manifest = Vec::new();
    let entry = root.join("target/widgets-build/entry");
    let _ = fs::remove_dir_all(&entry);
    for Bundle {
        name,
        elements,
        styles,
    } in BUNDLES
    {
        let (glue, wasm) = bind_and_optimise(
            tools,
            &compiled.join(format!("guanai_bundle_{name}.wasm")),
            &root.join("target/widgets").join(name),
            name,
        )?;
        // The loader checks the glue, the wasm and the stylesheet against these hashes (SHA-256,
        // the shortest; `release.json` gives SHA-384 for hosts that pin files themselves).
        let glue_path = entry.join(format!("glue/{name}.js"));
        write(&glue_path, &glue)?;
        let mounts: Vec<String> = elements
            .iter()
            .map(|element| {
                format!(
                    "mount_{}",
                    element.trim_start_matches("guanai-").replace('-', "_")
                )
            })
            .collect();
        let glue = glue_script(tools, &glue_path, &mounts)?;
        let css: Vec<u8> = styles
            .iter()
            .map(|style| read(&src.join(style)))
            .collect::<Result<Vec<_>>>()?
            .concat();
        let css = minify(tools, &css, "css")?;
        manifest.push(format!(
            "{{elements:{},glue:\"{name}.js\",wasm:\"{name}.wasm\",css:\"{name}.css\",integrity:{{glue:\"{}\",wasm:\"{}\",css:\"{}\"}}}}",
            serde_json::json!(elements),
            short_integrity(&glue),
            short_integrity(&wasm),
            short_integrity(&css),
        ));
        files.push((format!("{name}.js"), glue));
        files.push((format!("{name}.wasm"), wasm));
        files.push((format!("{name}.css"), css));
    }
    files.sort();

    let hash = format!(
        "{:016x}",
        fnv(&files
            .iter()
            .flat_map(|(name, bytes)| [name.as_bytes(), bytes.as_slice()])
            .collect::<Vec<_>>()
            .concat())
    );
    let directory = format!("guanai-{}", &hash[..10]);
    let loader_text = fs::read_to_string(&loader)
        .map_err(|error| format!("{}: {error}", loader.display()))?
        .replace("__GUANAI_VERSION__", VERSION)
        .replace("__GUANAI_BUNDLE__", &format!("./{directory}/"))
        .replace(
            "\"__GUANAI_BUNDLES__\"",
            &format!("[{}]", manifest.join(",")),
        );
    let loader_bytes = minify(tools, loader_text.as_bytes(), "js")?;

    for old in built_in_pkg(&pkg) {
        if old.is_dir() {
            let _ = fs::remove_dir_all(old);
        } else {
            let _ = fs::remove_file(old);
        }
    }
    for (name, bytes) in &files {
        write(&pkg.join(&directory).join(name), bytes)?;
    }
    write(&pkg.join("guanai.js"), &loader_bytes)?;
    let release = release_manifest(&directory, &loader_bytes, &files);
    write(&pkg.join(RELEASE), release.to_string().as_bytes())?;
    package_extras(&pkg, &release)?;
    write(&stamp_path, stamp.as_bytes())?;
    Ok(bundle_files(&pkg))
}

/// The release version: the workspace's, which xtask shares.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The release manifest beside the loader: version, and each file with its `integrity`. The
/// admin view's embed builder reads it from the worker; partners read it in the package.
pub const RELEASE: &str = "release.json";

fn release_manifest(
    directory: &str,
    loader: &[u8],
    files: &[(String, Vec<u8>)],
) -> serde_json::Value {
    let files: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, bytes)| {
            serde_json::json!({"path": format!("{directory}/{name}"), "integrity": integrity(bytes), "bytes": bytes.len()})
        })
        .collect();
    serde_json::json!({
        "version": VERSION,
        "loader": {"path": "guanai.js", "integrity": integrity(loader), "bytes": loader.len()},
        "files": files,
    })
}

/// What the npm package carries besides the bundle: its README (the snippets with this build's
/// version and loader integrity) and the license texts; and a check that `package.json` names
/// this release.
fn package_extras(pkg: &Path, release: &serde_json::Value) -> Result {
    let root = root();
    let package: serde_json::Value = serde_json::from_slice(&read(&pkg.join("package.json"))?)
        .map_err(|error| format!("pkg/package.json: {error}"))?;
    if package["version"] != VERSION {
        return Err(format!(
            "pkg/package.json has version {}, the workspace (Cargo.toml) {VERSION}: make them equal",
            package["version"]
        ));
    }
    let template = root.join("widgets/loader/package-readme.md");
    let readme = fs::read_to_string(&template)
        .map_err(|error| format!("{}: {error}", template.display()))?
        .replace("{{VERSION}}", VERSION)
        .replace(
            "{{LOADER_INTEGRITY}}",
            release["loader"]["integrity"].as_str().unwrap_or_default(),
        )
        .replace("{{FILES}}", &release_table(release));
    write(&pkg.join("README.md"), readme.as_bytes())?;
    for license in LICENSES {
        fs::copy(root.join(license), pkg.join(license))
            .map_err(|error| format!("{license}: {error}"))?;
    }
    Ok(())
}

/// The license texts at the repository root, copied into the package.
pub const LICENSES: &[&str] = &["LICENSE-MIT", "LICENSE-APACHE"];

fn release_table(release: &serde_json::Value) -> String {
    let mut rows = vec![format!(
        "| `guanai.js` | `{}` |",
        release["loader"]["integrity"].as_str().unwrap_or_default()
    )];
    for file in release["files"].as_array().into_iter().flatten() {
        rows.push(format!(
            "| `{}` | `{}` |",
            file["path"].as_str().unwrap_or_default(),
            file["integrity"].as_str().unwrap_or_default()
        ));
    }
    rows.join("\n")
}

/// The wasm-bindgen glue module at `glue` as a minified classic script that hands its exports
/// to the loader: to the resolver the loader registered under the script's URL
/// (`widgets/loader/guanai.js`, `glueScript`). It defines no global of its own on the host page.
/// One script per bundle, so a page with only a finder downloads only the finder's glue (before,
/// the loader carried all five: 11.2 KB brotli on every page; now the loader is ≈ 3 KB and the
/// finder's glue ≈ 5 KB).
///
/// The script keeps only what the loader calls, `default` (the initialiser) and the bundle's
/// `mounts`; the rest of the glue's exports (`initSync`, the classes of `wasm-streams`, see
/// `shrink.rs`) go.
fn glue_script(tools: &Tools, glue: &Path, mounts: &[String]) -> Result<Vec<u8>> {
    let module = glue
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let entry = glue.with_file_name(format!("entry-{module}"));
    write(
        &entry,
        format!(
            "export {{ default, {} }} from \"./{module}\";\n",
            mounts.join(", ")
        )
        .as_bytes(),
    )?;
    let script = output_of(Command::new(&tools.esbuild).arg(&entry).args([
        "--bundle",
        "--format=iife",
        "--global-name=glue",
        "--minify",
        "--target=chrome96,safari15",
        "--log-level=error",
    ]))?;
    Ok([
        b"(()=>{".as_slice(),
        &script,
        br#";globalThis[Symbol.for("guanai.glue")]?.get(document.currentScript?.src)?.(glue)})();"#,
        b"\n",
    ]
    .concat())
}

/// `source` (JavaScript or CSS, as `loader` says) minified by esbuild (wrangler's own copy):
/// comments and long local names cost phones bytes. Syntax newer than the oldest engine that
/// runs our wasm (Chrome 96, Safari 15) is lowered.
fn minify(tools: &Tools, source: &[u8], loader: &str) -> Result<Vec<u8>> {
    use std::process::Stdio;
    let mut child = Command::new(&tools.esbuild)
        .args([
            "--minify",
            &format!("--loader={loader}"),
            "--target=chrome96,safari15",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("esbuild: {error}"))?;
    child
        .stdin
        .take()
        .ok_or("esbuild has no stdin")?
        .write_all(source)
        .map_err(|error| format!("esbuild: {error}"))?;
    let output = child
        .wait_with_output()
        .map_err(|error| format!("esbuild: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "esbuild --loader={loader}: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output.stdout)
}

/// Every `.css` file under `widgets/src/`, so that a new widget's stylesheet cannot be left out
/// of every bundle.
fn stylesheets() -> Result<Vec<PathBuf>> {
    let src = root().join("widgets/src");
    let mut found = Vec::new();
    let mut pending = vec![src.clone()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir)
            .map_err(|error| error.to_string())?
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|ext| ext == "css") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Release-builds the admin view (its own wasm, so the public bundle never carries it) into
/// `target/admin/`: `index.html`, and content-hashed script, wasm and stylesheet. The script is
/// the wasm-bindgen glue with the one line that starts it appended, so the page needs no inline
/// script under its strict CSP.
fn admin(tools: &Tools) -> Result<Vec<PathBuf>> {
    let root = root();
    let compiled = release_wasm("guanai-admin")?;
    let page = root.join("widgets/admin/static/index.html");
    let css = root.join("widgets/admin/static/admin.css");
    let out = root.join("target/admin");
    let stamp_path = root.join("target/admin-build/inputs.stamp");
    let stamp = format!(
        "{:016x}",
        fnv(&[
            read(&compiled)?,
            read(&page)?,
            read(&css)?,
            tools.wasm_bindgen.to_string_lossy().as_bytes().to_vec(),
            include_str!("build.rs").as_bytes().to_vec(),
            include_str!("shrink.rs").as_bytes().to_vec(),
        ]
        .concat())
    );
    let existing = admin_files(&out);
    if fs::read_to_string(&stamp_path).ok().as_deref() == Some(stamp.as_str())
        && !existing.is_empty()
    {
        eprintln!("admin: bundle is up to date");
        return Ok(existing);
    }
    let staging = root.join("target/admin-build");
    let (mut glue, wasm) = bind_and_optimise(tools, &compiled, &staging, "guanai_admin")?;
    let wasm_name = format!(
        "guanai-admin-{}.wasm",
        &format!("{:016x}", fnv(&wasm))[..10]
    );
    glue.extend_from_slice(
        format!(
            "\n// Started by the admin page's module script (no inline script under its CSP).\n\
             __wbg_init({{ module_or_path: new URL(\"./{wasm_name}\", import.meta.url) }});\n"
        )
        .as_bytes(),
    );
    let glue_name = format!("guanai-admin-{}.js", &format!("{:016x}", fnv(&glue))[..10]);
    let styles = read(&css)?;
    let css_name = format!("admin-{}.css", &format!("{:016x}", fnv(&styles))[..10]);
    let html = fs::read_to_string(&page)
        .map_err(|error| format!("{}: {error}", page.display()))?
        .replace("__ADMIN_SCRIPT__", &glue_name)
        .replace("__ADMIN_CSS__", &css_name);
    let _ = fs::remove_dir_all(&out);
    write(&out.join(&wasm_name), &wasm)?;
    write(&out.join(&glue_name), &glue)?;
    write(&out.join(&css_name), &styles)?;
    write(&out.join("index.html"), html.as_bytes())?;
    write(&stamp_path, stamp.as_bytes())?;
    Ok(admin_files(&out))
}

/// Release-builds the packages named in `package_args` (`--package x …`) for wasm32 in one cargo
/// run; returns the directory holding the compiled modules.
fn release_wasm_all(package_args: &[String]) -> Result<PathBuf> {
    let root = root();
    let target_dir = root.join("target/shipped");
    run(Command::new("cargo")
        .args(["build", "--release", "--target", "wasm32-unknown-unknown"])
        .args(SHIPPED_STD_ARGS)
        .arg("--target-dir")
        .arg(&target_dir)
        .args(package_args)
        // The pinned stable toolchain accepts `-Z` flags only with this; see SHIPPED_STD_ARGS.
        .env("RUSTC_BOOTSTRAP", "1")
        .current_dir(&root))?;
    Ok(target_dir.join("wasm32-unknown-unknown/release"))
}

/// The shipped wasm rebuilds the standard library with the bundle (`-Zbuild-std`, from the
/// `rust-src` component) so LTO and `opt-level = "z"` reach into it too, and aborts on panic
/// without formatting a message (`-Cpanic=immediate-abort`): no panic hook is installed, so a
/// panic was already an uncaught trap and the message was never shown. Measured on the finder's
/// bundle: 112.5 → 99.9 KB brotli; on the worker 544.3 → 513.7 KB gzip (a trap is what
/// worker-build's abort handler already catches and recovers from: the panic message went
/// nowhere before either). The array is appended to `.cargo/config.toml`'s rustflags, so
/// `erase_components` stays. Only the shipped builds (widgets, admin view, worker) use it, in a
/// target directory of their own that they share, so the tests and the benches keep the
/// prebuilt standard library and their artefacts.
const SHIPPED_STD_ARGS: [&str; 3] = [
    "-Zbuild-std=std,panic_abort",
    "--config",
    r#"target.wasm32-unknown-unknown.rustflags=["-Zunstable-options", "-Cpanic=immediate-abort"]"#,
];

/// Release-builds `package` for wasm32 and returns the compiled module's path.
fn release_wasm(package: &str) -> Result<PathBuf> {
    let dir = release_wasm_all(&["--package".to_string(), package.to_string()])?;
    Ok(dir.join(format!("{}.wasm", package.replace('-', "_"))))
}

/// Runs wasm-bindgen (`--target web`) on `compiled` into a fresh `staging` directory as
/// `out_name`, then wasm-opt; returns the glue and the optimised wasm.
fn bind_and_optimise(
    tools: &Tools,
    compiled: &Path,
    staging: &Path,
    out_name: &str,
) -> Result<(Vec<u8>, Vec<u8>)> {
    let _ = fs::remove_dir_all(staging);
    fs::create_dir_all(staging).map_err(|error| error.to_string())?;
    bind(tools, compiled, staging, out_name)?;
    let bound = staging.join(format!("{out_name}_bg.wasm"));
    let dropped = shrink::drop_unused_exports(tools, &bound, staging)?;
    optimise(tools, &bound)?;
    let glue = read(&staging.join(format!("{out_name}.js")))?;
    let glue = shrink::without_dead_statements(&String::from_utf8_lossy(&glue), &dropped)?;
    let glue = shrink::shorten_names(tools, &bound, &glue)?;
    Ok((glue.into_bytes(), read(&bound)?))
}

/// wasm-bindgen `--target web` of `compiled` into `out_dir` as `out_name`.
fn bind(tools: &Tools, compiled: &Path, out_dir: &Path, out_name: &str) -> Result {
    run(Command::new(&tools.wasm_bindgen)
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--omit-default-module-path",
        ])
        .args(["--out-name", out_name])
        .arg("--out-dir")
        .arg(out_dir)
        .arg(compiled))
}

/// wasm-opt of `wasm` (smallest output), in place; returns the optimised bytes.
///
/// Also: `--low-memory-unused` lets binaryen fold constant offsets into loads and stores, which
/// holds for Rust's layout (the stack grows down from 1 MiB to 0 and the data lies above it, so
/// the lowest 1 KiB is touched only by a stack 1,023 KiB deep; −0.7 KB brotli of the finder);
/// the producers and target-features sections are for tools, which have run (wasm-bindgen
/// reads the latter, before this).
fn optimise(tools: &Tools, wasm: &Path) -> Result<Vec<u8>> {
    run(Command::new(&tools.wasm_opt)
        .args(WASM_OPT_ARGS)
        .args([
            "--low-memory-unused",
            "--strip-producers",
            "--strip-target-features",
        ])
        .arg(wasm)
        .arg("-o")
        .arg(wasm))?;
    read(wasm)
}

/// The built admin files in `target/admin/`.
fn admin_files(out: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(out)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The built files in `pkg/` (everything but what git tracks there): the loader, and the
/// files of the bundle directory `guanai-<hash>/`.
pub fn bundle_files(pkg: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for path in built_in_pkg(pkg) {
        if file_name(&path).starts_with("guanai-widgets-") {
            continue;
        }
        if path.is_dir() {
            files.extend(
                fs::read_dir(&path)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|entry| entry.path())
                    .filter(|path| path.is_file()),
            );
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// What a build put in `pkg/` and the worker serves: `guanai.js`, [`RELEASE`] and
/// `guanai-<hash>/` directories (and the
/// `guanai-widgets-<hash>.*` files of builds before per-page bundles, so a rebuild clears them).
fn built_in_pkg(pkg: &Path) -> Vec<PathBuf> {
    fs::read_dir(pkg)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            let name = file_name(path);
            name == "guanai.js" || name == RELEASE || name.starts_with("guanai-")
        })
        .collect()
}

/// Builds the worker with worker-build, pointed at local tools so it downloads nothing.
/// Skipped when `edge/build/index.js` is newer than every input.
fn worker(tools: &Tools) -> Result<Vec<PathBuf>> {
    let root = root();
    let outputs = vec![
        root.join("edge/build/index.js"),
        root.join("edge/build/index_bg.wasm"),
    ];
    let inputs = [
        root.join("edge"),
        root.join("core"),
        root.join("Cargo.lock"),
        root.join("Cargo.toml"),
        // Target rustflags live here.
        root.join(".cargo"),
    ];
    let built = outputs.iter().map(|path| modified(path)).min().flatten();
    let newest_input = inputs
        .iter()
        .filter_map(|path| newest(path, &root.join("edge/build")))
        .max();
    if let (Some(built), Some(newest_input)) = (built, newest_input)
        && built > newest_input
    {
        eprintln!("worker: build is up to date");
        return Ok(outputs);
    }
    // Arguments after `--` go to cargo; worker-build wants the crate path before them.
    run(Command::new(&tools.worker_build)
        .args(["--release", ".", "--"])
        .args(SHIPPED_STD_ARGS)
        // As for the widgets: see SHIPPED_STD_ARGS.
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_TARGET_DIR", root.join("target/shipped"))
        .current_dir(root.join("edge"))
        .env("WASM_BINDGEN_BIN", &tools.wasm_bindgen)
        .env("WASM_OPT_BIN", &tools.wasm_opt)
        .env("ESBUILD_BIN", &tools.esbuild))?;
    // worker-build keeps the "name" section (function names for stack traces): 180 KB raw,
    // 53 KB gzip of the worker. Cloudflare's size limit and cold starts count it; our logs carry
    // a route and an error kind, never a stack trace, so it goes. No other pass: worker-build
    // has already optimised the code.
    let wasm = &outputs[1];
    run(Command::new(&tools.wasm_opt)
        .arg(wasm)
        .args(["--strip-debug", "--strip-producers"])
        .args(&WASM_OPT_ARGS[1..])
        .arg("-o")
        .arg(wasm))?;
    Ok(outputs)
}

/// `target/assets/`: the bundle at the top level and under `v/<version>/`, the admin view under
/// `admin/`, the example pages under `examples/`, and the pinyin reading table the worker reads
/// when staff publish (`data/pinyin.txt`; in no wasm, see `guanai_core::pinyin`).
fn assemble_assets(bundle: &[PathBuf], admin: &[PathBuf]) -> Result {
    let root = root();
    let assets = root.join("target/assets");
    let _ = fs::remove_dir_all(&assets);
    fs::create_dir_all(assets.join("examples")).map_err(|error| error.to_string())?;
    fs::create_dir_all(assets.join("admin")).map_err(|error| error.to_string())?;
    let table = assets.join(guanai_edge::context::READING_TABLE_PATH.trim_start_matches('/'));
    if let Some(parent) = table.parent() {
        fs::create_dir_all(parent).map_err(|error| error.to_string())?;
    }
    fs::write(&table, guanai_core::pinyin::generate::table_text())
        .map_err(|error| format!("{}: {error}", table.display()))?;
    for file in admin {
        let name = file.file_name().ok_or("admin file without a name")?;
        fs::copy(file, assets.join("admin").join(name))
            .map_err(|error| format!("{}: {error}", file.display()))?;
    }
    let pkg = root.join("pkg");
    // The moving alias at the top, and the same files under the release's immutable path.
    let pinned = assets.join("v").join(VERSION);
    for file in bundle {
        let relative = file.strip_prefix(&pkg).map_err(|error| error.to_string())?;
        for target in [assets.join(relative), pinned.join(relative)] {
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(|error| error.to_string())?;
            }
            fs::copy(file, &target).map_err(|error| format!("{}: {error}", file.display()))?;
        }
    }
    for entry in fs::read_dir(root.join("examples"))
        .map_err(|error| error.to_string())?
        .flatten()
    {
        if entry.path().is_file() {
            fs::copy(
                entry.path(),
                assets.join("examples").join(entry.file_name()),
            )
            .map_err(|error| error.to_string())?;
        }
    }
    Ok(())
}

/// Prints raw, gzip and brotli sizes of every shipped artefact.
pub fn print_sizes(outputs: &Outputs) {
    println!(
        "\n{:<44} {:>10} {:>10} {:>10}",
        "artefact", "raw", "gzip", "brotli"
    );
    let mut totals = (0, 0, 0);
    for path in &outputs.bundle {
        let (raw, gzip, brotli) = sizes(path);
        totals = (totals.0 + raw, totals.1 + gzip, totals.2 + brotli);
        let shown = path.strip_prefix(root().join("pkg")).unwrap_or(path);
        print_row(&format!("pkg/{}", shown.display()), (raw, gzip, brotli));
    }
    print_row("= widget bundle (all of pkg/)", totals);
    let mut admin_totals = (0, 0, 0);
    for path in &outputs.admin {
        let (raw, gzip, brotli) = sizes(path);
        admin_totals = (
            admin_totals.0 + raw,
            admin_totals.1 + gzip,
            admin_totals.2 + brotli,
        );
        print_row(&format!("admin/{}", file_name(path)), (raw, gzip, brotli));
    }
    print_row("= admin bundle (all of target/admin/)", admin_totals);
    for path in &outputs.worker {
        print_row(&format!("edge/build/{}", file_name(path)), sizes(path));
    }
    println!();
}

fn print_row(label: &str, (raw, gzip, brotli): (usize, usize, usize)) {
    let kb = |bytes: usize| format!("{:.1} KB", bytes as f64 / 1000.0);
    println!(
        "{label:<44} {:>10} {:>10} {:>10}",
        kb(raw),
        kb(gzip),
        kb(brotli)
    );
}

pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The length of `bytes` gzipped at the best level.
pub fn gzip_len(bytes: &[u8]) -> usize {
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes)
        .and_then(|()| gzip.finish())
        .map(|out| out.len())
        .unwrap_or(0)
}

/// Raw, gzip -9 and brotli -q 11 sizes of a file (0 if it cannot be read).
pub fn sizes(path: &Path) -> (usize, usize, usize) {
    let Ok(bytes) = fs::read(path) else {
        return (0, 0, 0);
    };
    let gzip_len = gzip_len(&bytes);
    let mut brotli_out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let brotli_len =
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut brotli_out, &params).unwrap_or(0);
    (bytes.len(), gzip_len, brotli_len)
}

pub fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|error| format!("{}: {error}", path.display()))
}

pub fn write(path: &Path, bytes: &[u8]) -> Result {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|error| error.to_string())?;
    }
    fs::write(path, bytes).map_err(|error| format!("{}: {error}", path.display()))
}

fn modified(path: &Path) -> Option<SystemTime> {
    fs::metadata(path)
        .and_then(|metadata| metadata.modified())
        .ok()
}

/// The newest modification time of `path` or anything below it, leaving out `skip`.
fn newest(path: &Path, skip: &Path) -> Option<SystemTime> {
    if path == skip {
        return None;
    }
    let own = modified(path);
    if !path.is_dir() {
        return own;
    }
    let children = fs::read_dir(path)
        .ok()?
        .flatten()
        .filter_map(|entry| newest(&entry.path(), skip))
        .max();
    own.max(children)
}

/// `npm pack --dry-run` in `pkg/`: the tarball a partner installs holds exactly the release —
/// the loader, `release.json` and every file it names, the README and the licenses — under the
/// workspace version.
pub fn check_package() -> Result {
    let pkg = root().join("pkg");
    let packed = output_of(
        Command::new("npm")
            .args(["pack", "--dry-run", "--json", "--ignore-scripts"])
            .current_dir(&pkg),
    )?;
    let packed: serde_json::Value =
        serde_json::from_slice(&packed).map_err(|error| format!("npm pack --json: {error}"))?;
    let packed = &packed[0];
    if packed["version"] != VERSION {
        return Err(format!(
            "npm pack: version {} is not the workspace's {VERSION}",
            packed["version"]
        ));
    }
    let mut listed: Vec<String> = packed["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|file| file["path"].as_str().map(str::to_string))
        .collect();
    listed.sort();
    let release: serde_json::Value = serde_json::from_slice(&read(&pkg.join(RELEASE))?)
        .map_err(|error| format!("pkg/{RELEASE}: {error}"))?;
    let mut expected: Vec<String> = ["package.json", "README.md", "guanai.js", RELEASE]
        .into_iter()
        .chain(LICENSES.iter().copied())
        .map(str::to_string)
        .chain(
            release["files"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|file| file["path"].as_str().map(str::to_string)),
        )
        .collect();
    expected.sort();
    if listed != expected {
        return Err(format!(
            "npm pack --dry-run lists {listed:?}, the release is {expected:?}"
        ));
    }
    eprintln!(
        "package: {} ({} files) packs as expected",
        packed["id"].as_str().unwrap_or_default(),
        listed.len()
    );
    Ok(())
}
