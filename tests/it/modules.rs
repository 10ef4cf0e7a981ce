//! The shape of the code: no module reaches, through the `crate::`, `super::` and `self::` paths
//! its files name, a module that reaches it back: not between the top-level modules of `src/`,
//! and not between the files and folders side by side inside any folder. Data flows one way
//! (bank → answer → transcript → score → report and session), so a cycle is a layer leaning on
//! one above it. A folder's `mod.rs` is its face: what its files take from it and what it
//! gathers from them are no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::{TestResult, repo_path};

/// Where a dependency of one module on another was seen.
#[derive(Debug, Clone)]
struct Seen {
    file: PathBuf,
    line: usize,
}

/// The dependencies between the modules side by side in one folder: from, to, where seen.
type Edges = BTreeMap<String, BTreeMap<String, Seen>>;

/// The modules side by side in `dir`: each folder and each `.rs` file, but for `mod.rs` and the
/// crate roots.
fn modules_in(dir: &Path) -> anyhow::Result<BTreeSet<String>> {
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(dir)? {
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
    modules.remove("mod");
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

/// The paths of a `use` tree or a path in the code, as their names, from the text after the
/// first `::`: `a::b::{c, d::{e, f}}` gives a::b::c, a::b::d::e and a::b::d::f.
fn paths_from(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start();
    if let Some(group) = text.strip_prefix('{') {
        let mut paths = Vec::new();
        let mut depth = 0;
        let mut item_start = 0;
        for (at, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    paths.extend(paths_from(&group[item_start..at]));
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    paths.extend(paths_from(&group[item_start..at]));
                    item_start = at + 1;
                }
                _ => {}
            }
        }
        return paths;
    }
    let head = identifier(text);
    if head.is_empty() {
        // `*`, or the nothing after a group's last comma.
        return if text.trim().is_empty() {
            Vec::new()
        } else {
            vec![Vec::new()]
        };
    }
    let rest = &text[head.len()..];
    match rest.strip_prefix("::") {
        Some(rest) => paths_from(rest)
            .into_iter()
            .map(|mut path| {
                path.insert(0, head.to_owned());
                path
            })
            .collect(),
        None => vec![vec![head.to_owned()]],
    }
}

/// The paths a file names from `crate::`, `super::` or `self::` (in `use` lines, groups spanning
/// lines included, and in paths written out in the code), each with the line it is named on,
/// starting with `crate`, `super` or `self`. Comments are left out: a doc link is not a
/// dependency. So are the file's tests (its `#[cfg(test)] mod tests {` on), as in the rule on
/// lines of code: a test may take a fixture from a file beside it that takes the types under
/// test.
fn named_paths(text: &str) -> Vec<(Vec<String>, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let tests_start = lines
        .windows(2)
        .position(|pair| {
            let next = pair[1].trim();
            pair[0].trim() == "#[cfg(test)]" && next.starts_with("mod ") && next.ends_with('{')
        })
        .unwrap_or(lines.len());
    let code: String = lines[..tests_start]
        .iter()
        .map(|line| line.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n");
    let mut named = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find(|c: char| c.is_alphanumeric() || c == '_') {
        let start = from + found;
        let word = identifier(&code[start..]);
        let after = start + word.len();
        from = after;
        let before = code[..start].chars().next_back();
        let roots = ["crate", "super", "self"];
        if !roots.contains(&word)
            || !code[after..].starts_with("::")
            || before.is_some_and(|c| c == ':' || c == '$')
        {
            continue;
        }
        let line = code[..start].matches('\n').count() + 1;
        for mut path in paths_from(&code[after + 2..]) {
            // `super::super::x`: the whole path is read here, not again from the second `super`.
            path.insert(0, word.to_owned());
            named.push((path, line));
        }
    }
    named
}

/// The module a file is: `report/html.rs` is report::html, `report/mod.rs` is report.
fn module_of(relative: &Path) -> Vec<String> {
    let mut module: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if let Some(last) = module.pop() {
        let stem = last.trim_end_matches(".rs");
        if !["mod", "lib", "main"].contains(&stem) {
            module.push(stem.to_owned());
        }
    }
    module
}

/// A path as named in the file of `module`, from the crate's root.
/// (`super` leaves the file's module: `report/html.rs` and `report/mod.rs` alike. An inline
/// `mod tests` is read as its file: its `use super::*` names the folder, which is no edge.)
fn absolute(module: &[String], path: &[String]) -> Vec<String> {
    let mut at: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        _ => module.to_vec(),
    };
    let mut rest = path.get(1..).unwrap_or_default();
    if path.first().is_some_and(|p| p == "super") {
        at.pop();
    }
    while rest.first().is_some_and(|p| p == "super") {
        at.pop();
        rest = &rest[1..];
    }
    at.extend(rest.iter().cloned());
    at
}

/// A cycle in the graph, as the modules along it (the first one again at the end).
fn find_cycle(edges: &Edges) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        edges: &Edges,
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

