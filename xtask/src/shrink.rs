//! What the build does to each bundle between wasm-bindgen and the files a page downloads,
//! beyond wasm-opt's own passes: drop exports nothing calls (and the glue that wraps them), and
//! give the wasm's imports and exports one- or two-letter names in the wasm and its glue alike.
//! Also the two reads of a wasm module's names these need (with `wasmparser`).

use std::path::Path;
use std::process::Command;

use crate::Result;
use crate::build::{read, write};
use crate::process::output_of;
use crate::tools::Tools;

/// The features rustc's wasm32 target emits, which every binaryen tool must be told.
fn features() -> impl Iterator<Item = &'static &'static str> {
    super::build::WASM_OPT_ARGS
        .iter()
        .filter(|arg| arg.starts_with("--enable"))
}

/// Exports no page calls: leptos always links `server_fn`, whose `wasm-streams` dependency
/// exports its stream adapters (`IntoUnderlyingSource` and kin) to JavaScript. Our glue never
/// constructs them, yet as exports they, and all they reach, survive wasm-opt (≈ 1.5 KB brotli
/// of the finder's bundle).
const UNUSED_EXPORTS: &str = "intounderlying";

/// Removes [`UNUSED_EXPORTS`] from `wasm` in place with wasm-metadce: every other export is a
/// root of its reachability graph, so the code those reach stays (`staging` holds the graph).
/// Returns the names it removed.
pub fn drop_unused_exports(tools: &Tools, wasm: &Path, staging: &Path) -> Result<Vec<String>> {
    let exports = export_names(&read(wasm)?)
        .ok_or_else(|| format!("{}: not a readable wasm module", wasm.display()))?;
    let kept: Vec<&String> = exports
        .iter()
        .filter(|name| !name.contains(UNUSED_EXPORTS))
        .collect();
    let mut graph = vec![serde_json::json!({
        "name": "outside",
        "root": true,
        "reaches": (0..kept.len()).map(|index| format!("e{index}")).collect::<Vec<_>>(),
    })];
    graph.extend(
        kept.iter()
            .enumerate()
            .map(|(index, name)| serde_json::json!({"name": format!("e{index}"), "export": name})),
    );
    let graph_path = staging.join("metadce-graph.json");
    write(
        &graph_path,
        serde_json::Value::Array(graph).to_string().as_bytes(),
    )?;
    output_of(
        Command::new(&tools.wasm_metadce)
            .args(features())
            .arg("--graph-file")
            .arg(&graph_path)
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
    )?;
    Ok(exports
        .into_iter()
        .filter(|name| name.contains(UNUSED_EXPORTS))
        .collect())
}

/// `glue` without its top-level statements that use a `dropped` export (`wasm.<name>`): the
/// classes wrapping `wasm-streams`' adapters and their finalizers, then, in turn, whatever
/// names what those declared (`if (Symbol.dispose) IntoUnderlyingSink.prototype…`). esbuild
/// cannot drop them itself: each has a side effect at load (≈ 0.3 KB brotli of the finder).
///
/// wasm-bindgen writes each top-level statement from column 0 and indents everything inside
/// one; a line starting with `}` or `)` closes the statement above.
///
/// A statement the loader needs (the imports, an exported function, the export list) is never
/// removed: the build fails instead.
pub fn without_dead_statements(glue: &str, dropped: &[String]) -> Result<String> {
    let mut statements: Vec<String> = Vec::new();
    for line in glue.lines() {
        let continues =
            line.is_empty() || line.starts_with([' ', '\t', '}', ')']) || statements.is_empty();
        match statements.last_mut() {
            Some(statement) if continues => {
                statement.push('\n');
                statement.push_str(line);
            }
            _ => statements.push(line.to_string()),
        }
    }
    let uses = |statement: &str, name: &str| {
        statement.match_indices(name).any(|(at, _)| {
            let before = statement[..at].chars().next_back();
            let after = statement[at + name.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
    };
    let mut dead: Vec<String> = dropped.iter().map(|name| format!("wasm.{name}")).collect();
    loop {
        let (gone, kept): (Vec<String>, Vec<String>) = statements
            .into_iter()
            .partition(|statement| dead.iter().any(|name| uses(statement, name)));
        statements = kept;
        if gone.is_empty() {
            break;
        }
        let needed = [
            "function __wbg_get_imports",
            "export function ",
            "export {",
            "async function __wbg_init",
        ];
        if let Some(statement) = gone
            .iter()
            .find(|statement| needed.iter().any(|start| statement.starts_with(start)))
        {
            return Err(format!(
                "the glue's `{}` uses an export wasm-metadce removed ({dropped:?})",
                statement.lines().next().unwrap_or_default()
            ));
        }
        // What the removed statements declared is dead too.
        for statement in &gone {
            let declared = ["export class ", "class ", "const ", "let ", "function "]
                .iter()
                .find_map(|keyword| statement.strip_prefix(keyword));
            if let Some(rest) = declared {
                let name: String = rest.chars().take_while(|c| is_ident(*c)).collect();
                if !name.is_empty() {
                    dead.push(name);
                }
            }
        }
    }
    let mut out = statements.join("\n");
    out.push('\n');
    Ok(out)
}

/// The names in a wasm module's export section, or None if `module` is not a readable module.
fn export_names(module: &[u8]) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        if let wasmparser::Payload::ExportSection(exports) = payload.ok()? {
            for export in exports {
                names.push(export.ok()?.name.to_string());
            }
        }
    }
    Some(names)
}

/// The module names a wasm module imports from, in order and without repeats, or None if
/// `module` is not a readable module.
fn import_modules(module: &[u8]) -> Option<Vec<String>> {
    let mut modules: Vec<String> = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        if let wasmparser::Payload::ImportSection(imports) = payload.ok()? {
            for import in imports.into_imports() {
                let from = import.ok()?.module;
                if !modules.iter().any(|module| module == from) {
                    modules.push(from.to_string());
                }
            }
        }
    }
    Some(modules)
}

