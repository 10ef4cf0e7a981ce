//! Reading bank files from disk. A file with any problem is skipped whole and reported, so a
//! broken user bank never hides the others.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{Bank, Diagnostic, ParsedFile, parse_file};
use crate::config::{BankLocation, BankOrigin};

/// A bank file that was not used, and why.
#[derive(Debug)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub origin: BankOrigin,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug)]
pub struct LoadedBank {
    pub bank: Bank,
    /// Every file that was read, used or not.
    pub files: Vec<PathBuf>,
    pub skipped: Vec<SkippedFile>,
}

/// Load every bank file of every location, in order. Fails only when a location can't be
/// listed; problems inside files are collected in `skipped`.
pub fn load(locations: &[BankLocation]) -> Result<LoadedBank> {
    let mut bank = Bank::default();
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    // id -> (file, line) of the question that first used it
    let mut first_use: HashMap<String, (PathBuf, usize)> = HashMap::new();

    for location in locations {
        for path in bank_files(&location.path)? {
            files.push(path.clone());
            let (mut file, text) = match read_text(&path) {
                Ok(text) => (parse_file(&path, &text), Some(text)),
                Err(err) => (unreadable(&path, &err), None),
            };
            let text = text.as_deref();
            for question in &file.questions {
                if let Some((other, other_line)) = first_use.get(&question.id) {
                    let line = text.map_or(1, |t| line_of_id(t, &question.id));
                    file.diagnostics.push(Diagnostic {
                        file: path.clone(),
                        line,
                        question_id: Some(question.id.clone()),
                        message: format!(
                            "duplicate id: already used in {}:{other_line}",
                            other.display()
                        ),
                        fix: "rename one of the two questions; ids must be unique across banks"
                            .into(),
                    });
                }
            }
            if file.diagnostics.is_empty() {
                for question in &file.questions {
                    let line = text.map_or(1, |t| line_of_id(t, &question.id));
                    first_use.insert(question.id.clone(), (path.clone(), line));
                }
                bank.questions.append(&mut file.questions);
            } else {
                skipped.push(SkippedFile {
                    path,
                    origin: location.origin,
                    diagnostics: std::mem::take(&mut file.diagnostics),
                });
            }
        }
    }
    Ok(LoadedBank {
        bank,
        files,
        skipped,
    })
}

fn unreadable(path: &Path, err: &anyhow::Error) -> ParsedFile {
    ParsedFile {
        questions: Vec::new(),
        diagnostics: vec![Diagnostic {
            file: path.to_path_buf(),
            line: 1,
            question_id: None,
            message: format!("{err:#}"),
            fix: "save the file as UTF-8 text, or remove it from the bank folder".into(),
        }],
    }
}

/// The line of `id = "<id>"` in a bank file's text (1 when not found).
fn line_of_id(text: &str, id: &str) -> usize {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.starts_with("id") && line.contains(&format!("\"{id}\""))
        })
        .map_or(1, |index| index + 1)
}

/// The bank files at a path: the file itself, or the `.toml` files of a folder and its
/// subfolders, in name order.
pub fn bank_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read the bank path {}", path.display()))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("cannot list the bank folder {}", folder.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", folder.display()))?;
            let entry_path = entry.path();
            if entry_path.is_dir() {
                folders.push(entry_path);
            } else if entry_path.extension().is_some_and(|ext| ext == "toml") {
                files.push(entry_path);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        bail!(
            "the bank folder {} has no .toml files\n  \
             Add bank files there (see `rehearse bank import` to make one from Markdown).",
            path.display()
        );
    }
    Ok(files)
}

/// Read a text file, saying clearly when it is not UTF-8.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    String::from_utf8(bytes).map_err(|err| {
        anyhow::anyhow!(
            "{} is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            err.utf8_error().valid_up_to()
        )
    })
}
