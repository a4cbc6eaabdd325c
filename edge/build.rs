//! Build-time facts the plain catalogue pages need:
//! - `GUANAI_BUILD`: a fingerprint of every source the pages are rendered from (this crate's and
//!   the domain's), part of their ETags so a new release never answers 304 with an old page;
//! - `GUANAI_PAGE_STYLE_HASH`: the CSP hash of their one inline stylesheet, so the pages need
//!   neither `'unsafe-inline'` nor a second round trip for a stylesheet.

use std::fs;
use std::path::Path;

use base64::Engine;
use sha2::{Digest, Sha256};

fn main() {
    let mut fingerprint = Sha256::new();
    for dir in ["src", "../core/src", "../core/data"] {
        println!("cargo:rerun-if-changed={dir}");
        hash_tree(Path::new(dir), &mut fingerprint);
    }
    let build = fingerprint.finalize();
    let build: String = build[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    println!("cargo:rustc-env=GUANAI_BUILD={build}");

    let css = fs::read("src/catalog_pages/page.css").expect("src/catalog_pages/page.css");
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(&css));
    println!("cargo:rustc-env=GUANAI_PAGE_STYLE_HASH=sha256-{hash}");
}

/// Feeds every file below `dir` (in name order, so the result does not depend on the file
/// system) into `hasher`: its path, then its bytes.
fn hash_tree(dir: &Path, hasher: &mut Sha256) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|entry| entry.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            hash_tree(&path, hasher);
        } else if let Ok(bytes) = fs::read(&path) {
            hasher.update(path.to_string_lossy().as_bytes());
            hasher.update(&bytes);
        }
    }
}