/// Every dependency between modules side by side under `src`, by the folder they are in (`""`
/// for the top level, `report` for the files in `src/report/`): a file of one module naming
/// something of another in the same folder.
fn dependencies(src: &Path) -> anyhow::Result<BTreeMap<String, Edges>> {
    let mut files = Vec::new();
    rust_files(src, &mut files)?;
    let mut folders: BTreeMap<String, Edges> = BTreeMap::new();
    let mut modules_of_folder: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(src)?.to_path_buf();
        let module = module_of(&relative);
        for (named, line) in named_paths(&std::fs::read_to_string(&file)?) {
            let target = absolute(&module, &named);
            let shared = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            // A module naming its own folder's face, or something inside itself, is no edge.
            if shared == module.len() || shared == target.len() {
                continue;
            }
            let folder = module[..shared].to_vec();
            let siblings = match modules_of_folder.get(&folder) {
                Some(siblings) => siblings,
                None => {
                    let dir = folder.iter().fold(src.to_path_buf(), |dir, m| dir.join(m));
                    modules_of_folder
                        .entry(folder.clone())
                        .or_insert(modules_in(&dir)?)
                }
            };
            let (from, to) = (&module[shared], &target[shared]);
            if !siblings.contains(from) || !siblings.contains(to) {
                continue;
            }
            folders
                .entry(folder.join("/"))
                .or_default()
                .entry(from.clone())
                .or_default()
                .entry(to.clone())
                .or_insert(Seen {
                    file: relative.clone(),
                    line,
                });
        }
    }
    Ok(folders)
}

/// Every cycle in one folder's graph: one found, one of its steps set aside, and again, so
/// that each circle is named (a circle through three modules may be named twice).
fn cycles(edges: &Edges) -> Vec<Vec<String>> {
    let mut left = edges.clone();
    let mut found = Vec::new();
    while let Some(cycle) = find_cycle(&left) {
        let (from, to) = (&cycle[cycle.len() - 2], &cycle[cycle.len() - 1]);
        if let Some(next) = left.get_mut(from) {
            next.remove(to);
        }
        found.push(cycle);
    }
    found
}

#[test]
fn no_module_imports_one_that_imports_it_back() -> TestResult {
    let folders = dependencies(&repo_path("src"))?;
    let top = &folders[""];
    assert!(
        top.contains_key("commands") && top["commands"].contains_key("bank"),
        "the reader found no dependencies: {top:?}"
    );
    let mut circles = Vec::new();
    for (folder, edges) in &folders {
        for cycle in cycles(edges) {
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
            let place = if folder.is_empty() {
                "src".to_owned()
            } else {
                format!("src/{folder}")
            };
            circles.push(format!(
                "a module cycle in {place}: {}\n{}",
                cycle.join(" → "),
                steps.join("\n")
            ));
        }
    }
    assert!(circles.is_empty(), "{}", circles.join("\n"));
    Ok(())
}

#[test]
fn the_reader_sees_groups_paths_and_cycles() {
    let text = "use crate::{\n    interrupt,\n    ui::{self, note},\n};\n\
                // crate::report is only a comment\n\
                let x = crate::score::Scorer::new();\n\
                use super::{svg, summary::round};\n\
                let y = super::super::text::fold(self::inner::z);\n\
                #[cfg(test)]\n\
                mod fixture;\n\
                let z = crate::bank::load();\n\
                #[cfg(test)]\n\
                mod tests {\n\
                use crate::report::html;\n}\n";
    let named: Vec<(String, usize)> = named_paths(text)
        .into_iter()
        .map(|(path, line)| (path.join("::"), line))
        .collect();
    assert_eq!(
        named,
        [
            ("crate::interrupt".to_owned(), 1),
            ("crate::ui::self".to_owned(), 1),
            ("crate::ui::note".to_owned(), 1),
            ("crate::score::Scorer::new".to_owned(), 6),
            ("super::svg".to_owned(), 7),
            ("super::summary::round".to_owned(), 7),
            ("super::super::text::fold".to_owned(), 8),
            ("self::inner::z".to_owned(), 8),
            ("crate::bank::load".to_owned(), 11),
        ]
    );
    let html = module_of(Path::new("report/html.rs"));
    assert_eq!(html, ["report", "html"]);
    assert_eq!(module_of(Path::new("report/mod.rs")), ["report"]);
    let path = |p: &str| p.split("::").map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(absolute(&html, &path("super::svg")), ["report", "svg"]);
    assert_eq!(absolute(&html, &path("crate::ui::note")), ["ui", "note"]);
    assert_eq!(absolute(&html, &path("super::super::text")), ["text"]);
    assert_eq!(
        absolute(&html, &path("self::inner")),
        ["report", "html", "inner"]
    );
    let seen = || Seen {
        file: PathBuf::from("x.rs"),
        line: 1,
    };
    let mut edges: Edges = BTreeMap::new();
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
    edges
        .entry("d".into())
        .or_default()
        .insert("a".into(), seen());
    edges
        .entry("a".into())
        .or_default()
        .insert("d".into(), seen());
    assert_eq!(
        cycles(&edges),
        [["b", "c", "b"], ["a", "d", "a"]],
        "every circle is named"
    );
}
