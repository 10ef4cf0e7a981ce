//! Reading bank files from disk, and deciding what a problem in one means: a broken file the
//! user named with --bank stops the command with its problems listed, while a broken file beside
//! good ones (the user's folder) is skipped with a warning, so it never hides the others.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use super::{
    Bank, BankInUse, BankLocation, BankOrigin, Diagnostic, ParsedFile, SkippedQuestion, bundled,
    parse_file,
};
use crate::fsutil::{ReadError, read_text};

/// A bank file (or folder) that was not used, and why.
#[derive(Debug)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub origin: BankOrigin,
    pub diagnostics: Vec<Diagnostic>,
    /// The ids its questions have, valid or not: they are not in use.
    pub question_ids: Vec<String>,
}

#[derive(Debug)]
pub struct LoadedBank {
    pub bank: Bank,
    /// Every file that was read, used or not.
    pub files: Vec<PathBuf>,
    pub skipped: Vec<SkippedFile>,
    /// What the files in use should fix, though it does not stop them being used.
    pub warnings: Vec<Diagnostic>,
}

/// How many problems an error lists, and a warning, before they refer to `rehearse bank check`
/// for the rest.
const PROBLEMS_IN_ERRORS: usize = 10;
const PROBLEMS_IN_WARNINGS: usize = 3;

