//! The shape of the code: no top-level module of `src/` reaches, through the `crate::` paths
//! its files name, a module that reaches it back. Data flows one way (bank → answer →
//! transcript → score → report and session), so a cycle is a layer leaning on one above it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::{TestResult, repo_path};

/// Where a dependency of one top-level module on another was seen.
#[derive(Debug, Clone)]
struct Seen {
    file: PathBuf,
    line: usize,
}

/// The top-level modules: each folder and each `.rs` file directly under `src/`, but for the
/// crate roots.
fn top_level_modules(src: &Path) -> anyhow::Result<BTreeSet<String>> {
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(src)? {
        let path = entry?.path();
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() || (path.extension().is_some_and(|e| e == "rs")) {
            modules.insert(name);
        }
    }
    modules.remove("lib");
    modules.remove("main");
    Ok(modules)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

fn identifier(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The first names of the paths in a `{ ... }` group of a `use` (the text after the brace):
/// `{a, b::c, d::{e, f}}` gives a, b and d.
fn group_heads(group: &str) -> Vec<&str> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut item_start = Some(0);
    for (at, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = Some(at + 1),
            c if c.is_whitespace() => {
                if item_start == Some(at) {
                    item_start = Some(at + c.len_utf8());
                }
            }
            _ => {
                if let Some(start) = item_start.take() {
                    heads.push(identifier(&group[start..]));
                }
            }
        }
    }
    heads
}

/// The top-level modules a file names through `crate::` (in `use` lines, groups spanning lines
/// included, and in paths written out in the code), each with the line it is first named on.
/// Comments are left out: a doc link is not a dependency.
fn named_modules(text: &str) -> Vec<(String, usize)> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut named = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find("crate::") {
        let at = from + found + "crate::".len();
        let line = code[..at].matches('\n').count() + 1;
        let rest = &code[at..];
        if let Some(group) = rest.strip_prefix('{') {
            named.extend(group_heads(group).into_iter().map(|m| (m.to_owned(), line)));
        } else {
            named.push((identifier(rest).to_owned(), line));
        }
        from = at;
    }
    named
}

/// A cycle in the graph, as the modules along it (the first one again at the end).
fn find_cycle(edges: &BTreeMap<String, BTreeMap<String, Seen>>) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        edges: &BTreeMap<String, BTreeMap<String, Seen>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module.to_owned());
            return Some(cycle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in edges.get(module).into_iter().flat_map(BTreeMap::keys) {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    edges
        .keys()
        .find_map(|start| visit(start, edges, &mut Vec::new(), &mut done))
}

/// Every dependency between top-level modules under `src`.
fn dependencies(src: &Path) -> anyhow::Result<BTreeMap<String, BTreeMap<String, Seen>>> {
    let modules = top_level_modules(src)?;
    let mut files = Vec::new();
    rust_files(src, &mut files)?;
    let mut edges: BTreeMap<String, BTreeMap<String, Seen>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(src)?;
        let owner = relative
            .components()
            .next()
            .map(|c| {
                Path::new(c.as_os_str())
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .unwrap_or_default();
        if !modules.contains(&owner) {
            continue;
        }
        for (named, line) in named_modules(&std::fs::read_to_string(&file)?) {
            if named != owner && modules.contains(&named) {
                edges
                    .entry(owner.clone())
                    .or_default()
                    .entry(named)
                    .or_insert(Seen {
                        file: relative.to_path_buf(),
                        line,
                    });
            }
        }
    }
    Ok(edges)
}

#[test]
fn no_module_imports_one_that_imports_it_back() -> TestResult {
    let edges = dependencies(&repo_path("src"))?;
    assert!(
        edges.contains_key("commands") && edges["commands"].contains_key("bank"),
        "the reader found no dependencies: {edges:?}"
    );
    if let Some(cycle) = find_cycle(&edges) {
        let steps: Vec<String> = cycle
            .windows(2)
            .map(|pair| {
                let seen = &edges[&pair[0]][&pair[1]];
                format!(
                    "  {} uses {} (src/{}:{})",
                    pair[0],
                    pair[1],
                    seen.file.display(),
                    seen.line
                )
            })
            .collect();
        panic!(
            "a module cycle: {}\n{}",
            cycle.join(" → "),
            steps.join("\n")
        );
    }
    Ok(())
}

#[test]
fn the_reader_sees_groups_paths_and_cycles() {
    let text = "use crate::{\n    interrupt,\n    ui::{self, note},\n};\n\
                // crate::report is only a comment\n\
                let x = crate::score::Scorer::new();\n";
    let named: Vec<(String, usize)> = named_modules(text);
    assert_eq!(
        named,
        [
            ("interrupt".to_owned(), 1),
            ("ui".to_owned(), 1),
            ("score".to_owned(), 6)
        ]
    );
    let seen = || Seen {
        file: PathBuf::from("x.rs"),
        line: 1,
    };
    let mut edges: BTreeMap<String, BTreeMap<String, Seen>> = BTreeMap::new();
    edges
        .entry("a".into())
        .or_default()
        .insert("b".into(), seen());
    edges
        .entry("b".into())
        .or_default()
        .insert("c".into(), seen());
    assert_eq!(find_cycle(&edges), None);
    edges
        .entry("c".into())
        .or_default()
        .insert("b".into(), seen());
    assert_eq!(
        find_cycle(&edges),
        Some(vec!["b".to_owned(), "c".to_owned(), "b".to_owned()])
    );
}