/// A character of a JavaScript identifier as wasm-bindgen's glue writes them: `[A-Za-z0-9_$]`.
fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

/// Renames the wasm's imports and exports to one or two letters (wasm-opt
/// `--minify-imports-and-exports-and-modules`, in place) and `glue` to match. wasm-bindgen names each
/// import after its function plus a 16-digit hash (`__wbg_insertBefore_10ab0c19b463c12b`) and
/// each closure adapter after its full Rust type (up to 300 characters); both files carry every
/// name, and the hashes do not compress: ≈ 2 KB brotli of the finder's page together.
///
/// In the glue, an import is the key of its function in the import object and an export is read
/// as `wasm.<name>`; the names are whole identifiers, matched as such, so nothing else changes.
pub fn shorten_names(tools: &Tools, wasm: &Path, glue: &str) -> Result<String> {
    let mapping = output_of(
        Command::new(&tools.wasm_opt)
            .args(features())
            // Without "-and-modules" binaryen renames only imports from `env`; ours come from
            // the glue's module ("./finder_bg.js"), which becomes a one-letter name too.
            .arg("--minify-imports-and-exports-and-modules")
            .arg(wasm)
            .arg("-o")
            .arg(wasm),
    )?;
    let mapping: serde_json::Value = serde_json::from_slice(&mapping)
        .map_err(|error| format!("wasm-opt's name mapping: {error}"))?;
    let pairs = |key: &str, old: usize, new: usize| -> Vec<(String, String)> {
        mapping[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|pair| {
                Some((
                    pair[old].as_str()?.to_string(),
                    pair[new].as_str()?.to_string(),
                ))
            })
            .collect()
    };
    let imports = pairs("imports", 1, 2);
    let exports = pairs("exports", 0, 1);
    if imports.is_empty() || exports.is_empty() {
        return Err(format!(
            "wasm-opt named no imports or exports of {}",
            wasm.display()
        ));
    }
    let renamed = rename_identifiers(glue, "", &imports);
    let renamed = rename_identifiers(&renamed, "wasm.", &exports);
    // The import object's one key: the module the wasm now imports from.
    let modules = import_modules(&read(wasm)?).unwrap_or_default();
    let key = format!("\"./{}.js\": import0", wasm_stem(wasm));
    match modules.as_slice() {
        [module] if renamed.matches(&key).count() == 1 => {
            Ok(renamed.replace(&key, &format!("{}: import0", serde_json::json!(module))))
        }
        _ => Err(format!(
            "{}: expected one import module and `{key}` once in its glue, found {modules:?}",
            wasm.display()
        )),
    }
}