/// Load every bank file of every location, in order. Fails only when a bank the user named
/// can't be listed; problems inside files (and a folder of the user's that can't be listed) are
/// collected in `skipped`.
pub fn load(locations: &[BankLocation]) -> Result<LoadedBank> {
    let mut bank = Bank::default();
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
    // id -> (file, line) of the question that first used it
    let mut first_use: HashMap<String, (PathBuf, usize)> = HashMap::new();

    for location in locations {
        // The bundled files are built in; the others are read as they come.
        let entries: Vec<(PathBuf, Option<&'static str>)> = match location.origin {
            BankOrigin::Bundled => bundled::files().map(|(p, text)| (p, Some(text))).collect(),
            BankOrigin::Explicit => bank_files(&location.path)?
                .into_iter()
                .map(|path| (path, None))
                .collect(),
            BankOrigin::User => match bank_files(&location.path) {
                Ok(paths) => paths.into_iter().map(|path| (path, None)).collect(),
                Err(err) => {
                    skipped.push(unlistable(location, &err));
                    continue;
                }
            },
        };
        for (path, built_in) in entries {
            files.push(path.clone());
            let text = match built_in {
                Some(text) => Ok(Cow::Borrowed(text)),
                None => read_text(&path).map(Cow::Owned),
            };
            let mut file = match text {
                Ok(text) => parse_file(&path, &text),
                Err(err) => unreadable(&err),
            };
            warnings.append(&mut file.warnings);
            for question in &file.questions {
                if let Some((other, other_line)) = first_use.get(&question.id) {
                    file.diagnostics.push(Diagnostic {
                        file: path.clone(),
                        line: file.id_lines.get(&question.id).copied().unwrap_or(1),
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
                    let line = file.id_lines.get(&question.id).copied().unwrap_or(1);
                    first_use.insert(question.id.clone(), (path.clone(), line));
                }
                bank.questions.append(&mut file.questions);
                for (term, said) in file.glossary {
                    bank.glossary.entry(term).or_insert(said);
                }
            } else {
                let mut question_ids: Vec<String> = file.id_lines.into_keys().collect();
                question_ids.sort();
                skipped.push(SkippedFile {
                    path,
                    origin: location.origin,
                    diagnostics: file.diagnostics,
                    question_ids,
                });
            }
        }
    }
    Ok(LoadedBank {
        bank,
        files,
        skipped,
        warnings,
    })
}

impl LoadedBank {
    /// The bank to use. A problem in a bank the user named (--bank), or no usable question at
    /// all, is an error that lists the problems with their file and line. Any other skipped
    /// file is handed to `warn` with its problems, one message a file.
    pub fn into_usable(self, mut warn: impl FnMut(&str)) -> Result<BankInUse> {
        let named_is_broken = self
            .skipped
            .iter()
            .any(|s| s.origin == BankOrigin::Explicit);
        if named_is_broken || self.bank.questions.is_empty() {
            let problems: Vec<&Diagnostic> =
                self.skipped.iter().flat_map(|s| &s.diagnostics).collect();
            let paths: Vec<String> = self
                .skipped
                .iter()
                .map(|s| s.path.display().to_string())
                .collect();
            bail!(
                "the bank {} cannot be used ({}):\n{}\n  Fix {} and run again; `rehearse bank \
                 check {}` checks a bank without running anything else.",
                paths.join(", "),
                count(problems.len(), "problem"),
                listing(&problems, PROBLEMS_IN_ERRORS),
                if problems.len() == 1 { "it" } else { "them" },
                paths.first().map_or("PATH", String::as_str),
            );
        }
        for file in &self.skipped {
            let origin = match file.origin {
                BankOrigin::Bundled => "bundled bank",
                BankOrigin::User | BankOrigin::Explicit => "your bank",
            };
            let problems: Vec<&Diagnostic> = file.diagnostics.iter().collect();
            warn(&format!(
                "skipped {origin} {} ({}); the other banks are in use:\n{}",
                file.path.display(),
                count(problems.len(), "problem"),
                listing(&problems, PROBLEMS_IN_WARNINGS),
            ));
        }
        let skipped = self
            .skipped
            .iter()
            .flat_map(|file| {
                file.question_ids.iter().filter_map(|id| {
                    let about_it = file
                        .diagnostics
                        .iter()
                        .find(|d| d.question_id.as_deref() == Some(id.as_str()));
                    let problem = about_it.or(file.diagnostics.first())?;
                    Some(SkippedQuestion {
                        id: id.clone(),
                        problem: problem.clone(),
                    })
                })
            })
            .collect();
        Ok(BankInUse {
            bank: self.bank,
            skipped,
        })
    }
}

fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// Problems one per entry, indented, the first `shown` of them.
fn listing(problems: &[&Diagnostic], shown: usize) -> String {
    let mut lines: Vec<String> = problems
        .iter()
        .take(shown)
        .map(|d| format!("  {d}"))
        .collect();
    if problems.len() > shown {
        lines.push(format!(
            "  ... and {} more (`rehearse bank check` lists them all)",
            problems.len() - shown
        ));
    }
    lines.join("\n")
}

fn unreadable(err: &ReadError) -> ParsedFile {
    ParsedFile {
        diagnostics: vec![Diagnostic {
            file: err.path.clone(),
            line: err.problem.line(),
            question_id: None,
            message: err.problem.message(),
            fix: format!(
                "{}, or take it out of the bank folder",
                err.problem.fix(&err.path)
            ),
        }],
        ..ParsedFile::default()
    }
}

/// The user's own folder, when it can't be listed.
fn unlistable(location: &BankLocation, err: &anyhow::Error) -> SkippedFile {
    SkippedFile {
        path: location.path.clone(),
        origin: location.origin,
        diagnostics: vec![Diagnostic {
            file: location.path.clone(),
            line: 1,
            question_id: None,
            message: format!("{err:#}"),
            fix: "make the folder readable (chmod u+rx), or move it away".into(),
        }],
        question_ids: Vec::new(),
    }
}

/// The bank files at a path: the file itself, or the `.toml` files of a folder and its
/// subfolders, in name order. Links to folders are followed, each folder once.
pub fn bank_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path)
        .with_context(|| format!("cannot read the bank path {}", path.display()))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    let mut folders = vec![path.to_path_buf()];
    let mut seen = HashSet::new();
    while let Some(folder) = folders.pop() {
        // A link back up the tree would otherwise be walked forever.
        if !seen.insert(folder.canonicalize().unwrap_or_else(|_| folder.clone())) {
            continue;
        }
        let entries = std::fs::read_dir(&folder).with_context(|| {
            format!(
                "cannot list the bank folder {}; make it readable (chmod u+rx) or name \
                 another with --bank",
                folder.display()
            )
        })?;
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

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    /// A valid bank file of `n` questions, each with a few key points.
    fn bank_text(n: usize) -> String {
        let mut text = String::from("deck = \"Generated\"\ncategory = \"general\"\n");
        for i in 0..n {
            text.push_str(&format!(
                "\n[[question]]\nid = \"question-{i}\"\nquestion = \"What is thing {i}?\"\n\
                 answer = \"\"\"\nThing {i} is a managed service.\n\"\"\"\n\
                 key_points = [{{ point = \"managed service\", aliases = [\"managed\"] }}, \"thing {i}\"]\n"
            ));
        }
        text
    }

    /// Time this thread has spent on a CPU, where Linux tells (in nanoseconds): unlike the wall
    /// clock, it does not grow when other processes take the cores.
    fn thread_cpu_time() -> Option<Duration> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
        let nanos = stat.split_whitespace().next()?.parse().ok()?;
        Some(Duration::from_nanos(nanos))
    }

    /// Time per question of loading a bank of `n` questions `times` over (as much work for a
    /// small bank as for a large one, so that the clock's granularity weighs the same); the
    /// quickest of three tries, in CPU time when the system gives it, else wall time.
    fn time_per_question(dir: &Path, n: usize, times: usize) -> Result<Duration> {
        let path = dir.join(format!("bank-{n}.toml"));
        std::fs::write(&path, bank_text(n))?;
        let location = BankLocation {
            path,
            origin: BankOrigin::Explicit,
        };
        let mut best = Duration::MAX;
        for _ in 0..3 {
            let (cpu, wall) = (thread_cpu_time(), Instant::now());
            for _ in 0..times {
                let loaded = load(std::slice::from_ref(&location))?;
                assert_eq!(loaded.bank.questions.len(), n);
            }
            let spent = match (cpu, thread_cpu_time()) {
                (Some(before), Some(after)) => after.saturating_sub(before),
                _ => wall.elapsed(),
            };
            best = best.min(spent);
        }
        Ok(best / u32::try_from(n * times)?)
    }

    #[test]
    fn loading_grows_linearly_with_the_bank() -> Result<()> {
        let dir = tempfile::tempdir()?;
        let small = time_per_question(dir.path(), 250, 32)?;
        let large = time_per_question(dir.path(), 8_000, 1)?;
        // A question of a bank 32 times larger costs the same when loading is linear (up to
        // about twice as much: a large bank's memory is new to the process on every load, a
        // small one's is reused), 32 times as much when every question scans the whole file,
        // as line lookups once did.
        let ratio = large.as_secs_f64() / small.as_secs_f64();
        eprintln!("per question: {small:?} of 250, {large:?} of 8,000 ({ratio:.1}x)");
        assert!(
            ratio < 5.0,
            "a question costs {small:?} in a bank of 250 but {large:?} in one of 8,000"
        );
        Ok(())
    }

    #[test]
    fn a_duplicate_across_files_names_both_lines() -> Result<()> {
        let dir = tempfile::tempdir()?;
        std::fs::write(dir.path().join("a.toml"), bank_text(3))?;
        let second = "deck = \"B\"\ncategory = \"c\"\n\n[[question]]\nid = \"other\"\nquestion = \"Q\"\nanswer = \"A\"\nkey_points = [\"p\"]\n\n[[question]]\nid = \"question-2\"\nquestion = \"Q\"\nanswer = \"A\"\nkey_points = [\"p\"]\n";
        std::fs::write(dir.path().join("b.toml"), second)?;
        let loaded = load(&[BankLocation {
            path: dir.path().to_path_buf(),
            origin: BankOrigin::Explicit,
        }])?;
        assert_eq!(loaded.bank.questions.len(), 3);
        let [skipped] = loaded.skipped.as_slice() else {
            panic!("{:?}", loaded.skipped);
        };
        let [duplicate] = skipped.diagnostics.as_slice() else {
            panic!("{:?}", skipped.diagnostics);
        };
        assert_eq!(duplicate.line, 11);
        assert!(
            duplicate.message.ends_with("a.toml:21"),
            "{}",
            duplicate.message
        );
        Ok(())
    }
}