/// `dir/finder_bg.wasm` → `finder_bg`.
fn wasm_stem(wasm: &Path) -> String {
    wasm.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `text` with each whole identifier `old` that follows `prefix` replaced by `new`. An
/// identifier is whole when no identifier character (`[A-Za-z0-9_$]`) touches either end.
fn rename_identifiers(text: &str, prefix: &str, names: &[(String, String)]) -> String {
    let renames: std::collections::HashMap<&str, &str> = names
        .iter()
        .map(|(old, new)| (old.as_str(), new.as_str()))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(is_ident) {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let end = from.find(|c: char| !is_ident(c)).unwrap_or(from.len());
        let (word, after) = from.split_at(end);
        let renamed = renames
            .get(word)
            .filter(|_| out.ends_with(prefix) && !(prefix.is_empty() && out.ends_with('.')));
        out.push_str(renamed.copied().unwrap_or(word));
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_names_reads_the_export_section_past_other_sections() {
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        // A custom section (id 0) first: its bytes must be skipped, not read as exports.
        module.extend([0, 3, 1, b'x', 7]);
        // Exports: "memory" (memory 0) and "mount_benefit_finder" (function 200, two-byte LEB).
        let mut section = vec![2, 6];
        section.extend(b"memory");
        section.extend([2, 0, 20]);
        section.extend(b"mount_benefit_finder");
        section.extend([0, 0xc8, 0x01]);
        module.push(7);
        module.push(section.len() as u8);
        module.extend(section);
        assert_eq!(
            export_names(&module),
            Some(vec![
                "memory".to_string(),
                "mount_benefit_finder".to_string()
            ])
        );
    }

    #[test]
    fn rename_identifiers_changes_whole_names_after_the_prefix_only() {
        let names = [
            ("__wbg_free_0123".to_string(), "a".to_string()),
            ("memory".to_string(), "b".to_string()),
        ];
        let glue = "wasm.memory; __wbg_free_0123: f, x__wbg_free_0123, wasm.memory2, memory";
        assert_eq!(
            rename_identifiers(glue, "wasm.", &names),
            "wasm.b; __wbg_free_0123: f, x__wbg_free_0123, wasm.memory2, memory"
        );
        assert_eq!(
            rename_identifiers(glue, "", &names),
            "wasm.memory; a: f, x__wbg_free_0123, wasm.memory2, b"
        );
    }

    #[test]
    fn import_modules_lists_each_module_once() {
        let mut module = b"\0asm\x01\0\0\0".to_vec();
        // Three imports: function a.f (type 0), memory a.m (limits 1..=2), function b.g (type 1).
        let section = [
            3, 1, b'a', 1, b'f', 0, 0, 1, b'a', 1, b'm', 2, 1, 1, 2, 1, b'b', 1, b'g', 0, 1,
        ];
        module.push(2);
        module.push(section.len() as u8);
        module.extend(section);
        assert_eq!(
            import_modules(&module),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(import_modules(b"\0asm\x01\0\0\0"), Some(Vec::new()));
    }

    #[test]
    fn dead_statements_go_with_what_they_declared_and_the_rest_stays() {
        let glue = "export class Source {\n    free() {\n        wasm.source_free(this.ptr);\n    }\n}\n\
                    if (Symbol.dispose) Source.prototype[Symbol.dispose] = Source.prototype.free;\n\
                    const SourceFinalization = (typeof FinalizationRegistry === 'undefined')\n    ? {}\n    : new FinalizationRegistry(ptr => wasm.source_free(ptr));\n\
                    export class Widget {\n    free() {\n        wasm.widget_free(this.ptr);\n    }\n}\n\
                    const Sources = 1;\n\
                    export { initSync, __wbg_init as default };\n";
        let kept = without_dead_statements(glue, &["source_free".to_string()]);
        assert_eq!(
            kept.as_deref().map_err(String::as_str),
            Ok(
                "export class Widget {\n    free() {\n        wasm.widget_free(this.ptr);\n    }\n}\n\
             const Sources = 1;\n\
             export { initSync, __wbg_init as default };\n"
            )
        );
        // An export the imports use may not go.
        let needed = "function __wbg_get_imports() {\n    wasm.source_free(0);\n}\n";
        assert!(without_dead_statements(needed, &["source_free".to_string()]).is_err());
    }

    #[test]
    fn export_names_refuses_what_is_not_a_module_or_is_cut_short() {
        assert_eq!(export_names(b"<html>"), None);
        assert_eq!(export_names(b"\0asm\x01\0\0\0\x07\x05\x02\x06mem"), None);
        assert_eq!(export_names(b"\0asm\x01\0\0\0"), Some(Vec::new()));
    }
}
